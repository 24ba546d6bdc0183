package definition

import (
	"math"
	"slices"
	"strings"
)

// DefaultMaxPages is the page cap of a pagination that gives none.
const DefaultMaxPages = 10

// Normalize fills the defaults a document may leave out, so that code
// reading it need not: enabled true (integration and endpoints),
// request_format json, auth type none, methods upper-case, enumerated
// values lower-case, a parameter's location (path when the path names it,
// query for GET, HEAD, DELETE and OPTIONS, body otherwise) and type
// (string), path parameters required, parameter map direction both, a
// rate-limit burst of at least one second's worth, the page cap, and for a
// bearer token without a template the only credential field. Normalize is
// idempotent and does not validate.
func (d *Document) Normalize() {
	if d.Enabled == nil {
		d.Enabled = ptr(true)
	}
	d.RequestFormat = lowerOr(d.RequestFormat, FormatJSON)
	d.Auth.Type = lowerOr(d.Auth.Type, AuthNone)
	if d.Auth.Type == AuthBearer && d.Auth.Template == "" && len(d.CredentialFields) == 1 {
		d.Auth.Template = "{{" + d.CredentialFields[0].Name + "}}"
	}
	if r := d.RateLimit; r != nil && r.Burst == 0 && r.PerSecond > 0 {
		r.Burst = max(1, int(math.Min(math.Ceil(r.PerSecond), math.MaxInt32)))
	}
	normalizeRules(d.ErrorRules)
	for env, windows := range d.AccessWindows {
		for i := range windows {
			for j, day := range windows[i].Days {
				windows[i].Days[j] = strings.ToLower(strings.TrimSpace(day))
			}
		}
		d.AccessWindows[env] = windows
	}
	for i := range d.Endpoints {
		normalizeEndpoint(&d.Endpoints[i])
	}
	for i := range d.ParameterMaps {
		m := &d.ParameterMaps[i]
		m.Direction = lowerOr(m.Direction, DirectionBoth)
	}
}

// normalizeEndpoint implements Normalize for one endpoint.
func normalizeEndpoint(e *Endpoint) {
	e.Method = strings.ToUpper(strings.TrimSpace(e.Method))
	if e.Enabled == nil {
		e.Enabled = ptr(true)
	}
	var inPath []string
	if p, err := ParsePathTemplate(e.Path); err == nil {
		inPath = p.Params()
	}
	for i := range e.Params {
		p := &e.Params[i]
		p.Type = lowerOr(p.Type, TypeString)
		p.In = lowerOr(p.In, defaultIn(e.Method, p.Name, inPath))
		if p.In == InPath {
			p.Required = true
		}
	}
	if pg := e.Pagination; pg != nil {
		pg.Type = strings.ToLower(strings.TrimSpace(pg.Type))
		if pg.MaxPages == 0 {
			pg.MaxPages = DefaultMaxPages
		}
	}
	normalizeRules(e.ErrorRules)
}

// normalizeRules lower-cases error rule actions.
func normalizeRules(rules []ErrorRule) {
	for i := range rules {
		rules[i].Action = strings.ToLower(strings.TrimSpace(rules[i].Action))
	}
}

// defaultIn is the location of a parameter that gives none.
func defaultIn(method, name string, inPath []string) string {
	switch {
	case slices.Contains(inPath, name):
		return InPath
	case method == "GET" || method == "HEAD" || method == "DELETE" || method == "OPTIONS":
		return InQuery
	}
	return InBody
}

// lowerOr lower-cases and trims s, or returns def when s is blank.
func lowerOr(s, def string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return def
	}
	return s
}

// ptr returns a pointer to v.
func ptr[T any](v T) *T { return &v }
