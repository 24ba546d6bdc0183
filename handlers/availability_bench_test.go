package handlers_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"switchboard/models"
	"switchboard/records"
	"switchboard/testsupport"
)

// BenchmarkAvailability: one provider over 7 days in an organization with
// 2,000 appointments (spread over ten providers and the weeks around the
// range), through the service and through the router (server time on
// loopback). On PostgreSQL too when SWITCHBOARD_TEST_POSTGRES_DSN is set.
func BenchmarkAvailability(b *testing.B) {
	for _, be := range testsupport.Backends() {
		b.Run(be.Name, func(b *testing.B) {
			url := be.URL(b)
			if url == "" {
				b.Skip("no database")
			}
			srv := testsupport.StartServer(b, testsupport.Config(b, url))
			org, _ := testsupport.Seed(b, srv.App.Store, "acme", "owner@acme.test", "owner")
			c := srv.KeyClient(b, org.ID, "admin")
			day := `[{"start":"08:00","end":"17:00"}]`
			body := `{"time_zone": "America/Chicago", "opening_hours": {"mon":` + day + `,"tue":` + day + `,"wed":` + day + `,"thu":` + day + `,"fri":` + day + `}}`
			if r := c.Do("PUT", "/api/admin/organization", strings.NewReader(body), http.Header{"Content-Type": {"application/json"}}); r.StatusCode != http.StatusOK {
				b.Fatalf("PUT organization = %d %s", r.StatusCode, r.Body)
			}
			from := seedAppointments(b, srv.App.Store.Tenant(org.ID), 2000)
			q := records.AvailabilityQuery{From: from.Format(time.DateOnly), To: from.AddDate(0, 0, 6).Format(time.DateOnly),
				DurationMinutes: "30", ProviderRef: "3"}
			svc := records.New(srv.App.Store, srv.App.Sync)
			b.Run("service", func(b *testing.B) {
				for b.Loop() {
					if av, err := svc.Availability(b.Context(), org.ID, q); err != nil || len(av.Slots) == 0 {
						b.Fatalf("availability: %v (%d slots)", err, len(av.Slots))
					}
				}
			})
			path := fmt.Sprintf("/api/availability?from=%s&to=%s&duration_minutes=30&provider_ref=3", q.From, q.To)
			b.Run("router", func(b *testing.B) {
				for b.Loop() {
					if r := c.Get(path); r.StatusCode != http.StatusOK {
						b.Fatalf("GET = %d %s", r.StatusCode, r.Body)
					}
				}
			})
		})
	}
}

// seedAppointments inserts n appointments of ten providers, ten every 90
// minutes round the clock from a week before a week four weeks ahead
// into it, and returns that week's Monday.
func seedAppointments(b *testing.B, t *models.Tenant, n int) time.Time {
	b.Helper()
	p := &models.Patient{FirstName: "Ada", LastName: "Lovelace"}
	if err := t.CreatePatient(b.Context(), p); err != nil {
		b.Fatal(err)
	}
	monday := time.Now().UTC().AddDate(0, 0, 28)
	for monday.Weekday() != time.Monday {
		monday = monday.AddDate(0, 0, 1)
	}
	monday = time.Date(monday.Year(), monday.Month(), monday.Day(), 0, 0, 0, 0, time.UTC)
	start := monday.AddDate(0, 0, -7).Add(14 * time.Hour)
	for i := range n {
		s := start.Add(time.Duration(i/10) * 90 * time.Minute)
		a := &models.Appointment{PatientID: p.ID, Start: s, End: s.Add(30 * time.Minute), DurationMinutes: 30,
			ProviderRef: fmt.Sprint(i % 10), OperatoryRef: fmt.Sprint(i % 10), Status: models.StatusScheduled}
		if err := t.CreateAppointment(b.Context(), a); err != nil {
			b.Fatal(err)
		}
	}
	return monday
}
