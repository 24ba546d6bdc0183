package middleware

import (
	"context"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// opsMetrics are the series of SPEC §10 beside the HTTP ones: the
// upstream calls, the circuits and the sync. Their labels are integration
// slugs, function names and bounded words, never organization data.
type opsMetrics struct {
	upstream *prometheus.HistogramVec
	retries  *prometheus.CounterVec
	jobs     *prometheus.CounterVec
	lag      prometheus.Histogram

	// observers caches the histogram of each (integration, function), so
	// that observing a call allocates nothing.
	mu        sync.RWMutex
	observers map[[2]string]prometheus.Observer
	retried   map[string]prometheus.Counter
}

func newOpsMetrics() *opsMetrics {
	return &opsMetrics{
		upstream: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "switchboard_upstream_request_duration_seconds",
			Help:    "Duration of the calls sent to external systems (retries and pages included), by integration slug and function.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}}, []string{"integration", "function"}),
		retries: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "switchboard_upstream_retries_total",
			Help: "Requests sent again to an external system after a failed attempt, by integration slug."}, []string{"integration"}),
		jobs: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "switchboard_sync_jobs_total",
			Help: "Sync delivery attempts by outcome: synced, retrying, failed (parked), deferred."}, []string{"outcome"}),
		lag: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "switchboard_sync_lag_seconds",
			Help:    "Time from a local write to its delivery to the external system.",
			Buckets: []float64{.1, .25, .5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600}}),
		observers: map[[2]string]prometheus.Observer{},
		retried:   map[string]prometheus.Counter{},
	}
}

// ObserveUpstream records one call sent to an external system: its
// duration, and its retries (requests beyond the first of each page).
func (m *Metrics) ObserveUpstream(integration, function string, took time.Duration, retries int) {
	o := m.ops
	k := [2]string{integration, function}
	o.mu.RLock()
	obs, ok := o.observers[k]
	ctr := o.retried[integration]
	o.mu.RUnlock()
	if !ok || ctr == nil {
		o.mu.Lock()
		if obs, ok = o.observers[k]; !ok {
			obs = o.upstream.WithLabelValues(integration, function)
			o.observers[k] = obs
		}
		if ctr = o.retried[integration]; ctr == nil {
			ctr = o.retries.WithLabelValues(integration)
			o.retried[integration] = ctr
		}
		o.mu.Unlock()
	}
	obs.Observe(took.Seconds())
	if retries > 0 {
		ctr.Add(float64(retries))
	}
}

// CountSyncJob counts one delivery attempt's outcome (synced, retrying,
// failed, deferred); lag, for a synced one, is the time since its write.
func (m *Metrics) CountSyncJob(outcome string, lag time.Duration) {
	m.ops.jobs.WithLabelValues(outcome).Inc()
	if outcome == "synced" {
		m.ops.lag.Observe(lag.Seconds())
	}
}

// Gauges are read at scrape time: the open circuits per integration slug
// and the sync jobs per status, over every organization.
type Gauges struct {
	OpenCircuits func() map[string]int
	SyncJobs     func(ctx context.Context) (map[string]int, error)
}

// UseGauges registers the scrape-time gauges.
func (m *Metrics) UseGauges(g Gauges) {
	m.registry.MustRegister(&gaugeCollector{g: g,
		circuit: prometheus.NewDesc("switchboard_circuit_open", "1 for each open circuit of the integration (per organization and environment), 0 when none is open.", []string{"integration"}, nil),
		queue:   prometheus.NewDesc("switchboard_sync_queue_depth", "Sync jobs by status (pending and retrying wait for delivery).", []string{"status"}, nil)})
}

// syncStatuses are the statuses the queue gauge always reports.
var syncStatuses = []string{"pending", "retrying", "failed", "conflict", "synced", "dismissed"}

type gaugeCollector struct {
	g              Gauges
	circuit, queue *prometheus.Desc
}

func (c *gaugeCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.circuit; ch <- c.queue }

func (c *gaugeCollector) Collect(ch chan<- prometheus.Metric) {
	if c.g.OpenCircuits != nil {
		for slug, n := range c.g.OpenCircuits() {
			ch <- prometheus.MustNewConstMetric(c.circuit, prometheus.GaugeValue, float64(n), slug)
		}
	}
	if c.g.SyncJobs == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	counts, err := c.g.SyncJobs(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.queue, err)
		return
	}
	for _, s := range syncStatuses {
		ch <- prometheus.MustNewConstMetric(c.queue, prometheus.GaugeValue, float64(counts[s]), s)
	}
}
