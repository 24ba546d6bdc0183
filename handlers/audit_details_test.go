package handlers_test

import (
	"strings"
	"testing"

	"switchboard/accounts"
	"switchboard/testsupport"
)

// TestAuditDetailsReadAsWords: the audit log shows an entry's details as
// "direction: dual-write → bidirectional; fields changed: email, phone",
// not the stored JSON.
func TestAuditDetailsReadAsWords(t *testing.T) {
	srv, _, orgID := adminAPI(t, testsupport.SQLiteURL(t))
	srv.App.Accounts.Audit().Record(t.Context(), accounts.Actor{OrgID: orgID, Name: "owner@acme.test"}, accounts.ActionSyncSettingsUpdated,
		accounts.TargetOf("integration", 1), map[string]any{"direction": map[string]any{"from": "dual_write", "to": "bidirectional"},
			"fields_changed": []string{"email", "phone"}})
	owner := srv.NewClient(t)
	owner.Login("owner@acme.test", testsupport.Password)
	body := owner.Get("/audit").Body
	want := "direction: dual-write → bidirectional; fields changed: email, phone"
	if !strings.Contains(body, `data-testid="audit-details">`+want+`<`) {
		t.Fatalf("the audit log does not read %q:\n%.3000s", want, body)
	}
	if strings.Contains(body, `{&#34;direction`) || strings.Contains(body, `{"direction`) {
		t.Fatal("the audit log still shows raw JSON")
	}
}
