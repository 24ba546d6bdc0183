package handlers_test

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"switchboard/testsupport"
)

// recorder is a loopback upstream that remembers what each request carried.
type recorder struct {
	mu   sync.Mutex
	seen []*http.Request
}

func (r *recorder) add(req *http.Request) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.seen = append(r.seen, req.Clone(req.Context()))
}

func (r *recorder) last(t *testing.T) *http.Request {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.seen) == 0 {
		t.Fatal("the upstream saw no request")
	}
	return r.seen[len(r.seen)-1]
}

// saveIntegration posts a definition document and a production credential
// through the admin API.
func saveIntegration(t *testing.T, c *testsupport.Client, doc map[string]any, fields map[string]string) {
	t.Helper()
	b, _ := json.Marshal(doc)
	if r := c.Do("POST", "/api/admin/integrations", strings.NewReader(string(b)), http.Header{"Content-Type": {"application/json"}}); r.StatusCode != http.StatusCreated {
		t.Fatalf("save %v = %d %s", doc["slug"], r.StatusCode, r.Body)
	}
	if fields == nil {
		return
	}
	r := c.SendJSON("POST", "/api/admin/api-credentials", map[string]any{"integration": doc["slug"], "environment": "production", "fields": fields})
	if r.StatusCode != http.StatusCreated {
		t.Fatalf("credential = %d %s", r.StatusCode, r.Body)
	}
}

// TestRedirectToAnotherHostCarriesNoCredentials executes a function through
// the real router whose upstream (127.0.0.3) redirects to another host
// (127.0.0.4): the second hop sees neither the header key nor the query key,
// and no Referer.
func TestRedirectToAnotherHostCarriesNoCredentials(t *testing.T) {
	const secret = "sk-live-0123456789abcdef"
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		_, c, _ := adminAPI(t, dbURL)
		landing := &recorder{}
		second := listenTest(t, "127.0.0.4:0", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			landing.add(r)
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"ok":true}`))
		}))
		first := listenTest(t, "127.0.0.3:0", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, second.URL+"/landing", http.StatusFound)
		}))
		auths := map[string]map[string]any{
			"hdr": {"type": "api_key", "header": "X-Api-Key", "template": "{{api_key}}"},
			"qry": {"type": "api_key", "query_param": "key", "template": "{{api_key}}"},
		}
		for slug, auth := range auths {
			t.Run(slug, func(t *testing.T) {
				saveIntegration(t, c, map[string]any{"slug": slug, "name": slug, "base_url": map[string]string{"production": first.URL},
					"auth": auth, "credential_fields": []string{"api_key"},
					"endpoints": []map[string]any{{"function": "Ping", "method": "GET", "path": "/ping"}}},
					map[string]string{"api_key": secret})
				r := c.SendJSON("POST", "/api/integrations/"+slug, map[string]any{"function": "Ping"})
				if r.StatusCode != http.StatusOK {
					t.Fatalf("execute = %d %s", r.StatusCode, r.Body)
				}
				got := landing.last(t)
				if strings.Contains(got.URL.RawQuery, secret) || got.Header.Get("X-Api-Key") != "" {
					t.Errorf("the other host received the key: query %q, X-Api-Key %q", got.URL.RawQuery, got.Header.Get("X-Api-Key"))
				}
				if ref := got.Header.Get("Referer"); ref != "" {
					t.Errorf("the other host received Referer %q", ref)
				}
			})
		}
	})
}

// TestPathParameterCannotClimbThroughTheRouter sends id=".." to an
// endpoint /v1/patients/{id}/notes through the execution API: the upstream
// receives the dots escaped, inside their own segment.
func TestPathParameterCannotClimbThroughTheRouter(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		_, c, _ := adminAPI(t, dbURL)
		up := &recorder{}
		srv := listenTest(t, "127.0.0.1:0", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			up.add(r)
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{}`))
		}))
		saveIntegration(t, c, map[string]any{"slug": "notes", "name": "Notes", "base_url": map[string]string{"production": srv.URL + "/v1"},
			"endpoints": []map[string]any{{"function": "Notes", "method": "GET", "path": "/patients/{id}/notes",
				"params": []map[string]any{{"name": "id", "in": "path", "required": true}}}}}, nil)
		for id, want := range map[string]string{"..": "/v1/patients/%2E%2E/notes", ".": "/v1/patients/%2E/notes", "../admin": "/v1/patients/..%2Fadmin/notes"} {
			r := c.SendJSON("POST", "/api/integrations/notes", map[string]any{"function": "Notes", "params": map[string]any{"id": id}})
			if r.StatusCode != http.StatusOK {
				t.Fatalf("execute id=%q = %d %s", id, r.StatusCode, r.Body)
			}
			if got := up.last(t).RequestURI; got != want {
				t.Errorf("id=%q reached the upstream as %q, want %q", id, got, want)
			}
		}
	})
}

// TestCredentialMasksShowAtMostAQuarter saves secrets of 12 to 19
// characters through the admin API and reads them back masked: at most
// four characters and never more than a quarter of the secret show.
func TestCredentialMasksShowAtMostAQuarter(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		_, c, _ := adminAPI(t, dbURL)
		saveIntegration(t, c, map[string]any{"slug": "masked", "name": "Masked", "base_url": map[string]string{"production": "https://masked.example"},
			"auth": map[string]any{"type": "api_key", "header": "X-Api-Key", "template": "{{api_key}}"}, "credential_fields": []string{"api_key"},
			"endpoints": []map[string]any{{"function": "Ping", "method": "GET", "path": "/ping"}}}, nil)
		const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		var id int64
		for n := 12; n <= 19; n++ {
			body := map[string]any{"integration": "masked", "environment": "production", "fields": map[string]string{"api_key": alphabet[:n]}}
			var r *testsupport.Response
			if id == 0 {
				r = c.SendJSON("POST", "/api/admin/api-credentials", body)
			} else {
				r = c.SendJSON("PUT", "/api/admin/api-credentials/"+strconv.FormatInt(id, 10), body)
			}
			if r.StatusCode != http.StatusCreated && r.StatusCode != http.StatusOK {
				t.Fatalf("save %d characters = %d %s", n, r.StatusCode, r.Body)
			}
			var cred struct {
				ID     int64             `json:"id"`
				Fields map[string]string `json:"fields"`
			}
			r.JSON(t, &cred)
			id = cred.ID
			shown := 0
			for _, ch := range strings.TrimLeft(cred.Fields["api_key"], "•*…") {
				if strings.ContainsRune(alphabet, ch) {
					shown++
				}
			}
			if shown > 4 || shown > n/4 {
				t.Errorf("a %d-character secret is shown as %q: %d characters of it (%d runes)", n, cred.Fields["api_key"], shown, utf8.RuneCountInString(cred.Fields["api_key"]))
			}
		}
	})
}
