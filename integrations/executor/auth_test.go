package executor

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"switchboard/apperr"
	"switchboard/integrations/definition"
)

func TestEveryStaticAuthTypeReachesTheUpstream(t *testing.T) {
	h := newHarness(t)
	up := newUpstream(t, jsonAnswer(200, `{"ok":true}`))
	xmlOK := func(w http.ResponseWriter, _ *http.Request, _ string) {
		w.Header().Set("Content-Type", "text/xml")
		_, _ = w.Write([]byte(`<Answer><Status>Success</Status></Answer>`))
	}
	xmlUp := newUpstream(t, xmlOK)
	tests := []struct {
		name   string
		auth   definition.Auth
		fields []string
		creds  map[string]string
		format string
		body   string
		base   string
		check  func(t *testing.T, r *recorded)
	}{
		{
			name: "none sends no credentials",
			auth: definition.Auth{Type: "none"},
			check: func(t *testing.T, r *recorded) {
				if got := r.Header.Get("Authorization"); got != "" {
					t.Errorf("Authorization = %q, want none", got)
				}
			},
		},
		{
			name:   "api_key in a header fills its template",
			auth:   definition.Auth{Type: "api_key", Header: "Authorization", Template: "ODFHIR {{developer_key}}/{{customer_key}}"},
			fields: []string{"developer_key", "customer_key"},
			creds:  map[string]string{"developer_key": "dev-123", "customer_key": "cust-456"},
			check: func(t *testing.T, r *recorded) {
				if got, want := r.Header.Get("Authorization"), "ODFHIR dev-123/cust-456"; got != want {
					t.Errorf("Authorization = %q, want %q", got, want)
				}
			},
		},
		{
			name:   "api_key in the query",
			auth:   definition.Auth{Type: "api_key", QueryParam: "key", Template: "{{api_key}}"},
			fields: []string{"api_key"},
			creds:  map[string]string{"api_key": "k&y=secret"},
			check: func(t *testing.T, r *recorded) {
				q, _ := url.ParseQuery(r.RawQuery)
				if got, want := q.Get("key"), "k&y=secret"; got != want {
					t.Errorf("query key = %q, want %q", got, want)
				}
			},
		},
		{
			name:   "bearer with the only credential field",
			auth:   definition.Auth{Type: "bearer"},
			fields: []string{"token"},
			creds:  map[string]string{"token": "tok-789"},
			check: func(t *testing.T, r *recorded) {
				if got, want := r.Header.Get("Authorization"), "Bearer tok-789"; got != want {
					t.Errorf("Authorization = %q, want %q", got, want)
				}
			},
		},
		{
			name:   "basic with username and password templates",
			auth:   definition.Auth{Type: "basic", Username: "{{account_sid}}", Password: "{{auth_token}}"},
			fields: []string{"account_sid", "auth_token"},
			creds:  map[string]string{"account_sid": "AC1", "auth_token": "p:ss"},
			check: func(t *testing.T, r *recorded) {
				want := "Basic " + base64.StdEncoding.EncodeToString([]byte("AC1:p:ss"))
				if got := r.Header.Get("Authorization"); got != want {
					t.Errorf("Authorization = %q, want %q", got, want)
				}
			},
		},
		{
			name:   "xml_body places the credentials inside the body, escaped",
			auth:   definition.Auth{Type: "xml_body"},
			fields: []string{"username", "password"},
			creds:  map[string]string{"username": "ann", "password": "p<w>&'\""},
			format: "xml",
			body:   "<Req><User>{{username}}</User><Pass>{{password}}</Pass><Proc>{{function}}</Proc></Req>",
			base:   xmlUp.URL,
			check: func(t *testing.T, r *recorded) {
				tree, err := ParseXML(strings.NewReader(r.Body))
				if err != nil {
					t.Fatalf("body %q is not XML: %v", r.Body, err)
				}
				if got, _ := Lookup(tree, "Req.Pass"); got != "p<w>&'\"" {
					t.Errorf("Req.Pass = %q, want the password", got)
				}
				if got, _ := Lookup(tree, "Req.Proc"); got != "Ping" {
					t.Errorf("Req.Proc = %q, want Ping", got)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := up.URL
			if tt.base != "" {
				base = tt.base
			}
			doc := newDoc(base, definition.Endpoint{Function: "Ping", Method: "POST", Path: "/ping"})
			doc.Auth, doc.CredentialFields, doc.RequestFormat, doc.BodyTemplate = tt.auth, definition.Fields(tt.fields...), tt.format, tt.body
			slug := h.add(doc)
			h.creds.set("production", tt.creds)
			res := ok(t)(h.run(slug, "Ping", nil))
			seen := up.seen()
			if tt.base != "" {
				seen = xmlUp.seen()
			}
			tt.check(t, seen)
			for name, v := range tt.creds {
				if len(v) >= minSecretLen && strings.Contains(res.Request.URL+res.Request.Body+strings.Join(values(res.Request.Headers), " "), v) {
					t.Errorf("the request trace shows credential %s: %+v", name, res.Request)
				}
			}
		})
	}
}

func TestMissingCredentialsAreNamed(t *testing.T) {
	h := newHarness(t)
	up := newUpstream(t, jsonAnswer(200, `{}`))
	doc := newDoc(up.URL, get("Ping", "/ping"))
	doc.Auth = definition.Auth{Type: "api_key", Header: "X-Key", Template: "{{a}}-{{b}}"}
	doc.CredentialFields = definition.Fields("a", "b")
	slug := h.add(doc)
	t.Run("no credentials saved", func(t *testing.T) {
		_, err := h.run(slug, "Ping", nil)
		wantCode(t, err, apperr.CodeMissingCredentials)
	})
	t.Run("one field empty", func(t *testing.T) {
		h.creds.set("production", map[string]string{"a": "x1x"})
		_, err := h.run(slug, "Ping", nil)
		e := wantCode(t, err, apperr.CodeMissingCredentials)
		if len(e.Fields) != 1 || e.Fields[0].Field != "b" {
			t.Errorf("fields = %v, want b", e.Fields)
		}
	})
	t.Run("unsaved fields of Test Connection are used without the store", func(t *testing.T) {
		reads := h.creds.reads.Load()
		ok(t)(h.exec.Execute(context.Background(), Request{OrgID: h.org, Provider: slug, Function: "Ping",
			Fields: map[string]string{"a": "one", "b": "two"}}))
		if got := up.seen().Header.Get("X-Key"); got != "one-two" {
			t.Errorf("X-Key = %q, want one-two", got)
		}
		if h.creds.reads.Load() != reads {
			t.Error("the credential store was read for unsaved fields")
		}
	})
	if hits := up.hits.Load(); hits != 1 {
		t.Errorf("upstream hits = %d, want 1 (only the call with credentials)", hits)
	}
}

// values returns a map's values.
func values(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	return out
}
