package sandbox

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestOpenDentalAppointmentCreateValidation(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name string
		body map[string]any
		want string
	}{
		{"PatNum is required", map[string]any{"AptDateTime": "2026-03-04 09:00:00"}, "PatNum is required."},
		{"PatNum must be a number", map[string]any{"PatNum": "abc", "AptDateTime": "2026-03-04 09:00:00", "Op": 1}, "PatNum must be a whole number."},
		{"PatNum must exist", map[string]any{"PatNum": 999, "AptDateTime": "2026-03-04 09:00:00", "Op": 1}, "PatNum is invalid. Patient does not exist."},
		{"AptDateTime is required", map[string]any{"PatNum": 1}, "AptDateTime is required."},
		{"Op is required", map[string]any{"PatNum": 1, "AptDateTime": "2026-03-04 09:00:00"}, "Op is required."},
		{"AptDateTime must be yyyy-MM-dd HH:mm:ss", map[string]any{"PatNum": 1, "AptDateTime": "2026-03-04T09:00:00Z", "Op": 1},
			"AptDateTime is not in a valid format (yyyy-MM-dd HH:mm:ss)."},
		{"a date alone is not a datetime", map[string]any{"PatNum": 1, "AptDateTime": "2026-03-04", "Op": 1},
			"AptDateTime is not in a valid format (yyyy-MM-dd HH:mm:ss)."},
		{"Pattern holds only X and /", map[string]any{"PatNum": 1, "AptDateTime": "2026-03-04 09:00:00", "Op": 1, "Pattern": "XXA"},
			"Pattern is invalid. Use X and / in 5 minute increments."},
		{"Op must exist", map[string]any{"PatNum": 1, "AptDateTime": "2026-03-04 09:00:00", "Op": 9}, "Op is invalid."},
		{"ProvNum must exist", map[string]any{"PatNum": 1, "AptDateTime": "2026-03-04 09:00:00", "Op": 1, "ProvNum": 9}, "ProvNum is invalid."},
		{"AptStatus must be known", map[string]any{"PatNum": 1, "AptDateTime": "2026-03-04 09:00:00", "Op": 1, "AptStatus": "Maybe"}, "AptStatus is invalid."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := f.od(t, http.MethodPost, "/appointments", tt.body)
			if a.status != http.StatusBadRequest || a.message(t) != tt.want {
				t.Errorf("POST = %d %s, want 400 %q", a.status, a.body, tt.want)
			}
		})
	}
	if n := f.sb.Created().OpenDentalAppointments; n != 0 {
		t.Errorf("Created().OpenDentalAppointments = %d after refused creates, want 0", n)
	}
}

func TestOpenDentalAppointmentCreateDefaults(t *testing.T) {
	f := newFixture(t)
	a := f.createAppointment(t, map[string]any{"PatNum": "4", "AptDateTime": "2026-03-04 13:00:00", "Op": 2, "Note": "Cleaning & check"})
	want := OpenDentalAppointment{
		AptNum: 4, PatNum: 4, AptStatus: "Scheduled", Pattern: "/XX/", Confirmed: 19, ConfirmedText: "Not Called",
		Op: 2, Note: "Cleaning & check", ProvNum: 2, ProvAbbr: "DOC2", AptDateTime: "2026-03-04 13:00:00",
		IsHygiene: "false", IsNewPatient: "false", Priority: "Normal", DateTStamp: "2026-03-02 07:30:00",
		SecDateTEntry: "2026-03-02 07:30:00", ServerDateTime: "2026-03-02 07:30:00",
	}
	if a != want {
		t.Errorf("created\n got %+v\nwant %+v", a, want)
	}
	var list []OpenDentalAppointment
	f.od(t, http.MethodGet, "/appointments?PatNum=4", nil).decode(t, &list)
	if len(list) != 1 || list[0].AptNum != 4 {
		t.Errorf("GET ?PatNum=4 = %+v, want the new appointment", list)
	}
	f.od(t, http.MethodGet, "/appointments?date=2026-03-03", nil).decode(t, &list)
	if len(list) != 3 {
		t.Errorf("GET ?date=2026-03-03 = %d appointments, want the 3 seeded on Tuesday", len(list))
	}
	f.od(t, http.MethodGet, "/appointments?dateStart=2026-03-04&dateEnd=2026-03-10&Limit=1", nil).decode(t, &list)
	if len(list) != 1 || list[0].AptNum != 4 {
		t.Errorf("GET date range = %+v, want the new appointment", list)
	}
}

func TestOpenDentalAppointmentUpdate(t *testing.T) {
	f := newFixture(t)
	f.clock.Advance(time.Minute)
	a := f.od(t, http.MethodPut, "/appointments/1", map[string]any{"AptDateTime": "2026-03-05 11:00:00", "Op": 1, "Pattern": "/xxxx/"})
	var got OpenDentalAppointment
	a.decode(t, &got)
	if a.status != http.StatusOK || got.AptDateTime != "2026-03-05 11:00:00" || got.Pattern != "/XXXX/" ||
		got.DateTStamp != "2026-03-02 07:31:00" || got.Op != 1 {
		t.Errorf("PUT = %d %+v, want the new time and pattern, a new DateTStamp, the same Op", a.status, got)
	}
	if a := f.od(t, http.MethodPut, "/appointments/1", map[string]any{"PatNum": 2}); a.status != http.StatusBadRequest {
		t.Errorf("PUT changing PatNum = %d, want 400", a.status)
	}
	if a := f.od(t, http.MethodPut, "/appointments/77", map[string]any{"Note": "x"}); a.status != http.StatusNotFound {
		t.Errorf("PUT unknown appointment = %d, want 404", a.status)
	}
}

func TestOpenDentalBreakAndConfirm(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name       string
		path       string
		body       any
		wantStatus int
		wantApt    string // AptStatus/Confirmed/confirmed after the call
	}{
		{"confirm by confirmVal", "/appointments/1/Confirm", map[string]any{"confirmVal": "Confirmed"}, 200, "Scheduled/21/Appointment Confirmed"},
		{"confirm by defNum", "/appointments/1/Confirm", map[string]any{"defNum": 23}, 200, "Scheduled/23/Texted"},
		{"confirm needs a value", "/appointments/1/Confirm", map[string]any{}, 400, "Scheduled/23/Texted"},
		{"confirm refuses an unknown value", "/appointments/1/Confirm", map[string]any{"confirmVal": "Perhaps"}, 400, "Scheduled/23/Texted"},
		{"confirm refuses an unknown defNum", "/appointments/1/Confirm", map[string]any{"defNum": 7}, 400, "Scheduled/23/Texted"},
		{"break a scheduled appointment", "/appointments/1/Break", nil, 200, "Broken/23/Texted"},
		{"break again changes nothing", "/appointments/1/Break", nil, 200, "Broken/23/Texted"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := f.od(t, http.MethodPut, tt.path, tt.body)
			if a.status != tt.wantStatus {
				t.Fatalf("PUT %s = %d %s, want %d", tt.path, a.status, a.body, tt.wantStatus)
			}
			var apt OpenDentalAppointment
			f.od(t, http.MethodGet, "/appointments/1", nil).decode(t, &apt)
			if got := fmt.Sprintf("%s/%d/%s", apt.AptStatus, apt.Confirmed, apt.ConfirmedText); got != tt.wantApt {
				t.Errorf("appointment = %s, want %s", got, tt.wantApt)
			}
		})
	}
	t.Run("a completed appointment cannot be broken", func(t *testing.T) {
		f.od(t, http.MethodPut, "/appointments/2", map[string]any{"AptStatus": "Complete"})
		if a := f.od(t, http.MethodPut, "/appointments/2/Break", nil); a.status != http.StatusBadRequest {
			t.Errorf("Break = %d, want 400", a.status)
		}
	})
	t.Run("an unknown appointment is not found", func(t *testing.T) {
		if a := f.od(t, http.MethodPut, "/appointments/99/Break", nil); a.status != http.StatusNotFound {
			t.Errorf("Break = %d, want 404", a.status)
		}
	})
}

// slotStarts lists the start times (HH:mm) of the slots answered.
func slotStarts(t *testing.T, f *fixture, query string) []string {
	t.Helper()
	a := f.od(t, http.MethodGet, "/appointments/Slots"+query, nil)
	if a.status != http.StatusOK {
		t.Fatalf("GET Slots%s = %d %s", query, a.status, a.body)
	}
	var slots []OpenDentalSlot
	a.decode(t, &slots)
	var out []string
	for _, s := range slots {
		out = append(out, s.DateTimeStart[11:16])
	}
	return out
}

func TestOpenDentalSlotsExcludeBookedTimes(t *testing.T) {
	f := newFixture(t)
	const wed = "?date=2026-03-04&OpNum=1&lengthMinutes=60"
	free := slotStarts(t, f, wed)
	if want := "08:00 09:00 10:00 11:00 12:00 13:00 14:00 15:00 16:00"; strings.Join(free, " ") != want {
		t.Fatalf("free Wednesday = %v, want %s", free, want)
	}
	apt := f.createAppointment(t, map[string]any{"PatNum": 5, "AptDateTime": "2026-03-04 09:30:00", "Op": 1, "Pattern": "XXXXXX"})
	if got, want := strings.Join(slotStarts(t, f, wed), " "), "08:00 10:00 11:00 12:00 13:00 14:00 15:00 16:00"; got != want {
		t.Errorf("after booking 09:30–10:00 = %s, want %s", got, want)
	}
	f.createAppointment(t, map[string]any{"PatNum": 6, "AptDateTime": "2026-03-04 13:00:00", "Op": 2, "ProvNum": 1, "Pattern": "XXXXXXXXXXXX"})
	if got, want := strings.Join(slotStarts(t, f, wed), " "), "08:00 10:00 11:00 12:00 14:00 15:00 16:00"; got != want {
		t.Errorf("after booking provider 1 in another operatory = %s, want %s", got, want)
	}
	f.od(t, http.MethodPut, fmt.Sprintf("/appointments/%d/Break", apt.AptNum), nil)
	if got := slotStarts(t, f, wed); len(got) != 8 || got[1] != "09:00" {
		t.Errorf("after breaking the 09:30 appointment = %v, want 09:00 free again", got)
	}
	t.Run("slots in the past are left out", func(t *testing.T) {
		f.clock.Set(time.Date(2026, 3, 2, 12, 10, 0, 0, time.UTC))
		if got := strings.Join(slotStarts(t, f, "?date=2026-03-02&OpNum=3&lengthMinutes=60"), " "); got != "13:00 14:00 15:00 16:00" {
			t.Errorf("Monday after 12:10 = %s", got)
		}
	})
	t.Run("weekends have no schedule", func(t *testing.T) {
		if got := slotStarts(t, f, "?dateStart=2026-03-07&dateEnd=2026-03-08"); len(got) != 0 {
			t.Errorf("weekend slots = %v, want none", got)
		}
	})
	t.Run("every operatory is offered by default", func(t *testing.T) {
		if got := slotStarts(t, f, "?date=2026-03-05"); len(got) != 3*18 {
			t.Errorf("Thursday 30-minute slots = %d, want 54", len(got))
		}
	})
	t.Run("bad parameters are refused", func(t *testing.T) {
		for _, q := range []string{"?lengthMinutes=7", "?date=03/04/2026", "?dateStart=2026-03-05&dateEnd=2026-03-04"} {
			if a := f.od(t, http.MethodGet, "/appointments/Slots"+q, nil); a.status != http.StatusBadRequest {
				t.Errorf("GET Slots%s = %d, want 400", q, a.status)
			}
		}
	})
}

func TestOpenDentalReferenceData(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name    string
		path    string
		wantLen int
	}{
		{"three providers", "/providers", 3},
		{"three operatories", "/operatories", 3},
		{"a weekday has a schedule per operatory", "/schedules?date=2026-03-04", 3},
		{"schedules filter by provider", "/schedules?dateStart=2026-03-02&dateEnd=2026-03-08&ProvNum=2", 5},
		{"a weekend has no schedule", "/schedules?date=2026-03-07", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []map[string]any
			a := f.od(t, http.MethodGet, tt.path, nil)
			a.decode(t, &got)
			if a.status != http.StatusOK || len(got) != tt.wantLen {
				t.Errorf("GET %s = %d with %d items, want 200 with %d", tt.path, a.status, len(got), tt.wantLen)
			}
		})
	}
	var sched []OpenDentalSchedule
	f.od(t, http.MethodGet, "/schedules?date=2026-03-04&ProvNum=3", nil).decode(t, &sched)
	if len(sched) != 1 || sched[0].StartTime != "08:00:00" || sched[0].StopTime != "17:00:00" || sched[0].Operatories != "3" {
		t.Errorf("hygienist's Wednesday = %+v", sched)
	}
	for path, want := range map[string]int{"/providers/2": 200, "/providers/9": 404, "/operatories/3": 200, "/nothing": 404} {
		if a := f.od(t, http.MethodGet, path, nil); a.status != want {
			t.Errorf("GET %s = %d, want %d", path, a.status, want)
		}
	}
}
