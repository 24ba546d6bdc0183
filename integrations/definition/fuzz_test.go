package definition

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// catalogSeeds returns the catalog's definition documents, real samples of
// what an admin imports.
func catalogSeeds(f *testing.F) [][]byte {
	f.Helper()
	paths, _ := filepath.Glob(filepath.Join("..", "catalog", "*.yaml"))
	var out [][]byte
	for _, p := range paths {
		if b, err := os.ReadFile(p); err == nil {
			out = append(out, b)
		}
	}
	return out
}

// FuzzParseYAML checks the document decoder: a refusal is a *DecodeError
// saying what is wrong; a decoded document validates or names every
// problem's place, compiles exactly when it validates, and survives the
// JSON and YAML exports unchanged.
func FuzzParseYAML(f *testing.F) {
	for _, b := range catalogSeeds(f) {
		f.Add(b)
		f.Add(b[:len(b)/2])
	}
	for _, seed := range []string{richYAML, "", "null", "[]", "slug: a\nslug: b\n", "slug: x\nname: X\ntimeout: 1h\nendpoints: [{function: F, method: get, path: /a/{id}}]\n",
		"slug: x\nname: X\nendpoints: [{function: F, method: GET, path: /a, params: [{name: n, default: 12345678901234567890}]}]\n",
		"slug: x\nname: X\nendpoints: [{function: F, method: GET, path: /a, params: [{name: n, type: number, enum: [1.0, 2.50]}]}]\n",
		"slug: x\nretry: {initial_delay: 1y}\n", "access_windows: {production: [{start: '25:00', end: '24:00'}]}\n"} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := ParseYAML(b)
		if err != nil {
			checkDecodeError(t, err)
			return
		}
		checkDecoded(t, d)
	})
}

// FuzzParseJSON checks ParseJSON as FuzzParseYAML checks ParseYAML.
func FuzzParseJSON(f *testing.F) {
	for _, b := range catalogSeeds(f) {
		d, err := ParseYAML(b)
		if err != nil {
			continue
		}
		if j, err := d.MarshalJSONIndent(); err == nil {
			f.Add(j)
		}
	}
	for _, seed := range []string{`{}`, `{"slug":"x","slug":"y"}`, `{"endpoints":[{"function":1}]}`, `{"timeout":"5x"}`, `{"a":1} {}`,
		`{"slug":"x","name":"X","endpoints":[{"function":"F","method":"GET","path":"/a","params":[{"name":"n","default":1e400}]}]}`} {
		f.Add([]byte(seed))
	}
	f.Add([]byte(`{"slug":"x","name":"X","endpoints":[{"function":"F","method":"GET","path":"/a","params":[{"name":"n","default":12345678901234567890,"enum":[1.0,0.1,1e5]}]}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := ParseJSON(b)
		if err != nil {
			checkDecodeError(t, err)
			return
		}
		checkDecoded(t, d)
	})
}

// checkDecodeError requires a *DecodeError whose problems all say something.
func checkDecodeError(t *testing.T, err error) {
	t.Helper()
	var de *DecodeError
	if !errors.As(err, &de) || len(de.Problems) == 0 {
		t.Fatalf("refusal is not a *DecodeError with problems: %v", err)
	}
	for _, p := range de.Problems {
		if p.Message == "" {
			t.Fatalf("problem without a message at %q", p.Field)
		}
	}
}

// checkDecoded checks a decoded document's validation, compilation and
// exports.
func checkDecoded(t *testing.T, d *Document) {
	t.Helper()
	verr := Validate(d)
	var ve *ValidationError
	if verr != nil && (!errors.As(verr, &ve) || len(ve.Problems) == 0) {
		t.Fatalf("Validate: not a *ValidationError with problems: %v", verr)
	}
	if ve != nil {
		for _, p := range ve.Problems {
			if p.Message == "" {
				t.Fatalf("problem without a message at %q", p.Field)
			}
		}
	}
	if _, cerr := Compile(d); (cerr == nil) != (verr == nil) {
		t.Fatalf("Compile error %v but Validate error %v", cerr, verr)
	}
	j, err := d.MarshalJSONIndent()
	if err != nil {
		t.Fatalf("MarshalJSONIndent: %v", err)
	}
	fromJSON, err := ParseJSON(j)
	if err != nil {
		t.Fatalf("the JSON export does not parse: %v\n%s", err, j)
	}
	if !reflect.DeepEqual(fromJSON, d) {
		t.Fatalf("the JSON export reads back differently:\n%s", j)
	}
	y, err := d.MarshalYAML()
	if err != nil {
		t.Fatalf("MarshalYAML: %v", err)
	}
	fromYAML, err := ParseYAML(y)
	if err != nil {
		t.Fatalf("the YAML export does not parse: %v\n%s", err, y)
	}
	if j2, _ := fromYAML.MarshalJSONIndent(); !sameJSON(t, j, j2) {
		t.Fatalf("the YAML export reads back differently:\nbefore %s\nafter  %s\nYAML %s", j, j2, y)
	}
}

// sameJSON compares two JSON documents, numbers by value: a whole number
// of up to 64 bits exactly, any other number as the float64 YAML carries.
// (YAML writes 1.0 as 1, which is the same number.)
func sameJSON(t *testing.T, a, b []byte) bool {
	t.Helper()
	var va, vb any
	for _, x := range []struct {
		b []byte
		v *any
	}{{a, &va}, {b, &vb}} {
		dec := json.NewDecoder(bytes.NewReader(x.b))
		dec.UseNumber()
		if err := dec.Decode(x.v); err != nil {
			t.Fatalf("export is not JSON: %v", err)
		}
	}
	return sameValue(va, vb)
}

// sameValue implements sameJSON for decoded values.
func sameValue(a, b any) bool {
	switch x := a.(type) {
	case json.Number:
		y, ok := b.(json.Number)
		if !ok {
			return false
		}
		if i, err := strconv.ParseInt(x.String(), 10, 64); err == nil {
			j, err := strconv.ParseInt(y.String(), 10, 64)
			return err == nil && i == j
		}
		if u, err := strconv.ParseUint(x.String(), 10, 64); err == nil {
			v, err := strconv.ParseUint(y.String(), 10, 64)
			return err == nil && u == v
		}
		fx, errx := x.Float64()
		fy, erry := y.Float64()
		return errx == nil && erry == nil && fx == fy
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !sameValue(x[i], y[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			if w, ok := y[k]; !ok || !sameValue(v, w) {
				return false
			}
		}
		return true
	}
	return reflect.DeepEqual(a, b)
}

// FuzzParsePathTemplate checks that a parsed path re-renders equal: its
// segments written back (parameters as {name}) give the source, and its
// parameters are the segments that are parameters.
func FuzzParsePathTemplate(f *testing.F) {
	for _, seed := range []string{"", "/", "/patients/{PatNum}", "/appointments/{AptNum}/Break", "/a/{b}{c}/d", "/a/{}", "/a/{b", "/a/b}", "/{a b}", "x", "/é/{ü}"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, src string) {
		p, err := ParsePathTemplate(src)
		if err != nil {
			return
		}
		var b, filled strings.Builder
		var params []string
		for _, s := range p.Segments() {
			if s.Param == "" {
				if s.Text == "" || strings.ContainsAny(s.Text, "{}") {
					t.Fatalf("%q: bad literal segment %q", src, s.Text)
				}
				b.WriteString(s.Text)
				filled.WriteString(s.Text)
				continue
			}
			params = append(params, s.Param)
			b.WriteString("{" + s.Param + "}")
			filled.WriteString("v")
		}
		if b.String() != src || p.String() != src {
			t.Fatalf("re-rendered %q, want %q", b.String(), src)
		}
		if !reflect.DeepEqual(p.Params(), params) {
			t.Fatalf("Params %v, want %v", p.Params(), params)
		}
		got, err := p.Render(func(string) (string, bool) { return "v", true })
		if err != nil || got != filled.String() {
			t.Fatalf("Render with every parameter v: %q, %v; want %q", got, err, filled.String())
		}
	})
}

// FuzzDuration checks that a duration read from a document writes back as
// a string that reads back to the same duration, and that a refusal is a
// *json.UnmarshalTypeError (which the decoder turns into a named field).
func FuzzDuration(f *testing.F) {
	for _, seed := range []string{`"15s"`, `"1m30s"`, `"250ms"`, `"-1h"`, `"2562047h47m16.854775807s"`, `"9999999h"`, `"1.5µs"`, `null`, `15`, `"5x"`, `{}`, `""`} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var d Duration
		if err := d.UnmarshalJSON(b); err != nil {
			var te *json.UnmarshalTypeError
			if !errors.As(err, &te) || te.Value == "" {
				t.Fatalf("%q: refusal is not a type error: %v", b, err)
			}
			return
		}
		out, err := d.MarshalJSON()
		if err != nil {
			t.Fatalf("MarshalJSON(%v): %v", d, err)
		}
		var back Duration
		if err := back.UnmarshalJSON(out); err != nil || back != d {
			t.Fatalf("%q wrote %s, which reads back as %v (%v)", b, out, back, err)
		}
	})
}

// FuzzParseClock checks the access-window clock: what it accepts is
// written back exactly as it was given, within the day.
func FuzzParseClock(f *testing.F) {
	for _, seed := range []string{"00:00", "11:00", "23:59", "24:00", "24:01", "25:00", "9:00", "09:60", "0a:00", "+1:00", "١١:٠٠"} {
		f.Add(seed, true)
		f.Add(seed, false)
	}
	f.Fuzz(func(t *testing.T, s string, allow24 bool) {
		m, ok := parseClock(s, allow24)
		if !ok {
			return
		}
		if m < 0 || m > minutesPerDay || (m == minutesPerDay && !allow24) {
			t.Fatalf("parseClock(%q, %v) = %d minutes, outside the day", s, allow24, m)
		}
		if got := fmt.Sprintf("%02d:%02d", m/60, m%60); got != s {
			t.Fatalf("parseClock(%q) = %d minutes, which is %s", s, m, got)
		}
	})
}
