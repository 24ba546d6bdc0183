package definition

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode"
)

var (
	methods    = []string{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}
	locations  = []string{InPath, InQuery, InBody, InHeader}
	paramTypes = []string{TypeString, TypeInteger, TypeNumber, TypeBoolean, TypeArray, TypeObject}
)

// endpoints checks every endpoint.
func (c *checker) endpoints() {
	seen := map[string]bool{}
	for i := range c.d.Endpoints {
		e := &c.d.Endpoints[i]
		prefix := fmt.Sprintf("endpoints[%d]", i)
		c.functionName(prefix+".function", e.Function, seen)
		if !slices.Contains(methods, e.Method) {
			c.add(prefix+".method", "must be one of %s", strings.Join(methods, ", "))
		}
		params := c.params(prefix, e)
		c.path(prefix, e)
		s := scope{creds: c.creds, params: params, function: true, paramsXML: true}
		c.template(prefix+".body_template", e.BodyTemplate, s)
		c.headers(prefix+".headers", e.Headers, scope{creds: c.creds, params: params, function: true})
		c.dotPath(prefix+".extract", e.Extract)
		c.dotPath(prefix+".id_path", e.IDPath)
		c.pagination(prefix+".pagination", e.Pagination)
		c.errorRules(prefix+".error_rules", e.ErrorRules)
		c.maxResponseBytes(prefix+".max_response_bytes", e.MaxResponseBytes)
		c.cacheTTL(prefix+".cache_ttl", e)
	}
}

// cacheTTL checks that a cache_ttl is positive and only on a function
// that does not write.
func (c *checker) cacheTTL(field string, e *Endpoint) {
	switch {
	case e.CacheTTL == nil:
	case e.CacheTTL.Std() <= 0:
		c.add(field, "must be a positive duration such as 30s or 5m")
	case e.Writes:
		c.add(field, "is only allowed on functions that do not write")
	}
}

// functionName checks that a function name is present, well formed and
// unique.
func (c *checker) functionName(field, name string, seen map[string]bool) {
	switch {
	case name == "":
		c.add(field, "is required")
	case len(name) > maxFunctionLen || strings.IndexFunc(name, badNameRune) >= 0:
		c.add(field, "must be 1-%d characters without spaces or braces", maxFunctionLen)
	case seen[name]:
		c.add(field, "duplicate function %q", name)
	}
	seen[name] = true
}

// badNameRune reports runes not allowed in function and parameter names.
func badNameRune(r rune) bool {
	return unicode.IsSpace(r) || unicode.IsControl(r) || r == '{' || r == '}'
}

// params checks an endpoint's parameters and returns their names.
func (c *checker) params(prefix string, e *Endpoint) map[string]bool {
	names := map[string]bool{}
	for j, p := range e.Params {
		field := fmt.Sprintf("%s.params[%d]", prefix, j)
		switch {
		case p.Name == "":
			c.add(field+".name", "is required")
		case strings.IndexFunc(p.Name, badNameRune) >= 0:
			c.add(field+".name", "must not hold spaces or braces")
		case names[p.Name]:
			c.add(field+".name", "duplicate parameter %q", p.Name)
		case p.In == InHeader && !validHeaderName(p.Name):
			c.add(field+".name", "is not a valid header name")
		}
		names[p.Name] = true
		if !slices.Contains(locations, p.In) {
			c.add(field+".in", "must be one of %s", strings.Join(locations, ", "))
		}
		if !slices.Contains(paramTypes, p.Type) {
			c.add(field+".type", "must be one of %s", strings.Join(paramTypes, ", "))
			continue
		}
		if p.Default != nil && !valueHasType(p.Default, p.Type) {
			c.add(field+".default", "must be %s", typeNoun(p.Type))
		}
		for k, v := range p.Enum {
			if !valueHasType(v, p.Type) {
				c.add(fmt.Sprintf("%s.enum[%d]", field, k), "must be %s", typeNoun(p.Type))
			}
		}
	}
	return names
}

// path checks an endpoint's path template against its path parameters.
func (c *checker) path(prefix string, e *Endpoint) {
	p, err := ParsePathTemplate(e.Path)
	if err != nil {
		c.add(prefix+".path", "%s", err)
		return
	}
	inPath := p.Params()
	for _, name := range inPath {
		if !slices.ContainsFunc(e.Params, func(q Param) bool { return q.Name == name && q.In == InPath }) {
			c.add(prefix+".path", "{%s} is not a declared path parameter", name)
		}
	}
	for j, q := range e.Params {
		if q.In == InPath && q.Name != "" && !slices.Contains(inPath, q.Name) {
			c.add(fmt.Sprintf("%s.params[%d].name", prefix, j), "path parameter %q does not appear in the path %q", q.Name, e.Path)
		}
	}
}

// pagination checks an endpoint's pagination for its type.
func (c *checker) pagination(prefix string, p *Pagination) {
	if p == nil {
		return
	}
	switch p.Type {
	case PageOffset:
		c.required(prefix+".limit_param", p.LimitParam, "offset pagination needs limit_param")
		c.required(prefix+".offset_param", p.OffsetParam, "offset pagination needs offset_param")
		if p.PageSize < 1 {
			c.add(prefix+".page_size", "offset pagination needs a page_size of at least 1")
		}
	case PageCursor:
		c.required(prefix+".cursor_param", p.CursorParam, "cursor pagination needs cursor_param")
		c.required(prefix+".cursor_path", p.CursorPath, "cursor pagination needs cursor_path")
	case PageLink:
	default:
		c.add(prefix+".type", "must be one of offset, cursor, link")
	}
	if p.PageSize < 0 {
		c.add(prefix+".page_size", "must not be negative")
	}
	if p.MaxPages < 1 || p.MaxPages > MaxPages {
		c.add(prefix+".max_pages", "must be between 1 and %d", MaxPages)
	}
	c.dotPath(prefix+".cursor_path", p.CursorPath)
	c.dotPath(prefix+".next_path", p.NextPath)
}

// required adds message when value is empty.
func (c *checker) required(field, value, message string) {
	if strings.TrimSpace(value) == "" {
		c.add(field, "%s", message)
	}
}

// valueHasType reports whether a JSON value (json.Number for numbers)
// fits a parameter type.
func valueHasType(v any, typ string) bool {
	switch typ {
	case TypeString:
		_, ok := v.(string)
		return ok
	case TypeInteger:
		n, ok := v.(json.Number)
		if !ok {
			return false
		}
		if _, err := n.Int64(); err == nil {
			return true
		}
		f, err := n.Float64()
		return err == nil && f == float64(int64(f))
	case TypeNumber:
		_, ok := v.(json.Number)
		return ok
	case TypeBoolean:
		_, ok := v.(bool)
		return ok
	case TypeArray:
		_, ok := v.([]any)
		return ok
	case TypeObject:
		_, ok := v.(map[string]any)
		return ok
	}
	return false
}

// typeNoun names a parameter type for messages.
func typeNoun(typ string) string {
	switch typ {
	case TypeInteger:
		return "an integer"
	case TypeArray:
		return "an array"
	case TypeObject:
		return "an object"
	case TypeBoolean:
		return "true or false"
	}
	return "a " + typ
}
