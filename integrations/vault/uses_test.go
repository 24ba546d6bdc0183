package vault_test

import (
	"testing"
	"time"

	"switchboard/integrations/executor"
	"switchboard/integrations/outbound"
	"switchboard/integrations/vault"
	"switchboard/testsupport"
)

// TestUseRecorderWritesOnlyWhenFlushed: an execution that sends the stored
// credential leaves the database alone (the recorder only keeps the time
// in memory) until Flush writes it; an execution that sends nothing
// records no use.
func TestUseRecorderWritesOnlyWhenFlushed(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		f := newFixture(t, dbURL)
		in := f.add(t, "pms", []string{"api_key"}, "Ping")
		saved, err := f.creds.Create(f.ctx, f.orgID, vault.CredentialInput{Integration: "pms", Environment: "production",
			Fields: map[string]string{"api_key": goodKey}})
		if err != nil {
			t.Fatal(err)
		}
		uses := vault.NewUseRecorder(f.store, f.source, nil)
		policy, err := outbound.NewPolicy([]string{"127.0.0.0/8"})
		if err != nil {
			t.Fatal(err)
		}
		exec := executor.New(executor.Config{Registry: f.reg, Credentials: f.source, Client: outbound.NewClient(policy), Uses: uses})
		lastUsed := func() *time.Time {
			t.Helper()
			c, err := f.store.Tenant(f.orgID).Credential(f.ctx, saved.Credential.ID)
			if err != nil {
				t.Fatal(err)
			}
			return c.LastUsedAt
		}
		// No sandbox credentials: refused before anything is sent.
		if _, err := exec.Execute(f.ctx, executor.Request{OrgID: f.orgID, Provider: in.Slug, Function: "Ping", Environment: "sandbox"}); err == nil {
			t.Fatal("sandbox call without credentials succeeded")
		}
		if err := uses.Flush(f.ctx); err != nil || lastUsed() != nil {
			t.Fatalf("after a call that sent nothing: last_used_at = %v (%v), want none", lastUsed(), err)
		}
		before := time.Now().Add(-time.Millisecond)
		if _, err := exec.Execute(f.ctx, executor.Request{OrgID: f.orgID, Provider: in.Slug, Function: "Ping"}); err != nil {
			t.Fatal(err)
		}
		if got := lastUsed(); got != nil {
			t.Fatalf("last_used_at = %v before any flush, want none (no write on the request path)", got)
		}
		if err := uses.Flush(f.ctx); err != nil {
			t.Fatal(err)
		}
		if got := lastUsed(); got == nil || got.Before(before) {
			t.Fatalf("last_used_at after the flush = %v, want at or after %v", got, before)
		}
	})
}
