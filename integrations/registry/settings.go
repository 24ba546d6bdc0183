package registry

import (
	"context"
	"time"

	"switchboard/apperr"
	"switchboard/integrations/definition"
)

// Settings are the head of a definition that the settings form edits.
type Settings struct {
	Name              string
	Description       string
	BaseURLProduction string
	BaseURLSandbox    string
	// DefaultEnvironment is production or sandbox ("" is production).
	DefaultEnvironment string
	// Timeout is a duration such as 15s; "" is the default.
	Timeout      string
	TestFunction string
	Enabled      bool
}

// SettingsOf returns the settings of doc.
func SettingsOf(doc *definition.Document) Settings {
	st := Settings{Name: doc.Name, Description: doc.Description,
		BaseURLProduction: doc.BaseURL[definition.EnvProduction], BaseURLSandbox: doc.BaseURL[definition.EnvSandbox],
		DefaultEnvironment: doc.DefaultEnv(), TestFunction: doc.TestFunction, Enabled: doc.IsEnabled()}
	if doc.Timeout > 0 {
		st.Timeout = time.Duration(doc.Timeout).String()
	}
	return st
}

// UpdateSettings writes st into integration id's document.
func (s *Service) UpdateSettings(ctx context.Context, orgID, id int64, st Settings) (*Draft, error) {
	return s.edit(ctx, orgID, id, func(d *Draft) error { return st.apply(d.Doc) })
}

func (st Settings) apply(doc *definition.Document) error {
	doc.Name, doc.Description, doc.TestFunction = st.Name, st.Description, st.TestFunction
	doc.Enabled = &st.Enabled
	doc.BaseURL = map[string]string{}
	if st.BaseURLProduction != "" {
		doc.BaseURL[definition.EnvProduction] = st.BaseURLProduction
	}
	if st.BaseURLSandbox != "" {
		doc.BaseURL[definition.EnvSandbox] = st.BaseURLSandbox
	}
	doc.DefaultEnvironment = st.DefaultEnvironment
	if doc.DefaultEnvironment == definition.EnvProduction {
		doc.DefaultEnvironment = "" // the default, left out of exports
	}
	doc.Timeout = 0
	if st.Timeout != "" {
		d, err := time.ParseDuration(st.Timeout)
		if err != nil {
			return apperr.Validation(apperr.FieldError{Field: "timeout", Message: "must be a duration such as 15s or 1m"})
		}
		doc.Timeout = definition.Duration(d)
	}
	return nil
}
