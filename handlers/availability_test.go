package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"switchboard/testsupport"
)

type availabilityOut struct {
	Items []struct {
		Start        string `json:"start"`
		End          string `json:"end"`
		ProviderRef  string `json:"provider_ref"`
		OperatoryRef string `json:"operatory_ref"`
	} `json:"items"`
}

// availabilityStarts asks GET /api/availability and returns the slot starts.
func availabilityStarts(t *testing.T, c *testsupport.Client, q url.Values) []string {
	t.Helper()
	r := c.Get("/api/availability?" + q.Encode())
	if r.StatusCode != http.StatusOK {
		t.Fatalf("GET /api/availability?%s = %d %s", q.Encode(), r.StatusCode, r.Body)
	}
	var out availabilityOut
	r.JSON(t, &out)
	starts := make([]string, 0, len(out.Items))
	for _, it := range out.Items {
		starts = append(starts, it.Start)
	}
	return starts
}

// hourly lists day's starts at the given hours with a fixed offset.
func hourly(day, offset string, hours ...int) []string {
	var out []string
	for _, h := range hours {
		out = append(out, fmt.Sprintf("%sT%02d:00:00%s", day, h, offset))
	}
	return out
}

// availabilityPractice sets up a Chicago practice open 08:00–12:00 every
// day, with a patient, and returns the admin client and the patient id.
func availabilityPractice(t *testing.T, dbURL string) (*testsupport.Client, int64) {
	t.Helper()
	_, c, _ := adminAPI(t, dbURL)
	day := `[{"start":"08:00","end":"12:00"}]`
	body := `{"time_zone": "America/Chicago", "opening_hours": {"mon":` + day + `,"tue":` + day + `,"wed":` + day +
		`,"thu":` + day + `,"fri":` + day + `,"sat":` + day + `,"sun":` + day + `}}`
	if r := c.Do("PUT", "/api/admin/organization", strings.NewReader(body), http.Header{"Content-Type": {"application/json"}}); r.StatusCode != http.StatusOK {
		t.Fatalf("PUT organization = %d %s", r.StatusCode, r.Body)
	}
	r := c.SendJSON("POST", "/api/patients", map[string]any{"first_name": "Ada", "last_name": "Lovelace"})
	if r.StatusCode != http.StatusCreated {
		t.Fatalf("POST /api/patients = %d %s", r.StatusCode, r.Body)
	}
	var p recordOut
	r.JSON(t, &p)
	return c, p.ID
}

func book(t *testing.T, c *testsupport.Client, patientID int64, start, provider, operatory string) int64 {
	t.Helper()
	r := c.SendJSON("POST", "/api/appointments", map[string]any{"patient_id": patientID, "start": start,
		"duration_minutes": 60, "provider_ref": provider, "operatory_ref": operatory})
	if r.StatusCode != http.StatusCreated {
		t.Fatalf("POST /api/appointments %s = %d %s", start, r.StatusCode, r.Body)
	}
	var a recordOut
	r.JSON(t, &a)
	return a.ID
}

// The week of 14 March 2027, when Chicago moves its clocks forward: the
// opening hours stay 08:00–12:00 local on either side (offset -06:00, then
// -05:00); booked appointments of the provider or of the operatory are
// taken out, cancelled ones are not, and the step sets the grid.
func TestAvailabilityOpeningHoursAppointmentsAndSteps(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		c, pid := availabilityPractice(t, dbURL)
		book(t, c, pid, "2027-03-15T09:00:00-05:00", "7", "1")
		cancelled := book(t, c, pid, "2027-03-15T10:00:00-05:00", "7", "3")
		if r := c.SendJSON("DELETE", fmt.Sprintf("/api/appointments/%d", cancelled), nil); r.StatusCode >= 300 {
			t.Fatalf("cancel = %d %s", r.StatusCode, r.Body)
		}
		book(t, c, pid, "2027-03-15T11:00:00-05:00", "8", "2")

		q := url.Values{"from": {"2027-03-13"}, "to": {"2027-03-15"}, "duration_minutes": {"60"}, "step_minutes": {"60"}, "provider_ref": {"7"}}
		got := availabilityStarts(t, c, q)
		want := append(append(hourly("2027-03-13", "-06:00", 8, 9, 10, 11), hourly("2027-03-14", "-05:00", 8, 9, 10, 11)...),
			hourly("2027-03-15", "-05:00", 8, 10, 11)...)
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("provider 7 over the DST change:\n got %v\nwant %v", got, want)
		}

		q = url.Values{"from": {"2027-03-15"}, "to": {"2027-03-15"}, "duration_minutes": {"60"}, "step_minutes": {"60"}, "operatory_ref": {"2"}}
		if got, want := availabilityStarts(t, c, q), hourly("2027-03-15", "-05:00", 8, 9, 10); strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("operatory 2: got %v, want %v", got, want)
		}
		q.Set("provider_ref", "7")
		if got, want := availabilityStarts(t, c, q), hourly("2027-03-15", "-05:00", 8, 10); strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("provider 7 and operatory 2: got %v, want %v", got, want)
		}

		// Default step 15: 08:00, 08:15 … 11:00 for an hour's slot.
		q = url.Values{"from": {"2027-03-13"}, "to": {"2027-03-13"}, "duration_minutes": {"60"}}
		got = availabilityStarts(t, c, q)
		if len(got) != 13 || got[0] != "2027-03-13T08:00:00-06:00" || got[1] != "2027-03-13T08:15:00-06:00" || got[12] != "2027-03-13T11:00:00-06:00" {
			t.Errorf("default step: got %v", got)
		}
		// A date-time range: 09:10 to 10:40 fits one 30-minute slot per half hour boundary.
		q = url.Values{"from": {"2027-03-13T09:10"}, "to": {"2027-03-13T10:40:00-06:00"}, "duration_minutes": {"30"}, "step_minutes": {"30"}}
		if got := availabilityStarts(t, c, q); strings.Join(got, " ") != "2027-03-13T09:30:00-06:00 2027-03-13T10:00:00-06:00" {
			t.Errorf("date-time range: got %v", got)
		}
		// The past is never free.
		q = url.Values{"from": {"2020-03-02"}, "to": {"2020-03-06"}, "duration_minutes": {"30"}}
		if got := availabilityStarts(t, c, q); len(got) != 0 {
			t.Errorf("a past week: got %v, want no slots", got)
		}
	})
}

func TestAvailabilityRefusesBadParameters(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		c, _ := availabilityPractice(t, dbURL)
		for _, tt := range []struct{ query, field string }{
			{"to=2027-03-15&duration_minutes=30", "from"},
			{"from=2027-13-01&to=2027-03-15&duration_minutes=30", "from"},
			{"from=2027-03-01&to=soon&duration_minutes=30", "to"},
			{"from=2027-03-15&to=2027-03-14&duration_minutes=30", "to"},
			{"from=2027-03-01&to=2027-04-01&duration_minutes=30", "to"},
			{"from=2027-03-01&to=2027-03-02", "duration_minutes"},
			{"from=2027-03-01&to=2027-03-02&duration_minutes=0", "duration_minutes"},
			{"from=2027-03-01&to=2027-03-02&duration_minutes=-15", "duration_minutes"},
			{"from=2027-03-01&to=2027-03-02&duration_minutes=1.5", "duration_minutes"},
			{"from=2027-03-01&to=2027-03-02&duration_minutes=30&step_minutes=0", "step_minutes"},
			{"from=2027-03-01&to=2027-03-02&duration_minutes=30&step_minutes=x", "step_minutes"},
		} {
			fields := problemFields(t, c.Get("/api/availability?"+tt.query))
			if _, ok := fields[tt.field]; !ok || len(fields) != 1 {
				t.Errorf("?%s: fields %v, want only %s", tt.query, fields, tt.field)
			}
		}
		// 31 days is the longest range.
		if r := c.Get("/api/availability?from=2027-03-01&to=2027-03-31&duration_minutes=30"); r.StatusCode != http.StatusOK {
			t.Errorf("31 days = %d %s, want 200", r.StatusCode, r.Body)
		}
		if r := srvNoAuth(t, c); r.StatusCode != http.StatusUnauthorized {
			t.Errorf("without credentials = %d, want 401", r.StatusCode)
		}
	})
}

// srvNoAuth asks availability without the client's key.
func srvNoAuth(t *testing.T, c *testsupport.Client) *testsupport.Response {
	t.Helper()
	key := c.Header.Get("Authorization")
	c.Header.Del("Authorization")
	defer c.Header.Set("Authorization", key)
	return c.Get("/api/availability?from=2027-03-01&to=2027-03-02&duration_minutes=30")
}
