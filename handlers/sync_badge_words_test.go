package handlers_test

import (
	"fmt"
	"html"
	"strings"
	"testing"

	"switchboard/apperr"
)

// TestSyncBadgesSayTheErrorInWords: a record whose sync failed shows the
// error's code in a sentence on its page, not the bare code.
func TestSyncBadgesSayTheErrorInWords(t *testing.T) {
	srv, agent := demoAgent(t)
	staff := demoStaff(t, srv)
	switchOutage(t, staff, true)
	defer switchOutage(t, staff, false)
	var out struct {
		ID   int64 `json:"id"`
		Sync []struct {
			Integration string `json:"integration"`
			Error       string `json:"error"`
		} `json:"sync"`
	}
	r := agent.SendJSON("POST", "/api/patients?wait=5s", map[string]any{"first_name": "Wor", "last_name": "Ds"})
	r.JSON(t, &out)
	if r.StatusCode != 201 || len(out.Sync) == 0 || out.Sync[0].Error == "" {
		t.Fatalf("create during the outage = %d %s", r.StatusCode, r.Body)
	}
	explained := apperr.ExplainText(out.Sync[0].Error)
	if explained == out.Sync[0].Error {
		t.Fatalf("the outage's error %q carries no known code", out.Sync[0].Error)
	}
	page := staff.Get(fmt.Sprintf("/patients/%d", out.ID)).Body
	if !strings.Contains(page, html.EscapeString(explained)) {
		t.Errorf("the patient page does not say %q:\n%.3000s", explained, page)
	}
}
