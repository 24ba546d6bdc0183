package handlers_test

import (
	"net/http"
	"strings"
	"testing"

	"switchboard/testsupport"
)

// TestCancelledStaysCancelled: cancelling a cancelled appointment answers
// 200 and sends nothing (no new sync job); moving it answers 409
// appointment_cancelled and changes nothing; a note may still be added.
func TestCancelledStaysCancelled(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		srv, _ := testsupport.StartDemoOn(t, dbURL)
		org := srv.DemoOrg(t)
		c := srv.KeyClient(t, org.ID, "agent")
		r := c.SendJSON("POST", "/api/appointments", map[string]any{"patient_id": 1, "start": "2031-06-04T10:00", "duration_minutes": 30,
			"provider_ref": "1", "operatory_ref": "1"})
		var a struct{ ID int64 }
		r.JSON(t, &a)
		if r.StatusCode != http.StatusCreated {
			t.Fatalf("book = %d %s", r.StatusCode, r.Body)
		}
		path := "/api/appointments/" + itoa(a.ID)
		jobs := func() (n int) {
			if err := srv.App.DB.NewRaw("SELECT count(*) FROM sync_jobs WHERE entity = 'appointment' AND local_id = ?", a.ID).Scan(t.Context(), &n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		if r := c.Do("DELETE", path, nil, nil); r.StatusCode != http.StatusOK || !strings.Contains(r.Body, `"status":"cancelled"`) {
			t.Fatalf("cancel = %d %s", r.StatusCode, r.Body)
		}
		settleSync(t, srv)
		before := jobs()
		if r := c.Do("DELETE", path, nil, nil); r.StatusCode != http.StatusOK || !strings.Contains(r.Body, `"status":"cancelled"`) {
			t.Fatalf("second cancel = %d %s", r.StatusCode, r.Body)
		}
		if after := jobs(); after != before {
			t.Fatalf("the second cancel queued work: %d jobs → %d", before, after)
		}
		r = c.SendJSON("PATCH", path, map[string]any{"start": "2031-06-04T11:00"})
		if r.StatusCode != http.StatusConflict || !strings.Contains(r.Body, `"code":"appointment_cancelled"`) {
			t.Fatalf("moving a cancelled appointment = %d %s", r.StatusCode, r.Body)
		}
		if got := c.Get(path); !strings.Contains(got.Body, `"start":"2031-06-04T10:00:00-05:00"`) || jobs() != before {
			t.Fatalf("the refused move changed something: %s", got.Body)
		}
		if r := c.SendJSON("PATCH", path, map[string]any{"notes": "called to say sorry"}); r.StatusCode != http.StatusOK {
			t.Fatalf("a note on a cancelled appointment = %d %s", r.StatusCode, r.Body)
		}
	})
}
