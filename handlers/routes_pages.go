package handlers

import (
	"net/http"

	"switchboard/api"
	"switchboard/web"
	"switchboard/web/openapi"
)

// The admin app's pages and form actions, by part.

const (
	get  = http.MethodGet
	head = http.MethodHead
	post = http.MethodPost
	put  = http.MethodPut
	del  = http.MethodDelete
	pat  = http.MethodPatch
)

// opsRoutes are the probes, metrics, assets, the API's description of
// itself and inbound webhooks: no session.
func (h Handlers) opsRoutes(w Web, doc *openapi.Document) []route {
	return []route{
		{get, "/healthz", "healthz", h.Health.Live, public, nil, nil},
		{head, "/healthz", "", h.Health.Live, public, nil, nil},
		{get, "/readyz", "readyz", h.Health.Ready, public, nil, nil},
		{get, "/metrics", "metrics", w.Metrics.Handler(w.MetricsToken), public, nil, nil},
		{get, "/static/*", "static", web.Static, public, nil, nil},
		{head, "/static/*", "", web.Static, public, nil, nil},
		{get, "/api/openapi.json", "api-openapi", doc.Serve, public, nil,
			&apiOp{Summary: "This OpenAPI document", Tag: tagMeta, Public: true, Answers: ok(map[string]any{})}},
		{post, "/webhooks/:org/:provider", "webhook", h.Webhooks.Receive, public, nil, nil},
	}
}

// accountRoutes are setup, sign-in, invitations, the profile, users and
// organizations.
func (h Handlers) accountRoutes() []route {
	return []route{
		{get, "/setup", "setup", h.Auth.SetupPage, visitor, nil, nil},
		{post, "/setup", "auth.setup", h.Auth.Setup, visitor, nil, nil},
		{get, "/login", "login", h.Auth.LoginPage, visitor, LoginQuery{}, nil},
		{post, "/login", "auth.login", h.Auth.Login, visitor, nil, nil},
		{post, "/logout", "logout", h.Auth.Logout, staff, nil, nil},
		{post, "/logout/everywhere", "auth.logout-everywhere", h.Auth.LogoutEverywhere, staff, nil, nil},
		{get, "/invitations/:token", "invitation", h.Invitations.Show, visitor, nil, nil},
		{post, "/invitations/:token/accept", "invitations.accept", h.Invitations.Accept, staff, nil, nil},
		{post, "/invitations/:token/register", "invitations.register", h.Invitations.Register, visitor, nil, nil},
		{get, "/", "dashboard", h.Dashboard.Show, staff, nil, nil},
		{get, "/profile", "profile", h.Profile.Show, staff, nil, nil},
		{post, "/profile/password", "profile.change-password", h.Profile.ChangePassword, staff, nil, nil},
		{post, "/orgs/switch", "orgs.switch", h.Orgs.Switch, staff, nil, nil},
		{get, "/users", "users", h.Users.Index, owner, nil, nil},
		{post, "/users", "users.create", h.Users.Create, owner, nil, nil},
		{post, "/users/:id/role", "users.set-role", h.Users.SetRole, owner, nil, nil},
		{post, "/users/:id/remove", "users.remove", h.Users.Remove, owner, nil, nil},
		{post, "/users/invitations/:id/revoke", "users.revoke-invitation", h.Users.RevokeInvitation, owner, nil, nil},
		{get, "/api-keys", "api-keys", h.APIKeys.Index, admin, nil, nil},
		{post, "/api-keys", "api-keys.create", h.APIKeys.Create, admin, nil, nil},
		{post, "/api-keys/:id/revoke", "api-keys.revoke", h.APIKeys.Revoke, admin, nil, nil},
		{get, "/audit", "audit", h.Audit.Index, admin, AuditQuery{}, nil},
		{get, "/settings", "settings", h.Settings.Index, admin, nil, nil},
		{post, "/settings", "settings.save", h.Settings.Save, admin, nil, nil},
	}
}

// recordRoutes are the pages of patients, appointments and availability.
func (h Handlers) recordRoutes() []route {
	return []route{
		{get, "/patients", "patients", h.Patients.Index, staff, PatientsPageQuery{}, nil},
		{post, "/patients", "records.patients-create", h.Patients.Create, staff, nil, nil},
		{get, "/patients/picker", "records.patient-picker", h.Appointments.PatientPicker, staff, PatientPickerQuery{}, nil},
		{get, "/patients/:id", "records.patient-show", h.Patients.Show, staff, nil, nil},
		{get, "/patients/:id/edit", "records.patient-edit", h.Patients.Edit, staff, nil, nil},
		{post, "/patients/:id", "records.patient-update", h.Patients.Update, staff, nil, nil},
		{get, "/appointments", "appointments", h.Appointments.Index, staff, AppointmentsPageQuery{}, nil},
		{post, "/appointments", "records.appointments-create", h.Appointments.Create, staff, nil, nil},
		{get, "/availability", "availability", h.Availability.Page, staff, WeekQuery{}, nil},
		{get, "/appointments/:id", "records.appointment-show", h.Appointments.Show, staff, nil, nil},
		{post, "/appointments/:id/cancel", "records.appointment-cancel", h.Appointments.Cancel, staff, nil, nil},
		{get, "/appointments/:id/edit", "records.appointment-edit", h.Appointments.Edit, staff, nil, nil},
		{post, "/appointments/:id/edit", "records.appointment-save", h.Appointments.Save, staff, nil, nil},
	}
}

// syncPageRoutes are the sync error log and the sync settings pages.
func (h Handlers) syncPageRoutes() []route {
	return []route{
		{get, "/sync-errors", "sync-errors", h.SyncErrors.Page, staff, api.SyncErrorsQuery{}, nil},
		{post, "/sync-errors/retry", "sync-pages.bulk-retry", h.SyncErrors.PageBulkRetry, staff, nil, nil},
		{post, "/sync-errors/sandbox-outage", "sync-pages.sandbox-outage", h.SyncErrors.SandboxOutage, staff, nil, nil},
		{get, "/sync-errors/:id", "sync-pages.error-show", h.SyncErrors.PageShow, staff, nil, nil},
		{post, "/sync-errors/:id/retry", "sync-pages.error-retry", h.SyncErrors.PageAction("retry"), staff, nil, nil},
		{post, "/sync-errors/:id/dismiss", "sync-pages.error-dismiss", h.SyncErrors.PageAction("dismiss"), staff, nil, nil},
		{post, "/sync-errors/:id/resolve", "sync-pages.error-resolve", h.SyncErrors.PageAction("resolve"), staff, nil, nil},
		{get, "/sync-settings", "sync-settings", h.SyncSettings.Index, admin, nil, nil},
		{post, "/sync-settings/:integrationId", "sync-settings.save", h.SyncSettings.Save, admin, nil, nil},
		{post, "/sync-settings/:integrationId/toggle", "sync-settings.toggle", h.SyncSettings.Toggle, admin, nil, nil},
		{post, "/sync-settings/:integrationId/webhook-secret", "sync-settings.regenerate-secret-page", h.SyncSettings.RegenerateSecretPage, admin, nil, nil},
	}
}

// adminPageRoutes are the pages of integrations: the list, the catalog,
// imports and the document editor.
func (h Handlers) adminPageRoutes() []route {
	i := h.Integrations
	return []route{
		{get, "/integrations", "integrations", i.Index, admin, nil, nil},
		{post, "/integrations", "integrations.create", i.Create, admin, nil, nil},
		{get, "/integrations/new", "integrations.new", i.New, admin, nil, nil},
		{post, "/integrations/check", "integrations.check-document", i.CheckDocument, admin, nil, nil},
		{post, "/integrations/from-catalog", "integrations.add-from-catalog", i.AddFromCatalog, admin, nil, nil},
		{get, "/integrations/import", "integrations.import-page", i.ImportPage, admin, nil, nil},
		{post, "/integrations/import", "integrations.import-preview", i.ImportPreview, admin, nil, nil},
		{post, "/integrations/import/apply", "integrations.import-apply", i.ImportApply, admin, nil, nil},
		{get, "/integrations/:id/import", "integrations.import-page-of-integration", i.ImportPage, admin, nil, nil},
		{post, "/integrations/:id/import", "integrations.import-preview-of-integration", i.ImportPreview, admin, nil, nil},
		{post, "/integrations/:id/import/apply", "integrations.import-apply-of-integration", i.ImportApply, admin, nil, nil},
		{get, "/integrations/:id", "integrations.show", i.Show, admin, nil, nil},
		{post, "/integrations/:id/settings", "integrations.update-settings", i.UpdateSettings, admin, nil, nil},
		{post, "/integrations/:id/document", "integrations.save-document", i.SaveDocument, admin, nil, nil},
		{post, "/integrations/:id/document/check", "integrations.check-document-of-integration", i.CheckDocument, admin, nil, nil},
		{post, "/integrations/:id/delete", "integrations.delete", i.Delete, admin, nil, nil},
	}
}

// integrationPageRoutes are the endpoint registry, parameter maps,
// credentials and try-it.
func (h Handlers) integrationPageRoutes() []route {
	i := h.Integrations
	return []route{
		{get, "/integrations/:id/endpoints", "integrations.endpoints", i.Endpoints, admin, EndpointsQuery{}, nil},
		{get, "/integrations/:id/endpoints/new", "integrations.new-endpoint", i.NewEndpoint, admin, nil, nil},
		{post, "/integrations/:id/endpoints", "integrations.create-endpoint-page", i.CreateEndpointPage, admin, nil, nil},
		{get, "/endpoints/:id", "integrations.show-endpoint", i.ShowEndpoint, admin, nil, nil},
		{post, "/endpoints/:id", "integrations.update-endpoint-page", i.UpdateEndpointPage, admin, nil, nil},
		{post, "/endpoints/:id/delete", "integrations.delete-endpoint-page", i.DeleteEndpointPage, admin, nil, nil},
		{post, "/endpoints/:id/try", "try.try", h.Try.Try, admin, nil, nil},
		{get, "/integrations/:id/maps", "integrations.maps", i.Maps, admin, nil, nil},
		{post, "/integrations/:id/maps", "integrations.create-map-page", i.CreateMapPage, admin, nil, nil},
		{post, "/parameter-maps/:id/delete", "integrations.delete-map-page", i.DeleteMapPage, admin, nil, nil},
		{get, "/integrations/:id/credentials", "credentials.show", h.Credentials.Show, admin, nil, nil},
		{post, "/integrations/:id/credentials/:env", "credentials.save", h.Credentials.Save, admin, nil, nil},
		{post, "/credentials/:id/delete", "credentials.delete-page", h.Credentials.DeletePage, admin, nil, nil},
		{post, "/integrations/:id/credentials/:env/test", "credentials.test-page", h.Credentials.TestPage, admin, nil, nil},
	}
}
