package openapi

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"switchboard/integrations/definition"
)

// Mode says how imported endpoints meet the existing ones.
type Mode string

// Import modes.
const (
	// ModeMerge adds the endpoints whose function is new and keeps every
	// existing endpoint exactly as it is, hand edits included; nothing is
	// removed.
	ModeMerge Mode = "merge"
	// ModeReplace makes the endpoints exactly the imported ones.
	ModeReplace Mode = "replace"
)

// Change names one endpoint of a plan. Fields lists, for a changed
// endpoint, the document fields ("params", "description", ...) in which
// the imported endpoint differs from the existing one.
type Change struct {
	Function string   `json:"function" doc:"The function's name."`
	Method   string   `json:"method" doc:"The HTTP method."`
	Path     string   `json:"path" doc:"The upstream path."`
	Fields   []string `json:"fields,omitempty" doc:"For a changed function, the document fields that differ (params, description...)."`
}

// Plan is what an import would do, worked out before anything is written.
// Endpoints are matched by function name.
//
// In merge mode Added are the new functions (appended after the existing
// endpoints); Changed are existing functions whose imported form differs
// in a field the import sets (Fields), which are nevertheless kept as they
// are; Unchanged are existing functions the import matches; nothing is
// Removed.
//
// In replace mode the result's endpoints are the imported ones in their
// order: Added are new functions, Changed existing ones replaced by a
// different form (Fields lists every differing field, including settings
// such as extract or pagination that the import does not carry), Unchanged
// existing ones replaced by an equal form, and Removed the existing
// functions the import lacks. Parameter maps, sync functions and the test
// function that name a removed function are taken out so the result stays
// valid; Dropped lists each.
//
// For a new integration every endpoint is Added.
type Plan struct {
	Mode      Mode     `json:"mode"`
	New       bool     `json:"new"`
	Added     []Change `json:"added"`
	Changed   []Change `json:"changed"`
	Removed   []Change `json:"removed"`
	Unchanged []Change `json:"unchanged"`
	Dropped   []string `json:"dropped,omitempty"`
	// Normalized and Duplicates are the source's (see Source).
	Normalized []string `json:"normalized,omitempty"`
	Duplicates []string `json:"duplicates,omitempty"`
	// Warnings holds the source's warnings, then the plan's own.
	Warnings []string `json:"warnings,omitempty"`
	// Result is the whole definition document after the import,
	// normalized.
	Result *definition.Document `json:"result"`
}

// NewPlan works out importing src into current (nil for a new
// integration) in mode ("" means merge). A new integration takes its slug
// and name from newSlug and newName, else from the source's title, and
// its production base URL, suggested auth and credential fields from the
// source. An existing integration keeps its settings; only its endpoints
// (and, in replace mode, the references to removed ones) change.
//
// The result must compile (definition.Compile); when it does not, the
// error wraps the *definition.ValidationError and the plan is returned
// as well, so a preview can show what was attempted. Neither current nor
// src is changed.
func NewPlan(current *definition.Document, src *Source, mode Mode, newSlug, newName string) (*Plan, error) {
	if mode == "" {
		mode = ModeMerge
	}
	if mode != ModeMerge && mode != ModeReplace {
		return nil, fmt.Errorf("openapi: unknown import mode %q (want merge or replace)", mode)
	}
	if src == nil {
		return nil, errors.New("openapi: nothing to import")
	}
	imported, err := cloneEndpoints(src.Endpoints)
	if err != nil {
		return nil, err
	}
	p := &Plan{Mode: mode, Warnings: append([]string(nil), src.Warnings...),
		Normalized: append([]string(nil), src.Normalized...), Duplicates: append([]string(nil), src.Duplicates...)}
	if current == nil {
		p.New = true
		p.Result = newDocument(src, imported, newSlug, newName)
		for _, e := range imported {
			p.Added = append(p.Added, change(e, nil))
		}
	} else if err := p.existing(current, src, imported); err != nil {
		return nil, err
	}
	p.Result.Normalize()
	if _, err := definition.Compile(p.Result); err != nil {
		return p, fmt.Errorf("openapi: the integration would not be valid after the import: %w", err)
	}
	return p, nil
}

// existing plans an import into an existing integration.
func (p *Plan) existing(current *definition.Document, src *Source, imported []definition.Endpoint) error {
	result, err := current.Clone()
	if err != nil {
		return err
	}
	p.Result = result
	cmp := newComparer(result.Endpoints, imported)
	p.noteSettings(result, src)
	if p.Mode == ModeMerge {
		p.merge(cmp, imported, src.Endpoints)
		return nil
	}
	p.replace(cmp, imported)
	return nil
}

// merge appends new functions and reports the others.
func (p *Plan) merge(cmp *comparer, imported, raw []definition.Endpoint) {
	existing := p.Result.Endpoints
	for i, e := range imported {
		j, ok := cmp.current[e.Function]
		if !ok {
			p.noteSameRoute(e, existing)
			p.Result.Endpoints = append(p.Result.Endpoints, e)
			p.Added = append(p.Added, change(e, nil))
			continue
		}
		fields := cmp.diff(j, i, &raw[i])
		c := change(existing[j], fields)
		if len(fields) == 0 {
			p.Unchanged = append(p.Unchanged, c)
		} else {
			p.Changed = append(p.Changed, c)
		}
	}
}

// replace makes the endpoints the imported ones and prunes references to
// removed functions.
func (p *Plan) replace(cmp *comparer, imported []definition.Endpoint) {
	existing := p.Result.Endpoints
	kept := map[string]bool{}
	for i, e := range imported {
		kept[e.Function] = true
		j, ok := cmp.current[e.Function]
		if !ok {
			p.Added = append(p.Added, change(e, nil))
			continue
		}
		fields := cmp.diff(j, i, nil)
		if len(fields) == 0 {
			p.Unchanged = append(p.Unchanged, change(e, nil))
		} else {
			p.Changed = append(p.Changed, change(e, fields))
		}
	}
	removed := map[string]bool{}
	for _, e := range existing {
		if !kept[e.Function] {
			removed[e.Function] = true
			p.Removed = append(p.Removed, change(e, nil))
		}
	}
	p.Result.Endpoints = imported
	p.prune(removed)
}

// noteSettings warns where the source suggests other settings than the
// integration has; an import into an existing integration never changes
// them.
func (p *Plan) noteSettings(d *definition.Document, src *Source) {
	if src.BaseURL != "" && d.BaseURL[definition.EnvProduction] != "" && strings.TrimRight(d.BaseURL[definition.EnvProduction], "/") != src.BaseURL {
		p.Warnings = append(p.Warnings, fmt.Sprintf("the document's base URL %s differs from the integration's %s, which is kept", src.BaseURL, d.BaseURL[definition.EnvProduction]))
	}
	if src.Auth != nil && src.Auth.Type != d.Auth.Type && !(d.Auth.Type == "" && src.Auth.Type == definition.AuthNone) {
		p.Warnings = append(p.Warnings, fmt.Sprintf("the document suggests %s auth; the integration keeps its %s auth", src.Auth.Type, orNone(d.Auth.Type)))
	}
}

// noteSameRoute warns when a new function has the method and path of an
// existing one (a function renamed by hand, likely).
func (p *Plan) noteSameRoute(e definition.Endpoint, existing []definition.Endpoint) {
	for _, c := range existing {
		if strings.EqualFold(c.Method, e.Method) && c.Path == e.Path {
			p.Warnings = append(p.Warnings, fmt.Sprintf("%s is added although %s already calls %s %s", e.Function, c.Function, e.Method, e.Path))
			return
		}
	}
}

// orNone names an empty auth type.
func orNone(t string) string {
	if t == "" {
		return definition.AuthNone
	}
	return t
}

// change describes an endpoint.
func change(e definition.Endpoint, fields []string) Change {
	return Change{Function: e.Function, Method: strings.ToUpper(e.Method), Path: e.Path, Fields: fields}
}

// newDocument builds the document of a new integration.
func newDocument(src *Source, endpoints []definition.Endpoint, slug, name string) *definition.Document {
	slug = strings.TrimSpace(slug)
	if slug == "" {
		slug = slugify(src.Title)
	}
	name = strings.TrimSpace(name)
	if name == "" {
		name = strings.TrimSpace(src.Title)
	}
	if name == "" {
		name = slug
	}
	d := &definition.Document{Slug: slug, Name: truncateRunes(name, 200), Description: src.Description, Endpoints: endpoints}
	if src.BaseURL != "" {
		d.BaseURL = map[string]string{definition.EnvProduction: src.BaseURL}
	}
	if src.Auth != nil {
		d.Auth = *src.Auth
		d.Auth.Scopes = append([]string(nil), src.Auth.Scopes...)
		d.CredentialFields = definition.Fields(src.CredentialFields...)
	}
	return d
}

var nonSlug = regexp.MustCompile(`[^a-z0-9]+`)

// slugify makes a slug from a title: "Swagger Petstore - OpenAPI 3.0" →
// "swagger-petstore-openapi-3-0"; "imported" when nothing is left.
func slugify(title string) string {
	s := strings.Trim(nonSlug.ReplaceAllString(strings.ToLower(title), "-"), "-")
	if len(s) > 64 {
		s = strings.TrimRight(s[:64], "-")
	}
	if s == "" {
		return "imported"
	}
	return s
}

// truncateRunes cuts s to at most n runes.
func truncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}

// cloneEndpoints deep-copies endpoints (numbers become json.Number, as
// the definition keeps them).
func cloneEndpoints(endpoints []definition.Endpoint) ([]definition.Endpoint, error) {
	d := &definition.Document{Endpoints: endpoints}
	c, err := d.Clone()
	if err != nil {
		return nil, err
	}
	return c.Endpoints, nil
}
