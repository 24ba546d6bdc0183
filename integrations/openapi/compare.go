package openapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"

	"switchboard/integrations/definition"
)

// comparer compares existing and imported endpoints in normalized form,
// so that a default left out on one side and written on the other is no
// difference.
type comparer struct {
	current  map[string]int // function → index in the existing endpoints
	existing []definition.Endpoint
	imported []definition.Endpoint
}

// newComparer indexes and normalizes both sides.
func newComparer(existing, imported []definition.Endpoint) *comparer {
	c := &comparer{current: map[string]int{}, existing: normalized(existing), imported: normalized(imported)}
	for i, e := range existing {
		if _, dup := c.current[e.Function]; !dup {
			c.current[e.Function] = i
		}
	}
	return c
}

// normalized returns normalized copies of endpoints.
func normalized(endpoints []definition.Endpoint) []definition.Endpoint {
	c, err := cloneEndpoints(endpoints)
	if err != nil {
		return endpoints
	}
	d := &definition.Document{Endpoints: c}
	d.Normalize()
	return d.Endpoints
}

// endpointField is one field of Endpoint: its json name and index.
type endpointField struct {
	name  string
	index int
}

// endpointFields lists Endpoint's fields in declared order.
var endpointFields = func() []endpointField {
	var out []endpointField
	t := reflect.TypeFor[definition.Endpoint]()
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			out = append(out, endpointField{name, i})
		}
	}
	return out
}()

// diff lists the fields in which existing endpoint i and imported
// endpoint j differ. With only set, fields that only leaves at their
// zero value are not compared (merge mode: the import says nothing
// about them).
func (c *comparer) diff(i, j int, only *definition.Endpoint) []string {
	a, b := reflect.ValueOf(c.existing[i]), reflect.ValueOf(c.imported[j])
	var raw reflect.Value
	if only != nil {
		raw = reflect.ValueOf(*only)
	}
	var fields []string
	for _, f := range endpointFields {
		if only != nil && raw.Field(f.index).IsZero() {
			continue
		}
		if !sameValue(a.Field(f.index).Interface(), b.Field(f.index).Interface()) {
			fields = append(fields, f.name)
		}
	}
	return fields
}

// sameValue compares two values by their JSON form.
func sameValue(a, b any) bool {
	ja, errA := json.Marshal(a)
	jb, errB := json.Marshal(b)
	return errA == nil && errB == nil && bytes.Equal(ja, jb)
}

// prune takes references to removed functions out of the result:
// endpoint parameter maps, sync functions (and a bookmark parameter that
// no longer belongs to list_changed), the test function.
func (p *Plan) prune(removed map[string]bool) {
	d := p.Result
	if len(removed) > 0 {
		d.ParameterMaps = slices.DeleteFunc(d.ParameterMaps, func(m definition.ParameterMap) bool {
			if !removed[m.Endpoint] {
				return false
			}
			p.Dropped = append(p.Dropped, fmt.Sprintf("parameter map %s → %s of the removed function %s", m.Internal, m.External, m.Endpoint))
			return true
		})
		if removed[d.TestFunction] {
			p.Dropped = append(p.Dropped, fmt.Sprintf("test_function %s (removed)", d.TestFunction))
			d.TestFunction = ""
		}
	}
	entities := make([]string, 0, len(d.Sync))
	for e := range d.Sync {
		entities = append(entities, e)
	}
	sort.Strings(entities)
	for _, entity := range entities {
		p.pruneSync(entity, removed)
	}
}

// pruneSync prunes the sync functions of one entity.
func (p *Plan) pruneSync(entity string, removed map[string]bool) {
	s := p.Result.Sync[entity]
	if s == nil {
		return
	}
	for _, f := range []struct {
		name string
		fn   *string
	}{{"create", &s.Create}, {"update", &s.Update}, {"delete", &s.Delete}, {"get", &s.Get}, {"list_changed", &s.ListChanged}} {
		if *f.fn != "" && removed[*f.fn] {
			p.Dropped = append(p.Dropped, fmt.Sprintf("sync.%s.%s %s (removed)", entity, f.name, *f.fn))
			*f.fn = ""
		}
	}
	if s.BookmarkParam != "" && !p.hasParam(s.ListChanged, s.BookmarkParam) {
		p.Dropped = append(p.Dropped, fmt.Sprintf("sync.%s.bookmark_param %s (no longer a parameter of list_changed)", entity, s.BookmarkParam))
		s.BookmarkParam = ""
	}
	if s.Create == "" && s.Update == "" && s.Delete == "" && s.Get == "" && s.ListChanged == "" {
		p.Dropped = append(p.Dropped, fmt.Sprintf("sync.%s (no functions left)", entity))
		delete(p.Result.Sync, entity)
	}
}

// hasParam reports whether the result's function fn has parameter name.
func (p *Plan) hasParam(fn, name string) bool {
	e, ok := p.Result.Endpoint(fn)
	return ok && slices.ContainsFunc(e.Params, func(q definition.Param) bool { return q.Name == name })
}
