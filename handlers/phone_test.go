package handlers_test

import (
	"fmt"
	"net/http"
	neturl "net/url"
	"strings"
	"testing"

	"switchboard/testsupport"
)

// TestPhoneSearchEverywhere: a caller's number typed in any format finds
// the patient stored as "(555) 010-2020" through GET /api/patients?phone=,
// MCP find_patients and the patients page's search box.
func TestPhoneSearchEverywhere(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, url string) {
		srv, _ := testsupport.StartDemoOn(t, url)
		org := srv.DemoOrg(t)
		key, _ := testsupport.SeedKey(t, srv.App.Store, org.ID, "agent")
		c := srv.ClientWithKey(t, key)
		var p struct{ ID int64 }
		if r := c.SendJSON("POST", "/api/patients", map[string]any{"first_name": "Ana", "last_name": "Lopez", "phone": "(555) 010-2020"}); r.StatusCode != http.StatusCreated {
			t.Fatalf("create = %d %s", r.StatusCode, r.Body)
		} else {
			r.JSON(t, &p)
		}
		want := fmt.Sprintf(`"id":%d,`, p.ID)
		for _, phone := range []string{"5550102020", "+15550102020", "1 555 010 2020"} {
			if r := c.Get("/api/patients?phone=" + neturl.QueryEscape(phone)); !strings.Contains(r.Body, want) || strings.Count(r.Body, `"first_name"`) != 1 {
				t.Errorf("GET /api/patients?phone=%s = %d %s", phone, r.StatusCode, r.Body)
			}
		}
		if r := c.Get("/api/patients?phone=none"); strings.Contains(r.Body, `"first_name"`) {
			t.Errorf("a phone without digits found %s", r.Body)
		}
		cs := mcpSession(t, srv, key)
		if res, text := callTool(t, cs, "find_patients", map[string]any{"phone": "5550102020"}); res.IsError || !strings.Contains(text, `"first_name":"Ana"`) {
			t.Errorf("find_patients by phone = %v %s", res.IsError, text)
		}
		staff := demoStaff(t, srv)
		if page := staff.Get("/patients?q=5550102020"); !strings.Contains(page.Body, "Ana Lopez") {
			t.Errorf("the search box does not find the number: %.1500s", page.Body)
		}
	})
}
