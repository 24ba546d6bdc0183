package handlers_test

import (
	"net/http"
	"testing"

	"switchboard/testsupport"
)

// TestListsCarrySyncStates: items of /api/patients and /api/appointments
// carry their sync state per integration, as a single record does.
func TestListsCarrySyncStates(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, url string) {
		srv, _ := testsupport.StartDemoOn(t, url)
		org := srv.DemoOrg(t)
		c := srv.KeyClient(t, org.ID, "agent")
		if r := c.SendJSON("POST", "/api/appointments", map[string]any{"patient_id": 1, "start": "2031-06-02T10:00:00-05:00",
			"duration_minutes": 30, "provider_ref": "1", "operatory_ref": "1"}); r.StatusCode != http.StatusCreated {
			t.Fatalf("book = %d %s", r.StatusCode, r.Body)
		}
		for _, path := range []string{"/api/patients", "/api/appointments"} {
			var l struct {
				Items []struct {
					ID   int64 `json:"id"`
					Sync []struct {
						Integration string `json:"integration"`
						Status      string `json:"status"`
					} `json:"sync"`
				} `json:"items"`
			}
			c.Get(path).JSON(t, &l)
			if len(l.Items) == 0 {
				t.Fatalf("%s lists nothing", path)
			}
			for _, it := range l.Items {
				if len(it.Sync) != 1 || it.Sync[0].Integration != "opendental" || it.Sync[0].Status == "" {
					t.Fatalf("%s item %d sync = %+v, want its Open Dental state", path, it.ID, it.Sync)
				}
			}
		}
	})
}
