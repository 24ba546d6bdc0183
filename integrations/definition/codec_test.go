package definition

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestRoundTripJSONYAMLJSON(t *testing.T) {
	d1 := mustParseYAML(t, richYAML)
	j1, err := d1.MarshalJSONIndent()
	if err != nil {
		t.Fatal(err)
	}
	fromJSON, err := ParseJSON(j1)
	if err != nil {
		t.Fatalf("ParseJSON of the export: %v", err)
	}
	y, err := fromJSON.MarshalYAML()
	if err != nil {
		t.Fatal(err)
	}
	d2, err := ParseYAML(y)
	if err != nil {
		t.Fatalf("ParseYAML of the export: %v\n%s", err, y)
	}
	j2, err := d2.MarshalJSONIndent()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(j1, j2) {
		t.Errorf("JSON differs after the YAML round trip:\nbefore %s\nafter  %s", j1, j2)
	}
	if !reflect.DeepEqual(d1, d2) {
		t.Errorf("document differs after the round trip:\nbefore %#v\nafter  %#v", d1, d2)
	}
	if !bytes.HasPrefix(y, []byte("slug: cloud9-test\nname: Cloud9 Ortho (test)\n")) {
		t.Errorf("YAML export does not keep document order:\n%s", y)
	}
}

func TestParsedValues(t *testing.T) {
	d := mustParseYAML(t, richYAML)
	if got, want := d.Timeout.Std(), 90*time.Second; got != want {
		t.Errorf("timeout: got %v, want %v", got, want)
	}
	if got, want := d.Retry.InitialDelay.Std(), 250*time.Millisecond; got != want {
		t.Errorf("retry.initial_delay: got %v, want %v", got, want)
	}
	if d.IsEnabled() {
		t.Error("IsEnabled: got true for enabled: false")
	}
	if got, want := d.AccessWindows["production"][1].End, "02:00"; got != want {
		t.Errorf("access window end: got %q, want %q", got, want)
	}
	if !strings.Contains(d.BodyTemplate, "\n  <UserName>{{username}}</UserName>\n") {
		t.Errorf("body template lost its lines: %q", d.BodyTemplate)
	}
}

func TestExportIsClean(t *testing.T) {
	d := &Document{Slug: "x", Name: "X", BodyTemplate: "<a>{{k}}</a>"}
	j, err := d.MarshalJSONIndent()
	if err != nil {
		t.Fatal(err)
	}
	want := "{\n  \"slug\": \"x\",\n  \"name\": \"X\",\n  \"body_template\": \"<a>{{k}}</a>\"\n}\n"
	if string(j) != want {
		t.Errorf("got %s, want %s", j, want)
	}
	y, err := d.MarshalYAML()
	if err != nil {
		t.Fatal(err)
	}
	if want := "slug: x\nname: X\nbody_template: <a>{{k}}</a>\n"; string(y) != want {
		t.Errorf("got %q, want %q", y, want)
	}
}

func TestParseRefusesWhatItCannotRead(t *testing.T) {
	cases := []struct {
		name, src string
		yaml      bool
		want      string
	}{
		{"UnknownTopField", `{"slug": "x", "nmae": "X"}`, false, "definition: nmae: unknown field"},
		{"UnknownNestedField", "slug: x\nendpoints:\n  - {function: F, method: GET, path: /}\n  - function: G\n    parms: []\n", true, "definition: endpoints[1].parms: unknown field"},
		{"FieldCaseMatters", `{"Slug": "x"}`, false, "definition: Slug: unknown field"},
		{"EveryUnknownField", `{"a": 1, "auth": {"kind": "none"}}`, false, "definition: a: unknown field; auth.kind: unknown field"},
		{"WrongKind", "endpoints:\n  - {function: F, writes: yes please}\n", true, "definition: endpoints[0].writes: must be true or false, not a string"},
		{"WrongNumber", `{"retry": {"max_attempts": 2.5}}`, false, "definition: retry.max_attempts: must be a whole number, not a number"},
		{"BadDuration", "timeout: 15\n", true, `definition: timeout: must be a duration such as "15s" or "250ms"`},
		{"BadNestedDuration", `{"retry": {"max_delay": "ten seconds"}}`, false, `definition: retry.max_delay: must be a duration such as "15s" or "250ms"`},
		{"NotAnObject", `[1]`, false, "definition: the document must be an object"},
		{"Empty", "  ", false, "definition: the document is empty"},
		{"EmptyYAML", "# nothing\n", true, "definition: the document is empty"},
		{"BadJSON", `{"slug": }`, false, "definition: invalid JSON: invalid character '}' looking for beginning of value (at byte 10)"},
		{"TrailingData", `{"slug": "x"} {}`, false, "definition: invalid JSON: unexpected data after the document"},
		{"DuplicateYAMLKey", "slug: x\nslug: y\n", true, `definition: invalid YAML: yaml: unmarshal errors:` + "\n" + `  line 2: key "slug" already set in map`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			parse := ParseJSON
			if tc.yaml {
				parse = ParseYAML
			}
			_, err := parse([]byte(tc.src))
			if err == nil {
				t.Fatalf("got no error, want %q", tc.want)
			}
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Errorf("got %T, want *DecodeError", err)
			}
			if err.Error() != tc.want {
				t.Errorf("got %q,\nwant %q", err, tc.want)
			}
		})
	}
}

func TestCloneIsDeep(t *testing.T) {
	d := mustParseYAML(t, richYAML)
	c, err := d.Clone()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(d, c) {
		t.Fatal("clone differs from the original")
	}
	c.Endpoints[1].Params[0].Name = "changed"
	c.BaseURL["production"] = "changed"
	if d.Endpoints[1].Params[0].Name == "changed" || d.BaseURL["production"] == "changed" {
		t.Error("changing the clone changed the original")
	}
}

func TestNormalizeFillsDefaults(t *testing.T) {
	d := mustParseYAML(t, validYAML)
	d.Normalize()
	e := d.Endpoints[2]
	checks := []struct{ name, got, want string }{
		{"request_format", d.RequestFormat, FormatJSON},
		{"auth.type kept", d.Auth.Type, AuthAPIKey},
		{"method upper-cased", d.Endpoints[1].Method, "GET"},
		{"body param of POST", e.Params[0].In, InBody},
		{"query param of GET", d.Endpoints[3].Params[0].In, InQuery},
		{"direction", d.ParameterMaps[0].Direction, DirectionBoth},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, c.got, c.want)
		}
	}
	if d.Enabled == nil || !*d.Enabled || e.Enabled == nil || !*e.Enabled {
		t.Error("enabled not defaulted to true")
	}
	if got := d.Endpoints[3].Pagination.MaxPages; got != DefaultMaxPages {
		t.Errorf("max_pages: got %d, want %d", got, DefaultMaxPages)
	}
	once, _ := d.MarshalJSONIndent()
	d.Normalize()
	twice, _ := d.MarshalJSONIndent()
	if !bytes.Equal(once, twice) {
		t.Error("Normalize is not idempotent")
	}
}

func TestExportedNumbers(t *testing.T) {
	t.Run("WholeNumberPastInt64KeepsItsDigits", func(t *testing.T) {
		d, err := ParseJSON([]byte(`{"slug":"x","name":"X","endpoints":[{"function":"F","method":"GET","path":"/a","params":[{"name":"n","default":12345678901234567890}]}]}`))
		if err != nil {
			t.Fatal(err)
		}
		y, err := d.MarshalYAML()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(y, []byte("default: 12345678901234567890\n")) {
			t.Errorf("YAML export lost digits of the default:\n%s", y)
		}
	})
	t.Run("NumberOutOfRangeIsRefusedByName", func(t *testing.T) {
		_, err := ParseJSON([]byte(`{"slug":"x","name":"X","endpoints":[{"function":"F","method":"GET","path":"/a","params":[{"name":"n","enum":[1,1e400]}]}]}`))
		var de *DecodeError
		if !errors.As(err, &de) || len(de.Problems) != 1 {
			t.Fatalf("got %v, want one decode problem", err)
		}
		if got, want := de.Problems[0].Field, "endpoints[0].params[0].enum[1]"; got != want {
			t.Errorf("field: got %q, want %q", got, want)
		}
	})
}
