package handlers_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"switchboard/integrations/sandbox"
	"switchboard/testsupport"
)

// booker calls POST /api/booking as the original system's agents did.
type booker struct {
	t *testing.T
	c *testsupport.Client
}

func (b booker) call(fn string, params map[string]any, key string) *testsupport.Response {
	b.t.Helper()
	h := http.Header{"Content-Type": {"application/json"}}
	if key != "" {
		h.Set("Idempotency-Key", key)
	}
	return b.c.Do("POST", "/api/booking", strings.NewReader(mustJSON(map[string]any{"functionName": fn, "parameters": params})), h)
}

func (b booker) ok(fn string, params map[string]any, out any) {
	b.t.Helper()
	r := b.call(fn, params, "")
	if r.StatusCode != 200 {
		b.t.Fatalf("%s(%v) = %d %s", fn, params, r.StatusCode, r.Body)
	}
	r.JSON(b.t, out)
}

type odPatient struct {
	PatNum        int64
	LName, FName  string
	WirelessPhone string
	Birthdate     string
}

type odAppointment struct {
	AptNum, PatNum       int64
	AptDateTime, Pattern string
	ProvNum, Op          any
	AptStatus, Note      string
}

// nextWeekday is a weekday at least a week ahead, as YYYY-MM-DD.
func nextWeekday() string {
	d := time.Now().AddDate(0, 0, 8)
	for d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
		d = d.AddDate(0, 0, 1)
	}
	return d.Format("2006-01-02")
}

// TestBookingConversation runs a conversation written against the
// original system — find the caller by phone and by name, offer slots,
// book one, break it — over the demo's local records with dual-write to
// the Open Dental sandbox, on SQLite and PostgreSQL.
func TestBookingConversation(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		srv, agent, _ := demoOn(t, dbURL)
		b := booker{t, agent}
		var created odPatient
		b.ok("CreatePatient", map[string]any{"LName": "Alexandria", "FName": "Hypatia", "WirelessPhone": "503-555-0142", "Birthdate": "1985-12-10"}, &created)
		if created.PatNum == 0 || created.WirelessPhone == "" {
			t.Fatalf("CreatePatient answered %+v", created)
		}
		var byPhone, byName []odPatient
		b.ok("GetMultiplePatients", map[string]any{"Phone": "(503) 555 0142"}, &byPhone)
		b.ok("GetMultiplePatients", map[string]any{"LName": "alex", "FName": "Hyp"}, &byName)
		if len(byPhone) != 1 || byPhone[0].PatNum != created.PatNum || len(byName) != 1 || byName[0].PatNum != created.PatNum {
			t.Fatalf("search by phone %+v and by name %+v, want PatNum %d", byPhone, byName, created.PatNum)
		}
		var provs []map[string]any
		b.ok("GetProviders", nil, &provs)
		if len(provs) == 0 || provs[0]["ProvNum"] == nil {
			t.Fatalf("GetProviders = %v", provs)
		}
		day := nextWeekday()
		var slots []struct {
			DateTimeStart, DateTimeEnd string
			ProvNum, OpNum             any
		}
		b.ok("GetAvailableSlots", map[string]any{"dateStart": day, "dateEnd": day, "ProvNum": provs[0]["ProvNum"], "OpNum": 1, "lengthMinutes": 30}, &slots)
		if len(slots) == 0 || !strings.HasPrefix(slots[0].DateTimeStart, day+" ") {
			t.Fatalf("GetAvailableSlots on %s = %+v", day, slots)
		}
		slot := slots[0]
		book := map[string]any{"PatNum": created.PatNum, "AptDateTime": slot.DateTimeStart, "ProvNum": slot.ProvNum, "Op": 1, "Pattern": "XXXXXX", "Note": "cleaning"}
		r := b.call("CreateAppointment", book, "conv-book-1")
		var apt odAppointment
		r.JSON(t, &apt)
		if r.StatusCode != 200 || apt.AptNum == 0 || apt.AptDateTime != slot.DateTimeStart || apt.Pattern != "XXXXXX" || apt.AptStatus != "Scheduled" || fmt.Sprint(apt.Op) != "1" {
			t.Fatalf("CreateAppointment = %d %s", r.StatusCode, r.Body)
		}
		if again := b.call("CreateAppointment", book, "conv-book-1"); again.StatusCode != 200 || again.Body != r.Body {
			t.Fatalf("the same Idempotency-Key answered %d %s, want the first answer again", again.StatusCode, again.Body)
		}
		if taken := b.call("CreateAppointment", book, ""); taken.StatusCode != 409 || !strings.Contains(taken.Body, "slot_taken") {
			t.Fatalf("booking the same slot again = %d %s, want 409 slot_taken", taken.StatusCode, taken.Body)
		}
		settleSync(t, srv)
		od := sandboxAppointmentAt(t, srv, slot.DateTimeStart)
		if od.Note != "cleaning" || od.AptStatus != "Scheduled" {
			t.Fatalf("the sandbox has %+v", od)
		}
		var broken odAppointment
		b.ok("BreakAppointment", map[string]any{"AptNum": apt.AptNum}, &broken)
		if broken.AptStatus != "Broken" {
			t.Fatalf("BreakAppointment answered %+v", broken)
		}
		settleSync(t, srv)
		if od := sandboxAppointmentAt(t, srv, slot.DateTimeStart); od.AptStatus != "Broken" {
			t.Fatalf("the break did not reach the sandbox: %+v", od)
		}
		var list []odAppointment
		b.ok("GetAppointments", map[string]any{"PatNum": created.PatNum}, &list)
		if len(list) != 1 || list[0].AptStatus != "Broken" {
			t.Fatalf("GetAppointments = %+v", list)
		}
	})
}

type sandboxApt struct {
	AptDateTime, AptStatus, Note string
}

func sandboxAppointmentAt(t *testing.T, srv *testsupport.Server, at string) sandboxApt {
	t.Helper()
	for _, a := range srv.App.Sandbox.For(sandbox.OrgTenant(srv.DemoOrg(t).ID)).OpenDentalAppointments() {
		if a.AptDateTime == at {
			return sandboxApt{a.AptDateTime, a.AptStatus, a.Note}
		}
	}
	t.Fatalf("the sandbox has no appointment at %s", at)
	return sandboxApt{}
}

func TestBookingRefusalsAndTools(t *testing.T) {
	_, agent := demoAgent(t)
	b := booker{t, agent}
	for _, tc := range []struct {
		fn     string
		params map[string]any
		status int
		want   string
	}{
		{"Frobnicate", nil, 404, "unknown booking function"},
		{"GetPatient", map[string]any{}, 422, `"field":"PatNum"`},
		{"GetPatient", map[string]any{"PatNum": 1, "Nickname": "x"}, 422, `"field":"Nickname"`},
		{"CreateAppointment", map[string]any{"PatNum": 1, "AptDateTime": "2031-01-01 10:00:00", "Pattern": "////"}, 422, `"field":"Pattern"`},
		{"GetAvailableSlots", map[string]any{"dateStart": "tomorrow"}, 422, `"field":"dateStart"`},
	} {
		if r := b.call(tc.fn, tc.params, ""); r.StatusCode != tc.status || !strings.Contains(r.Body, tc.want) {
			t.Errorf("%s(%v) = %d %s, want %d with %s", tc.fn, tc.params, r.StatusCode, r.Body, tc.status, tc.want)
		}
	}
	if r := agent.SendJSON("POST", "/api/booking", map[string]any{"function": "GetProviders", "functionName": "GetProviders"}); r.StatusCode != 400 {
		t.Errorf("both function and functionName = %d", r.StatusCode)
	}
	for _, format := range []string{"", "openai", "anthropic", "openai-responses"} {
		r := agent.Get("/api/booking/functions?format=" + format)
		if r.StatusCode != 200 || !strings.Contains(r.Body, "GetAvailableSlots") || !strings.Contains(r.Body, "AptDateTime") {
			t.Errorf("functions format %q = %d %.300s", format, r.StatusCode, r.Body)
		}
	}
}
