// Package handlers is the HTTP surface of Switchboard: echo handlers, one
// struct per resource, and the one list of every route (this file).
package handlers

import (
	"log/slog"
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"
	"github.com/uptrace/bun"

	"switchboard/auth"
	"switchboard/integrations/calllog"
	"switchboard/integrations/executor"
	"switchboard/integrations/registry"
	"switchboard/integrations/sandbox"
	"switchboard/integrations/syncer"
	"switchboard/integrations/syncsettings"
	"switchboard/integrations/vault"
	"switchboard/models"
	"switchboard/records"
)

// Deps are what the router needs from the outside world. app.New builds
// them explicitly.
type Deps struct {
	Logger     *slog.Logger
	DB         *bun.DB
	Store      *models.Store
	Migrations PendingCounter
	// SecretKey is the master key; the session cookie keys derive from it.
	SecretKey   []byte
	Keys        *auth.KeyAuthenticator
	Throttle    *auth.Throttle
	Registry    *registry.Registry
	Vault       *vault.Vault
	Credentials *vault.Source
	// WebhookSecrets seal and open the sync configurations' webhook
	// secrets; the syncer reads them through the same one.
	WebhookSecrets *vault.WebhookSecrets
	Executor       *executor.Executor
	Calls          *calllog.Recorder
	Sync           *syncer.Manager
	// Sandbox, when set (demo), is served under /sandbox/ and its outage
	// switch is on the sync error log.
	Sandbox *sandbox.Sandbox
	// SecureCookies marks cookies Secure and turns on HSTS (TLS deployments).
	SecureCookies bool
	// Demo shows the demo banner.
	Demo bool
	// MetricsToken, when set, is the bearer token every /metrics caller
	// must send; when empty, /metrics answers loopback callers only.
	MetricsToken string
}

// NewRouter builds the echo instance with every middleware and route.
func NewRouter(d Deps) *echo.Echo {
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.IPExtractor = echo.ExtractIPDirect()
	e.HTTPErrorHandler = ErrorHandler(d.Logger)
	e.Validator = newFormValidator()
	m := newMetrics()

	e.Use(
		requestID(),
		requestLogger(d.Logger),
		recoverPanics(d.Logger),
		m.middleware,
		securityHeaders(d.SecureCookies),
		bodyLimitDefault(),
		refuseNULInput,
	)

	authH := NewAuthHandler(d.Store, newSessionManager(d.SecretKey, d.SecureCookies), d.Throttle, d.Logger, d.Demo)
	health := NewHealthHandler(d.DB, d.Migrations)
	dashboard := NewDashboardHandler(d.Store)
	profile := NewProfileHandler(d.Store, d.Logger)
	users := NewUserHandler(d.Store, d.Logger)
	invitations := NewInvitationHandler(d.Store, d.Logger)
	orgs := NewOrgHandler(d.Store, d.Logger)
	apiKeys := NewAPIKeyHandler(d.Store, d.Keys, d.Logger)
	audit := NewAuditHandler(d.Store)
	registrySvc := registry.NewService(d.Registry, d.Store)
	integrationAPI := NewIntegrationAPI(registrySvc, d.Store, d.Logger)
	integrations := NewIntegrationHandler(registrySvc, d.Store, d.Logger)
	calls := newCallRecorder(d.Registry, d.Calls, m.executions)
	credentials := NewCredentialHandler(vault.NewCredentials(vault.CredentialsConfig{Store: d.Store, Registry: d.Registry,
		Vault: d.Vault, Source: d.Credentials, Executor: d.Executor, Calls: calls}), d.Store, d.Logger)
	execute := NewExecuteHandler(d.Store, d.Registry, d.Executor, calls)
	try := NewTryHandler(registrySvc, execute)
	recordsSvc := records.New(d.Store, d.Sync)
	patients := NewPatientHandler(recordsSvc)
	appointments := NewAppointmentHandler(recordsSvc)
	syncSettings := NewSyncSettingsHandler(syncsettings.New(d.Store, d.Registry, d.WebhookSecrets), d.Store, d.Logger)
	syncErrors := NewSyncErrorHandler(d.Store, d.Sync, d.Logger, d.Sandbox)
	dashboard.sync = d.Sync
	idem := idempotent(d.Store)

	// Middleware stacks, from the outside in.
	web := []echo.MiddlewareFunc{authH.loadSession, csrfProtect, authH.requireSetup}
	signedIn := slices.Concat(web, []echo.MiddlewareFunc{requireUser})
	staff := signedIn
	admin := slices.Concat(signedIn, []echo.MiddlewareFunc{requireRole(models.RoleAdmin)})
	owner := slices.Concat(signedIn, []echo.MiddlewareFunc{requireRole(models.RoleOwner)})
	api := slices.Concat(web, []echo.MiddlewareFunc{apiAuth(d.Keys)})
	apiAdmin := slices.Concat(api, []echo.MiddlewareFunc{requireAPIAdmin})
	apiExec := slices.Concat(api, []echo.MiddlewareFunc{requireExecutor})

	// Ops and assets: no session.
	e.GET("/healthz", health.Live).Name = "healthz"
	e.HEAD("/healthz", health.Live)
	e.GET("/readyz", health.Ready).Name = "readyz"
	e.GET("/metrics", m.handler(d.MetricsToken)).Name = "metrics"
	e.GET("/static/*", Static).Name = "static"
	e.HEAD("/static/*", Static)

	// Setup, sign-in, sign-out.
	e.GET("/setup", authH.SetupPage, web...).Name = "setup"
	e.POST("/setup", authH.Setup, web...)
	e.GET("/login", authH.LoginPage, web...).Name = "login"
	e.POST("/login", authH.Login, web...)
	e.POST("/logout", authH.Logout, signedIn...).Name = "logout"
	e.POST("/logout/everywhere", authH.LogoutEverywhere, signedIn...)
	e.GET("/invitations/:token", invitations.Show, web...).Name = "invitation"
	e.POST("/invitations/:token/accept", invitations.Accept, signedIn...)
	e.POST("/invitations/:token/register", invitations.Register, web...)

	// Pages for every role.
	e.GET("/", dashboard.Show, staff...).Name = "dashboard"
	e.GET("/profile", profile.Show, staff...).Name = "profile"
	e.POST("/profile/password", profile.ChangePassword, staff...)
	e.POST("/orgs/switch", orgs.Switch, staff...)
	e.GET("/patients", patients.Index, staff...).Name = "patients"
	e.POST("/patients", patients.Create, staff...)
	e.GET("/patients/:id", patients.Show, staff...)
	e.POST("/patients/:id", patients.Update, staff...)
	e.GET("/appointments", appointments.Index, staff...).Name = "appointments"
	e.POST("/appointments", appointments.Create, staff...)
	e.GET("/appointments/:id", appointments.Show, staff...)
	e.POST("/appointments/:id/cancel", appointments.Cancel, staff...)
	e.GET("/sync-errors", syncErrors.Page, staff...).Name = "sync-errors"
	e.POST("/sync-errors/retry", syncErrors.PageBulkRetry, staff...)
	e.POST("/sync-errors/sandbox-outage", syncErrors.SandboxOutage, staff...)
	e.GET("/sync-errors/:id", syncErrors.PageShow, staff...)
	e.POST("/sync-errors/:id/retry", syncErrors.PageAction("retry"), staff...)
	e.POST("/sync-errors/:id/dismiss", syncErrors.PageAction("dismiss"), staff...)
	e.POST("/sync-errors/:id/resolve", syncErrors.PageAction("resolve"), staff...)

	// Admin pages.
	e.GET("/api-keys", apiKeys.Index, admin...).Name = "api-keys"
	e.POST("/api-keys", apiKeys.Create, admin...)
	e.POST("/api-keys/:id/revoke", apiKeys.Revoke, admin...)
	e.GET("/audit", audit.Index, admin...).Name = "audit"
	e.GET("/sync-settings", syncSettings.Index, admin...).Name = "sync-settings"
	e.POST("/sync-settings/:integrationId", syncSettings.Save, admin...)
	e.POST("/sync-settings/:integrationId/toggle", syncSettings.Toggle, admin...)
	e.POST("/sync-settings/:integrationId/webhook-secret", syncSettings.RegenerateSecretPage, admin...)

	// Integrations, endpoint registry, parameter maps, credentials (admin).
	e.GET("/integrations", integrations.Index, admin...).Name = "integrations"
	e.POST("/integrations", integrations.Create, admin...)
	e.GET("/integrations/new", integrations.New, admin...)
	e.POST("/integrations/check", integrations.CheckDocument, admin...)
	e.POST("/integrations/from-catalog", integrations.AddFromCatalog, admin...)
	e.GET("/integrations/import", integrations.ImportPage, admin...)
	e.POST("/integrations/import", integrations.ImportPreview, admin...)
	e.POST("/integrations/import/apply", integrations.ImportApply, admin...)
	e.GET("/integrations/:id/import", integrations.ImportPage, admin...)
	e.POST("/integrations/:id/import", integrations.ImportPreview, admin...)
	e.POST("/integrations/:id/import/apply", integrations.ImportApply, admin...)
	e.GET("/integrations/:id", integrations.Show, admin...)
	e.POST("/integrations/:id/settings", integrations.UpdateSettings, admin...)
	e.POST("/integrations/:id/document", integrations.SaveDocument, admin...)
	e.POST("/integrations/:id/document/check", integrations.CheckDocument, admin...)
	e.POST("/integrations/:id/delete", integrations.Delete, admin...)
	e.GET("/integrations/:id/endpoints", integrations.Endpoints, admin...)
	e.GET("/integrations/:id/endpoints/new", integrations.NewEndpoint, admin...)
	e.POST("/integrations/:id/endpoints", integrations.CreateEndpointPage, admin...)
	e.GET("/endpoints/:id", integrations.ShowEndpoint, admin...)
	e.POST("/endpoints/:id", integrations.UpdateEndpointPage, admin...)
	e.POST("/endpoints/:id/delete", integrations.DeleteEndpointPage, admin...)
	e.GET("/integrations/:id/maps", integrations.Maps, admin...)
	e.POST("/integrations/:id/maps", integrations.CreateMapPage, admin...)
	e.POST("/parameter-maps/:id/delete", integrations.DeleteMapPage, admin...)
	e.GET("/integrations/:id/credentials", credentials.Show, admin...)
	e.POST("/integrations/:id/credentials/:env", credentials.Save, admin...)
	e.POST("/credentials/:id/delete", credentials.DeletePage, admin...)
	e.POST("/integrations/:id/credentials/:env/test", credentials.TestPage, admin...)
	e.POST("/endpoints/:id/try", try.Try, admin...)

	// Owner pages.
	e.GET("/users", users.Index, owner...).Name = "users"
	e.POST("/users", users.Create, owner...)
	e.POST("/users/:id/role", users.SetRole, owner...)
	e.POST("/users/:id/remove", users.Remove, owner...)
	e.POST("/users/invitations/:id/revoke", users.RevokeInvitation, owner...)

	// JSON API.
	e.GET("/api/me", Me, api...).Name = "api-me"
	// Execution API: any API key, or an owner or admin session.
	e.GET("/api/integrations", execute.List, apiExec...)
	e.GET("/api/integrations/:provider", execute.Status, apiExec...)
	e.POST("/api/integrations/:provider", execute.Execute, apiExec...)
	e.GET("/api/integrations/:provider/functions", execute.Functions, apiExec...)
	apiWrite := slices.Concat(api, []echo.MiddlewareFunc{idem})
	e.POST("/api/patients", patients.APICreate, apiWrite...)
	e.GET("/api/patients", patients.APIList, api...)
	e.GET("/api/patients/:id", patients.APIGet, api...)
	e.PATCH("/api/patients/:id", patients.APIUpdate, apiWrite...)
	e.DELETE("/api/patients/:id", patients.APIDelete, apiWrite...)
	e.POST("/api/appointments", appointments.APICreate, apiWrite...)
	e.GET("/api/appointments", appointments.APIList, api...)
	e.GET("/api/appointments/:id", appointments.APIGet, api...)
	e.PATCH("/api/appointments/:id", appointments.APIUpdate, apiWrite...)
	e.DELETE("/api/appointments/:id", appointments.APICancel, apiWrite...)

	// Admin JSON API (admin key or owner/admin session).
	e.GET("/api/admin/integrations", integrationAPI.List, apiAdmin...)
	e.POST("/api/admin/integrations", integrationAPI.Create, apiAdmin...)
	e.POST("/api/admin/integrations/from-catalog", integrationAPI.FromCatalog, apiAdmin...)
	e.GET("/api/admin/integrations/:id", integrationAPI.Get, apiAdmin...)
	e.PUT("/api/admin/integrations/:id", integrationAPI.Update, apiAdmin...)
	e.DELETE("/api/admin/integrations/:id", integrationAPI.Delete, apiAdmin...)
	e.GET("/api/admin/integrations/:id/export", integrationAPI.Export, apiAdmin...)
	e.POST("/api/admin/integrations/import", integrationAPI.Import, apiAdmin...)
	e.POST("/api/admin/integrations/:id/import", integrationAPI.Import, apiAdmin...)
	e.GET("/api/admin/integrations/:id/endpoints", integrationAPI.ListEndpoints, apiAdmin...)
	e.POST("/api/admin/integrations/:id/endpoints", integrationAPI.CreateEndpoint, apiAdmin...)
	e.GET("/api/admin/endpoints/:id", integrationAPI.GetEndpoint, apiAdmin...)
	e.PUT("/api/admin/endpoints/:id", integrationAPI.UpdateEndpoint, apiAdmin...)
	e.DELETE("/api/admin/endpoints/:id", integrationAPI.DeleteEndpoint, apiAdmin...)
	e.GET("/api/admin/integrations/:id/parameter-maps", integrationAPI.ListMaps, apiAdmin...)
	e.POST("/api/admin/integrations/:id/parameter-maps", integrationAPI.CreateMap, apiAdmin...)
	e.PUT("/api/admin/parameter-maps/:id", integrationAPI.UpdateMap, apiAdmin...)
	e.DELETE("/api/admin/parameter-maps/:id", integrationAPI.DeleteMap, apiAdmin...)
	e.GET("/api/admin/api-credentials", credentials.List, apiAdmin...)
	e.POST("/api/admin/api-credentials", credentials.Create, apiAdmin...)
	e.GET("/api/admin/api-credentials/:id", credentials.Get, apiAdmin...)
	e.PUT("/api/admin/api-credentials/:id", credentials.Update, apiAdmin...)
	e.DELETE("/api/admin/api-credentials/:id", credentials.Delete, apiAdmin...)
	e.POST("/api/admin/api-credentials/test", credentials.Test, apiAdmin...)
	e.GET("/api/admin/integration-settings", syncSettings.List, apiAdmin...)
	e.POST("/api/admin/integration-settings", syncSettings.Create, apiAdmin...)
	e.GET("/api/admin/integration-settings/:configId", syncSettings.Get, apiAdmin...)
	e.PUT("/api/admin/integration-settings/:configId", syncSettings.Update, apiAdmin...)
	e.DELETE("/api/admin/integration-settings/:configId", syncSettings.Delete, apiAdmin...)
	e.POST("/api/admin/integration-settings/:configId/webhook-secret", syncSettings.RegenerateSecret, apiAdmin...)
	e.GET("/api/admin/sync-errors", syncErrors.List, apiAdmin...)
	e.POST("/api/admin/sync-errors/retry", syncErrors.BulkRetry, apiAdmin...)
	e.GET("/api/admin/sync-errors/:id", syncErrors.Get, apiAdmin...)
	e.POST("/api/admin/sync-errors/:id/retry", syncErrors.Retry, apiAdmin...)
	e.POST("/api/admin/sync-errors/:id/dismiss", syncErrors.Dismiss, apiAdmin...)
	e.POST("/api/admin/sync-errors/:id/resolve", syncErrors.Resolve, apiAdmin...)

	// Inbound changes from external systems (signed; no session).
	e.POST("/webhooks/:org/:provider", Webhook(d.Sync))

	// The demo's sandbox practice-management system.
	if d.Sandbox != nil {
		sb := echo.WrapHandler(http.StripPrefix("/sandbox", http.Handler(d.Sandbox)))
		e.Any("/sandbox/*", sb)
	}

	// Unknown pages still get the app shell (signed-in navigation).
	e.RouteNotFound("/*", func(echo.Context) error { return echo.ErrNotFound }, web...)
	e.RouteNotFound("/api/*", func(echo.Context) error { return echo.ErrNotFound })
	return e
}
