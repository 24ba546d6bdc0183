// Package handlers is the HTTP surface of Switchboard: echo handlers, one
// struct per resource, and the one list of every route (this file).
package handlers

import (
	"log/slog"
	"slices"

	"github.com/labstack/echo/v4"
	"github.com/uptrace/bun"

	"switchboard/auth"
	"switchboard/integrations/calllog"
	"switchboard/integrations/executor"
	"switchboard/integrations/registry"
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
	// DemoControls, when set (demo), put the sandbox's outage switch on
	// the sync error log. The app mounts the sandbox itself.
	DemoControls DemoControls
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
		withURLs(e),
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
	orgAPI := NewOrganizationAPI(d.Store, d.Keys, d.Logger)
	settings := NewSettingsHandler(d.Store, d.Keys, d.Logger)
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
	syncErrors := NewSyncErrorHandler(d.Store, d.Sync, d.Logger, d.DemoControls)
	dashboard.sync = d.Sync
	idem := idempotent(d.Store)

	// Middleware stacks, from the outside in.
	web := []echo.MiddlewareFunc{authH.loadSession, csrfProtect, authH.requireSetup}
	signedIn := slices.Concat(web, []echo.MiddlewareFunc{requireUser})
	staff := signedIn
	admin := slices.Concat(signedIn, []echo.MiddlewareFunc{requireRole(models.RoleAdmin)})
	owner := slices.Concat(signedIn, []echo.MiddlewareFunc{requireRole(models.RoleOwner)})
	// The JSON API authenticates on its own: an API key or a signed-in
	// cookie session (CSRF-checked), else 401.
	api := []echo.MiddlewareFunc{authH.apiAuth(d.Keys)}
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
	e.POST("/setup", authH.Setup, web...).Name = "auth.setup"
	e.GET("/login", authH.LoginPage, web...).Name = "login"
	e.POST("/login", authH.Login, web...).Name = "auth.login"
	e.POST("/logout", authH.Logout, signedIn...).Name = "logout"
	e.POST("/logout/everywhere", authH.LogoutEverywhere, signedIn...).Name = "auth.logout-everywhere"
	e.GET("/invitations/:token", invitations.Show, web...).Name = "invitation"
	e.POST("/invitations/:token/accept", invitations.Accept, signedIn...).Name = "invitations.accept"
	e.POST("/invitations/:token/register", invitations.Register, web...).Name = "invitations.register"

	// Pages for every role.
	e.GET("/", dashboard.Show, staff...).Name = "dashboard"
	e.GET("/profile", profile.Show, staff...).Name = "profile"
	e.POST("/profile/password", profile.ChangePassword, staff...).Name = "profile.change-password"
	e.POST("/orgs/switch", orgs.Switch, staff...).Name = "orgs.switch"
	e.GET("/patients", patients.Index, staff...).Name = "patients"
	e.POST("/patients", patients.Create, staff...).Name = "records.patients-create"
	e.GET("/patients/:id", patients.Show, staff...).Name = "records.patient-show"
	e.POST("/patients/:id", patients.Update, staff...).Name = "records.patient-update"
	e.GET("/appointments", appointments.Index, staff...).Name = "appointments"
	e.POST("/appointments", appointments.Create, staff...).Name = "records.appointments-create"
	e.GET("/appointments/:id", appointments.Show, staff...).Name = "records.appointment-show"
	e.POST("/appointments/:id/cancel", appointments.Cancel, staff...).Name = "records.appointment-cancel"
	e.GET("/sync-errors", syncErrors.Page, staff...).Name = "sync-errors"
	e.POST("/sync-errors/retry", syncErrors.PageBulkRetry, staff...).Name = "sync-pages.bulk-retry"
	e.POST("/sync-errors/sandbox-outage", syncErrors.SandboxOutage, staff...).Name = "sync-pages.sandbox-outage"
	e.GET("/sync-errors/:id", syncErrors.PageShow, staff...).Name = "sync-pages.error-show"
	e.POST("/sync-errors/:id/retry", syncErrors.PageAction("retry"), staff...).Name = "sync-pages.error-retry"
	e.POST("/sync-errors/:id/dismiss", syncErrors.PageAction("dismiss"), staff...).Name = "sync-pages.error-dismiss"
	e.POST("/sync-errors/:id/resolve", syncErrors.PageAction("resolve"), staff...).Name = "sync-pages.error-resolve"

	// Admin pages.
	e.GET("/api-keys", apiKeys.Index, admin...).Name = "api-keys"
	e.POST("/api-keys", apiKeys.Create, admin...).Name = "api-keys.create"
	e.POST("/api-keys/:id/revoke", apiKeys.Revoke, admin...).Name = "api-keys.revoke"
	e.GET("/audit", audit.Index, admin...).Name = "audit"
	e.GET("/settings", settings.Index, admin...).Name = "settings"
	e.POST("/settings", settings.Save, admin...).Name = "settings.save"
	e.GET("/sync-settings", syncSettings.Index, admin...).Name = "sync-settings"
	e.POST("/sync-settings/:integrationId", syncSettings.Save, admin...).Name = "sync-settings.save"
	e.POST("/sync-settings/:integrationId/toggle", syncSettings.Toggle, admin...).Name = "sync-settings.toggle"
	e.POST("/sync-settings/:integrationId/webhook-secret", syncSettings.RegenerateSecretPage, admin...).Name = "sync-settings.regenerate-secret-page"

	// Integrations, endpoint registry, parameter maps, credentials (admin).
	e.GET("/integrations", integrations.Index, admin...).Name = "integrations"
	e.POST("/integrations", integrations.Create, admin...).Name = "integrations.create"
	e.GET("/integrations/new", integrations.New, admin...).Name = "integrations.new"
	e.POST("/integrations/check", integrations.CheckDocument, admin...).Name = "integrations.check-document"
	e.POST("/integrations/from-catalog", integrations.AddFromCatalog, admin...).Name = "integrations.add-from-catalog"
	e.GET("/integrations/import", integrations.ImportPage, admin...).Name = "integrations.import-page"
	e.POST("/integrations/import", integrations.ImportPreview, admin...).Name = "integrations.import-preview"
	e.POST("/integrations/import/apply", integrations.ImportApply, admin...).Name = "integrations.import-apply"
	e.GET("/integrations/:id/import", integrations.ImportPage, admin...).Name = "integrations.import-page-of-integration"
	e.POST("/integrations/:id/import", integrations.ImportPreview, admin...).Name = "integrations.import-preview-of-integration"
	e.POST("/integrations/:id/import/apply", integrations.ImportApply, admin...).Name = "integrations.import-apply-of-integration"
	e.GET("/integrations/:id", integrations.Show, admin...).Name = "integrations.show"
	e.POST("/integrations/:id/settings", integrations.UpdateSettings, admin...).Name = "integrations.update-settings"
	e.POST("/integrations/:id/document", integrations.SaveDocument, admin...).Name = "integrations.save-document"
	e.POST("/integrations/:id/document/check", integrations.CheckDocument, admin...).Name = "integrations.check-document-of-integration"
	e.POST("/integrations/:id/delete", integrations.Delete, admin...).Name = "integrations.delete"
	e.GET("/integrations/:id/endpoints", integrations.Endpoints, admin...).Name = "integrations.endpoints"
	e.GET("/integrations/:id/endpoints/new", integrations.NewEndpoint, admin...).Name = "integrations.new-endpoint"
	e.POST("/integrations/:id/endpoints", integrations.CreateEndpointPage, admin...).Name = "integrations.create-endpoint-page"
	e.GET("/endpoints/:id", integrations.ShowEndpoint, admin...).Name = "integrations.show-endpoint"
	e.POST("/endpoints/:id", integrations.UpdateEndpointPage, admin...).Name = "integrations.update-endpoint-page"
	e.POST("/endpoints/:id/delete", integrations.DeleteEndpointPage, admin...).Name = "integrations.delete-endpoint-page"
	e.GET("/integrations/:id/maps", integrations.Maps, admin...).Name = "integrations.maps"
	e.POST("/integrations/:id/maps", integrations.CreateMapPage, admin...).Name = "integrations.create-map-page"
	e.POST("/parameter-maps/:id/delete", integrations.DeleteMapPage, admin...).Name = "integrations.delete-map-page"
	e.GET("/integrations/:id/credentials", credentials.Show, admin...).Name = "credentials.show"
	e.POST("/integrations/:id/credentials/:env", credentials.Save, admin...).Name = "credentials.save"
	e.POST("/credentials/:id/delete", credentials.DeletePage, admin...).Name = "credentials.delete-page"
	e.POST("/integrations/:id/credentials/:env/test", credentials.TestPage, admin...).Name = "credentials.test-page"
	e.POST("/endpoints/:id/try", try.Try, admin...).Name = "try.try"

	// Owner pages.
	e.GET("/users", users.Index, owner...).Name = "users"
	e.POST("/users", users.Create, owner...).Name = "users.create"
	e.POST("/users/:id/role", users.SetRole, owner...).Name = "users.set-role"
	e.POST("/users/:id/remove", users.Remove, owner...).Name = "users.remove"
	e.POST("/users/invitations/:id/revoke", users.RevokeInvitation, owner...).Name = "users.revoke-invitation"

	// JSON API.
	e.GET("/api/me", Me, api...).Name = "api-me"
	// Execution API: any API key, or an owner or admin session.
	e.GET("/api/integrations", execute.List, apiExec...).Name = "execute.list"
	e.GET("/api/integrations/:provider", execute.Status, apiExec...).Name = "execute.status"
	e.POST("/api/integrations/:provider", execute.Execute, apiExec...).Name = "execute.execute"
	e.GET("/api/integrations/:provider/functions", execute.Functions, apiExec...).Name = "execute.functions"
	apiWrite := slices.Concat(api, []echo.MiddlewareFunc{idem})
	e.POST("/api/patients", patients.APICreate, apiWrite...).Name = "records-api.create-patient"
	e.GET("/api/patients", patients.APIList, api...).Name = "records-api.list-patients"
	e.GET("/api/patients/:id", patients.APIGet, api...).Name = "records-api.get-patient"
	e.PATCH("/api/patients/:id", patients.APIUpdate, apiWrite...).Name = "records-api.update-patient"
	e.DELETE("/api/patients/:id", patients.APIDelete, apiWrite...).Name = "records-api.delete-patient"
	e.POST("/api/appointments", appointments.APICreate, apiWrite...).Name = "records-api.create-appointment"
	e.GET("/api/appointments", appointments.APIList, api...).Name = "records-api.list-appointments"
	e.GET("/api/appointments/:id", appointments.APIGet, api...).Name = "records-api.get-appointment"
	e.PATCH("/api/appointments/:id", appointments.APIUpdate, apiWrite...).Name = "records-api.update-appointment"
	e.DELETE("/api/appointments/:id", appointments.APICancel, apiWrite...).Name = "records-api.cancel-appointment"

	// Admin JSON API (admin key or owner/admin session).
	e.GET("/api/admin/organization", orgAPI.Get, apiAdmin...).Name = "org-api.get"
	e.PUT("/api/admin/organization", orgAPI.Update, apiAdmin...).Name = "org-api.update"
	e.GET("/api/admin/integrations", integrationAPI.List, apiAdmin...).Name = "integration-api.list"
	e.POST("/api/admin/integrations", integrationAPI.Create, apiAdmin...).Name = "integration-api.create"
	e.POST("/api/admin/integrations/from-catalog", integrationAPI.FromCatalog, apiAdmin...).Name = "integration-api.from-catalog"
	e.GET("/api/admin/integrations/:id", integrationAPI.Get, apiAdmin...).Name = "integration-api.get"
	e.PUT("/api/admin/integrations/:id", integrationAPI.Update, apiAdmin...).Name = "integration-api.update"
	e.DELETE("/api/admin/integrations/:id", integrationAPI.Delete, apiAdmin...).Name = "integration-api.delete"
	e.GET("/api/admin/integrations/:id/export", integrationAPI.Export, apiAdmin...).Name = "integration-api.export"
	e.POST("/api/admin/integrations/import", integrationAPI.Import, apiAdmin...).Name = "integration-api.import"
	e.POST("/api/admin/integrations/:id/import", integrationAPI.Import, apiAdmin...).Name = "integration-api.import-of-integration"
	e.GET("/api/admin/integrations/:id/endpoints", integrationAPI.ListEndpoints, apiAdmin...).Name = "integration-api.list-endpoints"
	e.POST("/api/admin/integrations/:id/endpoints", integrationAPI.CreateEndpoint, apiAdmin...).Name = "integration-api.create-endpoint"
	e.GET("/api/admin/endpoints/:id", integrationAPI.GetEndpoint, apiAdmin...).Name = "integration-api.get-endpoint"
	e.PUT("/api/admin/endpoints/:id", integrationAPI.UpdateEndpoint, apiAdmin...).Name = "integration-api.update-endpoint"
	e.DELETE("/api/admin/endpoints/:id", integrationAPI.DeleteEndpoint, apiAdmin...).Name = "integration-api.delete-endpoint"
	e.GET("/api/admin/integrations/:id/parameter-maps", integrationAPI.ListMaps, apiAdmin...).Name = "integration-api.list-maps"
	e.POST("/api/admin/integrations/:id/parameter-maps", integrationAPI.CreateMap, apiAdmin...).Name = "integration-api.create-map"
	e.PUT("/api/admin/parameter-maps/:id", integrationAPI.UpdateMap, apiAdmin...).Name = "integration-api.update-map"
	e.DELETE("/api/admin/parameter-maps/:id", integrationAPI.DeleteMap, apiAdmin...).Name = "integration-api.delete-map"
	e.GET("/api/admin/api-credentials", credentials.List, apiAdmin...).Name = "credentials.list"
	e.POST("/api/admin/api-credentials", credentials.Create, apiAdmin...).Name = "credentials.create"
	e.GET("/api/admin/api-credentials/:id", credentials.Get, apiAdmin...).Name = "credentials.get"
	e.PUT("/api/admin/api-credentials/:id", credentials.Update, apiAdmin...).Name = "credentials.update"
	e.DELETE("/api/admin/api-credentials/:id", credentials.Delete, apiAdmin...).Name = "credentials.delete"
	e.POST("/api/admin/api-credentials/test", credentials.Test, apiAdmin...).Name = "credentials.test"
	e.GET("/api/admin/integration-settings", syncSettings.List, apiAdmin...).Name = "sync-settings.list"
	e.POST("/api/admin/integration-settings", syncSettings.Create, apiAdmin...).Name = "sync-settings.create"
	e.GET("/api/admin/integration-settings/:configId", syncSettings.Get, apiAdmin...).Name = "sync-settings.get"
	e.PUT("/api/admin/integration-settings/:configId", syncSettings.Update, apiAdmin...).Name = "sync-settings.update"
	e.DELETE("/api/admin/integration-settings/:configId", syncSettings.Delete, apiAdmin...).Name = "sync-settings.delete"
	e.POST("/api/admin/integration-settings/:configId/webhook-secret", syncSettings.RegenerateSecret, apiAdmin...).Name = "sync-settings.regenerate-secret"
	e.GET("/api/admin/sync-errors", syncErrors.List, apiAdmin...).Name = "sync-errors.list"
	e.POST("/api/admin/sync-errors/retry", syncErrors.BulkRetry, apiAdmin...).Name = "sync-errors.bulk-retry"
	e.GET("/api/admin/sync-errors/:id", syncErrors.Get, apiAdmin...).Name = "sync-errors.get"
	e.POST("/api/admin/sync-errors/:id/retry", syncErrors.Retry, apiAdmin...).Name = "sync-errors.retry"
	e.POST("/api/admin/sync-errors/:id/dismiss", syncErrors.Dismiss, apiAdmin...).Name = "sync-errors.dismiss"
	e.POST("/api/admin/sync-errors/:id/resolve", syncErrors.Resolve, apiAdmin...).Name = "sync-errors.resolve"

	// Inbound changes from external systems (signed; no session).
	e.POST("/webhooks/:org/:provider", Webhook(d.Sync)).Name = "webhook"

	// Unknown pages still get the app shell (signed-in navigation).
	e.RouteNotFound("/*", func(echo.Context) error { return echo.ErrNotFound }, web...)
	e.RouteNotFound("/api/*", func(echo.Context) error { return echo.ErrNotFound })
	return e
}
