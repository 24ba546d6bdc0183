package middleware

import (
	"strconv"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
)

// requestSeries are the series one kind of request counts into, found once
// per route, method and status, so that counting a request allocates
// nothing (WithLabelValues builds its label list and hashes it every
// time).
type requestSeries struct {
	count    prometheus.Counter
	duration prometheus.Observer
}

type seriesKey struct {
	route, method string
	status        int
}

// hotSeries caches requestSeries by seriesKey (route patterns, the served
// methods and statuses: a small, bounded set).
type hotSeries struct{ sync.Map }

// series returns the series of a request to route with method and status.
func (m *Metrics) series(route, method string, status int) requestSeries {
	k := seriesKey{route, method, status}
	if s, ok := m.hot.Load(k); ok {
		return s.(requestSeries)
	}
	s := requestSeries{count: m.requests.WithLabelValues(route, method, strconv.Itoa(status)),
		duration: m.duration.WithLabelValues(route)}
	m.hot.Store(k, s)
	return s
}
