package middleware

import (
	"testing"
	"time"
)

// TestObservingAnUpstreamCallAllocatesNothing: the executor's path pays
// for a metric observation with no allocation once the label pair is
// known.
func TestObservingAnUpstreamCallAllocatesNothing(t *testing.T) {
	m := NewMetrics()
	m.ObserveUpstream("opendental", "GetPatient", time.Millisecond, 1)
	if n := testing.AllocsPerRun(1000, func() { m.ObserveUpstream("opendental", "GetPatient", 3*time.Millisecond, 1) }); n != 0 {
		t.Errorf("ObserveUpstream allocates %v times per call, want 0", n)
	}
}

// BenchmarkObserveUpstream measures one observation of a known pair.
func BenchmarkObserveUpstream(b *testing.B) {
	m := NewMetrics()
	b.ReportAllocs()
	for b.Loop() {
		m.ObserveUpstream("opendental", "GetPatient", 3*time.Millisecond, 0)
	}
}
