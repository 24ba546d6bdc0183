package reliability

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"switchboard/integrations/sandbox"
	"switchboard/testsupport"
)

// TestDualWriteSurvivesKillsAndAnOutage drives a thousand keyed dual-write
// creations from four clients that retry (same key, same body) whenever
// the server died under them; the server is killed with SIGKILL four times
// and restarted on the same database and port, and Open Dental answers
// 500 to everything for a stretch of the run. At the end every
// acknowledged record exists once locally and once upstream, every key
// replays its record, and every sync job is synced, none parked.
func TestDualWriteSurvivesKillsAndAnOutage(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, url string) {
		began := time.Now()
		p := newPractice(t, url)
		r := &crashRun{p: p, clients: 4, perClient: 250}
		set := time.Now()
		// The kills come early enough for the jobs a killed server had
		// claimed (their lease is 30 s) to come free while the run goes
		// on.
		r.drive(t, []milestone{
			{at: 100, do: r.kill},
			{at: 200, do: r.outage(true)},
			{at: 300, do: r.kill},
			{at: 400, do: r.outage(false)},
			{at: 500, do: r.kill},
			{at: 600, do: r.kill},
		})
		driven := time.Now()
		r.check(t, url)
		st := p.sb.Stats()
		t.Logf("%d keyed creations, %d sends: %d without an answer, %d retries answered by a replay; %d server starts; upstream: %d faults, %d idempotent replays",
			len(r.ops), r.sends.Load(), r.dropped.Load(), r.replays.Load(), p.srv.starts, st.FaultsInjected, st.Replayed)
		t.Logf("set up in %v, driven in %v, drained and checked in %v", set.Sub(began).Round(time.Millisecond),
			driven.Sub(set).Round(time.Millisecond), time.Since(driven).Round(time.Millisecond))
	})
}

// op is one keyed creation and what became of it.
type op struct {
	entity, key, path string
	body              map[string]any
	// id and status are those of the first 2xx answer.
	id     int64
	status int
	// conflicts counts 409 answers (the last in conflict), unexpected
	// lists other refusals.
	conflicts  int
	conflict   string
	unexpected []string
}

// crashRun is the state of one run of the suite.
type crashRun struct {
	p                  *practice
	clients, perClient int

	mu  sync.Mutex
	ops []*op

	acked   atomic.Int64
	sends   atomic.Int64
	dropped atomic.Int64
	replays atomic.Int64
}

// milestone is something done to the server or the upstream once at
// least at creations were acknowledged.
type milestone struct {
	at int64
	do func(t *testing.T)
}

func (r *crashRun) kill(t *testing.T) {
	r.p.srv.kill()
	r.p.srv.start()
}

func (r *crashRun) outage(on bool) func(t *testing.T) {
	return func(*testing.T) {
		f := sandbox.Faults{}
		if on {
			f = sandbox.Faults{ErrorRate: 1, ErrorStatus: http.StatusInternalServerError}
		}
		r.p.sb.SetFaults(f)
	}
}

// drive runs the clients and, on the test goroutine, the milestones; it
// returns when every client is done.
func (r *crashRun) drive(t *testing.T, milestones []milestone) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	var wg sync.WaitGroup
	done := make(chan struct{})
	for c := range r.clients {
		wg.Go(func() { r.client(ctx, c) })
	}
	go func() {
		wg.Wait()
		close(done)
	}()
	defer func() {
		cancel()
		<-done
	}()
	for _, m := range milestones {
		if !r.waitAcked(m.at, done) {
			t.Errorf("the clients finished with %d creations acknowledged, before milestone %d", r.acked.Load(), m.at)
			break
		}
		m.do(t)
	}
	<-done
}

// waitAcked waits until n creations are acknowledged or the clients are
// done, and reports whether n was reached.
func (r *crashRun) waitAcked(n int64, done <-chan struct{}) bool {
	for r.acked.Load() < n {
		select {
		case <-done:
			return false
		case <-time.After(5 * time.Millisecond):
		}
	}
	return true
}

// client creates its patient, then its appointments, one at a time.
func (r *crashRun) client(ctx context.Context, c int) {
	pat := r.add(&op{entity: "patient", key: fmt.Sprintf("c%d-patient", c), path: "/api/patients",
		body: map[string]any{"first_name": fmt.Sprintf("Client%d", c), "last_name": "Reliability"}})
	if r.send(ctx, pat); pat.id == 0 {
		return
	}
	for i := range r.perClient {
		path := "/api/appointments"
		if i%4 == 0 {
			path += "?wait=500ms" // these sit in their wait after the commit
		}
		o := r.add(&op{entity: "appointment", key: fmt.Sprintf("c%d-a%d", c, i), path: path,
			body: appointmentBody(pat.id, c*r.perClient+i)})
		r.send(ctx, o)
	}
}

func (r *crashRun) add(o *op) *op {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ops = append(r.ops, o)
	return o
}

// send sends o until it is answered 2xx: again at once when no answer
// came (the server died or is restarting), after a pause when it was
// refused, giving up after ten refusals or when ctx ends.
func (r *crashRun) send(ctx context.Context, o *op) {
	for ctx.Err() == nil && o.conflicts+len(o.unexpected) < 10 {
		r.sends.Add(1)
		rep, err := r.p.agent.send(ctx, "POST", o.path, o.body, o.key)
		switch {
		case err != nil:
			r.dropped.Add(1)
			pause(ctx, 10*time.Millisecond)
			continue
		case rep.status == http.StatusCreated:
			var rec record
			if err := jsonInto(rep.body, &rec); err != nil || rec.ID == 0 {
				o.unexpected = append(o.unexpected, fmt.Sprintf("201 without an id: %s", rep.body))
				continue
			}
			o.id, o.status = rec.ID, rep.status
			r.acked.Add(1)
			if rep.replayed() {
				r.replays.Add(1)
			}
			return
		case rep.status == http.StatusConflict:
			o.conflicts, o.conflict = o.conflicts+1, string(rep.body)
		default:
			o.unexpected = append(o.unexpected, fmt.Sprintf("%d %s", rep.status, rep.body))
		}
		pause(ctx, 100*time.Millisecond)
	}
}

// pause sleeps d or until ctx ends.
func pause(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}
