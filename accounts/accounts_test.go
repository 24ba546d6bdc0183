package accounts_test

import (
	"context"
	"testing"

	"switchboard/accounts"
	"switchboard/apperr"
	"switchboard/auth"
	"switchboard/models"
	"switchboard/testsupport"
)

// newService returns the accounts service over a migrated database of its
// own, and its store.
func newService(t *testing.T, url string) (*accounts.Service, *models.Store) {
	t.Helper()
	store := models.NewStore(testsupport.OpenDB(t, url))
	return accounts.New(accounts.Config{Store: store}), store
}

// auditActions lists the actions written to an organization's audit log,
// oldest first.
func auditActions(t *testing.T, svc *accounts.Service, orgID int64) []string {
	t.Helper()
	es, err := svc.Audit().Entries(context.Background(), orgID, models.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, 0, len(es))
	for i := len(es) - 1; i >= 0; i-- {
		out = append(out, es[i].Action)
	}
	return out
}

// TestEnsureMemberCreatesThenUpdates: the CLI's and the demo's one step.
// The first call creates the organization, the account and the
// membership; the next sets the password and the role of the same
// account; KeepRole leaves an existing member's role alone.
func TestEnsureMemberCreatesThenUpdates(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, url string) {
		svc, store := newService(t, url)
		ctx := context.Background()
		first, err := svc.EnsureMember(ctx, "acme", "Acme Dental", accounts.Member{Email: " Ann@Acme.test ", Name: "Ann",
			Password: "first-password-1", Role: models.RoleAdmin})
		if err != nil || !first.CreatedOrg || !first.CreatedUser || first.User.Email != "ann@acme.test" || first.Org.Name != "Acme Dental" {
			t.Fatalf("first = %+v, %v", first, err)
		}
		again, err := svc.EnsureMember(ctx, "acme", "ignored", accounts.Member{Email: "ann@acme.test", Password: "second-password-2", Role: models.RoleOwner})
		if err != nil || again.CreatedOrg || again.CreatedUser || again.User.ID != first.User.ID {
			t.Fatalf("again = %+v, %v", again, err)
		}
		u, _ := store.UserByEmail(ctx, "ann@acme.test")
		if auth.VerifyPassword(u.PasswordHash, "second-password-2") != nil {
			t.Error("the second call did not set the password")
		}
		if m, _ := store.Tenant(first.Org.ID).Member(ctx, u.ID); m.Role != models.RoleOwner {
			t.Errorf("role = %s, want owner", m.Role)
		}
		if _, err := svc.EnsureMember(ctx, "acme", "", accounts.Member{Email: "ann@acme.test", Password: "third-password-3",
			Role: models.RoleStaff, KeepRole: true}); err != nil {
			t.Fatal(err)
		}
		if m, _ := store.Tenant(first.Org.ID).Member(ctx, u.ID); m.Role != models.RoleOwner {
			t.Errorf("with KeepRole the role became %s", m.Role)
		}
	})
}

// TestSetupRunsOnce: the first run names every problem of the form it is
// given together with its own, creates the organization (in its time zone)
// and its owner, audits it, and refuses a second run as not found.
func TestSetupRunsOnce(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, url string) {
		svc, _ := newService(t, url)
		ctx := context.Background()
		_, _, err := svc.Setup(ctx, accounts.Actor{}, accounts.FirstRun{OrgName: "!!", Email: "o@b.test", Password: "short",
			TimeZone: "Mars/Olympus", Invalid: map[string]string{"email": "must be an email address"}})
		got := testsupport.Problems(t, err)
		for _, field := range []string{"org_name", "password", "time_zone", "email"} {
			if got[field] == "" {
				t.Errorf("no problem named %s in %v", field, got)
			}
		}
		if done, _ := svc.SetupDone(ctx); done {
			t.Fatal("a refused setup counts as done")
		}
		org, user, err := svc.Setup(ctx, accounts.Actor{IP: "192.0.2.1"}, accounts.FirstRun{OrgName: "Bright Smiles", Email: "owner@bright.test",
			Password: testsupport.Password, TimeZone: "America/Chicago"})
		if err != nil || org.Slug != "bright-smiles" || org.TimeZone != "America/Chicago" || user.Email != "owner@bright.test" {
			t.Fatalf("setup = %+v %+v %v", org, user, err)
		}
		if done, _ := svc.SetupDone(ctx); !done {
			t.Fatal("setup is not done after it ran")
		}
		if got := auditActions(t, svc, org.ID); len(got) != 1 || got[0] != string(accounts.ActionSetup) {
			t.Errorf("audit = %v, want [setup]", got)
		}
		_, _, err = svc.Setup(ctx, accounts.Actor{}, accounts.FirstRun{OrgName: "Again", Email: "x@y.test", Password: testsupport.Password, TimeZone: "UTC"})
		if !apperr.IsNotFound(err) {
			t.Fatalf("second setup = %v, want not found", err)
		}
	})
}

// keyCache counts how often the API key cache is dropped.
type keyCache struct{ dropped int }

func (k *keyCache) Invalidate() { k.dropped++ }

// TestAPIKeysAreAuditedAndRevokedAtOnce: a key is created with its scopes
// and audited with them; revoking it drops the authenticator's cache.
func TestAPIKeysAreAuditedAndRevokedAtOnce(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, url string) {
		store := models.NewStore(testsupport.OpenDB(t, url))
		cache := &keyCache{}
		svc := accounts.New(accounts.Config{Store: store, Keys: cache})
		org, _ := testsupport.Seed(t, store, "acme", "owner@acme.test", "owner")
		ctx := context.Background()
		plain, k, err := svc.CreateAPIKey(ctx, accounts.CLI(org.ID), accounts.NewKey{Name: "bot", Role: models.KeyRoleAgent,
			Scopes: []string{models.ScopeRecordsRead}, Integrations: accounts.SplitList(" od, ,c9 ")})
		if err != nil || plain == "" || !k.HasScope(models.ScopeRecordsRead) || k.HasScope(models.ScopeRecordsWrite) || !k.AllowsIntegration("c9") {
			t.Fatalf("create = %q %+v %v", plain, k, err)
		}
		if _, err := svc.RevokeAPIKey(ctx, accounts.CLI(org.ID), k.ID); err != nil || cache.dropped != 1 {
			t.Fatalf("revoke = %v, cache dropped %d times", err, cache.dropped)
		}
		got := auditActions(t, svc, org.ID)
		if len(got) != 2 || got[0] != string(accounts.ActionAPIKeyCreated) || got[1] != string(accounts.ActionAPIKeyRevoked) {
			t.Errorf("audit = %v", got)
		}
		if _, err := svc.RevokeAPIKey(ctx, accounts.CLI(org.ID+1), k.ID); !apperr.IsNotFound(err) {
			t.Errorf("revoking another organization's key = %v, want not found", err)
		}
	})
}
