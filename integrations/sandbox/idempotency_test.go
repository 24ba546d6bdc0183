package sandbox

import (
	"fmt"
	"net/http"
	"sync"
	"testing"
)

func TestIdempotencyKeyRunsAWriteOnce(t *testing.T) {
	f := newFixture(t)
	post := func(key string, body map[string]any) answer {
		return f.do(t, http.MethodPost, OpenDentalPrefix+"/patients", body, map[string]string{"Idempotency-Key": key})
	}
	first := post("job-1", map[string]any{"LName": "Once", "FName": "Only"})
	second := post("job-1", map[string]any{"LName": "Once", "FName": "Only"})
	if first.status != http.StatusCreated || second.status != http.StatusCreated || string(first.body) != string(second.body) {
		t.Fatalf("answers = %d %s / %d %s, want the same 201 twice", first.status, first.body, second.status, second.body)
	}
	if second.header.Get("Idempotent-Replayed") != "true" || first.header.Get("Idempotent-Replayed") != "" {
		t.Errorf("Idempotent-Replayed = %q then %q, want \"\" then true",
			first.header.Get("Idempotent-Replayed"), second.header.Get("Idempotent-Replayed"))
	}
	if got := post("job-2", map[string]any{"LName": "Once", "FName": "Only"}); got.status != http.StatusCreated {
		t.Errorf("another key = %d, want 201", got.status)
	}
	if c := f.sb.Created().OpenDentalPatients; c != 2 {
		t.Errorf("created %d patients for two keys, want 2", c)
	}
	if n := f.sb.RequestCount("opendental POST /patients"); n != 2 {
		t.Errorf("POST /patients executed %d times, want 2", n)
	}
	if st := f.sb.Stats(); st.Replayed != 1 {
		t.Errorf("Stats().Replayed = %d, want 1", st.Replayed)
	}

	t.Run("a refused write does not hold its key", func(t *testing.T) {
		if a := post("job-3", map[string]any{"FName": "NoLast"}); a.status != http.StatusBadRequest {
			t.Fatalf("first = %d, want 400", a.status)
		}
		if a := post("job-3", map[string]any{"LName": "Fixed", "FName": "NoLast"}); a.status != http.StatusCreated {
			t.Errorf("corrected retry = %d %s, want 201", a.status, a.body)
		}
	})
	t.Run("keys are per operation", func(t *testing.T) {
		a := f.do(t, http.MethodPut, OpenDentalPrefix+"/appointments/1/Break", nil, map[string]string{"Idempotency-Key": "job-1"})
		if a.status != http.StatusOK || a.header.Get("Idempotent-Replayed") != "" {
			t.Errorf("Break with a key used for POST /patients = %d replayed=%q, want a fresh 200",
				a.status, a.header.Get("Idempotent-Replayed"))
		}
	})
	t.Run("Cloud9 writes honour the key too", func(t *testing.T) {
		body := c9Body(goodC9, "SetPatient", [2]string{"patientFirstName", "Kay"}, [2]string{"patientLastName", "Once"})
		h := map[string]string{"Idempotency-Key": "c9-job"}
		a, b := parseC9(t, f.c9Raw(t, body, h).body), parseC9(t, f.c9Raw(t, body, h).body)
		if a.Records[0]["PatientGUID"] != b.Records[0]["PatientGUID"] || f.sb.Created().Cloud9Patients != 1 {
			t.Errorf("GUIDs %v / %v, created %d; want one patient", a.Records, b.Records, f.sb.Created().Cloud9Patients)
		}
	})
}

func TestIdempotencyUnderConcurrency(t *testing.T) {
	f := newFixture(t)
	const n = 25
	var wg sync.WaitGroup
	nums := make([]string, n)
	for i := range n {
		wg.Go(func() {
			a := f.do(t, http.MethodPost, OpenDentalPrefix+"/appointments",
				map[string]any{"PatNum": 2, "AptDateTime": "2026-03-05 10:00:00", "Op": 1}, map[string]string{"Idempotency-Key": "same"})
			var apt OpenDentalAppointment
			a.decode(t, &apt)
			nums[i] = fmt.Sprintf("%d/%d", a.status, apt.AptNum)
		})
	}
	wg.Wait()
	for i, got := range nums {
		if got != "201/4" {
			t.Errorf("answer %d = %s, want 201 with AptNum 4 for everyone", i, got)
		}
	}
	if c := f.sb.Created().OpenDentalAppointments; c != 1 {
		t.Errorf("created %d appointments for one key, want 1", c)
	}
}

func TestFailAfterCommitIsRecoveredByTheKey(t *testing.T) {
	f := newFixture(t)
	f.sb.SetFaults(Faults{FailAfterCommitRate: 1, ErrorStatus: 502})
	h := map[string]string{"Idempotency-Key": "job-lost"}
	body := map[string]any{"LName": "Lost", "FName": "Answer"}
	if a := f.do(t, http.MethodPost, OpenDentalPrefix+"/patients", body, h); a.status != http.StatusBadGateway {
		t.Fatalf("first attempt = %d, want the injected 502", a.status)
	}
	if c := f.sb.Created().OpenDentalPatients; c != 1 {
		t.Fatalf("the write behind the lost answer created %d patients, want 1", c)
	}
	f.sb.SetFaults(Faults{})
	a := f.do(t, http.MethodPost, OpenDentalPrefix+"/patients", body, h)
	var p OpenDentalPatient
	a.decode(t, &p)
	if a.status != http.StatusCreated || p.PatNum != 13 || a.header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("retry = %d PatNum %d replayed=%q, want the first answer replayed", a.status, p.PatNum, a.header.Get("Idempotent-Replayed"))
	}
	if c := f.sb.Created().OpenDentalPatients; c != 1 {
		t.Errorf("created %d patients in all, want exactly 1", c)
	}
	if a := f.do(t, http.MethodPost, OpenDentalPrefix+"/patients", body, nil); a.status != http.StatusCreated {
		t.Errorf("a write without a key after healing = %d, want 201", a.status)
	}
}

func TestConcurrentCreatesGetUniqueIDs(t *testing.T) {
	f := newFixture(t)
	const workers, each = 16, 20
	var (
		mu    sync.Mutex
		pats  = map[int64]bool{}
		apts  = map[int64]bool{}
		guids = map[string]bool{}
		wg    sync.WaitGroup
	)
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				var p OpenDentalPatient
				f.od(t, http.MethodPost, "/patients", map[string]any{"LName": fmt.Sprintf("W%02d", w), "FName": fmt.Sprintf("N%02d", i)}).decode(t, &p)
				var a OpenDentalAppointment
				f.od(t, http.MethodPost, "/appointments", map[string]any{"PatNum": p.PatNum, "AptDateTime": "2026-03-06 08:00:00", "Op": 1}).decode(t, &a)
				c9 := f.c9(t, goodC9, "SetPatient", [2]string{"patientFirstName", "C"}, [2]string{"patientLastName", "Nine"})
				if a.PatNum != p.PatNum || p.PatNum == 0 || len(c9.Records) != 1 {
					t.Errorf("patient %d, appointment %+v, Cloud9 %s", p.PatNum, a, c9.Raw)
					return
				}
				mu.Lock()
				pats[p.PatNum], apts[a.AptNum], guids[c9.Records[0]["PatientGUID"]] = true, true, true
				mu.Unlock()
				f.od(t, http.MethodGet, "/patients?LName=W", nil)
			}
		})
	}
	wg.Wait()
	const total = workers * each
	if len(pats) != total || len(apts) != total || len(guids) != total {
		t.Errorf("unique ids: %d patients, %d appointments, %d GUIDs; want %d each", len(pats), len(apts), len(guids), total)
	}
	c := f.sb.Created()
	if c.OpenDentalPatients != total || c.OpenDentalAppointments != total || c.Cloud9Patients != total {
		t.Errorf("Created() = %+v, want %d of each", c, total)
	}
	if n := len(f.sb.OpenDentalPatients()); n != 12+total {
		t.Errorf("OpenDentalPatients() = %d, want %d", n, 12+total)
	}
}
