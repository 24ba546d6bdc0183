package executor

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"switchboard/apperr"
	"switchboard/integrations/definition"
	"switchboard/integrations/transform"
)

// mapRequest turns the caller's parameters into the endpoint's names: a
// name with a request map (whose external name is a parameter of this
// endpoint) goes through its transform chain to the external name; any
// other name is taken as the endpoint's own. A nil value, or one a
// transform turns into nil, is absent. origin remembers the caller's name
// of each parameter, so that errors name what the caller sent.
func (c *call) mapRequest(in map[string]any) (map[string]any, map[string]string, []apperr.FieldError) {
	byInternal := map[string][]definition.FieldMap{}
	for _, m := range c.ep.Request {
		if _, ok := c.ep.Params[m.External]; ok {
			byInternal[m.Internal] = append(byInternal[m.Internal], m)
		}
	}
	out := make(map[string]any, len(in))
	origin := make(map[string]string, len(in))
	var problems []apperr.FieldError
	put := func(name string, v any, from string) {
		if prev, taken := origin[name]; taken && prev != from {
			problems = append(problems, apperr.FieldError{Field: from,
				Message: fmt.Sprintf("gives %s a second time (already given as %s)", name, prev)})
			return
		}
		out[name], origin[name] = v, from
	}
	for _, key := range slices.Sorted(maps.Keys(in)) {
		v := in[key]
		if v == nil {
			continue
		}
		maps := byInternal[key]
		if len(maps) == 0 {
			put(key, v, key)
			continue
		}
		for _, m := range maps {
			tv, err := m.Transform.ApplyIn(c.tenv, v)
			if errors.Is(err, transform.ErrNotLinked) {
				_, why, _ := strings.Cut(err.Error(), transform.ErrNotLinked.Error()+": ")
				problems = append(problems, apperr.FieldError{Field: key, Message: why})
				continue
			}
			if err != nil {
				problems = append(problems, apperr.FieldError{Field: key,
					Message: "cannot be converted for " + m.External + ": " + strings.TrimPrefix(err.Error(), "transform: ")})
				continue
			}
			if in := m.Transform.Input(); len(in.Enum) > 0 && !slices.Contains(in.Enum, fmt.Sprint(v)) {
				problems = append(problems, apperr.FieldError{Field: key, Message: "must be one of " + strings.Join(in.Enum, ", ")})
				continue
			}
			if tv != nil {
				put(m.External, tv, key)
			}
		}
	}
	return out, origin, problems
}

// applyDefaults fills absent parameters that declare a default, and
// remembers which they are (a defaulted page size is not the caller's
// choice of page).
func (c *call) applyDefaults(params map[string]any, origin map[string]string) {
	c.defaulted = map[string]bool{}
	for _, p := range c.ep.Endpoint.Params {
		if _, ok := params[p.Name]; ok || p.Default == nil {
			continue
		}
		params[p.Name] = p.Default
		origin[p.Name] = c.displayName(p.Name)
		c.defaulted[p.Name] = true
	}
}

// displayName is how errors name an endpoint parameter the caller did not
// send: by its internal name when a request map gives one (agents see the
// internal names in tool schemas), else by its own.
func (c *call) displayName(external string) string {
	for _, m := range c.ep.Request {
		if m.External == external {
			return m.Internal
		}
	}
	return external
}
