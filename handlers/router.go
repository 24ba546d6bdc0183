// Package handlers is the HTTP surface of Switchboard: echo handlers, one
// struct per resource, and the one list of every route (this file).
package handlers

import (
	"log/slog"
	"slices"

	"switchboard/accounts"
	"switchboard/agent"
	"switchboard/web"
	"switchboard/web/idempotency"
	"switchboard/web/middleware"
	"switchboard/web/problem"
	"switchboard/web/session"

	"github.com/labstack/echo/v4"
	"github.com/uptrace/bun"

	"switchboard/auth"
	"switchboard/integrations/calllog"
	"switchboard/integrations/executor"
	"switchboard/integrations/reference"
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
	SecretKey []byte
	Keys      *auth.KeyAuthenticator
	// Accounts is the accounts service (sign-in, users, keys, audit log).
	Accounts    *accounts.Service
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
	e.HTTPErrorHandler = problem.Handler(d.Logger)
	e.Validator = web.NewValidator()
	m := middleware.NewMetrics()

	e.Use(
		middleware.WithURLs(e),
		middleware.RequestID,
		middleware.Logger(d.Logger),
		middleware.Recover(d.Logger),
		m.Middleware,
		middleware.SecurityHeaders(d.SecureCookies),
		middleware.BodyLimit,
		middleware.RefuseNULInput,
	)

	r := newRouteSet(d, m)
	r.opsAndAuth(e)
	r.pages(e)
	r.adminPages(e)
	r.ownerAndAPI(e)
	r.adminAPI(e)
	r.inbound(e)
	// The API's description of itself, built last so it sees every route;
	// public, for discovery.
	doc := &apiDocument{}
	e.GET("/api/openapi.json", doc.serve).Name = "api-openapi"
	doc.build(e.Routes())
	return e
}

// routeSet holds the handlers and middleware stacks the routes are built
// from; each of its route methods registers one part of the surface.
type routeSet struct {
	d              Deps
	m              *middleware.Metrics
	sessions       *session.Manager
	authH          *AuthHandler
	health         *HealthHandler
	dashboard      *DashboardHandler
	profile        *ProfileHandler
	users          *UserHandler
	invitations    *InvitationHandler
	orgs           *OrgHandler
	apiKeys        *APIKeyHandler
	audit          *AuditHandler
	orgAPI         *OrganizationAPI
	settings       *SettingsHandler
	integrationAPI *IntegrationAPI
	integrations   *IntegrationHandler
	credentials    *CredentialHandler
	execute        *ExecuteHandler
	try            *TryHandler
	patients       *PatientHandler
	appointments   *AppointmentHandler
	availability   *AvailabilityPageHandler
	reference      *ReferenceHandler
	mcp            *MCPHandler
	syncJobs       *SyncJobHandler
	syncSettings   *SyncSettingsHandler
	syncErrors     *SyncErrorHandler
	idem           echo.MiddlewareFunc

	// Middleware stacks, from the outside in.
	web, signedIn, staff, admin, owner, api, apiAdmin, apiExec, apiRead, apiWrite []echo.MiddlewareFunc
}

// newRouteSet builds every handler over its services, then the
// middleware stacks.
func newRouteSet(d Deps, m *middleware.Metrics) *routeSet {
	r := &routeSet{d: d, m: m}
	r.sessions = session.New(session.Config{MasterKey: d.SecretKey, Secure: d.SecureCookies, Accounts: d.Accounts, Keys: d.Keys, Demo: d.Demo})
	log := d.Accounts.Audit()
	r.authH = NewAuthHandler(d.Accounts, r.sessions)
	r.health = NewHealthHandler(d.DB, d.Migrations)
	r.dashboard = NewDashboardHandler(d.Store)
	r.profile = NewProfileHandler(d.Accounts)
	r.users = NewUserHandler(d.Accounts)
	r.invitations = NewInvitationHandler(d.Accounts)
	r.orgs = NewOrgHandler(d.Accounts)
	r.apiKeys = NewAPIKeyHandler(d.Accounts)
	r.audit = NewAuditHandler(log)
	r.orgAPI = NewOrganizationAPI(d.Accounts)
	r.settings = NewSettingsHandler(d.Accounts)
	registrySvc := registry.NewService(d.Registry, d.Store)
	r.integrationAPI = NewIntegrationAPI(registrySvc, log)
	r.integrations = NewIntegrationHandler(registrySvc, log)
	calls := newCallRecorder(d.Registry, d.Calls, m)
	r.credentials = NewCredentialHandler(vault.NewCredentials(vault.CredentialsConfig{Store: d.Store, Registry: d.Registry,
		Vault: d.Vault, Source: d.Credentials, Executor: d.Executor, Calls: calls}), log)
	r.execute = NewExecuteHandler(d.Store, d.Registry, d.Executor, calls)
	r.try = NewTryHandler(registrySvc, r.execute)
	recordsSvc := records.New(d.Store, d.Sync)
	r.patients = NewPatientHandler(recordsSvc)
	referenceSvc := reference.New(d.Store, d.Registry, d.Executor)
	r.appointments = NewAppointmentHandler(recordsSvc, referenceSvc)
	r.reference = NewReferenceHandler(referenceSvc)
	r.availability = NewAvailabilityPageHandler(recordsSvc, referenceSvc)
	r.mcp = NewMCPHandler(agent.New(d.Store, recordsSvc, d.Executor, d.Registry, agent.RecordsSlots{Records: recordsSvc}, d.Logger, buildVersion()))
	r.syncJobs = NewSyncJobHandler(recordsSvc)
	r.syncSettings = NewSyncSettingsHandler(syncsettings.New(d.Store, d.Registry, d.WebhookSecrets), log)
	r.syncErrors = NewSyncErrorHandler(d.Sync, registrySvc, log, d.DemoControls)
	r.dashboard.sync = d.Sync
	r.idem = idempotency.Middleware(d.Store)
	r.buildStacks()
	return r
}

// buildStacks builds the middleware stacks, from the outside in.
func (r *routeSet) buildStacks() {
	r.web = []echo.MiddlewareFunc{r.sessions.Load, session.CSRF, r.sessions.RequireSetup}
	r.signedIn = slices.Concat(r.web, []echo.MiddlewareFunc{session.RequireUser})
	r.staff = r.signedIn
	r.admin = slices.Concat(r.signedIn, []echo.MiddlewareFunc{session.RequireRole(models.RoleAdmin)})
	r.owner = slices.Concat(r.signedIn, []echo.MiddlewareFunc{session.RequireRole(models.RoleOwner)})
	// The JSON API authenticates on its own: an API key or a signed-in
	// cookie session (CSRF-checked), else 401.
	r.api = []echo.MiddlewareFunc{r.sessions.APIAuth}
	r.apiAdmin = slices.Concat(r.api, []echo.MiddlewareFunc{session.RequireAPIAdmin})
	r.apiExec = slices.Concat(r.api, []echo.MiddlewareFunc{session.RequireExecutor, session.RequireScope(models.ScopeExecuteRead)})
	r.apiRead = slices.Concat(r.api, []echo.MiddlewareFunc{session.RequireScope(models.ScopeRecordsRead)})
	r.apiWrite = slices.Concat(r.api, []echo.MiddlewareFunc{session.RequireScope(models.ScopeRecordsWrite), r.idem})
}

// opsAndAuth registers the probes, assets, setup, sign-in and invitations.
func (r *routeSet) opsAndAuth(e *echo.Echo) {
	// Ops and assets: no session.
	e.GET("/healthz", r.health.Live).Name = "healthz"
	e.HEAD("/healthz", r.health.Live)
	e.GET("/readyz", r.health.Ready).Name = "readyz"
	e.GET("/metrics", r.m.Handler(r.d.MetricsToken)).Name = "metrics"
	e.GET("/static/*", Static).Name = "static"
	e.HEAD("/static/*", Static)

	// Setup, sign-in, sign-out.
	e.GET("/setup", r.authH.SetupPage, r.web...).Name = "setup"
	e.POST("/setup", r.authH.Setup, r.web...).Name = "auth.setup"
	e.GET("/login", r.authH.LoginPage, r.web...).Name = "login"
	e.POST("/login", r.authH.Login, r.web...).Name = "auth.login"
	e.POST("/logout", r.authH.Logout, r.signedIn...).Name = "logout"
	e.POST("/logout/everywhere", r.authH.LogoutEverywhere, r.signedIn...).Name = "auth.logout-everywhere"
	e.GET("/invitations/:token", r.invitations.Show, r.web...).Name = "invitation"
	e.POST("/invitations/:token/accept", r.invitations.Accept, r.signedIn...).Name = "invitations.accept"
	e.POST("/invitations/:token/register", r.invitations.Register, r.web...).Name = "invitations.register"
}

// pages registers the pages every signed-in role sees.
func (r *routeSet) pages(e *echo.Echo) {
	// Pages for every role.
	e.GET("/", r.dashboard.Show, r.staff...).Name = "dashboard"
	e.GET("/profile", r.profile.Show, r.staff...).Name = "profile"
	e.POST("/profile/password", r.profile.ChangePassword, r.staff...).Name = "profile.change-password"
	e.POST("/orgs/switch", r.orgs.Switch, r.staff...).Name = "orgs.switch"
	e.GET("/patients", r.patients.Index, r.staff...).Name = "patients"
	e.POST("/patients", r.patients.Create, r.staff...).Name = "records.patients-create"
	e.GET("/patients/picker", r.appointments.PatientPicker, r.staff...).Name = "records.patient-picker"
	e.GET("/patients/:id", r.patients.Show, r.staff...).Name = "records.patient-show"
	e.GET("/patients/:id/edit", r.patients.Edit, r.staff...).Name = "records.patient-edit"
	e.POST("/patients/:id", r.patients.Update, r.staff...).Name = "records.patient-update"
	e.GET("/appointments", r.appointments.Index, r.staff...).Name = "appointments"
	e.POST("/appointments", r.appointments.Create, r.staff...).Name = "records.appointments-create"
	e.GET("/availability", r.availability.Page, r.staff...).Name = "availability"
	e.GET("/appointments/:id", r.appointments.Show, r.staff...).Name = "records.appointment-show"
	e.POST("/appointments/:id/cancel", r.appointments.Cancel, r.staff...).Name = "records.appointment-cancel"
	e.GET("/appointments/:id/edit", r.appointments.Edit, r.staff...).Name = "records.appointment-edit"
	e.POST("/appointments/:id/edit", r.appointments.Save, r.staff...).Name = "records.appointment-save"
	e.GET("/sync-errors", r.syncErrors.Page, r.staff...).Name = "sync-errors"
	e.POST("/sync-errors/retry", r.syncErrors.PageBulkRetry, r.staff...).Name = "sync-pages.bulk-retry"
	e.POST("/sync-errors/sandbox-outage", r.syncErrors.SandboxOutage, r.staff...).Name = "sync-pages.sandbox-outage"
	e.GET("/sync-errors/:id", r.syncErrors.PageShow, r.staff...).Name = "sync-pages.error-show"
	e.POST("/sync-errors/:id/retry", r.syncErrors.PageAction("retry"), r.staff...).Name = "sync-pages.error-retry"
	e.POST("/sync-errors/:id/dismiss", r.syncErrors.PageAction("dismiss"), r.staff...).Name = "sync-pages.error-dismiss"
	e.POST("/sync-errors/:id/resolve", r.syncErrors.PageAction("resolve"), r.staff...).Name = "sync-pages.error-resolve"
}

// adminPages registers the admin pages: API keys, audit, settings, integrations, credentials.
func (r *routeSet) adminPages(e *echo.Echo) {
	// Admin pages.
	e.GET("/api-keys", r.apiKeys.Index, r.admin...).Name = "api-keys"
	e.POST("/api-keys", r.apiKeys.Create, r.admin...).Name = "api-keys.create"
	e.POST("/api-keys/:id/revoke", r.apiKeys.Revoke, r.admin...).Name = "api-keys.revoke"
	e.GET("/audit", r.audit.Index, r.admin...).Name = "audit"
	e.GET("/settings", r.settings.Index, r.admin...).Name = "settings"
	e.POST("/settings", r.settings.Save, r.admin...).Name = "settings.save"
	e.GET("/sync-settings", r.syncSettings.Index, r.admin...).Name = "sync-settings"
	e.POST("/sync-settings/:integrationId", r.syncSettings.Save, r.admin...).Name = "sync-settings.save"
	e.POST("/sync-settings/:integrationId/toggle", r.syncSettings.Toggle, r.admin...).Name = "sync-settings.toggle"
	e.POST("/sync-settings/:integrationId/webhook-secret", r.syncSettings.RegenerateSecretPage, r.admin...).Name = "sync-settings.regenerate-secret-page"

	// Integrations, endpoint registry, parameter maps, r.credentials (r.admin).
	e.GET("/integrations", r.integrations.Index, r.admin...).Name = "integrations"
	e.POST("/integrations", r.integrations.Create, r.admin...).Name = "integrations.create"
	e.GET("/integrations/new", r.integrations.New, r.admin...).Name = "integrations.new"
	e.POST("/integrations/check", r.integrations.CheckDocument, r.admin...).Name = "integrations.check-document"
	e.POST("/integrations/from-catalog", r.integrations.AddFromCatalog, r.admin...).Name = "integrations.add-from-catalog"
	e.GET("/integrations/import", r.integrations.ImportPage, r.admin...).Name = "integrations.import-page"
	e.POST("/integrations/import", r.integrations.ImportPreview, r.admin...).Name = "integrations.import-preview"
	e.POST("/integrations/import/apply", r.integrations.ImportApply, r.admin...).Name = "integrations.import-apply"
	e.GET("/integrations/:id/import", r.integrations.ImportPage, r.admin...).Name = "integrations.import-page-of-integration"
	e.POST("/integrations/:id/import", r.integrations.ImportPreview, r.admin...).Name = "integrations.import-preview-of-integration"
	e.POST("/integrations/:id/import/apply", r.integrations.ImportApply, r.admin...).Name = "integrations.import-apply-of-integration"
	e.GET("/integrations/:id", r.integrations.Show, r.admin...).Name = "integrations.show"
	e.POST("/integrations/:id/settings", r.integrations.UpdateSettings, r.admin...).Name = "integrations.update-settings"
	e.POST("/integrations/:id/document", r.integrations.SaveDocument, r.admin...).Name = "integrations.save-document"
	e.POST("/integrations/:id/document/check", r.integrations.CheckDocument, r.admin...).Name = "integrations.check-document-of-integration"
	e.POST("/integrations/:id/delete", r.integrations.Delete, r.admin...).Name = "integrations.delete"
	e.GET("/integrations/:id/endpoints", r.integrations.Endpoints, r.admin...).Name = "integrations.endpoints"
	e.GET("/integrations/:id/endpoints/new", r.integrations.NewEndpoint, r.admin...).Name = "integrations.new-endpoint"
	e.POST("/integrations/:id/endpoints", r.integrations.CreateEndpointPage, r.admin...).Name = "integrations.create-endpoint-page"
	e.GET("/endpoints/:id", r.integrations.ShowEndpoint, r.admin...).Name = "integrations.show-endpoint"
	e.POST("/endpoints/:id", r.integrations.UpdateEndpointPage, r.admin...).Name = "integrations.update-endpoint-page"
	e.POST("/endpoints/:id/delete", r.integrations.DeleteEndpointPage, r.admin...).Name = "integrations.delete-endpoint-page"
	e.GET("/integrations/:id/maps", r.integrations.Maps, r.admin...).Name = "integrations.maps"
	e.POST("/integrations/:id/maps", r.integrations.CreateMapPage, r.admin...).Name = "integrations.create-map-page"
	e.POST("/parameter-maps/:id/delete", r.integrations.DeleteMapPage, r.admin...).Name = "integrations.delete-map-page"
	e.GET("/integrations/:id/credentials", r.credentials.Show, r.admin...).Name = "credentials.show"
	e.POST("/integrations/:id/credentials/:env", r.credentials.Save, r.admin...).Name = "credentials.save"
	e.POST("/credentials/:id/delete", r.credentials.DeletePage, r.admin...).Name = "credentials.delete-page"
	e.POST("/integrations/:id/credentials/:env/test", r.credentials.TestPage, r.admin...).Name = "credentials.test-page"
	e.POST("/endpoints/:id/try", r.try.Try, r.admin...).Name = "try.try"
}

// ownerAndAPI registers the owner pages and the agents' JSON API.
func (r *routeSet) ownerAndAPI(e *echo.Echo) {
	// Owner pages.
	e.GET("/users", r.users.Index, r.owner...).Name = "users"
	e.POST("/users", r.users.Create, r.owner...).Name = "users.create"
	e.POST("/users/:id/role", r.users.SetRole, r.owner...).Name = "users.set-role"
	e.POST("/users/:id/remove", r.users.Remove, r.owner...).Name = "users.remove"
	e.POST("/users/invitations/:id/revoke", r.users.RevokeInvitation, r.owner...).Name = "users.revoke-invitation"

	// JSON API.
	e.GET("/api/me", Me, r.api...).Name = "api-me"
	// Execution API: any API key, or an r.owner or r.admin session.
	e.GET("/api/integrations", r.execute.List, r.apiExec...).Name = "execute.list"
	e.GET("/api/integrations/:provider", r.execute.Status, r.apiExec...).Name = "execute.status"
	e.POST("/api/integrations/:provider", r.execute.Execute, r.apiExec...).Name = "execute.execute"
	e.GET("/api/integrations/:provider/functions", r.execute.Functions, r.apiExec...).Name = "execute.functions"
	e.POST("/api/patients", r.patients.APICreate, r.apiWrite...).Name = "records-api.create-patient"
	e.GET("/api/patients", r.patients.APIList, r.apiRead...).Name = "records-api.list-patients"
	e.GET("/api/patients/:id", r.patients.APIGet, r.apiRead...).Name = "records-api.get-patient"
	e.PATCH("/api/patients/:id", r.patients.APIUpdate, r.apiWrite...).Name = "records-api.update-patient"
	e.DELETE("/api/patients/:id", r.patients.APIDelete, r.apiWrite...).Name = "records-api.delete-patient"
	e.POST("/api/appointments", r.appointments.APICreate, r.apiWrite...).Name = "records-api.create-appointment"
	e.GET("/api/appointments", r.appointments.APIList, r.apiRead...).Name = "records-api.list-appointments"
	e.GET("/api/availability", r.appointments.APIAvailability, r.apiRead...).Name = "records-api.availability"
	e.GET("/api/appointments/:id", r.appointments.APIGet, r.apiRead...).Name = "records-api.get-appointment"
	e.PATCH("/api/appointments/:id", r.appointments.APIUpdate, r.apiWrite...).Name = "records-api.update-appointment"
	e.DELETE("/api/appointments/:id", r.appointments.APICancel, r.apiWrite...).Name = "records-api.cancel-appointment"
	e.GET("/api/sync-jobs/:id", r.syncJobs.APIGet, r.apiRead...).Name = "records-api.get-sync-job"
	e.GET("/api/reference/:kind", r.reference.APIList, r.apiRead...).Name = "reference-api.list"
	// MCP (Streamable HTTP, stateless): POST carries the calls; GET and
	// DELETE answer 405 from the SDK.
	e.POST("/mcp", r.mcp.Serve, r.api...).Name = "mcp"
	e.GET("/mcp", r.mcp.Serve, r.api...).Name = "mcp.get"
	e.DELETE("/mcp", r.mcp.Serve, r.api...).Name = "mcp.delete"
}

// adminAPI registers the admin JSON API.
func (r *routeSet) adminAPI(e *echo.Echo) {
	// Admin JSON API (r.admin key or r.owner/r.admin session).
	e.GET("/api/admin/organization", r.orgAPI.Get, r.apiAdmin...).Name = "org-api.get"
	e.PUT("/api/admin/organization", r.orgAPI.Update, r.apiAdmin...).Name = "org-api.update"
	e.GET("/api/admin/integrations", r.integrationAPI.List, r.apiAdmin...).Name = "integration-api.list"
	e.POST("/api/admin/integrations", r.integrationAPI.Create, r.apiAdmin...).Name = "integration-api.create"
	e.POST("/api/admin/integrations/from-catalog", r.integrationAPI.FromCatalog, r.apiAdmin...).Name = "integration-api.from-catalog"
	e.GET("/api/admin/integrations/:id", r.integrationAPI.Get, r.apiAdmin...).Name = "integration-api.get"
	e.PUT("/api/admin/integrations/:id", r.integrationAPI.Update, r.apiAdmin...).Name = "integration-api.update"
	e.DELETE("/api/admin/integrations/:id", r.integrationAPI.Delete, r.apiAdmin...).Name = "integration-api.delete"
	e.GET("/api/admin/integrations/:id/export", r.integrationAPI.Export, r.apiAdmin...).Name = "integration-api.export"
	e.POST("/api/admin/integrations/import", r.integrationAPI.Import, r.apiAdmin...).Name = "integration-api.import"
	e.POST("/api/admin/integrations/:id/import", r.integrationAPI.Import, r.apiAdmin...).Name = "integration-api.import-of-integration"
	e.GET("/api/admin/integrations/:id/endpoints", r.integrationAPI.ListEndpoints, r.apiAdmin...).Name = "integration-api.list-endpoints"
	e.POST("/api/admin/integrations/:id/endpoints", r.integrationAPI.CreateEndpoint, r.apiAdmin...).Name = "integration-api.create-endpoint"
	e.GET("/api/admin/endpoints/:id", r.integrationAPI.GetEndpoint, r.apiAdmin...).Name = "integration-api.get-endpoint"
	e.PUT("/api/admin/endpoints/:id", r.integrationAPI.UpdateEndpoint, r.apiAdmin...).Name = "integration-api.update-endpoint"
	e.DELETE("/api/admin/endpoints/:id", r.integrationAPI.DeleteEndpoint, r.apiAdmin...).Name = "integration-api.delete-endpoint"
	e.GET("/api/admin/integrations/:id/parameter-maps", r.integrationAPI.ListMaps, r.apiAdmin...).Name = "integration-api.list-maps"
	e.POST("/api/admin/integrations/:id/parameter-maps", r.integrationAPI.CreateMap, r.apiAdmin...).Name = "integration-api.create-map"
	e.PUT("/api/admin/parameter-maps/:id", r.integrationAPI.UpdateMap, r.apiAdmin...).Name = "integration-api.update-map"
	e.DELETE("/api/admin/parameter-maps/:id", r.integrationAPI.DeleteMap, r.apiAdmin...).Name = "integration-api.delete-map"
	e.GET("/api/admin/api-credentials", r.credentials.List, r.apiAdmin...).Name = "credentials.list"
	e.POST("/api/admin/api-credentials", r.credentials.Create, r.apiAdmin...).Name = "credentials.create"
	e.GET("/api/admin/api-credentials/:id", r.credentials.Get, r.apiAdmin...).Name = "credentials.get"
	e.PUT("/api/admin/api-credentials/:id", r.credentials.Update, r.apiAdmin...).Name = "credentials.update"
	e.DELETE("/api/admin/api-credentials/:id", r.credentials.Delete, r.apiAdmin...).Name = "credentials.delete"
	e.POST("/api/admin/api-credentials/test", r.credentials.Test, r.apiAdmin...).Name = "credentials.test"
	e.GET("/api/admin/integration-settings", r.syncSettings.List, r.apiAdmin...).Name = "sync-settings.list"
	e.POST("/api/admin/integration-settings", r.syncSettings.Create, r.apiAdmin...).Name = "sync-settings.create"
	e.GET("/api/admin/integration-settings/:configId", r.syncSettings.Get, r.apiAdmin...).Name = "sync-settings.get"
	e.PUT("/api/admin/integration-settings/:configId", r.syncSettings.Update, r.apiAdmin...).Name = "sync-settings.update"
	e.DELETE("/api/admin/integration-settings/:configId", r.syncSettings.Delete, r.apiAdmin...).Name = "sync-settings.delete"
	e.POST("/api/admin/integration-settings/:configId/webhook-secret", r.syncSettings.RegenerateSecret, r.apiAdmin...).Name = "sync-settings.regenerate-secret"
	e.GET("/api/admin/sync-errors", r.syncErrors.List, r.apiAdmin...).Name = "sync-errors.list"
	e.POST("/api/admin/sync-errors/retry", r.syncErrors.BulkRetry, r.apiAdmin...).Name = "sync-errors.bulk-retry"
	e.GET("/api/admin/sync-errors/:id", r.syncErrors.Get, r.apiAdmin...).Name = "sync-errors.get"
	e.POST("/api/admin/sync-errors/:id/retry", r.syncErrors.Retry, r.apiAdmin...).Name = "sync-errors.retry"
	e.POST("/api/admin/sync-errors/:id/dismiss", r.syncErrors.Dismiss, r.apiAdmin...).Name = "sync-errors.dismiss"
	e.POST("/api/admin/sync-errors/:id/resolve", r.syncErrors.Resolve, r.apiAdmin...).Name = "sync-errors.resolve"
}

// inbound registers webhooks and the not-found routes.
func (r *routeSet) inbound(e *echo.Echo) {
	// Inbound changes from external systems (signed; no session).
	e.POST("/webhooks/:org/:provider", Webhook(r.d.Sync)).Name = "webhook"

	// Unknown pages still get the app shell (signed-in navigation).
	e.RouteNotFound("/*", func(echo.Context) error { return echo.ErrNotFound }, r.web...)
	e.RouteNotFound("/api/*", func(echo.Context) error { return echo.ErrNotFound })
}
