package records

import (
	"errors"
	"slices"
	"strconv"
	"testing"
	"time"

	"switchboard/apperr"
	"switchboard/clock"
	"switchboard/models"
)

// FuzzAppointmentTimes checks the record time parser of appointment
// creates and updates: a refusal names its fields; an accepted appointment
// ends after it starts and lasts its duration_minutes (whole minutes), 1 to
// 1440 of them (the limit duration_minutes itself has).
func FuzzAppointmentTimes(f *testing.F) {
	f.Add("2026-03-04T09:30:00-05:00", "", 30, true)
	f.Add("2026-03-04T09:30:00Z", "2026-03-04T10:15:00Z", 0, false)
	f.Add("2026-03-04T09:30:00Z", "2026-03-04T09:30:30Z", 0, false)
	f.Add("2026-03-04T09:30:00Z", "2026-03-09T09:30:00Z", 0, false)
	f.Add("0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", 0, false)
	f.Add("2026-03-04T09:30", "2026-03-04 10:00:00", 1441, true)
	f.Add("2026-03-04T09:30:00Z", "2026-03-04T10:00:00Z", 45, true)
	fields := []string{"patient_id", "start", "end", "duration_minutes", "status"}
	f.Fuzz(func(t *testing.T, start, end string, minutes int, withDuration bool) {
		in := Values{"patient_id": "7", "start": start}
		if end != "" {
			in["end"] = end
		}
		if withDuration {
			in["duration_minutes"] = strconv.Itoa(minutes)
		}
		var a models.Appointment
		err := applyAppointment(&a, in, true, clock.MustZone("America/Chicago"))
		if err != nil {
			var e *apperr.Error
			if !errors.As(err, &e) || e.Code != apperr.CodeValidationFailed || len(e.Fields) == 0 {
				t.Fatalf("refusal is not a validation error naming fields: %v", err)
			}
			for _, fe := range e.Fields {
				if !slices.Contains(fields, fe.Field) {
					t.Fatalf("refusal names %q", fe.Field)
				}
			}
			return
		}
		if a.DurationMinutes < 1 || a.DurationMinutes > 24*60 || !a.End.After(a.Start) ||
			int(a.End.Sub(a.Start)/time.Minute) != a.DurationMinutes {
			t.Fatalf("accepted %s to %s lasting %d minutes", a.Start, a.End, a.DurationMinutes)
		}
	})
}
