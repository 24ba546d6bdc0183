package vault_test

import (
	"slices"
	"strings"
	"testing"

	"switchboard/apperr"
	"switchboard/integrations/vault"
	"switchboard/testsupport"
)

func TestCredentialsService(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		f := newFixture(t, dbURL)
		in := f.add(t, "pms", []string{"api_key", "account"}, "Ping")
		f.add(t, "open", nil, "")

		t.Run("bad input names the field", func(t *testing.T) {
			tests := []struct {
				name string
				in   vault.CredentialInput
				want map[string]string
			}{
				{"no integration, unknown environment", vault.CredentialInput{Environment: "staging"},
					map[string]string{"integration": "is required", "environment": "must be one of production, sandbox"}},
				{"unknown integration", vault.CredentialInput{Integration: "nope"},
					map[string]string{"integration": `no integration "nope" in this organization`}},
				{"unknown and missing fields", vault.CredentialInput{Integration: "pms", Fields: map[string]string{"token": "x", "api_key": " "}},
					map[string]string{"fields.token": "is not a credential field of pms (expected api_key, account)", "fields.api_key": "is required", "fields.account": "is required"}},
				{"an integration without credential fields", vault.CredentialInput{Integration: "open"},
					map[string]string{"integration": "open needs no credentials (its definition lists no credential_fields)"}},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					_, err := f.creds.Create(f.ctx, f.orgID, tt.in)
					got := testsupport.Problems(t, err)
					for k, v := range tt.want {
						if got[k] != v {
							t.Errorf("%s: %q, want %q", k, got[k], v)
						}
					}
					if len(got) != len(tt.want) {
						t.Errorf("problems = %v, want %v", got, tt.want)
					}
				})
			}
		})

		saved, err := f.creds.Create(f.ctx, f.orgID, vault.CredentialInput{Integration: "pms",
			Fields: map[string]string{"api_key": " " + goodKey + " ", "account": "acct-7777"}})
		if err != nil {
			t.Fatalf("create: %v", err)
		}
		id := saved.Credential.ID
		t.Run("values are sealed and only answered masked", func(t *testing.T) {
			if saved.Credential.Environment != "production" || saved.Integration.Slug != "pms" {
				t.Errorf("saved %s/%s, want pms/production", saved.Integration.Slug, saved.Credential.Environment)
			}
			if saved.Masked["api_key"] != "…4242" || len(saved.MissingFields) != 0 {
				t.Errorf("masked = %v missing %v, want …4242 and none", saved.Masked, saved.MissingFields)
			}
			if !slices.Equal(saved.Changed, []string{"account", "api_key"}) {
				t.Errorf("changed = %v, want the field names, sorted", saved.Changed)
			}
			if strings.Contains(saved.Credential.Sealed, "VERY-SECRET") || strings.Contains(saved.Credential.Sealed, "acct-7777") {
				t.Error("the stored row holds a plain value")
			}
			fields, err := f.vault.Open(saved.Credential)
			if err != nil || fields["api_key"] != goodKey {
				t.Errorf("open = %v, %v; want the trimmed key", fields, err)
			}
		})
		t.Run("a second create is a conflict", func(t *testing.T) {
			_, err := f.creds.Create(f.ctx, f.orgID, vault.CredentialInput{Integration: "pms", Fields: map[string]string{"api_key": "a", "account": "b"}})
			if apperr.Code(err) != apperr.CodeConflict {
				t.Fatalf("err = %v, want conflict", err)
			}
		})
		t.Run("an update keeps the fields left blank", func(t *testing.T) {
			if _, err := f.source.Fields(f.ctx, f.orgID, in.ID, "production"); err != nil {
				t.Fatalf("warm the executor's cache: %v", err)
			}
			up, err := f.creds.Update(f.ctx, f.orgID, id, map[string]string{"api_key": "", "account": "acct-8888"})
			if err != nil {
				t.Fatalf("update: %v", err)
			}
			if up.Masked["api_key"] != "…4242" || up.Masked["account"] == "acct-8888" || !slices.Equal(up.Changed, []string{"account"}) {
				t.Errorf("after update masked = %v changed = %v", up.Masked, up.Changed)
			}
			if fields, err := f.vault.Open(up.Credential); err != nil || fields["api_key"] != goodKey || fields["account"] != "acct-8888" {
				t.Errorf("stored after update = %v, %v; want the kept key and the new account", fields, err)
			}
			cached, err := f.source.Fields(f.ctx, f.orgID, in.ID, "production")
			if err != nil || cached["account"] != "acct-8888" {
				t.Errorf("the executor still sees %v (%v), want the new account", cached, err)
			}
		})
		t.Run("put creates the sandbox credentials", func(t *testing.T) {
			s, err := f.creds.Put(f.ctx, f.orgID, in.ID, "sandbox", map[string]string{"api_key": "sb-key", "account": "sb-acct"})
			if err != nil || s.Credential.Environment != "sandbox" {
				t.Fatalf("put = %+v, %v", s, err)
			}
			ic, err := f.creds.ForIntegration(f.ctx, f.orgID, in.ID)
			if err != nil || len(ic.Envs) != 2 || ic.Envs[0].Saved == nil || ic.Envs[1].Saved == nil || !ic.CanTest {
				t.Fatalf("for integration = %+v, %v; want both environments saved and testable", ic, err)
			}
		})
		t.Run("list and get answer masked values", func(t *testing.T) {
			vs, err := f.creds.List(f.ctx, f.orgID)
			if err != nil || len(vs) != 2 {
				t.Fatalf("list = %d, %v; want 2", len(vs), err)
			}
			for _, v := range vs {
				for _, m := range v.Masked {
					if strings.Contains(m, "VERY-SECRET") || m == "sb-key" {
						t.Errorf("masked value %q shows the secret", m)
					}
				}
			}
			if _, err := f.creds.Get(f.ctx, f.orgID+1000, id); !apperr.IsNotFound(err) {
				t.Errorf("another organization's credential: %v, want not_found", err)
			}
		})
		t.Run("delete drops the executor's copy", func(t *testing.T) {
			cred, err := f.creds.Delete(f.ctx, f.orgID, id)
			if err != nil || cred.ID != id {
				t.Fatalf("delete = %v, %v", cred, err)
			}
			if _, err := f.source.Fields(f.ctx, f.orgID, in.ID, "production"); apperr.Code(err) != apperr.CodeMissingCredentials {
				t.Errorf("fields after delete: %v, want missing_credentials", err)
			}
			if _, err := f.creds.Delete(f.ctx, f.orgID, id); !apperr.IsNotFound(err) {
				t.Errorf("second delete: %v, want not_found", err)
			}
		})
	})
}
