package executor

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"

	"switchboard/apperr"
	"switchboard/integrations/definition"
)

// outgoing is a built request, before authentication; it is sent once per
// attempt.
type outgoing struct {
	method string
	url    *url.URL
	header http.Header
	body   []byte
}

// request returns a fresh *http.Request for one attempt.
func (o *outgoing) request(ctx context.Context) (*http.Request, error) {
	var body io.Reader
	if o.body != nil {
		body = bytes.NewReader(o.body)
	}
	u := *o.url
	r, err := http.NewRequestWithContext(ctx, o.method, u.String(), body)
	if err != nil {
		return nil, err
	}
	r.URL = &u
	r.Header = o.header.Clone()
	return r, nil
}

// Content types of request bodies.
const (
	contentJSON = "application/json"
	contentForm = "application/x-www-form-urlencoded"
	contentXML  = "application/xml; charset=utf-8"
)

// build turns validated parameters into a request: path values escaped
// into the path, query and header parameters, the body in the request
// format, and the definition's headers. extra adds query parameters the
// endpoint does not declare (pagination).
func (c *call) build(params map[string]any, extra url.Values) (*outgoing, error) {
	saved := c.params
	c.params = params
	defer func() { c.params = saved }()

	path, err := c.ep.Path.Render(func(name string) (string, bool) {
		v, ok := params[name]
		return valueText(v), ok
	})
	if err != nil {
		return nil, apperr.Wrap(err, apperr.CodeValidationFailed, "a path parameter of %s has no value", c.ep.Endpoint.Function)
	}
	u, err := joinURL(c.baseURL, path)
	if err != nil {
		return nil, apperr.Wrap(err, apperr.CodeInvalidRequest, "the %s base URL of %s is not valid", c.env, c.entry.Slug)
	}
	o := &outgoing{method: c.ep.Endpoint.Method, url: u, header: http.Header{}}
	o.header.Set("User-Agent", "Switchboard/1")
	o.header.Set("Accept", "application/json, application/xml;q=0.9, */*;q=0.5")
	c.placeQuery(o, extra)
	problems := c.placeHeaders(o)
	if len(problems) == 0 {
		problems = c.placeBody(o)
	}
	if len(problems) > 0 {
		e := apperr.Validation(problems...)
		e.Message = "some parameters of " + c.ep.Endpoint.Function + " cannot be sent"
		return nil, e
	}
	if err := c.placeDefinitionHeaders(o); err != nil {
		return nil, err
	}
	return o, nil
}

// joinURL appends an escaped path to a base URL that may hold a path and
// a query of its own.
func joinURL(base, path string) (*url.URL, error) {
	head, query, _ := strings.Cut(base, "?")
	u, err := url.Parse(strings.TrimRight(head, "/") + path)
	if err != nil {
		return nil, err
	}
	if u.Path == "" && path == "" && strings.HasSuffix(head, "/") {
		u.Path = "/"
	}
	u.RawQuery = query
	return u, nil
}

// placeQuery adds the query parameters (arrays as repeated keys, objects as
// JSON) and extra.
func (c *call) placeQuery(o *outgoing, extra url.Values) {
	q := o.url.Query()
	for _, p := range c.ep.Endpoint.Params {
		v, ok := c.params[p.Name]
		if !ok || p.In != definition.InQuery {
			continue
		}
		if items, isList := v.([]any); isList {
			for _, item := range items {
				q.Add(p.Name, valueText(item))
			}
			continue
		}
		q.Set(p.Name, valueText(v))
	}
	for k, vs := range extra {
		q[k] = vs
	}
	o.url.RawQuery = q.Encode()
}

// placeHeaders sets the header parameters.
func (c *call) placeHeaders(o *outgoing) []apperr.FieldError {
	var problems []apperr.FieldError
	for _, p := range c.ep.Endpoint.Params {
		v, ok := c.params[p.Name]
		if !ok || p.In != definition.InHeader {
			continue
		}
		text := valueText(v)
		if strings.ContainsAny(text, "\r\n\x00") {
			problems = append(problems, apperr.FieldError{Field: c.fieldName(p.Name), Message: "must not hold line breaks (it is sent as a header)"})
			continue
		}
		o.header.Set(p.Name, text)
	}
	return problems
}

// placeDefinitionHeaders renders the integration's and endpoint's headers.
func (c *call) placeDefinitionHeaders(o *outgoing) error {
	lookup := c.templateLookup(nil, "")
	for name, t := range c.ep.Headers {
		v, err := t.Render(lookup, nil)
		if err != nil {
			return apperr.Wrap(err, apperr.CodeInvalidRequest, "the header %s of %s cannot be filled", name, c.ep.Endpoint.Function)
		}
		if strings.ContainsAny(v, "\r\n\x00") {
			return apperr.New(apperr.CodeInvalidRequest, "the header %s of %s would hold a line break", name, c.ep.Endpoint.Function)
		}
		o.header.Set(name, v)
	}
	return nil
}

// placeBody builds the body in the request format: the body template when
// there is one, else the body parameters (a JSON object, a form, or
// {{params_xml}} inside <Request>).
func (c *call) placeBody(o *outgoing) []apperr.FieldError {
	hasBody := !c.ep.Body.IsZero()
	values := map[string]any{}
	for _, p := range c.ep.Endpoint.Params {
		if v, ok := c.params[p.Name]; ok && p.In == definition.InBody {
			values[p.Name] = v
		}
	}
	if !hasBody && len(values) == 0 {
		return nil
	}
	switch c.doc.RequestFormat {
	case definition.FormatXML:
		return c.xmlBody(o)
	case definition.FormatForm:
		o.header.Set("Content-Type", contentForm)
		if hasBody {
			return c.renderBody(o, formEscape)
		}
		form := url.Values{}
		for name, v := range values {
			if items, isList := v.([]any); isList {
				for _, item := range items {
					form.Add(name, valueText(item))
				}
				continue
			}
			form.Set(name, valueText(v))
		}
		o.body = []byte(form.Encode())
		return nil
	}
	o.header.Set("Content-Type", contentJSON)
	if hasBody {
		return c.renderBody(o, jsonValue)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(values); err != nil {
		return []apperr.FieldError{{Field: "params", Message: "cannot be written as JSON"}}
	}
	o.body = bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	return nil
}

// renderBody renders the body template, each value written by write.
func (c *call) renderBody(o *outgoing, write func(any) string) []apperr.FieldError {
	body, err := c.ep.Body.Render(c.templateLookup(write, ""), nil)
	if err != nil {
		return []apperr.FieldError{{Field: "body", Message: err.Error()}}
	}
	o.body = []byte(body)
	return nil
}

// xmlBody renders an XML body: every substituted value escaped, characters
// XML cannot carry refused, the result checked for well-formedness.
func (c *call) xmlBody(o *outgoing) []apperr.FieldError {
	o.header.Set("Content-Type", contentXML)
	problems := c.checkXMLRefs()
	paramsXML, more := c.paramsXML()
	problems = append(problems, more...)
	if len(problems) > 0 {
		return problems
	}
	var body string
	if c.ep.Body.IsZero() {
		body = "<Request>" + paramsXML + "</Request>"
	} else {
		var err error
		body, err = c.ep.Body.Render(c.templateLookup(xmlValue, paramsXML), nil)
		if err != nil {
			return []apperr.FieldError{{Field: "body", Message: err.Error()}}
		}
	}
	if err := checkWellFormed(body); err != nil {
		return []apperr.FieldError{{Field: "body_template", Message: "does not produce well-formed XML: " + err.Error()}}
	}
	o.body = []byte(body)
	return nil
}

// checkXMLRefs refuses parameters and credentials the XML body template
// names whose text XML cannot carry.
func (c *call) checkXMLRefs() []apperr.FieldError {
	var problems []apperr.FieldError
	for _, r := range c.ep.Body.Refs() {
		var text string
		field := r.Name
		switch r.Kind {
		case definition.RefParam, definition.RefBare:
			text, field = valueText(c.params[r.Name]), c.fieldName(r.Name)
		case definition.RefCredential:
			text, field = c.creds[r.Name], "credentials."+r.Name
		default:
			continue
		}
		if err := checkXMLText(text); err != nil {
			problems = append(problems, apperr.FieldError{Field: field, Message: err.Error()})
		}
	}
	return problems
}

// templateLookup answers template references: credentials and parameters
// written by write (raw text when nil; an absent parameter is empty), the
// function name, and {{params_xml}}.
func (c *call) templateLookup(write func(any) string, paramsXML string) func(definition.Ref) (string, bool) {
	if write == nil {
		write = valueText
	}
	return func(r definition.Ref) (string, bool) {
		switch r.Kind {
		case definition.RefCredential:
			v, ok := c.creds[r.Name]
			return write(v), ok
		case definition.RefParam, definition.RefBare:
			v, ok := c.params[r.Name]
			if !ok {
				return "", true
			}
			return write(v), true
		case definition.RefFunction:
			return write(c.ep.Endpoint.Function), true
		case definition.RefParamsXML:
			return paramsXML, true
		}
		return "", false
	}
}

// xmlValue writes a value for an XML body.
func xmlValue(v any) string { return xmlEscape(valueText(v)) }

// formEscape writes a value for a form body.
func formEscape(v any) string { return url.QueryEscape(valueText(v)) }

// jsonValue writes a value for a JSON body template: strings as the inside
// of a JSON string (the template holds the quotes), numbers and booleans
// as themselves, arrays and objects as JSON.
func jsonValue(v any) string {
	switch x := v.(type) {
	case string:
		return jsonEscape(x, false)
	case []any, map[string]any:
		return valueText(x)
	}
	return valueText(v)
}
