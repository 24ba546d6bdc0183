package definition

import (
	"encoding/xml"
	"reflect"
	"strings"
	"testing"
)

func TestParseTemplate(t *testing.T) {
	cases := []struct {
		name, src string
		refs      []Ref
	}{
		{"NoReferences", "plain text {not} }} a", nil},
		{"Empty", "", nil},
		{"Bare", "ODFHIR {{developer_key}}/{{ customer_key }}", []Ref{{RefBare, "developer_key"}, {RefBare, "customer_key"}}},
		{"Explicit", "{{credentials.k}}{{params.PatNum}}{{function}}{{ params_xml }}", []Ref{{RefCredential, "k"}, {RefParam, "PatNum"}, {Kind: RefFunction}, {Kind: RefParamsXML}}},
		{"JSONBody", `{"a":{{{x}}},"b":"{{y}}"}`, []Ref{{RefBare, "x"}, {RefBare, "y"}}},
		{"DottedBareName", "{{a.b}}", []Ref{{RefBare, "a.b"}}},
		{"SpacesAndNewlines", "{{\n\tname  }}", []Ref{{RefBare, "name"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tpl, err := ParseTemplate(tc.src)
			if err != nil {
				t.Fatalf("ParseTemplate(%q): %v", tc.src, err)
			}
			if got := tpl.Refs(); !reflect.DeepEqual(got, tc.refs) {
				t.Errorf("Refs: got %v, want %v", got, tc.refs)
			}
			if tpl.String() != tc.src {
				t.Errorf("String: got %q, want %q", tpl.String(), tc.src)
			}
		})
	}
}

func TestParseTemplateErrors(t *testing.T) {
	cases := []struct{ name, src, want string }{
		{"Unterminated", "a {{b", `unterminated {{ at "{{b"`},
		{"UnterminatedAfterOne", "{{a}} {{", `unterminated {{ at "{{"`},
		{"Empty", "{{ }}", "empty {{ }}"},
		{"Space", "{{a b}}", "invalid reference {{a b}}"},
		{"NestedOpen", "{{a{{b}}", "invalid reference {{a{{b}}"},
		{"CredentialsWithoutName", "{{credentials.}}", "invalid reference {{credentials.}}"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseTemplate(tc.src)
			if err == nil {
				t.Fatalf("got no error, want %q", tc.want)
			}
			if err.Error() != tc.want {
				t.Errorf("got %q, want %q", err, tc.want)
			}
		})
	}
}

func TestRenderTemplate(t *testing.T) {
	tpl, err := ParseTemplate("<C>{{credentials.id}}</C><F>{{function}}</F><P>{{params_xml}}</P><N>{{params.n}}</N>")
	if err != nil {
		t.Fatal(err)
	}
	values := map[Ref]string{
		{RefCredential, "id"}:       "a&b",
		{Kind: RefFunction}:         "GetX",
		{Kind: RefParamsXML}:        "<Q>1</Q>",
		{Kind: RefParam, Name: "n"}: "<script>",
	}
	lookup := func(r Ref) (string, bool) { v, ok := values[r]; return v, ok }
	got, err := tpl.Render(lookup, xmlEscape)
	if err != nil {
		t.Fatal(err)
	}
	want := "<C>a&amp;b</C><F>GetX</F><P><Q>1</Q></P><N>&lt;script&gt;</N>"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	delete(values, Ref{Kind: RefParam, Name: "n"})
	if _, err := tpl.Render(lookup, nil); err == nil || err.Error() != "definition: no value for {{params.n}}" {
		t.Errorf("missing value: got %v", err)
	}
	if out, err := (Template{}).Render(lookup, nil); err != nil || out != "" {
		t.Errorf("zero template: got %q, %v", out, err)
	}
}

func TestPathTemplate(t *testing.T) {
	p, err := ParsePathTemplate("/appointments/{AptNum}/Break")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := p.Params(), []string{"AptNum"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Params: got %v, want %v", got, want)
	}
	values := map[string]string{"AptNum": "a/b 1"}
	got, err := p.Render(func(n string) (string, bool) { v, ok := values[n]; return v, ok })
	if err != nil || got != "/appointments/a%2Fb%201/Break" {
		t.Errorf("Render: got %q, %v", got, err)
	}
	if _, err := p.Render(func(string) (string, bool) { return "", true }); err == nil {
		t.Error("Render with an empty value: got no error")
	}
	for _, bad := range []string{"patients", "/a/{}", "/a/{b", "/a/b}", "/a/{b/c}"} {
		if _, err := ParsePathTemplate(bad); err == nil {
			t.Errorf("ParsePathTemplate(%q): got no error", bad)
		}
	}
}

// FuzzParseTemplate checks that parsing never panics and that rendering
// each reference as itself gives a template with the same references.
func FuzzParseTemplate(f *testing.F) {
	for _, seed := range []string{"", "{{a}}", "{{{a}}}", "{{", "}}{{x}}{", "{{credentials.}}", "{{ params.a }}", "a{{b}}c{{function}}"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, src string) {
		tpl, err := ParseTemplate(src)
		if err != nil {
			return
		}
		out, err := tpl.Render(func(r Ref) (string, bool) { return r.String(), true }, nil)
		if err != nil {
			t.Fatalf("Render: %v", err)
		}
		again, err := ParseTemplate(out)
		if err != nil {
			t.Fatalf("rendered %q no longer parses: %v", out, err)
		}
		if !reflect.DeepEqual(again.Refs(), tpl.Refs()) {
			t.Errorf("refs of %q: got %v after rendering, want %v", src, again.Refs(), tpl.Refs())
		}
		if _, err := ParseTemplate(tpl.String()); err != nil {
			t.Fatalf("String() %q no longer parses: %v", tpl.String(), err)
		}
		_ = tpl.resolve(map[string]bool{"a": true})
	})
}

// xmlEscape escapes text for XML.
func xmlEscape(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}
