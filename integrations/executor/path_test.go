package executor

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"switchboard/integrations/definition"
)

func TestPathValuesCannotFormDotSegments(t *testing.T) {
	h := newHarness(t)
	var mu sync.Mutex
	var uri string
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		uri = r.RequestURI
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{}`))
	}))
	t.Cleanup(up.Close)
	slug := h.add(newDoc(up.URL+"/v1", get("Notes", "/patients/{id}/notes", definition.Param{Name: "id", Required: true}),
		get("File", "/files/{dir}{name}", definition.Param{Name: "dir", Required: true}, definition.Param{Name: "name", Required: true})))
	tests := []struct {
		name, fn string
		params   map[string]any
		want     string
	}{
		{"two dots", "Notes", map[string]any{"id": ".."}, "/v1/patients/%2E%2E/notes"},
		{"one dot", "Notes", map[string]any{"id": "."}, "/v1/patients/%2E/notes"},
		{"a slash", "Notes", map[string]any{"id": "../admin"}, "/v1/patients/..%2Fadmin/notes"},
		{"three dots are a name", "Notes", map[string]any{"id": "..."}, "/v1/patients/.../notes"},
		{"dots inside a name", "Notes", map[string]any{"id": "v1.2"}, "/v1/patients/v1.2/notes"},
		{"two values making two dots", "File", map[string]any{"dir": ".", "name": "."}, "/v1/files/%2E%2E"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok(t)(h.run(slug, tt.fn, tt.params))
			mu.Lock()
			got := uri
			mu.Unlock()
			if got != tt.want {
				t.Errorf("request URI = %q, want %q", got, tt.want)
			}
		})
	}
}
