package handlers_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"switchboard/integrations/vault"
	"switchboard/testsupport"
)

// fakeAnthropic is a loopback Anthropic: GET /v1/models answers 200 to the
// keys it was given and 401 otherwise, and remembers the keys it saw.
type fakeAnthropic struct {
	*httptest.Server
	mu   sync.Mutex
	seen []string
}

func newFakeAnthropic(t *testing.T, good ...string) *fakeAnthropic {
	f := &fakeAnthropic{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := r.Header.Get("x-api-key")
		f.mu.Lock()
		f.seen = append(f.seen, key)
		f.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		for _, g := range good {
			if key == g && r.URL.Path == "/v1/models" {
				w.Write([]byte(`{"data": [{"id": "claude-test", "display_name": "Claude Test"}]}`))
				return
			}
		}
		w.WriteHeader(http.StatusUnauthorized)
		w.Write([]byte(`{"error": {"message": "invalid x-api-key"}}`))
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeAnthropic) last() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.seen) == 0 {
		return ""
	}
	return f.seen[len(f.seen)-1]
}

// TestPlatformCredentials configures Anthropic (by the original system's
// ANTHROPIC_API_KEY) and Cloud9's sandbox (by SWITCHBOARD_PLATFORM_ and
// CLOUD9_SANDBOX_ names) for every practice, calls a loopback Anthropic
// with it, tests the connection with it, and lets a practice credential
// override it; the value is never in an answer or a page.
func TestPlatformCredentials(t *testing.T) {
	const platformKey, practiceKey = "sk-ant-platform-7f3e9c21", "sk-ant-practice-5b8d1a44"
	fake := newFakeAnthropic(t, platformKey, practiceKey)
	cfg := testsupport.Config(t, testsupport.SQLiteURL(t))
	cfg.Env = envOf(map[string]string{
		"ANTHROPIC_API_KEY":                             platformKey,
		"SWITCHBOARD_PLATFORM_CLOUD9_SANDBOX_CLIENT_ID": "c9-client-0042",
		"CLOUD9_SANDBOX_USERNAME":                       "c9-user",
		"CLOUD9_SANDBOX_PASSWORD":                       "c9-password-secret",
	})
	srv := testsupport.StartServer(t, cfg)
	org, _ := testsupport.Seed(t, srv.App.Store, "acme", "owner@acme.test", "owner")
	c := srv.KeyClient(t, org.ID, "admin")
	for _, slug := range []string{"anthropic", "cloud9"} {
		if r := c.SendJSON("POST", "/api/admin/integrations/from-catalog", map[string]any{"catalog": slug}); r.StatusCode != 201 {
			t.Fatalf("add %s = %d %s", slug, r.StatusCode, r.Body)
		}
	}
	pointAt(t, c, "anthropic", fake.URL+"/v1")
	noSecret := func(where, body string) {
		t.Helper()
		for _, s := range []string{platformKey, "c9-password-secret", "c9-client-0042"} {
			if strings.Contains(body, s) {
				t.Fatalf("%s shows a platform credential: %.300s", where, body)
			}
		}
	}

	status := credentialSource(t, c, "anthropic")
	if status.CredentialSource != vault.SourcePlatform || !status.CredentialConfigured {
		t.Fatalf("anthropic status = %+v, want the platform credential in use", status)
	}
	c9 := credentialSource(t, c, "cloud9")
	if c9.CredentialSource != vault.SourceNone || c9.Credentials["sandbox"].Source != vault.SourcePlatform {
		t.Fatalf("cloud9 status = %+v, want none in production and the platform in the sandbox", c9)
	}

	r := c.SendJSON("POST", "/api/integrations/anthropic", map[string]any{"function": "ListModels"})
	if r.StatusCode != 200 || fake.last() != platformKey {
		t.Fatalf("execute with the platform key = %d (upstream saw %q): %s", r.StatusCode, fake.last(), r.Body)
	}
	noSecret("the execute answer", r.Body)
	r = c.SendJSON("POST", "/api/admin/api-credentials/test", map[string]any{"integration": "anthropic"})
	if r.StatusCode != 200 || !strings.Contains(r.Body, `"ok":true`) {
		t.Fatalf("Test Connection with the platform key = %d %s", r.StatusCode, r.Body)
	}
	noSecret("the test answer", r.Body)

	owner := srv.NewClient(t)
	owner.Login("owner@acme.test", testsupport.Password)
	in, err := srv.App.Store.Tenant(org.ID).IntegrationBySlug(t.Context(), "anthropic")
	if err != nil {
		t.Fatal(err)
	}
	page := owner.Get("/integrations/" + itoa(in.ID) + "/credentials")
	if !strings.Contains(page.Body, "credential_source: platform") || !strings.Contains(page.Body, "Test Connection") {
		t.Fatalf("the credentials page does not say the platform credential is in use: %.400s", page.Body)
	}
	noSecret("the credentials page", page.Body)
	noSecret("the status", c.Get("/api/integrations/cloud9").Body)

	// The practice's own credential overrides the platform's.
	if r := c.SendJSON("POST", "/api/admin/api-credentials", map[string]any{"integration": "anthropic", "fields": map[string]string{"api_key": practiceKey}}); r.StatusCode != 201 {
		t.Fatalf("save = %d %s", r.StatusCode, r.Body)
	}
	if r := c.SendJSON("POST", "/api/integrations/anthropic", map[string]any{"function": "ListModels"}); r.StatusCode != 200 || fake.last() != practiceKey {
		t.Fatalf("execute after saving the practice key = %d, upstream saw %q", r.StatusCode, fake.last())
	}
	if s := credentialSource(t, c, "anthropic"); s.CredentialSource != vault.SourcePractice {
		t.Fatalf("status after saving = %+v, want practice", s)
	}
	if r := c.SendJSON("POST", "/api/admin/api-credentials/test", map[string]any{"integration": "anthropic"}); !strings.Contains(r.Body, `"ok":true`) || fake.last() != practiceKey {
		t.Fatalf("Test Connection with the practice key = %s (upstream saw %q)", r.Body, fake.last())
	}
}

func TestPlatformCredentialNames(t *testing.T) {
	if got := vault.PlatformVar("evolution-api", "sandbox", "api_key"); got != "SWITCHBOARD_PLATFORM_EVOLUTION_API_SANDBOX_API_KEY" {
		t.Errorf("PlatformVar = %s", got)
	}
	p := vault.NewPlatform(envOf(map[string]string{
		"SWITCHBOARD_PLATFORM_OPENAI_PRODUCTION_API_KEY": "new-name",
		"OPENAI_API_KEY":              "old-name",
		"TWILIO_ACCOUNT_SID":          "AC1",
		"TWILIO_AUTH_TOKEN":           "tok",
		"CLOUD9_PRODUCTION_CLIENT_ID": "prod-id",
	}), []vault.PlatformEntry{{Slug: "openai", Fields: []string{"api_key"}}, {Slug: "twilio", Fields: []string{"account_sid", "auth_token"}},
		{Slug: "cloud9", Fields: []string{"client_id", "username", "password"}}})
	if got := p.Fields("openai", "production")["api_key"]; got != "new-name" {
		t.Errorf("openai production = %q, want the SWITCHBOARD_PLATFORM_ name to win", got)
	}
	if got := p.Fields("openai", "sandbox")["api_key"]; got != "old-name" {
		t.Errorf("openai sandbox = %q, want the alias", got)
	}
	if f := p.Fields("twilio", "sandbox"); f["account_sid"] != "AC1" || f["auth_token"] != "tok" {
		t.Errorf("twilio = %v", f)
	}
	if p.Has("cloud9", "sandbox") || p.Fields("cloud9", "production")["client_id"] != "prod-id" {
		t.Errorf("cloud9 = %v / %v, want production only", p.Fields("cloud9", "production"), p.Fields("cloud9", "sandbox"))
	}
}

type credentialStatus struct {
	CredentialConfigured bool   `json:"credential_configured"`
	CredentialSource     string `json:"credential_source"`
	Credentials          map[string]struct {
		Source string `json:"source"`
	} `json:"credentials"`
}

func credentialSource(t *testing.T, c *testsupport.Client, slug string) credentialStatus {
	t.Helper()
	var s credentialStatus
	r := c.Get("/api/integrations/" + slug)
	if r.StatusCode != 200 {
		t.Fatalf("status of %s = %d %s", slug, r.StatusCode, r.Body)
	}
	r.JSON(t, &s)
	return s
}

// pointAt sets an integration's production base URL.
func pointAt(t *testing.T, c *testsupport.Client, slug, baseURL string) {
	t.Helper()
	var doc map[string]any
	c.Get("/api/admin/integrations/"+slug).JSON(t, &doc)
	doc["base_url"] = map[string]string{"production": baseURL}
	b, _ := json.Marshal(doc)
	if r := c.Do("PUT", "/api/admin/integrations/"+slug, strings.NewReader(string(b)), http.Header{"Content-Type": {"application/json"}}); r.StatusCode != 200 {
		t.Fatalf("point %s at %s = %d %s", slug, baseURL, r.StatusCode, r.Body)
	}
}

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
