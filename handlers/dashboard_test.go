package handlers_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"switchboard/clock"
	"switchboard/integrations/definition"
	"switchboard/models"
	"switchboard/testsupport"
)

// TestDashboardCountsEveryCallOfTheDay: the dashboard counts all of the
// day's calls, per hour and per integration, however many there are (it
// used to read at most 100,000 rows and drop the oldest).
func TestDashboardCountsEveryCallOfTheDay(t *testing.T) {
	srv := startIdentity(t, testsupport.SQLiteURL(t))
	org, _ := testsupport.Seed(t, srv.App.Store, "acme", "owner@acme.test", "owner")
	doc := &definition.Document{Slug: "od", Name: "Open Dental", BaseURL: map[string]string{"production": "https://od.example.com"},
		Endpoints: []definition.Endpoint{{Function: "Ping", Method: "GET", Path: "/ping"}}}
	if _, err := srv.App.Registry.Create(t.Context(), org.ID, doc, ""); err != nil {
		t.Fatal(err)
	}
	recent := time.Now().UTC().Add(-time.Hour).Truncate(time.Second)
	oldest := recent.Add(-2 * time.Hour)
	const n = 100_000
	batch := make([]models.APICall, 0, 5000)
	for i := range n + 1 {
		at, ok := recent, true
		if i == n {
			at, ok = oldest, false
		}
		batch = append(batch, models.APICall{OrganizationID: org.ID, Provider: "od", Function: "Ping", Environment: "production",
			OK: ok, Caller: "test", CreatedAt: at, UpdatedAt: at})
		if len(batch) == cap(batch) || i == n {
			if err := srv.App.Store.InsertAPICalls(t.Context(), batch); err != nil {
				t.Fatal(err)
			}
			batch = batch[:0]
		}
	}

	c := srv.NewClient(t)
	c.Login("owner@acme.test", testsupport.Password)
	r := c.Get("/")
	if r.StatusCode != 200 {
		t.Fatalf("GET / = %d", r.StatusCode)
	}
	for label, want := range map[string]string{"Calls 24h": "100001", "Failed calls 24h": "1"} {
		if got := statValue(r.Body, label); got != want {
			t.Errorf("stat %q = %q, want %q", label, got, want)
		}
	}
	for _, want := range []string{
		fmt.Sprintf("%s: %d calls, 0 failed", recent.Truncate(time.Hour).Format("15:04"), n),
		fmt.Sprintf("%s: 1 calls, 1 failed", oldest.Truncate(time.Hour).Format("15:04")),
	} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("the chart has no bar %q", want)
		}
	}
	row := r.Body[strings.Index(r.Body, `data-testid="health-od"`):]
	row = row[:strings.Index(row, "</tr>")]
	if !strings.Contains(row, ">100001<") || !strings.Contains(row, clock.UTC().FormatPage(recent)) {
		t.Errorf("health row of od = %s", row)
	}
}

// statValue is the number shown on the dashboard card labelled label.
func statValue(body, label string) string {
	re := regexp.MustCompile(`data-testid="stat-` + regexp.QuoteMeta(label) + `"(?s:.*?)data-testid="stat-value">([^<]*)<`)
	if m := re.FindStringSubmatch(body); m != nil {
		return m[1]
	}
	return ""
}
