package app

import (
	"github.com/labstack/echo/v4"

	"switchboard/handlers"
	"switchboard/models"
	"switchboard/records/booking"
	"switchboard/web"
	"switchboard/web/idempotency"
	"switchboard/web/session"
)

// newRouter builds the web plumbing and every handler over the services,
// and hands them to the router to mount; key is the master key the
// session cookie's keys derive from.
func (a *App) newRouter(key []byte) *echo.Echo {
	w := handlers.Web{Logger: a.Logger, Metrics: a.Metrics, MetricsToken: a.Config.MetricsToken, SecureCookies: a.Config.SecureCookies,
		TrustedProxies: a.Config.TrustedProxies,
		Sessions: session.New(session.Config{MasterKey: key, Secure: a.Config.SecureCookies, Accounts: a.Accounts, Keys: a.Keys, Demo: a.Config.Demo,
			OpenErrors: a.Sync.OpenErrors}),
		Idempotency: idempotency.Middleware(a.Store)}
	e := handlers.NewRouter(a.handlers(w.Sessions), w)
	if a.Sandbox != nil {
		mountSandboxControls(e, a.Sandbox, []echo.MiddlewareFunc{w.Sessions.Load, session.CSRF, session.RequireUser, session.RequireRole(models.RoleAdmin)})
	}
	return e
}

// handlers builds every handler over the services.
func (a *App) handlers(sessions *session.Manager) handlers.Handlers {
	s, log := a.Services, a.Accounts.Audit()
	var demo handlers.DemoControls
	if a.Sandbox != nil {
		demo = sandboxControls{a.Sandbox, a.Executor}
	}
	return handlers.Handlers{
		Auth:           handlers.NewAuthHandler(s.Accounts, sessions),
		Health:         web.NewHealth(a.DB, a.Migrations),
		Dashboard:      handlers.NewDashboardHandler(s.Health),
		Profile:        handlers.NewProfileHandler(s.Accounts),
		Users:          handlers.NewUserHandler(s.Accounts),
		Invitations:    handlers.NewInvitationHandler(s.Accounts),
		Orgs:           handlers.NewOrgHandler(s.Accounts),
		APIKeys:        handlers.NewAPIKeyHandler(s.Accounts),
		Audit:          handlers.NewAuditHandler(log),
		Calls:          handlers.NewCallHandler(s.CallLog),
		OrgAPI:         handlers.NewOrganizationAPI(s.Accounts, a.Alerts),
		Settings:       handlers.NewSettingsHandler(s.Accounts, a.Alerts),
		IntegrationAPI: handlers.NewIntegrationAPI(s.Integrations, log),
		Integrations:   handlers.NewIntegrationHandler(s.Integrations, s.ImportPreviews, log),
		Credentials:    handlers.NewCredentialHandler(s.CredentialService, log),
		Connect:        handlers.NewConnectHandler(s.Connect, log),
		Execute:        handlers.NewExecuteHandler(a.Registry, a.Executor, s.Health),
		Try:            handlers.NewTryHandler(s.Integrations, a.Executor, log),
		Patients:       handlers.NewPatientHandler(s.Records, s.Reference),
		Appointments:   handlers.NewAppointmentHandler(s.Records, s.Reference),
		Availability:   handlers.NewAvailabilityPageHandler(s.Records, s.Reference),
		Reference:      handlers.NewReferenceHandler(s.Reference),
		MCP:            handlers.NewMCPHandler(s.Agent),
		SyncJobs:       handlers.NewSyncJobHandler(s.Records),
		SyncSettings:   handlers.NewSyncSettingsHandler(s.SyncSettings, log, s.Reference),
		SyncErrors:     handlers.NewSyncErrorHandler(a.Sync, s.Integrations, log, demo),
		Webhooks:       handlers.NewWebhookHandler(a.Sync),
		Booking:        handlers.NewBookingHandler(booking.New(s.Records, s.Reference)),
		Traces:         handlers.NewTraceHandler(s.Traces, log),
		Flows:          handlers.NewFlowHandler(s.Flows, log),
	}
}
