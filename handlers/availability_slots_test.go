package handlers_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"switchboard/testsupport"
)

// A synced practice system with sync.appointment.slots is authoritative:
// only free times inside its slots (consecutive ones joined) are answered,
// and it is asked with the range's dates, the length and the provider.
func TestAvailabilityIntersectsThePracticeSystemsSlots(t *testing.T) {
	var mu sync.Mutex
	var asked url.Values
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		asked = r.URL.Query()
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode([]map[string]any{
			{"DateTimeStart": "2027-03-15 09:00:00", "DateTimeEnd": "2027-03-15 09:30:00", "ProvNum": 7},
			{"DateTimeStart": "2027-03-15 09:30:00", "DateTimeEnd": "2027-03-15 10:00:00", "ProvNum": 7},
			{"DateTimeStart": "2027-03-15 11:00:00", "DateTimeEnd": "2027-03-15 11:30:00", "ProvNum": 7},
			{"DateTimeStart": "2027-03-15 08:00:00", "DateTimeEnd": "2027-03-15 12:00:00", "ProvNum": 8},
		})
	}))
	t.Cleanup(up.Close)
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		c, _ := availabilityPractice(t, dbURL)
		doc := `{"slug":"pms","name":"PMS","time_zone":"practice","base_url":{"production":"` + up.URL + `"},"endpoints":[` +
			`{"function":"Slots","method":"GET","path":"/slots","params":[{"name":"dateStart","in":"query","type":"string"},` +
			`{"name":"dateEnd","in":"query","type":"string"},{"name":"lengthMinutes","in":"query","type":"integer"},` +
			`{"name":"ProvNum","in":"query","type":"integer"}]},` +
			`{"function":"Book","method":"POST","path":"/appointments","writes":true}],` +
			`"parameter_maps":[{"internal":"from","external":"dateStart","direction":"request"},{"internal":"to","external":"dateEnd","direction":"request"},` +
			`{"internal":"duration_minutes","external":"lengthMinutes","direction":"request"},{"internal":"provider_ref","external":"ProvNum"},` +
			`{"internal":"start","external":"DateTimeStart","transform":"format_datetime:2006-01-02T15:04:05Z07:00","direction":"response"},` +
			`{"internal":"end","external":"DateTimeEnd","transform":"format_datetime:2006-01-02T15:04:05Z07:00","direction":"response"}],` +
			`"sync":{"appointment":{"create":"Book","slots":"Slots"}}}`
		if r := c.Do("POST", "/api/admin/integrations", strings.NewReader(doc), http.Header{"Content-Type": {"application/json"}}); r.StatusCode != 201 {
			t.Fatalf("create integration = %d %s", r.StatusCode, r.Body)
		}
		if r := c.SendJSON("POST", "/api/admin/integration-settings", map[string]any{"integration": "pms", "enabled": true,
			"direction": "dual_write", "entities": []string{"appointment"}, "conflict_resolution": "newest_wins"}); r.StatusCode != 201 {
			t.Fatalf("create settings = %d %s", r.StatusCode, r.Body)
		}
		q := url.Values{"from": {"2027-03-15"}, "to": {"2027-03-15"}, "duration_minutes": {"30"}, "provider_ref": {"7"}}
		got := strings.Join(availabilityStarts(t, c, q), " ")
		want := "2027-03-15T09:00:00-05:00 2027-03-15T09:15:00-05:00 2027-03-15T09:30:00-05:00 2027-03-15T11:00:00-05:00"
		if got != want {
			t.Errorf("intersected:\n got %s\nwant %s", got, want)
		}
		mu.Lock()
		defer mu.Unlock()
		if asked.Get("dateStart") != "2027-03-15" || asked.Get("dateEnd") != "2027-03-15" || asked.Get("lengthMinutes") != "30" || asked.Get("ProvNum") != "7" {
			t.Errorf("the system was asked %v", asked)
		}
	})
}
