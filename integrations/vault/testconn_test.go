package vault_test

import (
	"strings"
	"testing"

	"switchboard/apperr"
	"switchboard/integrations/vault"
	"switchboard/models"
	"switchboard/testsupport"
)

func TestTestConnection(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		f := newFixture(t, dbURL)
		in := f.add(t, "pms", []string{"api_key"}, "Ping")
		f.add(t, "untestable", []string{"api_key"}, "")
		saved, err := f.creds.Create(f.ctx, f.orgID, vault.CredentialInput{Integration: "pms", Fields: map[string]string{"api_key": goodKey}})
		if err != nil {
			t.Fatalf("create: %v", err)
		}
		id := saved.Credential.ID

		t.Run("saved fields pass and the test is recorded", func(t *testing.T) {
			res, err := f.creds.Test(f.ctx, f.orgID, vault.TestInput{CredentialID: id, Caller: "owner@acme.test"})
			if err != nil || !res.OK || res.Status != 200 || res.Function != "Ping" || res.CredentialID != id || res.TestedAt == nil {
				t.Fatalf("test = %+v, %v; want ok 200 recorded on credential %d", res, err, id)
			}
			v, err := f.creds.Get(f.ctx, f.orgID, id)
			if err != nil || v.Credential.LastTestOK == nil || !*v.Credential.LastTestOK || v.Credential.LastTestedAt == nil {
				t.Fatalf("credential after test = %+v, %v; want last_test_ok true", v.Credential, err)
			}
			calls := f.calls.all()
			if len(calls) != 1 || calls[0].Request.Caller != "owner@acme.test" || calls[0].Request.Provider != "pms" || calls[0].Err != nil {
				t.Errorf("calls = %+v, want one successful pms call by the owner, reported by the executor", calls)
			}
		})
		t.Run("wrong unsaved fields fail without touching the saved test", func(t *testing.T) {
			res, err := f.creds.Test(f.ctx, f.orgID, vault.TestInput{IntegrationID: in.ID, Fields: map[string]string{"api_key": "wrong"}})
			if err != nil || res.OK || res.Status != 401 || res.CredentialID != 0 || res.TestedAt != nil || res.Message == "" {
				t.Fatalf("test = %+v, %v; want a failed 401 with a message, not recorded", res, err)
			}
			v, _ := f.creds.Get(f.ctx, f.orgID, id)
			if v.Credential.LastTestOK == nil || !*v.Credential.LastTestOK {
				t.Error("an unsaved test overwrote the saved credential's last test")
			}
		})
		t.Run("unsaved fields are completed by the saved ones", func(t *testing.T) {
			res, err := f.creds.Test(f.ctx, f.orgID, vault.TestInput{Integration: "pms", Environment: "production", Fields: map[string]string{"api_key": ""}})
			if err != nil || !res.OK {
				t.Fatalf("test = %+v, %v; want ok with the saved key", res, err)
			}
		})
		t.Run("bad requests name the field", func(t *testing.T) {
			tests := []struct {
				name  string
				in    vault.TestInput
				code  string
				field string
			}{
				{"nothing to test", vault.TestInput{}, apperr.CodeValidationFailed, "credential_id"},
				{"unknown integration", vault.TestInput{Integration: "nope"}, apperr.CodeValidationFailed, "integration"},
				{"no test function", vault.TestInput{Integration: "untestable"}, apperr.CodeValidationFailed, "integration"},
				{"unknown environment", vault.TestInput{Integration: "pms", Environment: "staging"}, apperr.CodeInvalidRequest, "environment"},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					_, err := f.creds.Test(f.ctx, f.orgID, tt.in)
					e, ok := apperr.As(err)
					if !ok || e.Code != tt.code || len(e.Fields) != 1 || e.Fields[0].Field != tt.field {
						t.Fatalf("err = %v, want %s naming %s", err, tt.code, tt.field)
					}
				})
			}
		})
	})
}

func TestWebhookSecrets(t *testing.T) {
	f := newFixture(t, testsupport.SQLiteURL(t))
	w := vault.NewWebhookSecrets(f.vault)
	cfg := &models.SyncConfig{OrganizationID: f.orgID, IntegrationID: 7}
	t.Run("none is empty", func(t *testing.T) {
		if s, err := w.WebhookSecret(f.ctx, cfg); s != "" || err != nil {
			t.Fatalf("secret = %q, %v; want none", s, err)
		}
	})
	first, err := w.Generate(f.orgID, cfg)
	if err != nil || !strings.HasPrefix(first, "whsec_") || strings.Contains(cfg.WebhookSecretSealed, first) {
		t.Fatalf("generate = %q, %v (sealed %q)", first, err, cfg.WebhookSecretSealed)
	}
	t.Run("it opens to what was generated", func(t *testing.T) {
		if s, err := w.WebhookSecret(f.ctx, cfg); s != first || err != nil {
			t.Fatalf("secret = %q, %v; want %q", s, err, first)
		}
	})
	t.Run("it is bound to its configuration", func(t *testing.T) {
		other := &models.SyncConfig{OrganizationID: f.orgID, IntegrationID: 8, WebhookSecretSealed: cfg.WebhookSecretSealed}
		if s, err := w.WebhookSecret(f.ctx, other); err == nil || s != "" {
			t.Fatalf("another configuration opened it: %q, %v", s, err)
		}
	})
	t.Run("regenerating replaces it", func(t *testing.T) {
		second, err := w.Generate(f.orgID, cfg)
		if err != nil || second == first {
			t.Fatalf("regenerate = %q, %v; want a new secret", second, err)
		}
		if s, _ := w.WebhookSecret(f.ctx, cfg); s != second {
			t.Fatalf("secret = %q, want the new one", s)
		}
	})
}
