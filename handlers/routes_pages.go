package handlers

import (
	"net/http"

	"switchboard/api"
	"switchboard/urls"
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
		{get, "/healthz", urls.HealthLive, h.Health.Live, public, nil, nil},
		{head, "/healthz", "", h.Health.Live, public, nil, nil},
		{get, "/readyz", urls.HealthReady, h.Health.Ready, public, nil, nil},
		{get, "/metrics", urls.MetricsShow, w.Metrics.Handler(w.MetricsToken), public, nil, nil},
		{get, "/static/*", urls.StaticFile, web.Static, public, nil, nil},
		{head, "/static/*", "", web.Static, public, nil, nil},
		{get, "/api/openapi.json", urls.APIOpenAPIShow, doc.Serve, public, nil,
			&apiOp{Summary: "This OpenAPI document", Tag: tagMeta, Public: true, Answers: ok(map[string]any{})}},
		{post, "/webhooks/:org/:provider", urls.WebhooksReceive, h.Webhooks.Receive, public, nil, nil},
	}
}

// accountRoutes are setup, sign-in, invitations, the profile, users and
// organizations.
func (h Handlers) accountRoutes() []route {
	return []route{
		{get, "/setup", urls.SetupShow, h.Auth.SetupPage, visitor, nil, nil},
		{post, "/setup", urls.SetupCreate, h.Auth.Setup, visitor, nil, nil},
		{get, "/login", urls.SessionsNew, h.Auth.LoginPage, visitor, LoginQuery{}, nil},
		{post, "/login", urls.SessionsCreate, h.Auth.Login, visitor, nil, nil},
		{post, "/logout", urls.SessionsDelete, h.Auth.Logout, staff, nil, nil},
		{post, "/logout/everywhere", urls.SessionsDeleteAll, h.Auth.LogoutEverywhere, staff, nil, nil},
		{get, "/invitations/:token", urls.InvitationsShow, h.Invitations.Show, visitor, nil, nil},
		{post, "/invitations/:token/accept", urls.InvitationsAccept, h.Invitations.Accept, staff, nil, nil},
		{post, "/invitations/:token/register", urls.InvitationsRegister, h.Invitations.Register, visitor, nil, nil},
		{get, "/", urls.DashboardShow, h.Dashboard.Show, staff, nil, nil},
		{get, "/profile", urls.ProfileShow, h.Profile.Show, staff, nil, nil},
		{post, "/profile/password", urls.ProfileChangePassword, h.Profile.ChangePassword, staff, nil, nil},
		{post, "/orgs/switch", urls.OrganizationsSwitch, h.Orgs.Switch, staff, nil, nil},
		{get, "/users", urls.UsersIndex, h.Users.Index, owner, nil, nil},
		{post, "/users", urls.UsersInvite, h.Users.Create, owner, nil, nil},
		{post, "/users/:id/role", urls.UsersSetRole, h.Users.SetRole, owner, nil, nil},
		{post, "/users/:id/remove", urls.UsersRemove, h.Users.Remove, owner, nil, nil},
		{post, "/users/invitations/:id/revoke", urls.InvitationsRevoke, h.Users.RevokeInvitation, owner, nil, nil},
		{get, "/api-keys", urls.APIKeysIndex, h.APIKeys.Index, admin, nil, nil},
		{post, "/api-keys", urls.APIKeysCreate, h.APIKeys.Create, admin, nil, nil},
		{post, "/api-keys/:id/revoke", urls.APIKeysRevoke, h.APIKeys.Revoke, admin, nil, nil},
		{get, "/audit", urls.AuditIndex, h.Audit.Index, admin, AuditQuery{}, nil},
		{get, "/settings", urls.SettingsShow, h.Settings.Index, admin, nil, nil},
		{post, "/settings", urls.SettingsUpdate, h.Settings.Save, admin, nil, nil},
	}
}

// recordRoutes are the pages of patients, appointments and availability.
func (h Handlers) recordRoutes() []route {
	return []route{
		{get, "/patients", urls.PatientsIndex, h.Patients.Index, staff, PatientsPageQuery{}, nil},
		{post, "/patients", urls.PatientsCreate, h.Patients.Create, staff, nil, nil},
		{get, "/patients/picker", urls.PatientsPicker, h.Appointments.PatientPicker, staff, PatientPickerQuery{}, nil},
		{get, "/patients/:id", urls.PatientsShow, h.Patients.Show, staff, nil, nil},
		{get, "/patients/:id/edit", urls.PatientsEdit, h.Patients.Edit, staff, nil, nil},
		{post, "/patients/:id", urls.PatientsUpdate, h.Patients.Update, staff, nil, nil},
		{get, "/appointments", urls.AppointmentsIndex, h.Appointments.Index, staff, AppointmentsPageQuery{}, nil},
		{post, "/appointments", urls.AppointmentsCreate, h.Appointments.Create, staff, nil, nil},
		{get, "/availability", urls.AvailabilityShow, h.Availability.Page, staff, WeekQuery{}, nil},
		{get, "/appointments/:id", urls.AppointmentsShow, h.Appointments.Show, staff, nil, nil},
		{post, "/appointments/:id/cancel", urls.AppointmentsCancel, h.Appointments.Cancel, staff, nil, nil},
		{get, "/appointments/:id/edit", urls.AppointmentsEdit, h.Appointments.Edit, staff, nil, nil},
		{post, "/appointments/:id/edit", urls.AppointmentsUpdate, h.Appointments.Save, staff, nil, nil},
	}
}

// syncPageRoutes are the sync error log and the sync settings pages.
func (h Handlers) syncPageRoutes() []route {
	return []route{
		{get, "/sync-errors", urls.SyncErrorsIndex, h.SyncErrors.Page, staff, api.SyncErrorsQuery{}, nil},
		{post, "/sync-errors/retry", urls.SyncErrorsRetryAll, h.SyncErrors.PageBulkRetry, staff, nil, nil},
		{post, "/sync-errors/sandbox-outage", urls.SyncErrorsSandboxOutage, h.SyncErrors.SandboxOutage, staff, nil, nil},
		{get, "/sync-errors/:id", urls.SyncErrorsShow, h.SyncErrors.PageShow, staff, nil, nil},
		{post, "/sync-errors/:id/retry", urls.SyncErrorsRetry, h.SyncErrors.PageAction("retry"), staff, nil, nil},
		{post, "/sync-errors/:id/dismiss", urls.SyncErrorsDismiss, h.SyncErrors.PageAction("dismiss"), staff, nil, nil},
		{post, "/sync-errors/:id/resolve", urls.SyncErrorsResolve, h.SyncErrors.PageAction("resolve"), staff, nil, nil},
		{get, "/sync-settings", urls.SyncSettingsIndex, h.SyncSettings.Index, admin, nil, nil},
		{post, "/sync-settings/:integrationId", urls.SyncSettingsUpdate, h.SyncSettings.Save, admin, nil, nil},
		{post, "/sync-settings/:integrationId/toggle", urls.SyncSettingsToggle, h.SyncSettings.Toggle, admin, nil, nil},
		{post, "/sync-settings/:integrationId/webhook-secret", urls.SyncSettingsRegenerateSecret, h.SyncSettings.RegenerateSecretPage, admin, nil, nil},
	}
}

// adminPageRoutes are the pages of integrations: the list, the catalog,
// imports and the document editor.
func (h Handlers) adminPageRoutes() []route {
	i := h.Integrations
	return []route{
		{get, "/integrations", urls.IntegrationsIndex, i.Index, admin, nil, nil},
		{post, "/integrations", urls.IntegrationsCreate, i.Create, admin, nil, nil},
		{get, "/integrations/new", urls.IntegrationsNew, i.New, admin, nil, nil},
		{post, "/integrations/check", urls.IntegrationsCheck, i.CheckDocument, admin, nil, nil},
		{post, "/integrations/from-catalog", urls.IntegrationsAddFromCatalog, i.AddFromCatalog, admin, nil, nil},
		{get, "/integrations/import", urls.IntegrationsImport, i.ImportPage, admin, nil, nil},
		{post, "/integrations/import", urls.IntegrationsImportPreview, i.ImportPreview, admin, nil, nil},
		{post, "/integrations/import/apply", urls.IntegrationsImportApply, i.ImportApply, admin, nil, nil},
		{get, "/integrations/:id/import", urls.IntegrationsImportInto, i.ImportPage, admin, nil, nil},
		{post, "/integrations/:id/import", urls.IntegrationsImportPreviewInto, i.ImportPreview, admin, nil, nil},
		{post, "/integrations/:id/import/apply", urls.IntegrationsImportApplyInto, i.ImportApply, admin, nil, nil},
		{get, "/integrations/:id", urls.IntegrationsShow, i.Show, admin, nil, nil},
		{post, "/integrations/:id/settings", urls.IntegrationsUpdateSettings, i.UpdateSettings, admin, nil, nil},
		{post, "/integrations/:id/document", urls.IntegrationsUpdateDocument, i.SaveDocument, admin, nil, nil},
		{post, "/integrations/:id/document/check", urls.IntegrationsCheckDocument, i.CheckDocument, admin, nil, nil},
		{post, "/integrations/:id/delete", urls.IntegrationsDelete, i.Delete, admin, nil, nil},
	}
}

// integrationPageRoutes are the endpoint registry, parameter maps,
// credentials and try-it.
func (h Handlers) integrationPageRoutes() []route {
	i := h.Integrations
	return []route{
		{get, "/integrations/:id/endpoints", urls.EndpointsIndex, i.Endpoints, admin, EndpointsQuery{}, nil},
		{get, "/integrations/:id/endpoints/new", urls.EndpointsNew, i.NewEndpoint, admin, nil, nil},
		{post, "/integrations/:id/endpoints", urls.EndpointsCreate, i.CreateEndpointPage, admin, nil, nil},
		{get, "/endpoints/:id", urls.EndpointsShow, i.ShowEndpoint, admin, nil, nil},
		{post, "/endpoints/:id", urls.EndpointsUpdate, i.UpdateEndpointPage, admin, nil, nil},
		{post, "/endpoints/:id/delete", urls.EndpointsDelete, i.DeleteEndpointPage, admin, nil, nil},
		{post, "/endpoints/:id/try", urls.EndpointsTry, h.Try.Try, admin, nil, nil},
		{get, "/integrations/:id/maps", urls.ParameterMapsIndex, i.Maps, admin, nil, nil},
		{post, "/integrations/:id/maps", urls.ParameterMapsCreate, i.CreateMapPage, admin, nil, nil},
		{post, "/parameter-maps/:id/delete", urls.ParameterMapsDelete, i.DeleteMapPage, admin, nil, nil},
		{get, "/integrations/:id/credentials", urls.CredentialsShow, h.Credentials.Show, admin, nil, nil},
		{post, "/integrations/:id/credentials/:env", urls.CredentialsUpdate, h.Credentials.Save, admin, nil, nil},
		{post, "/credentials/:id/delete", urls.CredentialsDelete, h.Credentials.DeletePage, admin, nil, nil},
		{post, "/integrations/:id/credentials/:env/test", urls.CredentialsTest, h.Credentials.TestPage, admin, nil, nil},
		{post, "/integrations/:id/credentials/:env/connect", urls.CredentialsConnect, h.Connect.Connect, admin, nil, nil},
		{post, "/integrations/:id/credentials/:env/disconnect", urls.CredentialsDisconnect, h.Connect.Disconnect, admin, nil, nil},
		{get, "/oauth/callback", urls.OAuthCallback, h.Connect.Callback, admin, api.OAuthCallbackQuery{}, nil},
	}
}
