package reference

import (
	"context"
	"maps"
	"slices"

	"switchboard/apperr"
	"switchboard/integrations/executor"
	"switchboard/models"
)

// DefaultPicker is one parameter a sync configuration may give a default
// for, with the values its definition's default_pickers list offers (Error
// says why there are none).
type DefaultPicker struct {
	Param string
	Items []Item
	Error string
}

// DefaultPickers lists the default_pickers of integration slug, each with
// its values read from the integration (in the environment its sync
// configuration delivers to).
func (s *Service) DefaultPickers(ctx context.Context, org *models.Organization, slug string) ([]DefaultPicker, error) {
	entry, err := s.registry.Lookup(ctx, org.ID, slug)
	if err != nil {
		return nil, err
	}
	pickers := entry.Compiled.Doc.DefaultPickers
	if len(pickers) == 0 {
		return nil, nil
	}
	env, err := s.environment(ctx, entry)
	if err != nil {
		return nil, err
	}
	var out []DefaultPicker
	for _, param := range slices.Sorted(maps.Keys(pickers)) {
		ref := pickers[param]
		p := DefaultPicker{Param: param}
		res, err := s.exec.Execute(ctx, executor.Request{OrgID: org.ID, Provider: entry.Slug, Function: ref.Function,
			Params: map[string]any{}, Zone: org.Zone().Location(), Environment: env, Caller: "reference lists"})
		if err == nil {
			p.Items, err = itemsOf(res.Data, ref)
			res.Release()
		}
		if err != nil {
			p.Error = "the list could not be read"
			if ae, ok := apperr.As(err); ok {
				p.Error = ae.Message
			}
		}
		out = append(out, p)
	}
	return out, nil
}
