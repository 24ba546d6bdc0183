package middleware

import (
	"crypto/subtle"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"switchboard/apperr"
	"switchboard/web/problem"
)

// Metrics holds the Prometheus collectors of one app. Each app has its
// own registry, so tests can build many.
type Metrics struct {
	registry   *prometheus.Registry
	requests   *prometheus.CounterVec
	duration   *prometheus.HistogramVec
	executions *prometheus.CounterVec
	ops        *opsMetrics
	hot        hotSeries
}

// NewMetrics returns the collectors, registered with a registry of their
// own.
func NewMetrics() *Metrics {
	m := &Metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "switchboard_http_requests_total",
			Help: "HTTP requests by route pattern, method and status."}, []string{"route", "method", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "switchboard_http_request_duration_seconds",
			Help: "HTTP request duration by route pattern.", Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 10}},
			[]string{"route"}),
		executions: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "switchboard_executions_total",
			Help: "Function executions by provider and outcome code (ok or an error code), whatever asked for them."}, []string{"provider", "outcome"}),
	}
	m.ops = newOpsMetrics()
	m.registry.MustRegister(m.requests, m.duration, m.executions, m.ops.upstream, m.ops.retries, m.ops.jobs, m.ops.lag,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// CountExecution counts one execution of a provider's function by its
// outcome ("ok" or an error code).
func (m *Metrics) CountExecution(provider, outcome string) {
	m.executions.WithLabelValues(provider, outcome).Inc()
}

// Middleware counts every request by its route pattern (not its path, so
// ids do not explode the label set).
func (m *Metrics) Middleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		status := c.Response().Status
		if err != nil {
			status = problem.StatusOf(err)
		}
		route := c.Path()
		if route == "" {
			route = "unmatched"
		}
		s := m.series(route, methodLabel(c.Request().Method), status)
		s.count.Inc()
		s.duration.Observe(time.Since(start).Seconds())
		return err
	}
}

// methodLabel keeps the method label to the methods the router serves, so
// made-up methods cannot grow the label set.
func methodLabel(method string) string {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodOptions:
		return method
	}
	return "other"
}

// Handler serves GET /metrics to the callers metricsAllowed lets in.
func (m *Metrics) Handler(token string) echo.HandlerFunc {
	h := echo.WrapHandler(promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{}))
	return func(c echo.Context) error {
		if !metricsAllowed(c.Request(), token) {
			c.Response().Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
			return apperr.New(apperr.CodeUnauthorized, "metrics are served to loopback callers or with the metrics bearer token")
		}
		return h(c)
	}
}

// metricsAllowed decides who may read /metrics. Without a token, only
// callers whose TCP peer (RemoteAddr, never a forwarded-for header) is a
// loopback address. With a token, every caller must present it, loopback
// included: behind a reverse proxy on the same machine every request
// arrives from loopback.
func metricsAllowed(r *http.Request, token string) bool {
	if token != "" {
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		return ok && subtle.ConstantTimeCompare([]byte(strings.TrimSpace(got)), []byte(token)) == 1
	}
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	return err == nil && ap.Addr().Unmap().IsLoopback()
}
