package openapi

import (
	"strings"
	"testing"
)

// minimal is a small valid OpenAPI 3 document to break in tests.
const minimal = `openapi: 3.0.3
info: {title: Mini, version: '1'}
servers: [{url: 'https://api.example.com'}]
paths:
  /pets:
    get:
      operationId: listPets
      parameters:
        - $ref: '#/components/parameters/Limit'
      responses: {'200': {description: ok}}
components:
  parameters:
    Limit: {name: limit, in: query, schema: {type: integer}}
`

func TestBadDocumentsGiveAPreciseError(t *testing.T) {
	tests := []struct {
		name, doc    string
		pointer      string
		line         int
		reasonPrefix string
	}{
		{"EmptyDocument", "  \n", "", 0, "the document is empty"},
		{"InvalidYAML", "openapi: 3.0.3\ninfo: {title: x\npaths: {}\n", "", 2, "invalid YAML: did not find expected ',' or '}'"},
		{"InvalidJSON", "{\"openapi\": \"3.0.3\",\n \"info\": }\n", "", 2, "invalid JSON"},
		{"NotAnAPIDescription", "title: hello\n", "", 1, "not an OpenAPI 3, Swagger 2.0 or registry document"},
		{"OpenAPIVersionNotAString", "openapi: [3]\npaths: {}\n", "/openapi", 1, "openapi must be a version string"},
		{"UnsupportedOpenAPIVersion", "openapi: 4.0.0\npaths: {}\n", "/openapi", 1, "unsupported OpenAPI version"},
		{"UnsupportedSwaggerVersion", "swagger: '1.2'\npaths: {}\n", "/swagger", 1, "unsupported Swagger version"},
		{"BrokenRef", strings.Replace(minimal, "parameters/Limit'", "parameters/Limt'", 1),
			"/paths/~1pets/get/parameters/0/$ref", 9, `$ref "#/components/parameters/Limt" does not resolve`},
		{"ExternalRef", strings.Replace(minimal, "'#/components/parameters/Limit'", "'common.yaml#/Limit'", 1),
			"/paths/~1pets/get/parameters/0/$ref", 9, `$ref "common.yaml#/Limit": external references are not supported`},
		{"RefLoop", minimal + "    A: {$ref: '#/components/parameters/B'}\n    B: {$ref: '#/components/parameters/A'}\n" +
			"x-use: {$ref: '#/components/parameters/A'}\n", "/components/parameters/A/$ref", 14, "$ref"},
		{"PathsNotAnObject", "openapi: 3.0.3\ninfo: {title: x}\npaths: [a, b]\n", "/paths", 3, "paths must be an object, not a list"},
		{"ParametersNotAList", strings.Replace(minimal, "      parameters:\n        - $ref: '#/components/parameters/Limit'\n", "      parameters: 5\n", 1),
			"/paths/~1pets/get/parameters", 8, "parameters must be a list, not a number"},
		{"ParameterWithoutName", strings.Replace(minimal, "Limit: {name: limit, in: query", "Limit: {in: query", 1),
			"/components/parameters/Limit", 13, "the parameter needs a name"},
		{"OperationNotAnObject", "openapi: 3.0.3\ninfo: {title: x}\npaths:\n  /a:\n    get: true\n", "/paths/~1a/get", 5, "an operation must be an object, not a boolean"},
		{"DuplicateKey", "openapi: 3.0.3\ninfo: {title: x}\npaths:\n  /a: {}\n  /a: {}\n", "/paths/~1a", 5, `duplicate key "/a"`},
		{"DuplicateJSONKey", "{\"openapi\": \"3.0.3\", \"paths\": {},\n\"paths\": {}}", "/paths", 2, `duplicate key "paths"`},
		{"SchemaOfTheWrongKind", strings.Replace(minimal, "schema: {type: integer}}", "schema: {$ref: '#/components/schemas/Pet'}}", 1) +
			"  schemas:\n    Pet: {type: object, properties: 5}\n", "/components/schemas/Pet", 15, "cannot read the document"},
		{"SwaggerHostWithAPath", "swagger: '2.0'\ninfo: {title: x, version: '1'}\nhost: api.example.com/v1\npaths: {}\n", "/host", 3, "host must be a host name"},
		{"InfiniteNumber", "openapi: 3.0.3\ninfo: {title: x}\nx-n: .inf\npaths: {}\n", "/x-n", 3, ".inf cannot be represented in JSON"},
		{"AliasThatContainsItself", "openapi: 3.0.3\ninfo: &a {title: x, again: *a}\npaths: {}\n", "/info/again", 2, "alias *a refers to a value that contains it"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := "spec.yaml"
			if strings.HasPrefix(tt.doc, "{") {
				file = "spec.json"
			}
			src, err := Parse([]byte(tt.doc), file)
			if err == nil {
				t.Fatalf("got a source with %d endpoints, want an error", len(src.Endpoints))
			}
			e := asImportError(t, err, file)
			if e.Pointer != tt.pointer {
				t.Errorf("got pointer %q, want %q (%v)", e.Pointer, tt.pointer, e)
			}
			if tt.line != 0 && e.Line != tt.line {
				t.Errorf("got line %d, want %d (%v)", e.Line, tt.line, e)
			}
			if !strings.HasPrefix(e.Reason, tt.reasonPrefix) {
				t.Errorf("got reason %q, want it to start with %q", e.Reason, tt.reasonPrefix)
			}
			if !strings.HasPrefix(e.Error(), "openapi: "+file+": ") {
				t.Errorf("got message %q, want it to name the file", e.Error())
			}
		})
	}
}

func TestLenientWhereTheRulesDoNotMatter(t *testing.T) {
	doc := `openapi: 3.0.3
info: {title: No version}
servers: [{url: 'https://{region}.example.com/api/', variables: {region: {default: eu}}}]
paths:
  /things/{id}:
    get:
      responses: {'200': {}}
    post:
      parameters:
        - {name: sid, in: cookie, schema: {type: string}}
        - {name: Accept, in: header, schema: {type: string}}
        - {name: limit, in: query, schema: {type: integer, default: '25', enum: ['10', '25']}}
        - {name: flag, in: query, schema: {type: boolean, default: maybe}}
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              properties:
                'first name': {type: string}
                id: {type: integer}
                note: {type: string}
`
	src, err := Parse([]byte(doc), "lenient.yaml")
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if len(src.Endpoints) != 2 {
		t.Fatalf("got %d endpoints, want 2", len(src.Endpoints))
	}
	if src.BaseURL != "https://eu.example.com/api" {
		t.Errorf("got base URL %q, want the variable's default filled in", src.BaseURL)
	}
	get := src.Endpoints[0]
	if get.Function != "GetThingsById" || paramByName(t, get, "id").In != "path" {
		t.Errorf("got %s with %v, want GetThingsById with the undeclared path parameter added", get.Function, paramNames(get))
	}
	post := src.Endpoints[1]
	if got := paramNames(post); strings.Join(got, ",") != "id,limit,flag,note" {
		t.Errorf("got params %v, want id,limit,flag,note (cookie, Accept, a clashing and a badly named property left out)", got)
	}
	limit := paramByName(t, post, "limit")
	if limit.Default == nil || len(limit.Enum) != 2 {
		t.Errorf("got limit %+v, want the string default and enum converted to integers", limit)
	}
	if flag := paramByName(t, post, "flag"); flag.Default != nil {
		t.Errorf("got flag default %v, want it left out", flag.Default)
	}
	for _, part := range []string{"info", "cookie parameter \"sid\"", "\"first name\"", "path parameter \"id\" is not declared", "form-encoded only", "does not fit"} {
		if !hasWarning(src, part) {
			t.Errorf("got warnings %q, want one about %s", src.Warnings, part)
		}
	}
}

func TestParseOpenAPIRefusesWhatIsNotAnAPIDescription(t *testing.T) {
	for _, doc := range []string{`[{"function": "A", "method": "GET", "path": "/a"}]`, "endpoints: []\n", "just text\n"} {
		_, err := ParseOpenAPI([]byte(doc), "x.yaml")
		if e := asImportError(t, err, "x.yaml"); !strings.HasPrefix(e.Reason, "not an OpenAPI 3 or Swagger 2.0 document") {
			t.Errorf("ParseOpenAPI(%q): got %v", doc, e)
		}
	}
}
