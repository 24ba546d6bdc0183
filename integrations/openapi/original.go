package openapi

import (
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"switchboard/integrations/definition"
)

// FormatOriginal is the Format of a registry in the original system's
// shape: {"metadata": {…}, "functions": [{"function_name", "endpoint",
// "method", "description", "parameters": {"Name": {"required", "type",
// "description"}}}]}.
const FormatOriginal = "registry (original)"

// isOriginalRegistry tells the original registry shape by its functions
// array.
func isOriginalRegistry(root *node) bool {
	f := root.get("functions")
	return root.kind == kindObject && f != nil && f.kind == kindArray && !root.has("endpoints")
}

var pathParam = regexp.MustCompile(`\{([^{}/]+)\}`)

// originalKnownKeys are the top-level keys of the original shape that an
// import reads or knowingly passes over without a word.
var originalKnownKeys = map[string]bool{"metadata": true, "functions": true}

// originalReader converts the original shape, counting what it adjusted.
type originalReader struct {
	file       string
	seen       map[string]int
	endpoints  []definition.Endpoint
	duplicates []string
	added      int // path parameters named only in the endpoint
	untyped    int // parameters whose type was missing or unknown
	methods    int // methods written in lower case
	slashes    int // endpoints without a leading slash
}

// parseOriginal imports a registry in the original system's shape.
func parseOriginal(root *node, file string) (*Source, error) {
	r := &originalReader{file: file, seen: map[string]int{}}
	fns := root.get("functions")
	for i, f := range fns.items {
		e, err := r.function(i, f)
		if err != nil {
			return nil, asError(file, err)
		}
		r.endpoints = append(r.endpoints, e)
	}
	src := &Source{Format: FormatOriginal, Endpoints: r.endpoints, Duplicates: r.duplicates, original: true}
	if m := root.get("metadata"); m != nil && m.kind == kindObject {
		src.Title, _ = m.str("name")
		src.Description, _ = m.str("description")
	}
	src.Normalized = r.notes()
	var ignored []string
	for _, k := range root.keys {
		if !originalKnownKeys[k] {
			ignored = append(ignored, k)
		}
	}
	if len(ignored) > 0 {
		src.Warnings = append(src.Warnings, "only the functions are imported; these parts of the registry are not: "+strings.Join(ignored, ", "))
	}
	if len(src.Endpoints) == 0 {
		src.Warnings = append(src.Warnings, "the registry has no functions: there is nothing to import")
	}
	if problems := endpointProblems(src.Endpoints, nil, nil); len(problems) > 0 {
		return nil, originalError(file, root, problems)
	}
	return src, nil
}

// function converts one entry of "functions".
func (r *originalReader) function(i int, f *node) (definition.Endpoint, error) {
	at := "/functions/" + strconv.Itoa(i)
	if f.kind != kindObject {
		return definition.Endpoint{}, failf(at, f, "a function is an object, not %s", f.kindName())
	}
	name, ok := f.str("function_name")
	if name = strings.TrimSpace(name); !ok || name == "" {
		return definition.Endpoint{}, failf(at+"/function_name", f, "function_name is required (a non-empty string)")
	}
	method, ok := f.str("method")
	upper := strings.ToUpper(strings.TrimSpace(method))
	switch upper {
	case "GET", "POST", "PUT", "PATCH", "DELETE":
	default:
		return definition.Endpoint{}, failf(at+"/method", orSelf(f.get("method"), f), "%s: method must be GET, POST, PUT, PATCH or DELETE (got %q)", name, method)
	}
	if !ok || upper != method {
		r.methods++
	}
	path, ok := f.str("endpoint")
	if path = strings.TrimSpace(path); !ok || path == "" {
		return definition.Endpoint{}, failf(at+"/endpoint", f, "%s: endpoint is required (a path such as /patients/{PatNum})", name)
	}
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
		r.slashes++
	}
	e := definition.Endpoint{Function: r.uniqueName(name), Method: upper, Path: path, Writes: upper != "GET"}
	e.Description, _ = f.str("description")
	e.Description = strings.TrimSpace(e.Description)
	params, err := r.params(at, f.get("parameters"), path, upper)
	if err != nil {
		return definition.Endpoint{}, err
	}
	e.Params = params
	return e, nil
}

func orSelf(n, self *node) *node {
	if n != nil {
		return n
	}
	return self
}

// uniqueName keeps a repeated function name apart (GetX, GetX_2, …) and
// notes it: duplicates are reported, never merged.
func (r *originalReader) uniqueName(name string) string {
	r.seen[name]++
	n := r.seen[name]
	if n == 1 {
		return name
	}
	renamed := fmt.Sprintf("%s_%d", name, n)
	for r.seen[renamed] > 0 {
		n++
		renamed = fmt.Sprintf("%s_%d", name, n)
	}
	r.seen[renamed] = 1
	r.duplicates = append(r.duplicates, fmt.Sprintf("%s appears more than once: this one is imported as %s", name, renamed))
	return renamed
}

// params converts a "parameters" object: a {name} of the path is a path
// parameter, the others are query parameters for GET and DELETE and body
// fields otherwise.
func (r *originalReader) params(at string, ps *node, path, method string) ([]definition.Param, error) {
	inPath := map[string]bool{}
	var pathNames []string
	for _, m := range pathParam.FindAllStringSubmatch(path, -1) {
		if !inPath[m[1]] {
			inPath[m[1]] = true
			pathNames = append(pathNames, m[1])
		}
	}
	other := definition.InBody
	if method == "GET" || method == "DELETE" {
		other = definition.InQuery
	}
	var out []definition.Param
	if ps != nil && ps.kind != kindObject && ps.kind != kindNull {
		return nil, failf(at+"/parameters", ps, "parameters is an object keyed by parameter name, not %s", ps.kindName())
	}
	declared := map[string]bool{}
	for j, name := range ps.keysOrNone() {
		p, err := r.param(pointerJoin(at+"/parameters", name), name, ps.items[j])
		if err != nil {
			return nil, err
		}
		declared[name] = true
		p.In = other
		if inPath[name] {
			p.In, p.Required = definition.InPath, true
		}
		out = append(out, p)
	}
	for _, name := range pathNames {
		if !declared[name] {
			r.added++
			out = append(out, definition.Param{Name: name, In: definition.InPath, Type: definition.TypeString, Required: true})
		}
	}
	return out, nil
}

// keysOrNone is an object's keys, or none for a missing value.
func (n *node) keysOrNone() []string {
	if n == nil || n.kind != kindObject {
		return nil
	}
	return n.keys
}

var originalTypes = map[string]bool{definition.TypeString: true, definition.TypeInteger: true, definition.TypeNumber: true,
	definition.TypeBoolean: true, definition.TypeArray: true, definition.TypeObject: true}

// param converts one parameter entry.
func (r *originalReader) param(at, name string, v *node) (definition.Param, error) {
	p := definition.Param{Name: name, Type: definition.TypeString}
	if v.kind != kindObject {
		return p, failf(at, v, "a parameter is an object with required, type and description, not %s", v.kindName())
	}
	if req := v.get("required"); req != nil {
		if req.kind != kindBool {
			return p, failf(at+"/required", req, "required is true or false, not %s", req.kindName())
		}
		p.Required = req.bool
	}
	t, _ := v.str("type")
	if t = strings.ToLower(strings.TrimSpace(t)); originalTypes[t] {
		p.Type = t
	} else {
		r.untyped++
	}
	p.Description, _ = v.str("description")
	p.Description = strings.TrimSpace(p.Description)
	return p, nil
}

// notes says what the conversion adjusted, one line per kind.
func (r *originalReader) notes() []string {
	var out []string
	add := func(n int, format string) {
		if n > 0 {
			out = append(out, fmt.Sprintf(format, n))
		}
	}
	add(r.methods, "%d methods were upper-cased")
	add(r.slashes, "%d endpoints were given a leading /")
	add(r.added, "%d path parameters named only in the endpoint were added (required strings)")
	add(r.untyped, "%d parameters without a known type became strings")
	return out
}

// originalError words definition problems in the original file's terms
// ("functions[3]" for "endpoints[3]").
func originalError(file string, root *node, problems []definition.Problem) *Error {
	e := &Error{File: file}
	msgs := make([]string, 0, len(problems))
	for i, p := range problems {
		place := strings.Replace(p.Field, "endpoints", "functions", 1)
		if i == 0 {
			e.Pointer = fieldPointer(strings.SplitN(place, ".", 2)[0])
			if n := lookup(root, e.Pointer); n != nil {
				e.Line = int(n.line)
			}
		}
		msgs = append(msgs, place+": "+p.Message)
	}
	e.Reason = strings.Join(msgs, "; ")
	return e
}

// TrimBasePath drops, from the endpoints of a registry in the original
// shape, a leading path that repeats the base URL's path: with the base
// URL https://api.example.com/api/v1, /api/v1/appointments and
// /api/patients become /appointments and /patients. The preview says how
// many were changed. Other sources are left alone.
func (s *Source) TrimBasePath(baseURL string) {
	if !s.original || baseURL == "" {
		return
	}
	u, err := url.Parse(baseURL)
	if err != nil {
		return
	}
	base := splitPath(u.Path)
	if len(base) == 0 {
		return
	}
	trimmed := map[string]int{}
	for i := range s.Endpoints {
		segs := splitPath(s.Endpoints[i].Path)
		n := 0
		for n < len(base) && n < len(segs) && segs[n] == base[n] {
			n++
		}
		if n == 0 {
			continue
		}
		trimmed["/"+strings.Join(segs[:n], "/")]++
		s.Endpoints[i].Path = "/" + strings.Join(segs[n:], "/")
	}
	s.original = false // once: a second call must not cut again
	prefixes := make([]string, 0, len(trimmed))
	for p := range trimmed {
		prefixes = append(prefixes, p)
	}
	sort.Strings(prefixes)
	for _, p := range prefixes {
		s.Normalized = append(s.Normalized, fmt.Sprintf("the leading %s of %d endpoints was dropped: the base URL's path %s already has it", p, trimmed[p], u.Path))
	}
}

// splitPath cuts a path into its non-empty segments.
func splitPath(p string) []string {
	var out []string
	for _, s := range strings.Split(p, "/") {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}
