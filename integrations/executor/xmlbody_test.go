package executor

import (
	"strings"
	"testing"

	"switchboard/apperr"
	"switchboard/integrations/definition"
	"switchboard/integrations/registry"
)

// xmlCall builds a call of an XML endpoint without a registry: the body
// template places a credential, {{params_xml}} and a parameter directly.
func xmlCall(t testing.TB, paramName string) *call {
	t.Helper()
	doc := &definition.Document{
		Slug: "xmltest", Name: "XML test", BaseURL: map[string]string{"production": "http://upstream.example/api"},
		Auth: definition.Auth{Type: "xml_body"}, CredentialFields: definition.Fields("password"), RequestFormat: "xml",
		BodyTemplate: `<Req xmlns="urn:x"><Pass>{{password}}</Pass><P>{{params_xml}}</P><V>{{params.` + paramName + `}}</V></Req>`,
		Endpoints: []definition.Endpoint{{Function: "Do", Method: "POST", Path: "",
			Params: []definition.Param{{Name: paramName, In: "body"}, {Name: "Other", In: "body"}}}},
	}
	comp, err := definition.Compile(doc)
	if err != nil {
		t.Fatalf("compile: %v", err)
	}
	return &call{
		entry: &registry.Entry{Slug: doc.Slug, Compiled: comp}, doc: comp.Doc, ep: comp.Endpoints["Do"],
		baseURL: doc.BaseURL["production"], env: "production",
		creds: map[string]string{"password": `pa<ss>&"'`}, origin: map[string]string{},
	}
}

func FuzzXMLBodyRoundTrips(f *testing.F) {
	for _, seed := range []string{"", "plain", `<a> & "b" 'c'`, "]]>", "<!--", "tab\there\r\nline", "\x00", "\x1b[0m", "é€😀", "\uFFFE", " padded ", "&amp;"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, value string) {
		c := xmlCall(t, "Value")
		params := map[string]any{"Value": value, "Other": "x"}
		o, err := c.build(params, nil)
		if checkXMLText(value) != nil {
			e := wantCode(t, err, apperr.CodeValidationFailed)
			for _, fe := range e.Fields {
				if fe.Field != "Value" {
					t.Fatalf("refused field %q, want Value", fe.Field)
				}
			}
			return
		}
		if err != nil {
			t.Fatalf("value %q: %v", value, err)
		}
		tree, err := ParseXML(strings.NewReader(string(o.body)))
		if err != nil {
			t.Fatalf("value %q gave malformed XML %s: %v", value, o.body, err)
		}
		want := strings.TrimSpace(value) // ParseXML trims text
		for _, path := range []string{"Req.P.Value", "Req.V"} {
			if got, _ := Lookup(tree, path); got != want {
				t.Fatalf("%s = %q, want %q (body %s)", path, got, want, o.body)
			}
		}
		if got, _ := Lookup(tree, "Req.Pass"); got != `pa<ss>&"'` {
			t.Fatalf("Req.Pass = %q, want the escaped credential back", got)
		}
	})
}

func TestXMLElementNamesAreChecked(t *testing.T) {
	tests := []struct {
		name string
		ok   bool
	}{
		{"patGUID", true}, {"_x.y-z", true}, {"Ünïcode", true},
		{"1abc", false}, {"a:b", false}, {"a/b", false}, {"-x", false}, {"a<b", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := xmlCall(t, tt.name)
			_, err := c.build(map[string]any{tt.name: "v"}, nil)
			if tt.ok {
				if err != nil {
					t.Fatalf("element %q refused: %v", tt.name, err)
				}
				return
			}
			e := wantCode(t, err, apperr.CodeValidationFailed)
			if len(e.Fields) == 0 || e.Fields[0].Field != tt.name || !strings.Contains(e.Fields[0].Message, "XML element name") {
				t.Errorf("fields = %v, want %s named as a bad element name", e.Fields, tt.name)
			}
		})
	}
}

func TestXMLArraysAndObjectsNest(t *testing.T) {
	c := xmlCall(t, "Value")
	o, err := c.build(map[string]any{"Value": "v", "Other": []any{"a", map[string]any{"K": "<k>"}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	tree, err := ParseXML(strings.NewReader(string(o.body)))
	if err != nil {
		t.Fatalf("%s: %v", o.body, err)
	}
	if got, _ := Lookup(tree, "Req.P.Other.1.K"); got != "<k>" {
		t.Errorf("Req.P.Other.1.K = %v in %s", got, o.body)
	}
}
