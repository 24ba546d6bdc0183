package openapi

import (
	"reflect"
	"strings"
	"testing"

	"switchboard/integrations/definition"
)

// withSecurity writes a small OpenAPI 3 document with the given security
// schemes (YAML under components.securitySchemes) and requirement.
func withSecurity(schemes, requirement string) []byte {
	return []byte(`openapi: 3.0.3
info: {title: Secure, version: '1'}
servers: [{url: 'https://api.example.com/v1'}]
security: [` + requirement + `]
paths:
  /ping:
    get: {operationId: ping, responses: {'200': {description: ok}}}
components:
  securitySchemes:
` + schemes)
}

func TestSecuritySchemesBecomeASuggestedAuth(t *testing.T) {
	tests := []struct {
		name, schemes, requirement string
		want                       *definition.Auth
		fields                     []string
	}{
		{"APIKeyInAHeader", "    k: {type: apiKey, in: header, name: X-API-Key}\n", "{k: []}",
			&definition.Auth{Type: "api_key", Header: "X-API-Key", Template: "{{api_key}}"}, []string{"api_key"}},
		{"APIKeyInTheQuery", "    k: {type: apiKey, in: query, name: key}\n", "{k: []}",
			&definition.Auth{Type: "api_key", QueryParam: "key", Template: "{{api_key}}"}, []string{"api_key"}},
		{"HTTPBearer", "    b: {type: http, scheme: bearer, bearerFormat: JWT}\n", "{b: []}",
			&definition.Auth{Type: "bearer", Template: "{{token}}"}, []string{"token"}},
		{"HTTPBasic", "    b: {type: http, scheme: basic}\n", "{b: []}",
			&definition.Auth{Type: "basic", Username: "{{username}}", Password: "{{password}}"}, []string{"username", "password"}},
		{"OAuth2ClientCredentials", "    o:\n      type: oauth2\n      flows:\n        clientCredentials:\n          tokenUrl: https://auth.example.com/token\n          scopes: {read: r, write: w}\n", "{o: [read]}",
			&definition.Auth{Type: "oauth2_client_credentials", TokenURL: "https://auth.example.com/token", Scopes: []string{"read"}}, []string{"client_id", "client_secret"}},
		{"OAuth2AuthorizationCodeWithARelativeTokenURL", "    o:\n      type: oauth2\n      flows:\n        authorizationCode:\n          authorizationUrl: /oauth/authorize\n          tokenUrl: /oauth/token\n          scopes: {b: b, a: a}\n", "{o: []}",
			&definition.Auth{Type: "oauth2_refresh_token", TokenURL: "https://api.example.com/oauth/token", AuthURL: "https://api.example.com/oauth/authorize", Scopes: []string{"a", "b"}},
			[]string{"client_id", "client_secret", "refresh_token"}},
		{"TheRequiredSchemeWins", "    a: {type: http, scheme: basic}\n    z: {type: apiKey, in: header, name: Z}\n", "{z: []}",
			&definition.Auth{Type: "api_key", Header: "Z", Template: "{{api_key}}"}, []string{"api_key"}},
		{"UnsupportedSchemesGiveNoAuth", "    c: {type: apiKey, in: cookie, name: sid}\n    d: {type: openIdConnect, openIdConnectUrl: 'https://example.com/.well-known'}\n", "{c: []}", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src, err := Parse(withSecurity(tt.schemes, tt.requirement), "secure.yaml")
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if !reflect.DeepEqual(src.Auth, tt.want) || !reflect.DeepEqual(src.CredentialFields, tt.fields) {
				t.Errorf("got auth %+v fields %v, want %+v %v", src.Auth, src.CredentialFields, tt.want, tt.fields)
			}
			if tt.want == nil && !hasWarning(src, "is not used") {
				t.Errorf("got warnings %q, want the unsupported schemes named", src.Warnings)
			}
			if tt.want != nil {
				if _, err := NewPlan(nil, src, ModeMerge, "secure", "Secure"); err != nil {
					t.Errorf("the suggested auth does not validate: %v", err)
				}
			}
		})
	}
}

func TestSwagger2FormBodiesAndOAuth2(t *testing.T) {
	doc := `swagger: '2.0'
info: {title: Forms, version: '1'}
host: api.example.com
schemes: [http, https]
securityDefinitions:
  o: {type: oauth2, flow: application, tokenUrl: 'https://api.example.com/token', scopes: {all: everything}}
security: [{o: [all]}]
paths:
  /messages:
    post:
      operationId: send-message
      consumes: [application/x-www-form-urlencoded]
      parameters:
        - {name: To, in: formData, type: string, required: true}
        - {name: Body, in: formData, type: string}
        - {name: Priority, in: formData, type: integer, default: 3}
      responses: {'201': {description: sent}}
`
	src, err := Parse([]byte(doc), "forms.yaml")
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if src.BaseURL != "https://api.example.com" {
		t.Errorf("got base URL %q, want the https scheme preferred", src.BaseURL)
	}
	e := endpointByFunction(t, src, "send_message")
	if got := paramNames(e); strings.Join(got, ",") != "To,Body,Priority" {
		t.Errorf("got params %v, want the formData parameters in order", got)
	}
	if to := paramByName(t, e, "To"); to.In != "body" || !to.Required {
		t.Errorf("got To %+v", to)
	}
	if src.Auth == nil || src.Auth.Type != "oauth2_client_credentials" || !reflect.DeepEqual(src.Auth.Scopes, []string{"all"}) {
		t.Errorf("got auth %+v", src.Auth)
	}
	if !hasWarning(src, "form-encoded only") {
		t.Errorf("got warnings %q", src.Warnings)
	}
}

func TestOpenAPI31(t *testing.T) {
	doc := `openapi: 3.1.0
info: {title: New}
servers: [{url: 'https://api.example.com'}]
paths:
  /items/{id}:
    patch:
      operationId: 1st update!
      parameters: [{name: id, in: path, required: true, schema: {type: [integer, 'null']}}]
      requestBody:
        content:
          application/merge-patch+json:
            schema: {type: object, required: [qty], properties: {qty: {type: [number, 'null'], default: 1.5}}}
`
	src, err := Parse([]byte(doc), "new.yaml")
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	e := endpointByFunction(t, src, "Op_1st_update")
	if id := paramByName(t, e, "id"); id.Type != "integer" {
		t.Errorf("got id %+v, want integer (null dropped)", id)
	}
	if qty := paramByName(t, e, "qty"); qty.Type != "number" || !qty.Required || qty.Default == nil {
		t.Errorf("got qty %+v", qty)
	}
}

func TestGeneratedNames(t *testing.T) {
	tests := []struct{ operationID, method, path, want string }{
		{"", "GET", "/patients/{PatNum}/appointments", "GetPatientsAppointmentsByPatNum"},
		{"", "DELETE", "/a/{x}/b/{y-z}", "DeleteABByXAndYZ"},
		{"", "GET", "/", "GetRoot"},
		{"", "POST", "/files/{name}.{ext}", "PostFilesByNameAndExt"},
		{"pets.list", "GET", "/pets", "pets_list"},
		{"   ", "GET", "/pets", "GetPets"},
		{"ÜberAll", "GET", "/x", "berAll"},
		{strings.Repeat("a", 100), "GET", "/x", strings.Repeat("a", 64)},
	}
	for _, tt := range tests {
		n := newNamer()
		if got := n.name(tt.operationID, tt.method, tt.path); got != tt.want {
			t.Errorf("name(%q, %s %s) = %q, want %q", tt.operationID, tt.method, tt.path, got, tt.want)
		}
	}
	n := newNamer()
	got := []string{n.name("list", "GET", "/a"), n.name("list", "GET", "/b"), n.name("", "GET", "/c"), n.name("list", "GET", "/d")}
	if want := []string{"list", "list_2", "GetC", "list_3"}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}
