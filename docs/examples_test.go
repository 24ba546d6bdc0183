package docs_test

import (
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"switchboard/integrations/definition"
	"switchboard/testsupport"
)

// TestTriedExamples sends every "try" example of migrating.md and
// sync.md, in order, to a demo server: each must be accepted.
func TestTriedExamples(t *testing.T) {
	srv, _ := testsupport.StartDemo(t)
	org := srv.DemoOrg(t)
	agent, admin := srv.KeyClient(t, org.ID, "agent"), srv.KeyClient(t, org.ID, "admin")
	ctx := t.Context()
	tenant := srv.App.Store.Tenant(org.ID)
	od, err := tenant.IntegrationBySlug(ctx, "opendental")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := tenant.SyncConfigFor(ctx, od.ID)
	if err != nil {
		t.Fatal(err)
	}
	cred, err := tenant.CredentialFor(ctx, od.ID, "sandbox")
	if err != nil {
		if cred, err = tenant.CredentialFor(ctx, od.ID, "production"); err != nil {
			t.Fatal(err)
		}
	}
	day := time.Now().AddDate(0, 0, 8)
	for day.Weekday() == time.Saturday || day.Weekday() == time.Sunday {
		day = day.AddDate(0, 0, 1)
	}
	fill := strings.NewReplacer("{config_id}", fmt.Sprint(cfg.ID), "{opendental_id}", fmt.Sprint(od.ID),
		"{credential_id}", fmt.Sprint(cred.ID), "{next_weekday}", day.Format("2006-01-02"))
	for _, name := range []string{"migrating.md", "sync.md"} {
		for _, ex := range examples(t, name, "try") {
			method, path, _ := strings.Cut(fill.Replace(ex.arg), " ")
			c := agent
			if strings.HasPrefix(path, "/api/admin/") {
				c = admin
			}
			r := c.Do(method, path, strings.NewReader(fill.Replace(ex.body)), http.Header{"Content-Type": {"application/json"}})
			if r.StatusCode < 200 || r.StatusCode > 299 {
				t.Errorf("%s: %s %s %s = %d %.400s", name, method, path, ex.body, r.StatusCode, r.Body)
			}
		}
	}
}

// upstream is a loopback fake API and token server that remembers the
// requests it got.
type upstream struct {
	*httptest.Server
	mu   sync.Mutex
	seen []seenRequest
}

type seenRequest struct {
	path   string
	header http.Header
	query  url.Values
	body   string
}

func newUpstream(t *testing.T) *upstream {
	u := &upstream{}
	u.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		u.mu.Lock()
		u.seen = append(u.seen, seenRequest{r.URL.Path, r.Header.Clone(), r.URL.Query(), string(body)})
		u.mu.Unlock()
		switch {
		case r.URL.Path == "/oauth/token":
			form, _ := url.ParseQuery(string(body))
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"access_token": "tok-%s", "token_type": "bearer", "expires_in": 3600}`, form.Get("grant_type"))
		case strings.HasSuffix(r.URL.Path, "GetData.ashx"):
			w.Header().Set("Content-Type", "application/xml")
			io.WriteString(w, `<GetDataResponse><ResponseStatus>Success</ResponseStatus><Records></Records></GetDataResponse>`)
		case r.URL.Path == "/api/v1/patients":
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"items": [{"patientId": "p-7", "lastName": "Smith", "firstName": "Ann", "dateOfBirth": "1990-05-06", "mobilePhone": "(503) 555-0101"}]}`)
		default:
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"ok": true, "items": [{"id": 1, "name": "Dr. Chen"}]}`)
		}
	}))
	t.Cleanup(u.Close)
	return u
}

// last is the last request to a path.
func (u *upstream) last(path string) (seenRequest, bool) {
	u.mu.Lock()
	defer u.mu.Unlock()
	for i := len(u.seen) - 1; i >= 0; i-- {
		if u.seen[i].path == path {
			return u.seen[i], true
		}
	}
	return seenRequest{}, false
}

var sampleFields = map[string]string{"api_key": "k-123", "api_token": "t-123", "username": "u-1", "password": "p-1",
	"client_id": "cid-1", "client_secret": "cs-1", "refresh_token": "rt-1"}

// install saves a guide's definition with its URLs on the fake, and its
// credential, and returns the slug.
func install(t *testing.T, c *testsupport.Client, yaml string, u *upstream) *definition.Document {
	t.Helper()
	yaml = strings.NewReplacer("https://api.example.com", u.URL, "https://auth.example.com", u.URL,
		"https://dentrix-bridge.example.com", u.URL).Replace(yaml)
	doc, err := definition.ParseYAML([]byte(yaml))
	if err != nil {
		t.Fatalf("the guide's YAML does not parse: %v", err)
	}
	if r := c.Do("POST", "/api/admin/integrations", strings.NewReader(yaml), http.Header{"Content-Type": {"application/yaml"}}); r.StatusCode != 201 {
		t.Fatalf("save %s = %d %s", doc.Slug, r.StatusCode, r.Body)
	}
	fields := map[string]string{}
	for _, f := range doc.CredentialNames() {
		fields[f] = sampleFields[f]
	}
	if r := c.SendJSON("POST", "/api/admin/api-credentials", map[string]any{"integration": doc.Slug, "fields": fields}); r.StatusCode != 201 {
		t.Fatalf("credentials of %s = %d %s", doc.Slug, r.StatusCode, r.Body)
	}
	return doc
}

// authChecks say where each auth example must put the credential.
var authChecks = map[string]func(req, token seenRequest, tokenSeen bool) bool{
	"api_key_header": func(r, _ seenRequest, _ bool) bool { return r.header.Get("X-API-Key") == "k-123" },
	"api_key_query":  func(r, _ seenRequest, _ bool) bool { return r.query.Get("key") == "k-123" },
	"bearer":         func(r, _ seenRequest, _ bool) bool { return r.header.Get("Authorization") == "Bearer k-123" },
	"basic": func(r, _ seenRequest, _ bool) bool {
		return r.header.Get("Authorization") == "Basic "+base64.StdEncoding.EncodeToString([]byte("u-1:p-1"))
	},
	"oauth2_client_credentials": func(r, tok seenRequest, ok bool) bool {
		return ok && strings.Contains(tok.body, "grant_type=client_credentials") && r.header.Get("Authorization") == "Bearer tok-client_credentials"
	},
	"oauth2_refresh_token": func(r, tok seenRequest, ok bool) bool {
		return ok && strings.Contains(tok.body, "refresh_token=rt-1") && r.header.Get("Authorization") == "Bearer tok-refresh_token"
	},
	"xml_body": func(r, _ seenRequest, _ bool) bool {
		return strings.Contains(r.body, "<UserName>u-1</UserName>") && strings.Contains(r.body, "<Password>p-1</Password>")
	},
}

// TestAuthExamples saves each auth example of integrations.md, calls it
// against the fake, runs Test Connection, and checks where the
// credential went.
func TestAuthExamples(t *testing.T) {
	srv := testsupport.StartServer(t, testsupport.Config(t, testsupport.SQLiteURL(t)))
	org, _ := testsupport.Seed(t, srv.App.Store, "acme", "owner@acme.test", "owner")
	c := srv.KeyClient(t, org.ID, "admin")
	exs := examples(t, "integrations.md", "auth")
	if len(exs) != len(authChecks) {
		t.Fatalf("integrations.md has %d auth examples, the test checks %d", len(exs), len(authChecks))
	}
	for _, ex := range exs {
		t.Run(ex.arg, func(t *testing.T) {
			u := newUpstream(t)
			doc := install(t, c, ex.body, u)
			r := c.SendJSON("POST", "/api/integrations/"+doc.Slug, map[string]any{"function": "Ping"})
			if r.StatusCode != 200 {
				t.Fatalf("Ping = %d %s", r.StatusCode, r.Body)
			}
			path, _ := url.Parse(u.URL + "/v1/ping")
			if doc.Auth.Type == definition.AuthXMLBody {
				path, _ = url.Parse(u.URL + "/v1/GetData.ashx")
			}
			req, ok := u.last(path.Path)
			tok, tokOK := u.last("/oauth/token")
			if check := authChecks[ex.arg]; !ok || check == nil || !check(req, tok, tokOK) {
				t.Fatalf("the fake got %+v (token request %+v)", req, tok)
			}
			if r := c.SendJSON("POST", "/api/admin/api-credentials/test", map[string]any{"integration": doc.Slug}); !strings.Contains(r.Body, `"ok":true`) {
				t.Fatalf("Test Connection = %d %s", r.StatusCode, r.Body)
			}
		})
	}
}

// TestDentrixWalkthrough follows the guide's Dentrix steps against a fake
// bridge: save, credential, Test Connection, a call with internal names.
func TestDentrixWalkthrough(t *testing.T) {
	srv := testsupport.StartServer(t, testsupport.Config(t, testsupport.SQLiteURL(t)))
	org, _ := testsupport.Seed(t, srv.App.Store, "acme", "owner@acme.test", "owner")
	c := srv.KeyClient(t, org.ID, "admin")
	u := newUpstream(t)
	doc := install(t, c, examples(t, "integrations.md", "definition")[0].body, u)
	if r := c.SendJSON("POST", "/api/admin/api-credentials/test", map[string]any{"integration": doc.Slug}); !strings.Contains(r.Body, `"ok":true`) {
		t.Fatalf("Test Connection = %d %s", r.StatusCode, r.Body)
	}
	r := c.SendJSON("POST", "/api/integrations/"+doc.Slug, map[string]any{"function": "SearchPatients", "params": map[string]any{"last_name": "Smi"}})
	if r.StatusCode != 200 || !strings.Contains(r.Body, `"last_name":"Smith"`) || !strings.Contains(r.Body, `"birthdate":"1990-05-06"`) || !strings.Contains(r.Body, `"phone"`) {
		t.Fatalf("SearchPatients = %d %s", r.StatusCode, r.Body)
	}
	if req, ok := u.last("/api/v1/patients"); !ok || req.query.Get("lastName") != "Smi" || req.header.Get("Authorization") != "Bearer t-123" {
		t.Fatalf("the bridge got %+v", req)
	}
}
