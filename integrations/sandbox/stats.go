package sandbox

import (
	"maps"
	"sync"
)

// Stats counts what the sandbox has seen since it was created or reset.
type Stats struct {
	// Requests counts requests that reached a resource (past faults and
	// auth), keyed "opendental GET /patients/{PatNum}" or "cloud9 SetPatient".
	// Idempotent replays are not executions and are not counted here.
	Requests map[string]int `json:"requests"`
	// Total counts every request per upstream, refused ones included.
	Total map[string]int `json:"total"`
	// Created counts records created through the APIs (seed data excluded).
	Created CreatedCounts `json:"created"`
	// Replayed counts writes answered from the idempotency store.
	Replayed int `json:"idempotent_replays"`
	// FaultsInjected counts answers replaced (or abandoned) by a fault.
	FaultsInjected int `json:"faults_injected"`
	// Unauthorized counts requests refused for their credentials.
	Unauthorized int `json:"unauthorized"`
}

// CreatedCounts counts created records per upstream and kind.
type CreatedCounts struct {
	OpenDentalPatients     int `json:"opendental_patients"`
	OpenDentalAppointments int `json:"opendental_appointments"`
	Cloud9Patients         int `json:"cloud9_patients"`
	Cloud9Appointments     int `json:"cloud9_appointments"`
}

type statsRecorder struct {
	mu sync.Mutex
	st Stats
}

func newStatsRecorder() *statsRecorder {
	r := &statsRecorder{}
	r.clear()
	return r
}

func (r *statsRecorder) clear() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.st = Stats{Requests: map[string]int{}, Total: map[string]int{}}
}

func (r *statsRecorder) update(fn func(st *Stats)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	fn(&r.st)
}

func (r *statsRecorder) request(upstream, resource string) {
	r.update(func(st *Stats) { st.Requests[upstream+" "+resource]++ })
}

func (r *statsRecorder) total(upstream string) {
	r.update(func(st *Stats) { st.Total[upstream]++ })
}

func (r *statsRecorder) replay()       { r.update(func(st *Stats) { st.Replayed++ }) }
func (r *statsRecorder) fault()        { r.update(func(st *Stats) { st.FaultsInjected++ }) }
func (r *statsRecorder) unauthorized() { r.update(func(st *Stats) { st.Unauthorized++ }) }

func (r *statsRecorder) created(fn func(c *CreatedCounts)) {
	r.update(func(st *Stats) { fn(&st.Created) })
}

func (r *statsRecorder) snapshot() Stats {
	r.mu.Lock()
	defer r.mu.Unlock()
	st := r.st
	st.Requests = maps.Clone(r.st.Requests)
	st.Total = maps.Clone(r.st.Total)
	return st
}

// Stats returns a copy of the counters.
func (s *Sandbox) Stats() Stats { return s.stats.snapshot() }

// Created returns how many records were created through the APIs.
func (s *Sandbox) Created() CreatedCounts { return s.stats.snapshot().Created }

// RequestCount returns how many requests reached one resource, named as in
// Stats.Requests ("opendental POST /appointments", "cloud9 SetAppointment").
func (s *Sandbox) RequestCount(resource string) int {
	s.stats.mu.Lock()
	defer s.stats.mu.Unlock()
	return s.stats.st.Requests[resource]
}
