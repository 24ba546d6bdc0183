package registry

import (
	"context"
	"slices"
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

// UpdateSettings writes st into integration id's document. refused are
// the form's own refusals (a missing name…): with any, nothing is saved,
// and the answer lists them together with every other bad field, so the
// form reports all of its errors at once.
func (s *Service) UpdateSettings(ctx context.Context, orgID, id int64, st Settings, refused ...apperr.FieldError) (*Draft, error) {
	return s.edit(ctx, orgID, id, func(d *Draft) error { return st.apply(d.Doc, refused) })
}

func (st Settings) apply(doc *definition.Document, refused []apperr.FieldError) error {
	fields := append([]apperr.FieldError(nil), refused...)
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
			fields = append(fields, apperr.FieldError{Field: "timeout", Message: "must be a duration such as 15s or 1m"})
		}
		doc.Timeout = definition.Duration(d)
	}
	if len(fields) == 0 {
		return nil // the document's own checks run when it is written
	}
	if _, err := Check(doc); err != nil {
		if e, ok := apperr.As(err); ok {
			fields = append(fields, otherFields(e.Fields, fields)...)
		}
	}
	return apperr.Validation(fields...)
}

// otherFields are the problems of more whose field is not in have yet.
func otherFields(more, have []apperr.FieldError) []apperr.FieldError {
	var out []apperr.FieldError
	for _, m := range more {
		if !slices.ContainsFunc(have, func(h apperr.FieldError) bool { return h.Field == m.Field }) {
			out = append(out, m)
		}
	}
	return out
}
