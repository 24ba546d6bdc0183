package vault_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"switchboard/integrations/definition"
	"switchboard/integrations/executor"
	"switchboard/integrations/outbound"
	"switchboard/integrations/registry"
	"switchboard/integrations/vault"
	"switchboard/models"
	"switchboard/secret"
	"switchboard/testsupport"
)

// goodKey is the only api_key the fixture's upstream accepts.
const goodKey = "sk-live-VERY-SECRET-4242"

// fixture is the credentials service over a migrated database and a
// loopback upstream whose GET /ping wants "Bearer goodKey".
type fixture struct {
	ctx    context.Context
	store  *models.Store
	reg    *registry.Registry
	vault  *vault.Vault
	source *vault.Source
	creds  *vault.Credentials
	calls  *callLog
	orgID  int64
	up     *httptest.Server
}

// callLog keeps the calls the service reports, as the call log would.
type callLog struct {
	mu    sync.Mutex
	calls []executor.Call
}

func (l *callLog) RecordCall(_ context.Context, c executor.Call) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.calls = append(l.calls, c)
}

func (l *callLog) all() []executor.Call {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]executor.Call(nil), l.calls...)
}

func newFixture(t *testing.T, dbURL string) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{ctx: ctx, store: models.NewStore(testsupport.OpenDB(t, dbURL)), calls: &callLog{}}
	org, err := f.store.CreateOrganization(ctx, "acme", "Acme Dental")
	if err != nil {
		t.Fatalf("create org: %v", err)
	}
	f.orgID = org.ID
	box, err := secret.NewBox([]byte("vault-test-key-of-32-bytes!!!!!!"))
	if err != nil {
		t.Fatalf("box: %v", err)
	}
	f.reg, f.vault = registry.New(f.store), vault.New(box)
	f.source = vault.NewSource(f.store, f.vault)
	f.up = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+goodKey {
			http.Error(w, `{"error":"bad key"}`, http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"ok":true}`))
	}))
	t.Cleanup(f.up.Close)
	policy, err := outbound.NewPolicy([]string{"127.0.0.0/8", "::1/128"})
	if err != nil {
		t.Fatalf("policy: %v", err)
	}
	exec := executor.New(executor.Config{Registry: f.reg, Credentials: f.source, Client: outbound.NewClient(policy), Calls: f.calls})
	f.creds = vault.NewCredentials(vault.CredentialsConfig{Store: f.store, Registry: f.reg, Vault: f.vault, Source: f.source,
		Executor: exec})
	return f
}

// add creates an integration over the fixture's upstream.
func (f *fixture) add(t *testing.T, slug string, fields []string, testFunction string) *models.Integration {
	t.Helper()
	doc := &definition.Document{Slug: slug, Name: "Test " + slug, CredentialFields: definition.Fields(fields...), TestFunction: testFunction,
		BaseURL:   map[string]string{definition.EnvProduction: f.up.URL, definition.EnvSandbox: f.up.URL},
		Endpoints: []definition.Endpoint{{Function: "Ping", Method: "GET", Path: "/ping"}}}
	if len(fields) > 0 {
		doc.Auth = definition.Auth{Type: definition.AuthBearer, Template: "{{" + fields[0] + "}}"}
	}
	in, err := f.reg.Create(f.ctx, f.orgID, doc, "")
	if err != nil {
		t.Fatalf("create integration %s: %v", slug, err)
	}
	return in
}
