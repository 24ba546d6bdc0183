package definition

import (
	"encoding/xml"
	"fmt"
	"net/textproto"
	"strings"
	"time"

	"switchboard/clock"
	"switchboard/integrations/transform"
)

// Compiled is a valid document in the form an executor runs. It is
// read-only once built and safe for concurrent use.
type Compiled struct {
	// Doc is the normalized copy of the document that was compiled.
	Doc *Document
	// Auth holds the auth templates, bare names resolved.
	Auth CompiledAuth
	// Endpoints holds the endpoints by function name.
	Endpoints map[string]*CompiledEndpoint
	// Order holds the endpoints in declared order.
	Order []*CompiledEndpoint
	// Zone is the zone of the document's time_zone; nil when it is the
	// practice's (see ZoneFor).
	Zone *time.Location

	windows map[string][]clockWindow
	// tools names each function for LLM tool lists (ToolName), and
	// functions finds a function by that name (Endpoint).
	tools     map[string]string
	functions map[string]string
}

// CompiledAuth holds the parsed auth templates of a document.
type CompiledAuth struct {
	Type     string
	Template Template
	Username Template
	Password Template
}

// CompiledEndpoint is one endpoint ready to run.
type CompiledEndpoint struct {
	// Endpoint is the normalized endpoint of Compiled.Doc.
	Endpoint *Endpoint
	// Path is the parsed path template.
	Path PathTemplate
	// Params holds the endpoint's parameters by name.
	Params map[string]*Param
	// Body is the endpoint's body template, else the document's (with
	// xml_body auth and neither, the auth template), else zero.
	Body Template
	// Headers holds the document's headers overlaid by the endpoint's,
	// keyed by canonical header name.
	Headers map[string]Template
	// Request maps internal names to external ones on the way out:
	// the endpoint's own maps, then the integration-wide maps for
	// internal names the endpoint does not map itself.
	Request []FieldMap
	// Response maps external names back to internal ones, with the same
	// precedence keyed by external name.
	Response []FieldMap
	// ErrorRules holds the endpoint's error rules, then the document's.
	ErrorRules []ErrorRule
}

// FieldMap is a compiled parameter map.
type FieldMap struct {
	Internal  string
	External  string
	Transform transform.Chain
	// Endpoint is the function the map was declared for, "" when it
	// applies to the whole integration.
	Endpoint string
}

// Compile validates a document and compiles it: templates parsed with bare
// names resolved (a credential field when one has the name, else a
// parameter), transform chains compiled and parameter maps resolved per
// endpoint. An invalid document gives a *ValidationError; d is not
// changed.
func Compile(d *Document) (*Compiled, error) {
	n, err := d.Clone()
	if err != nil {
		return nil, err
	}
	n.Normalize()
	if problems := check(n); len(problems) > 0 {
		return nil, &ValidationError{Problems: problems}
	}
	b := builder{creds: map[string]bool{}}
	for _, f := range n.CredentialNames() {
		b.creds[f] = true
	}
	c := &Compiled{Doc: n, Endpoints: map[string]*CompiledEndpoint{}, windows: map[string][]clockWindow{}}
	c.Auth = CompiledAuth{
		Type:     n.Auth.Type,
		Template: b.template(n.Auth.Template),
		Username: b.template(n.Auth.Username),
		Password: b.template(n.Auth.Password),
	}
	body := b.template(n.BodyTemplate)
	if body.IsZero() && n.Auth.Type == AuthXMLBody {
		body = c.Auth.Template
	}
	headers := b.headers(nil, n.Headers)
	maps := b.fieldMaps(n.ParameterMaps)
	for i := range n.Endpoints {
		e := b.endpoint(&n.Endpoints[i], body, headers, maps, n.ErrorRules)
		c.Endpoints[e.Endpoint.Function] = e
		c.Order = append(c.Order, e)
	}
	c.tools, c.functions = toolNames(c.Order)
	for env, windows := range n.AccessWindows {
		c.windows[env] = compileWindows(windows)
	}
	if n.TimeZone != "" && n.TimeZone != ZonePractice {
		c.Zone = clock.MustZone(n.TimeZone).Location() // validated by check
	}
	if b.err != nil {
		return nil, b.err
	}
	return c, nil
}

// ZoneFor returns the zone the upstream speaks for a practice in practice
// (nil meaning UTC): the document's own zone, else practice.
func (c *Compiled) ZoneFor(practice *time.Location) *time.Location {
	if c.Zone != nil {
		return c.Zone
	}
	if practice == nil {
		return time.UTC
	}
	return practice
}

// Endpoint returns the compiled endpoint of a function.
// A function's tool name (ToolName) is accepted too.
func (c *Compiled) Endpoint(function string) (*CompiledEndpoint, bool) {
	if e, ok := c.Endpoints[function]; ok {
		return e, true
	}
	e, ok := c.Endpoints[c.functions[function]]
	return e, ok
}

// ToolName is the function's name as LLM tool lists give it (see
// ToolNameOf); "" for a function the document does not have.
func (c *Compiled) ToolName(function string) string {
	return c.tools[function]
}

// ParamsXML writes the endpoint's body parameters that have a value as
// <Name>value</Name>, in declared order, each value XML-escaped: the value
// of {{params_xml}}.
func (e *CompiledEndpoint) ParamsXML(values map[string]string) string {
	var b strings.Builder
	for _, p := range e.Endpoint.Params {
		v, ok := values[p.Name]
		if !ok || p.In != InBody {
			continue
		}
		b.WriteString("<" + p.Name + ">")
		_ = xml.EscapeText(&b, []byte(v)) // a strings.Builder never fails
		b.WriteString("</" + p.Name + ">")
	}
	return b.String()
}

// builder carries what compiling needs and the first unexpected error
// (Validate has already passed, so there should be none).
type builder struct {
	creds map[string]bool
	err   error
}

// template parses and resolves a template.
func (b *builder) template(src string) Template {
	t, err := ParseTemplate(src)
	if err != nil && b.err == nil {
		b.err = fmt.Errorf("definition: template %q: %w", src, err)
	}
	return t.resolve(b.creds)
}

// headers parses header templates over base, keyed by canonical name.
func (b *builder) headers(base map[string]Template, headers map[string]string) map[string]Template {
	out := make(map[string]Template, len(base)+len(headers))
	for k, v := range base {
		out[k] = v
	}
	for k, v := range headers {
		out[textproto.CanonicalMIMEHeaderKey(k)] = b.template(v)
	}
	return out
}

// fieldMaps compiles the transform chains of all parameter maps, keeping
// the declared direction alongside.
func (b *builder) fieldMaps(maps []ParameterMap) []directedMap {
	out := make([]directedMap, 0, len(maps))
	for _, m := range maps {
		chain, err := transform.Compile(m.Transform)
		if err != nil && b.err == nil {
			b.err = fmt.Errorf("definition: %w", err)
		}
		out = append(out, directedMap{
			FieldMap:  FieldMap{Internal: m.Internal, External: m.External, Transform: chain, Endpoint: m.Endpoint},
			direction: m.Direction,
		})
	}
	return out
}

// directedMap is a FieldMap with its direction.
type directedMap struct {
	FieldMap
	direction string
}

// endpoint compiles one endpoint.
func (b *builder) endpoint(e *Endpoint, body Template, headers map[string]Template, maps []directedMap, rules []ErrorRule) *CompiledEndpoint {
	path, err := ParsePathTemplate(e.Path)
	if err != nil && b.err == nil {
		b.err = fmt.Errorf("definition: %s: path: %w", e.Function, err)
	}
	ce := &CompiledEndpoint{
		Endpoint: e,
		Path:     path,
		Params:   make(map[string]*Param, len(e.Params)),
		Body:     body,
		Headers:  b.headers(headers, e.Headers),
		Request:  resolveMaps(maps, e.Function, DirectionRequest, func(m FieldMap) string { return m.Internal }),
		Response: resolveMaps(maps, e.Function, DirectionResponse, func(m FieldMap) string { return m.External }),
	}
	for i := range e.Params {
		ce.Params[e.Params[i].Name] = &e.Params[i]
	}
	if e.BodyTemplate != "" {
		ce.Body = b.template(e.BodyTemplate)
	}
	ce.ErrorRules = append(append([]ErrorRule{}, e.ErrorRules...), rules...)
	return ce
}

// resolveMaps selects the maps of one direction for one endpoint: its own
// maps first, then integration-wide maps whose key (the internal name for
// requests, the external one for responses) it does not map itself.
func resolveMaps(maps []directedMap, function, direction string, key func(FieldMap) string) []FieldMap {
	var out []FieldMap
	own := map[string]bool{}
	for _, m := range maps {
		if m.Endpoint == function && overlaps(m.direction, direction) {
			out = append(out, m.FieldMap)
			own[key(m.FieldMap)] = true
		}
	}
	for _, m := range maps {
		if m.Endpoint == "" && overlaps(m.direction, direction) && !own[key(m.FieldMap)] {
			out = append(out, m.FieldMap)
		}
	}
	return out
}
