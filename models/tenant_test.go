package models_test

import (
	"context"
	"testing"

	"switchboard/apperr"
	"switchboard/models"
	"switchboard/testsupport"
)

// TestTenantScoping calls every tenant store method that takes an id with
// another organization's id and expects not-found, and every list with
// nothing of the other organization in it.
func TestTenantScoping(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		store := models.NewStore(testsupport.OpenDB(t, dbURL))
		acme, _ := testsupport.Seed(t, store, "acme", "owner@acme.test", models.RoleOwner)
		_, acmeStaff := testsupport.Seed(t, store, "acme", "staff@acme.test", models.RoleStaff)
		globex, _ := testsupport.Seed(t, store, "globex", "owner@globex.test", models.RoleOwner)
		_, acmeKey := testsupport.SeedKey(t, store, acme.ID, models.KeyRoleAgent)
		if err := store.WriteAudit(ctx, models.AuditEvent{OrganizationID: &acme.ID, Actor: "x", Action: models.AuditLogin}); err != nil {
			t.Fatal(err)
		}

		other := store.Tenant(globex.ID)
		byID := map[string]func() error{
			"Member":       func() error { _, err := other.Member(ctx, acmeStaff.ID); return err },
			"SetRole":      func() error { return other.SetRole(ctx, acmeStaff.ID, models.RoleAdmin) },
			"RemoveMember": func() error { return other.RemoveMember(ctx, acmeStaff.ID) },
			"APIKey":       func() error { _, err := other.APIKey(ctx, acmeKey.ID); return err },
			"RevokeAPIKey": func() error { _, err := other.RevokeAPIKey(ctx, acmeKey.ID); return err },
		}
		for name, call := range byID {
			t.Run(name, func(t *testing.T) {
				if err := call(); !apperr.IsNotFound(err) {
					t.Fatalf("%s with another organization's id: err = %v, want not found", name, err)
				}
			})
		}

		members, err := other.Members(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(members) != 1 || members[0].User.Email != "owner@globex.test" {
			t.Fatalf("globex members = %+v", members)
		}
		keys, _ := other.APIKeys(ctx)
		audit, _ := other.AuditEntries(ctx, models.AuditFilter{})
		if len(keys) != 0 || len(audit) != 0 {
			t.Fatalf("globex sees %d keys and %d audit entries of acme", len(keys), len(audit))
		}
		// and acme's own data is untouched
		if m, err := store.Tenant(acme.ID).Member(ctx, acmeStaff.ID); err != nil || m.Role != models.RoleStaff {
			t.Fatalf("acme staff membership changed: %+v %v", m, err)
		}
		if k, err := store.Tenant(acme.ID).APIKey(ctx, acmeKey.ID); err != nil || k.Revoked() {
			t.Fatalf("acme key changed: %+v %v", k, err)
		}
	})
}

func TestLastOwnerIsKept(t *testing.T) {
	ctx := context.Background()
	store := models.NewStore(testsupport.OpenDB(t, testsupport.SQLiteURL(t)))
	acme, owner := testsupport.Seed(t, store, "acme", "owner@acme.test", models.RoleOwner)
	tenant := store.Tenant(acme.ID)
	if err := tenant.SetRole(ctx, owner.ID, models.RoleStaff); apperr.Code(err) != apperr.CodeConflict {
		t.Fatalf("demoting the last owner: err = %v, want conflict", err)
	}
	if err := tenant.RemoveMember(ctx, owner.ID); apperr.Code(err) != apperr.CodeConflict {
		t.Fatalf("removing the last owner: err = %v, want conflict", err)
	}
	_, second := testsupport.Seed(t, store, "acme", "second@acme.test", models.RoleOwner)
	if err := tenant.SetRole(ctx, owner.ID, models.RoleStaff); err != nil {
		t.Fatalf("demoting one of two owners: %v", err)
	}
	if err := tenant.RemoveMember(ctx, second.ID); apperr.Code(err) != apperr.CodeConflict {
		t.Fatalf("removing the remaining owner: err = %v", err)
	}
}
