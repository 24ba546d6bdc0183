package models_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"switchboard/apperr"
	"switchboard/models"
	"switchboard/testsupport"
)

// slotStore is a migrated store with an organization and one patient.
func slotStore(t *testing.T, dbURL, slug string) (*models.Store, *models.Tenant, int64) {
	t.Helper()
	store := models.NewStore(testsupport.OpenDB(t, dbURL))
	org, _ := testsupport.Seed(t, store, slug, "owner@"+slug+".test", models.RoleOwner)
	tn := store.Tenant(org.ID)
	p := &models.Patient{FirstName: "Ada", LastName: "Lovelace"}
	if err := tn.CreatePatient(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	return store, tn, p.ID
}

var slotDay = time.Date(2030, 3, 4, 0, 0, 0, 0, time.UTC)

// at is 2030-03-04 at hh:mm UTC.
func at(hh, mm int) time.Time {
	return slotDay.Add(time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute)
}

func appointmentAt(patientID int64, start time.Time, minutes int, provider, operatory, status string) *models.Appointment {
	return &models.Appointment{PatientID: patientID, Start: start, End: start.Add(time.Duration(minutes) * time.Minute),
		DurationMinutes: minutes, ProviderRef: provider, OperatoryRef: operatory, Status: status}
}

func ids(as []models.Appointment) []int64 {
	out := []int64{}
	for _, a := range as {
		out = append(out, a.ID)
	}
	return out
}

func TestOverlappingAppointments(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		_, tn, pid := slotStore(t, dbURL, "acme")
		mk := func(start time.Time, minutes int, provider, operatory, status string) int64 {
			a := appointmentAt(pid, start, minutes, provider, operatory, status)
			if err := tn.CreateAppointment(ctx, a); err != nil {
				t.Fatal(err)
			}
			return a.ID
		}
		a := mk(at(10, 0), 30, "P1", "O1", models.StatusScheduled)
		b := mk(at(10, 30), 30, "P1", "O2", models.StatusConfirmed)
		mk(at(10, 0), 30, "P2", "O1", models.StatusCancelled)
		c := mk(at(9, 0), 60, "P3", "O1", models.StatusCompleted)
		// Another organization's appointment of the same refs is not seen.
		_, other, otherPatient := slotStore(t, dbURL, "globex")
		if err := other.CreateAppointment(ctx, appointmentAt(otherPatient, at(10, 0), 30, "P1", "O1", models.StatusScheduled)); err != nil {
			t.Fatal(err)
		}

		tests := []struct {
			name                string
			start, end          time.Time
			provider, operatory string
			exclude             int64
			want                []int64
		}{
			{"the provider's", at(10, 0), at(10, 30), "P1", "", 0, []int64{a}},
			{"the operatory's, the cancelled one left out", at(10, 0), at(10, 30), "", "O1", 0, []int64{a}},
			{"partly overlapping two, earliest first", at(10, 15), at(10, 45), "P1", "", 0, []int64{a, b}},
			{"without itself", at(10, 15), at(10, 45), "P1", "", a, []int64{b}},
			{"provider or operatory", at(9, 30), at(10, 45), "P1", "O1", 0, []int64{c, a, b}},
			{"adjacent before and after", at(10, 30), at(11, 0), "", "O1", 0, []int64{}},
			{"ending where another starts", at(9, 30), at(10, 0), "P1", "", 0, []int64{}},
			{"no refs match nothing", at(0, 0), at(23, 0), "", "", 0, []int64{}},
		}
		for _, tt := range tests {
			got, err := tn.OverlappingAppointments(ctx, tt.start, tt.end, tt.provider, tt.operatory, tt.exclude)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(ids(got), tt.want) {
				t.Errorf("%s: got %v, want %v", tt.name, ids(got), tt.want)
			}
		}
	})
}

func TestClaimSlot(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		_, tn, pid := slotStore(t, dbURL, "acme")
		held := appointmentAt(pid, at(10, 0), 30, "P1", "O1", models.StatusScheduled)
		if err := tn.CreateAppointment(ctx, held); err != nil {
			t.Fatal(err)
		}
		taken := appointmentAt(pid, at(10, 15), 30, "", "O1", models.StatusScheduled)
		e, ok := apperr.As(tn.ClaimSlot(ctx, taken))
		if !ok || e.Code != apperr.CodeSlotTaken {
			t.Fatalf("claiming a held slot = %v, want slot_taken", e)
		}
		if id, _ := e.ConflictingAppointmentID(); id != held.ID {
			t.Errorf("conflicting appointment = %d, want %d", id, held.ID)
		}
		if err := tn.ClaimSlot(ctx, held); err != nil {
			t.Errorf("an appointment claiming its own slot = %v", err)
		}
		taken.Status = models.StatusCancelled
		if err := tn.ClaimSlot(ctx, taken); err != nil {
			t.Errorf("a cancelled appointment claiming a held slot = %v", err)
		}
		taken.Status = models.StatusScheduled
		org, _ := tn.Organization(ctx)
		s := org.Settings()
		s.AllowOverlaps = true
		if _, _, err := tn.UpdateOrganization(ctx, s); err != nil {
			t.Fatal(err)
		}
		if err := tn.ClaimSlot(ctx, taken); err != nil {
			t.Errorf("with allow_overlaps, claiming a held slot = %v", err)
		}
	})
}

// TestClaimSlotInConcurrentTransactions books one slot from 20
// transactions at once, each claiming then inserting: exactly one commits.
func TestClaimSlotInConcurrentTransactions(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		_, tn, pid := slotStore(t, dbURL, "acme")
		const n = 20
		errs := make([]error, n)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				errs[i] = tn.InTx(ctx, func(tx *models.Tenant) error {
					a := appointmentAt(pid, at(10, 0), 30, "P1", "O1", models.StatusScheduled)
					if err := tx.ClaimSlot(ctx, a); err != nil {
						return err
					}
					return tx.CreateAppointment(ctx, a)
				})
			}()
		}
		close(start)
		wg.Wait()
		booked := 0
		for _, err := range errs {
			switch {
			case err == nil:
				booked++
			case apperr.Code(err) != apperr.CodeSlotTaken:
				t.Errorf("a transaction failed otherwise: %v", err)
			}
		}
		got, err := tn.OverlappingAppointments(ctx, at(10, 0), at(10, 30), "P1", "O1", 0)
		if err != nil {
			t.Fatal(err)
		}
		if booked != 1 || len(got) != 1 {
			t.Fatalf("%d transactions committed, %d appointments hold the slot; want 1 and 1", booked, len(got))
		}
	})
}

// TestOverlapQueryIsBoundedByTheLongestSpan: the overlap query reads only
// appointments starting less than a day before the interval, and still
// finds a day-long booking that began 23 hours earlier.
func TestOverlapQueryIsBoundedByTheLongestSpan(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		_, tn, pid := slotStore(t, dbURL, "acme")
		long := appointmentAt(pid, at(10, 0).Add(-23*time.Hour), 1440, "P1", "", models.StatusScheduled)
		old := appointmentAt(pid, at(10, 0).Add(-72*time.Hour), 60, "P1", "", models.StatusScheduled)
		for _, a := range []*models.Appointment{long, old} {
			if err := tn.CreateAppointment(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
		got, err := tn.OverlappingAppointments(ctx, at(10, 0), at(10, 30), "P1", "", 0)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(ids(got), []int64{long.ID}) {
			t.Errorf("overlapping = %v, want only the day-long booking %d", ids(got), long.ID)
		}
		err = tn.ClaimSlot(ctx, appointmentAt(pid, at(10, 0), 30, "P1", "", models.StatusScheduled))
		if apperr.Code(err) != apperr.CodeSlotTaken {
			t.Errorf("claim = %v, want slot_taken", err)
		}
	})
}

// TestClaimSlotLocksOnlyTheTimeItTakes: bookings of one provider that
// overlap each other by a few minutes, across the half-hour stretches the
// PostgreSQL locks cover, never both commit; a booking of the same provider
// at another time does not wait for an open transaction that claimed 9:00
// (PostgreSQL; SQLite runs one write at a time).
func TestClaimSlotLocksOnlyTheTimeItTakes(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		store, tn, pid := slotStore(t, dbURL, "acme")
		const n = 24
		errs := make([]error, n)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				errs[i] = tn.InTx(ctx, func(tx *models.Tenant) error {
					// 35 minutes from 9:00 + 10·i: each overlaps its neighbours.
					a := appointmentAt(pid, at(9, 0).Add(time.Duration(10*i)*time.Minute), 35, "P1", "", models.StatusScheduled)
					if err := tx.CreateAppointment(ctx, a); err != nil {
						return err
					}
					return tx.ClaimSlot(ctx, a)
				})
			}()
		}
		close(start)
		wg.Wait()
		for _, err := range errs {
			if err != nil && apperr.Code(err) != apperr.CodeSlotTaken {
				t.Errorf("a transaction failed otherwise: %v", err)
			}
		}
		got, err := tn.OverlappingAppointments(ctx, at(0, 0), at(23, 0), "P1", "", 0)
		if err != nil {
			t.Fatal(err)
		}
		for i := 1; i < len(got); i++ {
			if got[i].Start.Before(got[i-1].End) {
				t.Errorf("both committed: %s–%s and %s–%s", got[i-1].Start.Format("15:04"), got[i-1].End.Format("15:04"),
					got[i].Start.Format("15:04"), got[i].End.Format("15:04"))
			}
		}
		// Each refusal was right: something committed is in its way.
		for i, err := range errs {
			if err == nil {
				continue
			}
			s := at(9, 0).Add(time.Duration(10*i) * time.Minute)
			if !slices.ContainsFunc(got, func(b models.Appointment) bool { return b.Start.Before(s.Add(35*time.Minute)) && s.Before(b.End) }) {
				t.Errorf("the booking at %s was refused with nothing in its way", s.Format("15:04"))
			}
		}
		if store.DB().Dialect().Name().String() != "pg" {
			return
		}

		// An open transaction holds 14:00–14:30 of P1; 15:00 of P1 goes
		// ahead, 14:20 waits for it and then finds the slot taken.
		claimed, release := make(chan struct{}), make(chan struct{})
		first := make(chan error, 1)
		go func() {
			first <- tn.InTx(ctx, func(tx *models.Tenant) error {
				a := appointmentAt(pid, at(14, 0), 30, "P1", "O1", models.StatusScheduled)
				if err := tx.CreateAppointment(ctx, a); err != nil {
					return err
				}
				if err := tx.ClaimSlot(ctx, a); err != nil {
					return err
				}
				close(claimed)
				<-release
				return nil
			})
		}()
		<-claimed
		book := func(hh, mm int) error {
			return tn.InTx(ctx, func(tx *models.Tenant) error {
				a := appointmentAt(pid, at(hh, mm), 30, "P1", "O1", models.StatusScheduled)
				if err := tx.CreateAppointment(ctx, a); err != nil {
					return err
				}
				return tx.ClaimSlot(ctx, a)
			})
		}
		other := make(chan error, 1)
		go func() { other <- book(15, 0) }()
		select {
		case err := <-other:
			if err != nil {
				t.Fatalf("15:00: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("a booking at 15:00 waited for the open transaction of 14:00")
		}
		overlapping := make(chan error, 1)
		go func() { overlapping <- book(14, 20) }()
		select {
		case err := <-overlapping:
			t.Fatalf("14:20 did not wait for the open transaction of 14:00: %v", err)
		case <-time.After(300 * time.Millisecond):
		}
		close(release)
		if err := <-first; err != nil {
			t.Fatal(err)
		}
		if err := <-overlapping; apperr.Code(err) != apperr.CodeSlotTaken {
			t.Fatalf("14:20 = %v, want slot_taken", err)
		}
	})
}
