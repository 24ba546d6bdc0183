package definition

import (
	"net/url"
	"strings"
	"testing"
)

func TestPathRenderKeepsEachValueInItsSegment(t *testing.T) {
	tests := []struct {
		template string
		values   map[string]string
		want     string
	}{
		{"/patients/{id}/notes", map[string]string{"id": ".."}, "/patients/%2E%2E/notes"},
		{"/patients/{id}/notes", map[string]string{"id": "."}, "/patients/%2E/notes"},
		{"/patients/{id}", map[string]string{"id": ".."}, "/patients/%2E%2E"},
		{"/patients/{id}/notes", map[string]string{"id": "../../admin"}, "/patients/..%2F..%2Fadmin/notes"},
		{"/patients/{id}/notes", map[string]string{"id": "%2E%2E"}, "/patients/%252E%252E/notes"},
		{"/patients/{id}/notes", map[string]string{"id": "..."}, "/patients/.../notes"},
		{"/patients/{id}/notes", map[string]string{"id": "1.5"}, "/patients/1.5/notes"},
		{"/files/{a}{b}", map[string]string{"a": ".", "b": "."}, "/files/%2E%2E"},
		{"/files/.{a}", map[string]string{"a": "."}, "/files/%2E%2E"},
		{"/files/{a}.json", map[string]string{"a": "."}, "/files/..json"},
		{"/{a}/./{b}", map[string]string{"a": "x", "b": "y"}, "/x/./y"},
	}
	for _, tt := range tests {
		t.Run(tt.template+" with "+strings.Join(mapValues(tt.values), ","), func(t *testing.T) {
			p, err := ParsePathTemplate(tt.template)
			if err != nil {
				t.Fatal(err)
			}
			got, err := p.Render(func(n string) (string, bool) { v, ok := tt.values[n]; return v, ok })
			if err != nil || got != tt.want {
				t.Errorf("Render = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func mapValues(m map[string]string) []string {
	var out []string
	for k, v := range m {
		out = append(out, k+"="+v)
	}
	return out
}

// FuzzPathRender checks that any value stays one segment of the path,
// decodes back to itself and never makes a dot segment.
func FuzzPathRender(f *testing.F) {
	for _, seed := range []string{"..", ".", "../x", "a/b", "%2e%2E", "..;", `..\`, "?#", "\x00", "é"} {
		f.Add(seed)
	}
	p, err := ParsePathTemplate("/v1/patients/{id}/notes")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, v string) {
		if v == "" {
			return
		}
		got, err := p.Render(func(string) (string, bool) { return v, true })
		if err != nil {
			t.Fatal(err)
		}
		segs := strings.Split(got, "/")
		if len(segs) != 5 || segs[1] != "v1" || segs[2] != "patients" || segs[4] != "notes" {
			t.Fatalf("%q rendered as %q, want /v1/patients/<one segment>/notes", v, got)
		}
		if segs[3] == "." || segs[3] == ".." {
			t.Fatalf("%q rendered a dot segment: %q", v, got)
		}
		if back, err := url.PathUnescape(segs[3]); err != nil || back != v {
			t.Fatalf("segment %q decodes to %q (%v), want %q", segs[3], back, err, v)
		}
		u, err := url.Parse("http://h" + got)
		if err != nil {
			t.Fatalf("%q is not a URL path: %v", got, err)
		}
		if u.EscapedPath() != got {
			t.Fatalf("the URL writes the path as %q, want %q", u.EscapedPath(), got)
		}
	})
}
