package models_test

import (
	"context"
	"testing"
	"time"

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
		if err := store.WriteAudit(ctx, models.AuditEvent{OrganizationID: &acme.ID, Actor: "x", Action: "login"}); err != nil {
			t.Fatal(err)
		}

		in := &models.IntegrationRows{
			Integration: models.Integration{Slug: "od", Name: "OD", AuthType: "none", RequestFormat: "json", Settings: "{}", Enabled: true},
			Endpoints:   []models.Endpoint{{Function: "GetPatient", Method: "GET", Path: "/p", Settings: "{}", Enabled: true}},
			Maps:        []models.ParameterMap{{Internal: "a", External: "b", Direction: "both"}},
		}
		if err := store.Tenant(acme.ID).SaveIntegrationRows(ctx, in); err != nil {
			t.Fatal(err)
		}
		acmeCred := &models.Credential{IntegrationID: in.Integration.ID, Environment: "production", Sealed: "v1:x"}
		if err := store.Tenant(acme.ID).SaveCredential(ctx, acmeCred); err != nil {
			t.Fatal(err)
		}
		acmeInv := &models.Invitation{Email: "invited@nowhere.test", Role: models.RoleStaff, TokenHash: "h", ExpiresAt: store.Now().Add(time.Hour)}
		if err := store.Tenant(acme.ID).Invite(ctx, acmeInv); err != nil {
			t.Fatal(err)
		}
		other := store.Tenant(globex.ID)
		byID := map[string]func() error{
			"Member":            func() error { _, err := other.Member(ctx, acmeStaff.ID); return err },
			"SetRole":           func() error { return other.SetRole(ctx, acmeStaff.ID, models.RoleAdmin) },
			"RemoveMember":      func() error { return other.RemoveMember(ctx, acmeStaff.ID) },
			"APIKey":            func() error { _, err := other.APIKey(ctx, acmeKey.ID); return err },
			"RevokeAPIKey":      func() error { _, err := other.RevokeAPIKey(ctx, acmeKey.ID); return err },
			"Integration":       func() error { _, err := other.Integration(ctx, in.Integration.ID); return err },
			"IntegrationBySlug": func() error { _, err := other.IntegrationBySlug(ctx, "od"); return err },
			"IntegrationRows":   func() error { _, err := other.IntegrationRows(ctx, in.Integration.ID); return err },
			"SaveIntegrationRows": func() error {
				rows := *in
				return other.SaveIntegrationRows(ctx, &rows)
			},
			"DeleteIntegration":     func() error { return other.DeleteIntegration(ctx, in.Integration.ID) },
			"SetIntegrationEnabled": func() error { return other.SetIntegrationEnabled(ctx, in.Integration.ID, false) },
			"EndpointByID":          func() error { _, err := other.EndpointByID(ctx, in.Endpoints[0].ID); return err },
			"ParameterMapByID":      func() error { _, err := other.ParameterMapByID(ctx, in.Maps[0].ID); return err },
			"Credential":            func() error { _, err := other.Credential(ctx, acmeCred.ID); return err },
			"CredentialFor":         func() error { _, err := other.CredentialFor(ctx, in.Integration.ID, "production"); return err },
			"SaveCredential": func() error {
				c := *acmeCred
				return other.SaveCredential(ctx, &c)
			},
			"DeleteCredential":     func() error { return other.DeleteCredential(ctx, acmeCred.ID) },
			"RecordCredentialTest": func() error { return other.RecordCredentialTest(ctx, acmeCred.ID, true, "ok") },
			"RevokeInvitation":     func() error { _, err := other.RevokeInvitation(ctx, acmeInv.ID); return err },
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
		ins, _ := other.Integrations(ctx)
		creds, _ := other.Credentials(ctx)
		eps, n, _ := other.EndpointPage(ctx, in.Integration.ID, models.EndpointFilter{})
		counts, _ := other.EndpointCounts(ctx)
		invs, _ := other.Invitations(ctx)
		if len(keys)+len(audit)+len(ins)+len(creds)+len(eps)+n+len(counts)+len(invs) != 0 {
			t.Fatalf("globex sees acme's data: keys %d audit %d integrations %d credentials %d endpoints %d/%d counts %d",
				len(keys), len(audit), len(ins), len(creds), len(eps), n, len(counts))
		}
		if got, err := store.Tenant(acme.ID).IntegrationRows(ctx, in.Integration.ID); err != nil || len(got.Endpoints) != 1 || len(got.Maps) != 1 {
			t.Fatalf("acme's integration changed: %+v %v", got, err)
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
