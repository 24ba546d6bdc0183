package executor

import (
	"errors"

	"switchboard/integrations/transform"
)

// mapResponse renames the answer's external names to internal ones through
// the response maps, each value through its transform chain; it applies to
// an object or to each object of a list. Names without a map are kept. A
// value a transform cannot handle is kept as the upstream gave it: the call
// has happened, and failing it now would hide a done write.
func (c *call) mapResponse(data any) any {
	if len(c.ep.Response) == 0 {
		return data
	}
	switch d := data.(type) {
	case map[string]any:
		return c.mapObject(d)
	case []any:
		out := make([]any, len(d))
		for i, item := range d {
			if obj, ok := item.(map[string]any); ok {
				out[i] = c.mapObject(obj)
			} else {
				out[i] = item
			}
		}
		return out
	}
	return data
}

// mapObject maps one object.
func (c *call) mapObject(obj map[string]any) map[string]any {
	outEnv := c.tenv
	outEnv.Out = true
	out := make(map[string]any, len(obj))
	mapped := map[string]bool{}
	for _, m := range c.ep.Response {
		if _, ok := obj[m.External]; ok {
			mapped[m.External] = true
		}
	}
	for k, v := range obj {
		if !mapped[k] {
			out[k] = v
		}
	}
	for _, m := range c.ep.Response {
		v, ok := obj[m.External]
		if !ok {
			continue
		}
		tv, err := m.Transform.ApplyIn(outEnv, v)
		if errors.Is(err, transform.ErrNotLinked) {
			out[m.External] = v // no local record: the upstream's id keeps its own name
			continue
		}
		if err != nil {
			c.mapWarnings++
			tv = v
		}
		out[m.Internal] = tv
	}
	return out
}
