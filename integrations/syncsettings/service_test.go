package syncsettings_test

import (
	"context"
	"testing"

	"switchboard/apperr"
	"switchboard/integrations/catalog"
	"switchboard/integrations/definition"
	"switchboard/integrations/registry"
	"switchboard/integrations/syncsettings"
	"switchboard/integrations/vault"
	"switchboard/models"
	"switchboard/secret"
	"switchboard/testsupport"
)

type fixture struct {
	ctx      context.Context
	store    *models.Store
	secrets  *vault.WebhookSecrets
	settings *syncsettings.Service
	orgID    int64
	od, ai   *models.Integration
}

// newFixture has Open Dental (which can sync) and an integration without
// sync functions.
func newFixture(t *testing.T, dbURL string) *fixture {
	t.Helper()
	f := &fixture{ctx: context.Background(), store: models.NewStore(testsupport.OpenDB(t, dbURL))}
	org, err := f.store.CreateOrganization(f.ctx, "acme", "Acme Dental")
	if err != nil {
		t.Fatalf("create org: %v", err)
	}
	f.orgID = org.ID
	box, err := secret.NewBox([]byte("syncsettings-test-key-32-bytes!!"))
	if err != nil {
		t.Fatalf("box: %v", err)
	}
	reg := registry.New(f.store)
	f.secrets = vault.NewWebhookSecrets(vault.New(box))
	f.settings = syncsettings.New(f.store, reg, f.secrets)
	entry, err := catalog.Get("opendental")
	if err != nil {
		t.Fatalf("catalog: %v", err)
	}
	doc, err := entry.Doc.Clone()
	if err != nil {
		t.Fatalf("clone: %v", err)
	}
	if f.od, err = reg.Create(f.ctx, f.orgID, doc, "opendental"); err != nil {
		t.Fatalf("create opendental: %v", err)
	}
	plain := &definition.Document{Slug: "chat", Name: "Chat", BaseURL: map[string]string{"production": "http://127.0.0.1:1"},
		Endpoints: []definition.Endpoint{{Function: "Ping", Method: "GET", Path: "/ping"}}}
	if f.ai, err = reg.Create(f.ctx, f.orgID, plain, ""); err != nil {
		t.Fatalf("create chat: %v", err)
	}
	return f
}

func ptr[T any](v T) *T { return &v }

func TestSyncSettingsService(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		f := newFixture(t, dbURL)
		t.Run("bad input names every bad field", func(t *testing.T) {
			_, err := f.settings.Create(f.ctx, f.orgID, syncsettings.Input{Integration: "chat", Direction: ptr("sideways"),
				ConflictResolution: ptr("coin_toss"), Environment: ptr("staging"), PollInterval: ptr(5), Entities: []string{"invoice", "patient"}})
			got := testsupport.Problems(t, err)
			want := map[string]string{
				"direction":             "must be one of local_only, dual_write, external_only, from_external, bidirectional",
				"conflict_resolution":   "must be one of local_wins, external_wins, newest_wins, manual",
				"environment":           "must be one of production, sandbox, or empty for the integration's default_environment",
				"poll_interval_seconds": "must be between 10 and 86400",
				"entities[0]":           "must be appointment or patient",
				"entities[1]":           "chat has no sync functions for patient (sync.patient in its definition)",
			}
			for k, v := range want {
				if got[k] != v {
					t.Errorf("%s: %q, want %q", k, got[k], v)
				}
			}
			if len(got) != len(want) {
				t.Errorf("problems = %v", got)
			}
			for _, in := range []syncsettings.Input{{}, {Integration: "nope"}} {
				if _, ok := testsupport.Problems(t, f.mustFail(in))["integration"]; !ok {
					t.Errorf("create %+v does not name the integration", in)
				}
			}
		})

		st, err := f.settings.Create(f.ctx, f.orgID, syncsettings.Input{Integration: "opendental", Enabled: ptr(true), Entities: []string{"patient"}})
		if err != nil {
			t.Fatalf("create: %v", err)
		}
		t.Run("create fills the defaults and generates the secret once", func(t *testing.T) {
			c := st.Config
			if c.ID == 0 || !c.Enabled || c.Direction != models.DirectionDualWrite || c.Environment != "production" || c.Entities != "patient" || c.PollIntervalSeconds != 60 {
				t.Errorf("created %+v", c)
			}
			if got, _ := f.secrets.WebhookSecret(f.ctx, c); st.Secret == "" || got != st.Secret {
				t.Errorf("secret %q opens to %q", st.Secret, got)
			}
			again, err := f.settings.Get(f.ctx, f.orgID, c.ID)
			if err != nil || again.Secret != "" || again.Integration.Slug != "opendental" {
				t.Errorf("get = %+v, %v; want it without the secret", again, err)
			}
		})
		t.Run("update changes what is sent and keeps the integration", func(t *testing.T) {
			up, err := f.settings.Update(f.ctx, f.orgID, st.Config.ID, syncsettings.Input{Direction: ptr(models.DirectionFromExternal)})
			if err != nil || up.Config.Direction != models.DirectionFromExternal || !up.Config.Enabled || up.Config.Entities != "patient" {
				t.Fatalf("update = %+v, %v", up, err)
			}
			_, err = f.settings.Update(f.ctx, f.orgID, st.Config.ID, syncsettings.Input{Integration: "chat"})
			if _, ok := testsupport.Problems(t, err)["integration"]; !ok {
				t.Error("moving a configuration to another integration is not refused on integration")
			}
		})
		t.Run("regenerating replaces the secret", func(t *testing.T) {
			re, err := f.settings.RegenerateSecret(f.ctx, f.orgID, st.Config.ID)
			if err != nil || re.Secret == "" || re.Secret == st.Secret {
				t.Fatalf("regenerate = %+v, %v; want a new secret", re, err)
			}
			stored, _ := f.settings.Get(f.ctx, f.orgID, st.Config.ID)
			if got, _ := f.secrets.WebhookSecret(f.ctx, stored.Config); got != re.Secret {
				t.Errorf("stored secret opens to %q, want the new one", got)
			}
		})
		t.Run("list and syncables", func(t *testing.T) {
			l, err := f.settings.List(f.ctx, f.orgID)
			if err != nil || len(l) != 1 || l[0].Integration.Slug != "opendental" {
				t.Fatalf("list = %+v, %v", l, err)
			}
			ss, err := f.settings.Syncables(f.ctx, f.orgID)
			if err != nil || len(ss) != 1 || ss[0].Integration.ID != f.od.ID || ss[0].Config == nil {
				t.Fatalf("syncables = %+v, %v; want Open Dental alone, configured", ss, err)
			}
		})
		t.Run("delete", func(t *testing.T) {
			if _, err := f.settings.Delete(f.ctx, f.orgID, st.Config.ID); err != nil {
				t.Fatalf("delete: %v", err)
			}
			if _, err := f.settings.Get(f.ctx, f.orgID, st.Config.ID); !apperr.IsNotFound(err) {
				t.Fatalf("get after delete: %v, want not_found", err)
			}
		})
		t.Run("save by integration creates once with a secret", func(t *testing.T) {
			first, err := f.settings.Save(f.ctx, f.orgID, f.od.ID, syncsettings.Input{Enabled: ptr(true)})
			if err != nil || first.Secret == "" || first.Config.ID == 0 {
				t.Fatalf("first save = %+v, %v; want a new configuration with its secret", first, err)
			}
			second, err := f.settings.Save(f.ctx, f.orgID, f.od.ID, syncsettings.Input{Enabled: ptr(false)})
			if err != nil || second.Secret != "" || second.Config.ID != first.Config.ID || second.Config.Enabled {
				t.Fatalf("second save = %+v, %v; want the same configuration, off, no new secret", second, err)
			}
			bad, err := f.settings.Save(f.ctx, f.orgID, f.od.ID, syncsettings.Input{Direction: ptr("sideways")})
			if _, ok := testsupport.Problems(t, err)["direction"]; !ok || bad == nil || bad.Config.Direction != "sideways" {
				t.Fatalf("invalid save = %+v, %v; want the submitted setting back with the error", bad, err)
			}
			if _, err := f.settings.Save(f.ctx, f.orgID, 999999, syncsettings.Input{}); !apperr.IsNotFound(err) {
				t.Fatalf("save for an unknown integration: %v, want not_found", err)
			}
		})
	})
}

// mustFail creates in and returns the error it must give.
func (f *fixture) mustFail(in syncsettings.Input) error {
	st, err := f.settings.Create(f.ctx, f.orgID, in)
	if err == nil {
		return apperr.New(apperr.CodeInternal, "created %d", st.Config.ID)
	}
	return err
}
