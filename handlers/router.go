// Package handlers is the HTTP surface of Switchboard: adapters that decode
// a request into a typed struct, call a service and answer (a page, a
// redirect or JSON), one struct per resource, and the route table that
// names every route once. The plumbing lives in web/, the rules in the
// services; app.New builds the services and the handlers and hands them to
// NewRouter, which only mounts them.
package handlers

import (
	"log/slog"
	"reflect"
	"runtime"
	"strings"

	"github.com/labstack/echo/v4"

	"switchboard/web"
	"switchboard/web/middleware"
	"switchboard/web/openapi"
	"switchboard/web/problem"
	"switchboard/web/session"
)

// Handlers are every handler the router mounts; app.New builds them over
// its services.
type Handlers struct {
	Auth           *AuthHandler
	Health         *web.Health
	Dashboard      *DashboardHandler
	Profile        *ProfileHandler
	Users          *UserHandler
	Invitations    *InvitationHandler
	Orgs           *OrgHandler
	APIKeys        *APIKeyHandler
	Audit          *AuditHandler
	Calls          *CallHandler
	OrgAPI         *OrganizationAPI
	Settings       *SettingsHandler
	IntegrationAPI *IntegrationAPI
	Integrations   *IntegrationHandler
	Credentials    *CredentialHandler
	Connect        *ConnectHandler
	Execute        *ExecuteHandler
	Try            *TryHandler
	Patients       *PatientHandler
	Appointments   *AppointmentHandler
	Availability   *AvailabilityPageHandler
	Reference      *ReferenceHandler
	MCP            *MCPHandler
	SyncJobs       *SyncJobHandler
	SyncSettings   *SyncSettingsHandler
	SyncErrors     *SyncErrorHandler
	Webhooks       *WebhookHandler
	Booking        *BookingHandler
	Traces         *TraceHandler
	Flows          *FlowHandler
}

// Web is the plumbing the router puts in front of the handlers; the app
// builds it.
type Web struct {
	Logger *slog.Logger
	// Sessions keeps the cookie session and authenticates the JSON API.
	Sessions *session.Manager
	// Idempotency is the Idempotency-Key middleware of the JSON API's
	// record writes.
	Idempotency echo.MiddlewareFunc
	Metrics     *middleware.Metrics
	// MetricsToken, when set, is the bearer token every /metrics caller
	// must send; when empty, /metrics answers loopback callers only.
	MetricsToken string
	// SecureCookies turns on HSTS (TLS deployments).
	SecureCookies bool
	// TrustedProxies are the CIDRs whose X-Forwarded-For names the client
	// (the login throttle's and the audit log's address); none: the peer.
	TrustedProxies []string
}

// NewRouter builds the echo instance: the router-wide middleware, then
// every route of the table behind the middleware stack of its door.
func NewRouter(h Handlers, w Web) *echo.Echo {
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.IPExtractor = middleware.ClientIP(w.TrustedProxies)
	e.HTTPErrorHandler = problem.Handler(w.Logger)
	e.Validator = web.NewValidator()
	e.Use(
		middleware.WithURLs(e),
		middleware.RequestID,
		middleware.Logger(w.Logger),
		middleware.Recover(w.Logger),
		w.Metrics.Middleware,
		middleware.SecurityHeaders(w.SecureCookies),
		middleware.BodyLimit,
		middleware.RefuseNULInput,
	)
	stacks := w.stacks()
	doc := &openapi.Document{}
	table := h.table(w, doc)
	for _, rt := range table {
		if isAPI(rt.path) && rt.scope == roleOnly {
			panic("route " + rt.method + " " + rt.path + " declares no scope")
		}
		r := e.Add(rt.method, rt.path, chain(rt.h, w.middlewareOf(rt, stacks)))
		r.Name = rt.name
		if r.Name == "" { // echo's own name for it: the handler's
			r.Name = runtime.FuncForPC(reflect.ValueOf(rt.h).Pointer()).Name()
		}
	}
	doc.Build(apiRoutes(table))
	// Unknown pages still get the app shell (signed-in navigation).
	e.RouteNotFound("/*", func(echo.Context) error { return echo.ErrNotFound }, stacks[visitor]...)
	e.RouteNotFound("/api/*", func(echo.Context) error { return echo.ErrNotFound })
	return e
}

// table is the route table: the whole surface, in one list per part.
func (h Handlers) table(w Web, doc *openapi.Document) []route {
	return concat(h.opsRoutes(w, doc), h.accountRoutes(), h.recordRoutes(), h.syncPageRoutes(), h.adminPageRoutes(),
		h.integrationPageRoutes(), h.agentRoutes(), h.bookingRoutes(), h.adminAPIRoutes(), h.integrationAPIRoutes(),
		h.traceRoutes())
}

// isAPI reports whether path is one of the JSON API's (or MCP's).
func isAPI(path string) bool {
	return strings.HasPrefix(path, "/api/") || path == "/mcp"
}

// chain wraps h in its route's middleware (the first outermost) once, when
// the route is added: echo would wrap it again on every request.
func chain(h echo.HandlerFunc, mw []echo.MiddlewareFunc) echo.HandlerFunc {
	for i := len(mw) - 1; i >= 0; i-- {
		h = mw[i](h)
	}
	return h
}

func concat(parts ...[]route) []route {
	var out []route
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}
