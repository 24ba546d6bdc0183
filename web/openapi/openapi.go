// Package openapi builds the JSON API's OpenAPI 3.1 document from the
// router's route declarations: each /api route's summary, its query struct
// (the very struct its handler binds, see web.BindQuery), its JSON body
// type and its answers' types, with the problem document and the two
// security schemes. It knows no resource: the route table says what each
// route takes.
package openapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3gen"
	"github.com/labstack/echo/v4"

	"switchboard/web/problem"
	"switchboard/web/session"
)

// Op declares one /api route for the document: what it does, what it
// takes and what it answers.
type Op struct {
	Summary string
	Tag     string
	// Body is a zero value of the JSON request body's type (nil: none).
	Body any
	// RawBody is a request body that is a document of its own (an import),
	// not JSON of a Go type.
	RawBody bool
	// Answers maps each success status to a zero value of its JSON body's
	// type; a nil value is an answer without a body.
	Answers map[int]any
	// Public routes need no credentials.
	Public bool
	// Idempotent writes accept an Idempotency-Key header.
	Idempotent bool
	// Limited, when set, says why the route may answer 429 with a
	// Retry-After header (a gate on concurrent work, not a fault).
	Limited string
}

// OK is the answers of a route that answers v with 200.
func OK(v any) map[int]any { return map[int]any{http.StatusOK: v} }

// Created is the answers of a route that answers v with 201.
func Created(v any) map[int]any { return map[int]any{http.StatusCreated: v} }

// NoContent is the answers of a route that answers 204.
var NoContent = map[int]any{http.StatusNoContent: nil}

// Route is one route as the document sees it: method, path (echo's, with
// :params), its name (the operation id), the zero value of its query
// struct (nil: none), and its declaration (nil: left out).
type Route struct {
	Method, Path, Name string
	// Scope is what an API key needs for the route (ScopeAny: any key).
	Scope string
	Query any
	Op    *Op
}

// ScopeAny is the Scope of a route any API key may call.
const ScopeAny = session.ScopeAny

// Document is the document, built once from the route table.
type Document struct {
	body []byte
	err  error
}

// Build builds the document of routes.
func (d *Document) Build(routes []Route) { d.body, d.err = build(routes) }

// Serve handles GET /api/openapi.json.
func (d *Document) Serve(c echo.Context) error {
	if d.err != nil {
		return d.err
	}
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, d.body)
}

// build builds the OpenAPI 3.1 document of every declared /api route; an
// undeclared route is left out.
func build(table []Route) ([]byte, error) {
	doc := &openapi3.T{
		OpenAPI: "3.1.0",
		Info:    &openapi3.Info{Title: "Switchboard API", Version: "1"},
		Paths:   openapi3.NewPaths(),
		Components: &openapi3.Components{
			Schemas:         openapi3.Schemas{},
			Responses:       openapi3.ResponseBodies{},
			SecuritySchemes: openapi3.SecuritySchemes{},
		},
	}
	if err := addComponents(doc); err != nil {
		return nil, err
	}
	table = slices.Clone(table)
	slices.SortFunc(table, func(a, b Route) int { return strings.Compare(a.Path+a.Method, b.Path+b.Method) })
	for _, r := range table {
		if r.Op == nil || !strings.HasPrefix(r.Path, "/api/") || strings.HasSuffix(r.Path, "*") {
			continue
		}
		o, err := operationOf(r)
		if err != nil {
			return nil, fmt.Errorf("openapi: route %s: %w", r.Name, err)
		}
		path, _ := openAPIPath(r.Path)
		item := doc.Paths.Value(path)
		if item == nil {
			item = &openapi3.PathItem{}
			doc.Paths.Set(path, item)
		}
		item.SetOperation(r.Method, o)
	}
	return json.Marshal(doc)
}

func addComponents(doc *openapi3.T) error {
	ps, err := apiSchemaOf(problem.Document{}, useBody)
	if err != nil {
		return err
	}
	ps.Value.Required = []string{"type", "title", "status", "code", "detail"}
	doc.Components.Schemas["Problem"] = ps
	doc.Components.Responses["Problem"] = &openapi3.ResponseRef{Value: openapi3.NewResponse().
		WithDescription("A problem document (RFC 9457) with a stable code").
		WithContent(openapi3.Content{"application/problem+json": openapi3.NewMediaType().
			WithSchemaRef(openapi3.NewSchemaRef("#/components/schemas/Problem", nil))})}
	doc.Components.SecuritySchemes["bearerAuth"] = &openapi3.SecuritySchemeRef{Value: openapi3.NewSecurityScheme().
		WithType("http").WithScheme("bearer").WithDescription("An API key")}
	doc.Components.SecuritySchemes["cookieAuth"] = &openapi3.SecuritySchemeRef{Value: openapi3.NewSecurityScheme().
		WithType("apiKey").WithIn("cookie").WithName(session.Cookie).WithDescription("A signed-in session (writes need X-CSRF-Token)")}
	return nil
}

// openAPIPath turns echo's /a/:id into /a/{id} and returns the names.
func openAPIPath(p string) (string, []string) {
	segs := strings.Split(p, "/")
	var names []string
	for i, s := range segs {
		if strings.HasPrefix(s, ":") {
			names = append(names, s[1:])
			segs[i] = "{" + s[1:] + "}"
		}
	}
	return strings.Join(segs, "/"), names
}

func operationOf(r Route) (*openapi3.Operation, error) {
	op := r.Op
	o := &openapi3.Operation{OperationID: OperationID(r.Name), Summary: op.Summary, Tags: []string{op.Tag}, Responses: openapi3.NewResponses()}
	_, names := openAPIPath(r.Path)
	for _, n := range names {
		o.Parameters = append(o.Parameters, &openapi3.ParameterRef{Value: pathParameter(r.Path, n)})
	}
	if err := addQuery(o, r.Query); err != nil {
		return nil, err
	}
	if op.Idempotent {
		o.Parameters = append(o.Parameters, &openapi3.ParameterRef{Value: openapi3.NewHeaderParameter("Idempotency-Key").
			WithSchema(openapi3.NewStringSchema()).WithDescription("The same key and body replays the first answer")})
	}
	if err := addBody(o, r.Method, op); err != nil {
		return nil, err
	}
	if err := addAnswers(o, op.Answers); err != nil {
		return nil, err
	}
	if op.Limited != "" {
		addLimited(o, op.Limited)
	}
	o.Security = securityOf(r.Scope, op.Public)
	if !op.Public && r.Scope != ScopeAny {
		o.Description = "An API key needs the scope `" + r.Scope + "` (a missing scope answers 403 forbidden naming it)."
		o.Extensions = map[string]any{"x-required-scope": r.Scope}
	}
	return o, nil
}

// securityOf is an operation's security requirements: none for a public
// route; otherwise an API key holding scope (OpenAPI 3.1 lets a bearer
// scheme list the roles it needs) or a signed-in session.
func securityOf(scope string, public bool) *openapi3.SecurityRequirements {
	if public {
		return &openapi3.SecurityRequirements{}
	}
	need := []string{}
	if scope != ScopeAny && scope != "" {
		need = []string{scope}
	}
	return &openapi3.SecurityRequirements{{"bearerAuth": need}, {"cookieAuth": {}}}
}

// addLimited documents the 429 of a gated route: the problem document,
// why, and the Retry-After header.
func addLimited(o *openapi3.Operation, why string) {
	resp := openapi3.NewResponse().WithDescription(why).
		WithContent(openapi3.Content{"application/problem+json": openapi3.NewMediaType().
			WithSchemaRef(openapi3.NewSchemaRef("#/components/schemas/Problem", nil))})
	resp.Headers = openapi3.Headers{"Retry-After": &openapi3.HeaderRef{Value: &openapi3.Header{Parameter: openapi3.Parameter{
		Description: "Seconds to wait before trying again", Schema: openapi3.NewIntegerSchema().NewRef()}}}}
	o.Responses.Set(strconv.Itoa(http.StatusTooManyRequests), &openapi3.ResponseRef{Value: resp})
}

// addQuery documents the query parameters of the route's query struct:
// every field with a query tag, those of embedded structs included, typed
// as the field (a pointer as what it points to). It reads the very struct
// the handler binds (web.BindQuery), so no parameter is read undocumented.
func addQuery(o *openapi3.Operation, q any) error {
	if q == nil {
		return nil
	}
	return addQueryFields(o, reflect.TypeOf(q))
}

func addQueryFields(o *openapi3.Operation, t reflect.Type) error {
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Anonymous && f.Type.Kind() == reflect.Struct {
			if err := addQueryFields(o, f.Type); err != nil {
				return err
			}
			continue
		}
		name := f.Tag.Get("query")
		if name == "" {
			continue
		}
		ft := f.Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		s, err := openapi3gen.NewSchemaRefForValue(reflect.Zero(ft).Interface(), nil, openapi3gen.SchemaCustomizer(describe))
		if err != nil {
			return err
		}
		if err := describe(name, ft, f.Tag, s.Value); err != nil {
			return err
		}
		p := openapi3.NewQueryParameter(name)
		p.Schema, p.Description = s, s.Value.Description
		o.Parameters = append(o.Parameters, &openapi3.ParameterRef{Value: p})
	}
	return nil
}

func addBody(o *openapi3.Operation, method string, op *Op) error {
	fileSchema := openapi3.NewStringSchema().WithFormat("binary")
	fileSchema.Description = "The document file (JSON or YAML)"
	switch {
	case op.RawBody:
		o.RequestBody = &openapi3.RequestBodyRef{Value: openapi3.NewRequestBody().WithRequired(true).
			WithDescription("The document itself (JSON or YAML), or a multipart field file").
			WithContent(openapi3.Content{
				"application/json":    openapi3.NewMediaType().WithSchema(openapi3.NewObjectSchema()),
				"application/yaml":    openapi3.NewMediaType().WithSchema(openapi3.NewStringSchema()),
				"multipart/form-data": openapi3.NewMediaType().WithSchema(openapi3.NewObjectSchema().WithProperty("file", fileSchema)),
			})}
	case op.Body != nil:
		use := useBody
		if method == http.MethodPost {
			use = useCreateBody
		}
		s, err := apiSchemaOf(op.Body, use)
		if err != nil {
			return err
		}
		o.RequestBody = &openapi3.RequestBodyRef{Value: openapi3.NewRequestBody().WithRequired(true).WithJSONSchemaRef(s)}
	}
	return nil
}

func addAnswers(o *openapi3.Operation, answers map[int]any) error {
	for status, v := range answers {
		resp := openapi3.NewResponse().WithDescription(http.StatusText(status))
		if v != nil {
			s, err := apiSchemaOf(v, useAnswer)
			if err != nil {
				return err
			}
			resp = resp.WithJSONSchemaRef(s)
		}
		o.Responses.Set(strconv.Itoa(status), &openapi3.ResponseRef{Value: resp})
	}
	for _, status := range problem.Statuses {
		o.Responses.Set(strconv.Itoa(status), &openapi3.ResponseRef{Ref: "#/components/responses/Problem"})
	}
	return nil
}

// schemaUse says where a schema is used: its required lists differ.
type schemaUse int

const (
	// useBody is a request body that changes a resource (PUT, PATCH,
	// a POST action): the fields tagged required:"true" are required.
	useBody schemaUse = iota
	// useCreateBody is a POST body that creates: the fields tagged
	// required:"create" too.
	useCreateBody
	// useAnswer is an answer: the fields always sent are required.
	useAnswer
)

// apiSchemaOf generates v's type's JSON schema, in the 3.1 form (a nullable
// value's type lists "null"), with the required lists of its use.
func apiSchemaOf(v any, use schemaUse) (*openapi3.SchemaRef, error) {
	custom := func(name string, t reflect.Type, tag reflect.StructTag, schema *openapi3.Schema) error {
		if err := describe(name, t, tag, schema); err != nil {
			return err
		}
		if use == useAnswer {
			requireAlwaysSent(t, schema)
		} else {
			requireInBody(t, schema, use == useCreateBody)
		}
		return stringOrObject(name, t, tag, schema)
	}
	opts := []openapi3gen.Option{openapi3gen.SchemaCustomizer(custom)}
	s, err := openapi3gen.NewSchemaRefForValue(v, nil, opts...)
	if err != nil {
		return nil, err
	}
	to31(s, map[*openapi3.Schema]bool{})
	return s, nil
}

func to31(ref *openapi3.SchemaRef, seen map[*openapi3.Schema]bool) {
	if ref == nil || ref.Value == nil || seen[ref.Value] {
		return
	}
	s := ref.Value
	seen[s] = true
	if s.Nullable && s.Type != nil && !s.Type.Includes("null") {
		t := append(*s.Type, "null")
		s.Type = &t
		s.Nullable = false
	}
	for _, p := range s.Properties {
		to31(p, seen)
	}
	to31(s.Items, seen)
	if s.AdditionalProperties.Schema != nil {
		to31(s.AdditionalProperties.Schema, seen)
	}
}

// requireAlwaysSent marks a struct's fields that encoding/json always
// writes (no omitempty) as required, so an answer missing one fails.
func requireAlwaysSent(t reflect.Type, schema *openapi3.Schema) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() == reflect.Struct && len(schema.Properties) > 0 {
		schema.Required = alwaysSent(t)
	}
}

func alwaysSent(t reflect.Type) []string {
	var out []string
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		name, opts, _ := strings.Cut(tag, ",")
		ft := f.Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		switch {
		case f.Anonymous && tag == "" && ft.Kind() == reflect.Struct:
			out = append(out, alwaysSent(ft)...)
		case !f.IsExported() || name == "-" || strings.Contains(opts, "omitempty") || strings.Contains(opts, "omitzero"):
		case name == "":
			out = append(out, f.Name)
		default:
			out = append(out, name)
		}
	}
	return out
}

// stringOrObjectType is implemented by types written either as a string or
// as an object (a definition's credential field: a bare name or {name,
// label, help, secret}).
type stringOrObjectType interface{ OpenAPIStringOrObject() }

var stringOrObjectIface = reflect.TypeFor[stringOrObjectType]()

// stringOrObject describes such a type as oneOf a string and its object.
func stringOrObject(_ string, t reflect.Type, _ reflect.StructTag, schema *openapi3.Schema) error {
	if !t.Implements(stringOrObjectIface) || len(schema.Properties) == 0 {
		return nil
	}
	obj := *schema
	obj.Required = []string{"name"}
	*schema = openapi3.Schema{OneOf: openapi3.SchemaRefs{
		{Value: openapi3.NewStringSchema().WithMin(1)},
		{Value: &obj},
	}}
	return nil
}
