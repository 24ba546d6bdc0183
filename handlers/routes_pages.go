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
		{get, "/healthz", urls.HealthLive, h.Health.Live, public, roleOnly, nil, nil},
		{head, "/healthz", "", h.Health.Live, public, roleOnly, nil, nil},
		{get, "/readyz", urls.HealthReady, h.Health.Ready, public, roleOnly, nil, nil},
		{get, "/metrics", urls.MetricsShow, w.Metrics.Handler(w.MetricsToken), public, roleOnly, nil, nil},
		{get, "/static/*", urls.StaticFile, web.Static, public, roleOnly, nil, nil},
		{head, "/static/*", "", web.Static, public, roleOnly, nil, nil},
		{get, "/api/openapi.json", urls.APIOpenAPIShow, doc.Serve, public, scopePublic, nil,
			&apiOp{Summary: "This OpenAPI document", Tag: tagMeta, Public: true, Answers: ok(map[string]any{})}},
		{post, "/webhooks/:org/:provider", urls.WebhooksReceive, h.Webhooks.Receive, public, roleOnly, nil, nil},
	}
}

// accountRoutes are setup, sign-in, invitations, the profile, users and
// organizations.
func (h Handlers) accountRoutes() []route {
	return []route{
		{get, "/setup", urls.SetupShow, h.Auth.SetupPage, visitor, roleOnly, nil, nil},
		{post, "/setup", urls.SetupCreate, h.Auth.Setup, visitor, roleOnly, nil, nil},
		{get, "/login", urls.SessionsNew, h.Auth.LoginPage, visitor, roleOnly, LoginQuery{}, nil},
		{post, "/login", urls.SessionsCreate, h.Auth.Login, visitor, roleOnly, nil, nil},
		{post, "/logout", urls.SessionsDelete, h.Auth.Logout, staff, roleOnly, nil, nil},
		{post, "/logout/everywhere", urls.SessionsDeleteAll, h.Auth.LogoutEverywhere, staff, roleOnly, nil, nil},
		{get, "/invitations/:token", urls.InvitationsShow, h.Invitations.Show, visitor, roleOnly, nil, nil},
		{post, "/invitations/:token/accept", urls.InvitationsAccept, h.Invitations.Accept, staff, roleOnly, nil, nil},
		{post, "/invitations/:token/register", urls.InvitationsRegister, h.Invitations.Register, visitor, roleOnly, nil, nil},
		{get, "/", urls.DashboardShow, h.Dashboard.Show, staff, roleOnly, nil, nil},
		{get, "/profile", urls.ProfileShow, h.Profile.Show, staff, roleOnly, nil, nil},
		{post, "/profile/password", urls.ProfileChangePassword, h.Profile.ChangePassword, staff, roleOnly, nil, nil},
		{post, "/orgs/switch", urls.OrganizationsSwitch, h.Orgs.Switch, staff, roleOnly, nil, nil},
		{get, "/users", urls.UsersIndex, h.Users.Index, owner, roleOnly, nil, nil},
		{post, "/users", urls.UsersInvite, h.Users.Create, owner, roleOnly, nil, nil},
		{post, "/users/:id/role", urls.UsersSetRole, h.Users.SetRole, owner, roleOnly, nil, nil},
		{post, "/users/:id/remove", urls.UsersRemove, h.Users.Remove, owner, roleOnly, nil, nil},
		{post, "/users/:id/reset-link", urls.UsersResetLink, h.Users.ResetLink, owner, roleOnly, nil, nil},
		{get, "/password-reset/:token", urls.PasswordResetShow, h.Users.ResetShow, visitor, roleOnly, nil, nil},
		{post, "/password-reset/:token", urls.PasswordResetSave, h.Users.ResetSave, visitor, roleOnly, nil, nil},
		{post, "/users/invitations/:id/revoke", urls.InvitationsRevoke, h.Users.RevokeInvitation, owner, roleOnly, nil, nil},
		{get, "/api-keys", urls.APIKeysIndex, h.APIKeys.Index, admin, roleOnly, nil, nil},
		{post, "/api-keys", urls.APIKeysCreate, h.APIKeys.Create, admin, roleOnly, nil, nil},
		{post, "/api-keys/:id/revoke", urls.APIKeysRevoke, h.APIKeys.Revoke, admin, roleOnly, nil, nil},
		{get, "/audit", urls.AuditIndex, h.Audit.Index, admin, roleOnly, AuditQuery{}, nil},
		{get, "/calls", urls.CallsIndex, h.Calls.Page, staff, roleOnly, api.CallsQuery{}, nil},
		{get, "/calls/:id", urls.CallsShow, h.Calls.PageShow, staff, roleOnly, nil, nil},
		{get, "/nav", urls.NavShow, h.Dashboard.Nav, staff, roleOnly, nil, nil},
		{get, "/settings", urls.SettingsShow, h.Settings.Index, admin, roleOnly, nil, nil},
		{post, "/settings", urls.SettingsUpdate, h.Settings.Save, admin, roleOnly, nil, nil},
		{post, "/settings/test-alert", urls.SettingsTestAlert, h.Settings.TestAlert, admin, roleOnly, nil, nil},
		{post, "/settings/alert-secret", urls.SettingsRotateAlert, h.Settings.RotateAlertSecret, admin, roleOnly, nil, nil},
	}
}

// recordRoutes are the pages of patients, appointments and availability.
func (h Handlers) recordRoutes() []route {
	return []route{
		{get, "/patients", urls.PatientsIndex, h.Patients.Index, staff, roleOnly, PatientsPageQuery{}, nil},
		{post, "/patients", urls.PatientsCreate, h.Patients.Create, staff, roleOnly, nil, nil},
		{get, "/patients/picker", urls.PatientsPicker, h.Appointments.PatientPicker, staff, roleOnly, PatientPickerQuery{}, nil},
		{get, "/patients/:id", urls.PatientsShow, h.Patients.Show, staff, roleOnly, nil, nil},
		{get, "/patients/:id/edit", urls.PatientsEdit, h.Patients.Edit, staff, roleOnly, nil, nil},
		{post, "/patients/:id", urls.PatientsUpdate, h.Patients.Update, staff, roleOnly, nil, nil},
		{get, "/appointments", urls.AppointmentsIndex, h.Appointments.Index, staff, roleOnly, AppointmentsPageQuery{}, nil},
		{post, "/appointments", urls.AppointmentsCreate, h.Appointments.Create, staff, roleOnly, nil, nil},
		{get, "/availability", urls.AvailabilityShow, h.Availability.Page, staff, roleOnly, WeekQuery{}, nil},
		{get, "/schedule", urls.ScheduleShow, h.Appointments.Schedule, staff, roleOnly, ScheduleQuery{}, nil},
		{get, "/appointments/:id", urls.AppointmentsShow, h.Appointments.Show, staff, roleOnly, nil, nil},
		{post, "/appointments/:id/cancel", urls.AppointmentsCancel, h.Appointments.Cancel, staff, roleOnly, nil, nil},
		{get, "/appointments/:id/edit", urls.AppointmentsEdit, h.Appointments.Edit, staff, roleOnly, nil, nil},
		{post, "/appointments/:id/edit", urls.AppointmentsUpdate, h.Appointments.Save, staff, roleOnly, nil, nil},
	}
}

// syncPageRoutes are the sync error log and the sync settings pages.
func (h Handlers) syncPageRoutes() []route {
	return []route{
		{get, "/sync-errors", urls.SyncErrorsIndex, h.SyncErrors.Page, staff, roleOnly, api.SyncErrorsQuery{}, nil},
		{post, "/sync-errors/retry", urls.SyncErrorsRetryAll, h.SyncErrors.PageBulkRetry, staff, roleOnly, nil, nil},
		{post, "/sync-errors/sandbox-outage", urls.SyncErrorsSandboxOutage, h.SyncErrors.SandboxOutage, staff, roleOnly, nil, nil},
		{get, "/sync-errors/:id", urls.SyncErrorsShow, h.SyncErrors.PageShow, staff, roleOnly, nil, nil},
		{post, "/sync-errors/:id/retry", urls.SyncErrorsRetry, h.SyncErrors.PageAction("retry"), staff, roleOnly, nil, nil},
		{post, "/sync-errors/:id/dismiss", urls.SyncErrorsDismiss, h.SyncErrors.PageAction("dismiss"), staff, roleOnly, nil, nil},
		{post, "/sync-errors/:id/resolve", urls.SyncErrorsResolve, h.SyncErrors.PageAction("resolve"), staff, roleOnly, nil, nil},
		{get, "/sync-settings", urls.SyncSettingsIndex, h.SyncSettings.Index, admin, roleOnly, nil, nil},
		{post, "/sync-settings/:integrationId", urls.SyncSettingsUpdate, h.SyncSettings.Save, admin, roleOnly, nil, nil},
		{post, "/sync-settings/:integrationId/toggle", urls.SyncSettingsToggle, h.SyncSettings.Toggle, admin, roleOnly, nil, nil},
		{post, "/sync-settings/:integrationId/webhook-secret", urls.SyncSettingsRegenerateSecret, h.SyncSettings.RegenerateSecretPage, admin, roleOnly, nil, nil},
	}
}

// adminPageRoutes are the pages of integrations: the list, the catalog,
// imports and the document editor.
func (h Handlers) adminPageRoutes() []route {
	i := h.Integrations
	return []route{
		{get, "/integrations", urls.IntegrationsIndex, i.Index, admin, roleOnly, nil, nil},
		{post, "/integrations", urls.IntegrationsCreate, i.Create, admin, roleOnly, nil, nil},
		{get, "/integrations/new", urls.IntegrationsNew, i.New, admin, roleOnly, nil, nil},
		{post, "/integrations/check", urls.IntegrationsCheck, i.CheckDocument, admin, roleOnly, nil, nil},
		{post, "/integrations/from-catalog", urls.IntegrationsAddFromCatalog, i.AddFromCatalog, admin, roleOnly, nil, nil},
		{get, "/integrations/import", urls.IntegrationsImport, i.ImportPage, admin, roleOnly, nil, nil},
		{post, "/integrations/import", urls.IntegrationsImportPreview, i.ImportPreview, admin, roleOnly, nil, nil},
		{post, "/integrations/import/apply", urls.IntegrationsImportApply, i.ImportApply, admin, roleOnly, nil, nil},
		{get, "/integrations/:id/import", urls.IntegrationsImportInto, i.ImportPage, admin, roleOnly, nil, nil},
		{post, "/integrations/:id/import", urls.IntegrationsImportPreviewInto, i.ImportPreview, admin, roleOnly, nil, nil},
		{post, "/integrations/:id/import/apply", urls.IntegrationsImportApplyInto, i.ImportApply, admin, roleOnly, nil, nil},
		{post, "/integrations/:id/import/full-registry", urls.IntegrationsImportFullRegistry, i.ImportFullRegistry, admin, roleOnly, nil, nil},
		{get, "/integrations/:id", urls.IntegrationsShow, i.Show, admin, roleOnly, nil, nil},
		{post, "/integrations/:id/settings", urls.IntegrationsUpdateSettings, i.UpdateSettings, admin, roleOnly, nil, nil},
		{post, "/integrations/:id/document", urls.IntegrationsUpdateDocument, i.SaveDocument, admin, roleOnly, nil, nil},
		{post, "/integrations/:id/document/check", urls.IntegrationsCheckDocument, i.CheckDocument, admin, roleOnly, nil, nil},
		{post, "/integrations/:id/delete", urls.IntegrationsDelete, i.Delete, admin, roleOnly, nil, nil},
	}
}

// integrationPageRoutes are the endpoint registry, parameter maps,
// credentials and try-it.
func (h Handlers) integrationPageRoutes() []route {
	i := h.Integrations
	return []route{
		{get, "/integrations/:id/endpoints", urls.EndpointsIndex, i.Endpoints, admin, roleOnly, EndpointsQuery{}, nil},
		{get, "/integrations/:id/endpoints/new", urls.EndpointsNew, i.NewEndpoint, admin, roleOnly, nil, nil},
		{post, "/integrations/:id/endpoints", urls.EndpointsCreate, i.CreateEndpointPage, admin, roleOnly, nil, nil},
		{get, "/endpoints/:id", urls.EndpointsShow, i.ShowEndpoint, admin, roleOnly, nil, nil},
		{post, "/endpoints/:id", urls.EndpointsUpdate, i.UpdateEndpointPage, admin, roleOnly, nil, nil},
		{post, "/endpoints/:id/delete", urls.EndpointsDelete, i.DeleteEndpointPage, admin, roleOnly, nil, nil},
		{post, "/endpoints/:id/try", urls.EndpointsTry, h.Try.Try, admin, roleOnly, nil, nil},
		{get, "/integrations/:id/maps", urls.ParameterMapsIndex, i.Maps, admin, roleOnly, nil, nil},
		{post, "/integrations/:id/maps", urls.ParameterMapsCreate, i.CreateMapPage, admin, roleOnly, nil, nil},
		{post, "/parameter-maps/:id/delete", urls.ParameterMapsDelete, i.DeleteMapPage, admin, roleOnly, nil, nil},
		{get, "/integrations/:id/credentials", urls.CredentialsShow, h.Credentials.Show, admin, roleOnly, nil, nil},
		{post, "/integrations/:id/credentials/:env", urls.CredentialsUpdate, h.Credentials.Save, admin, roleOnly, nil, nil},
		{post, "/credentials/:id/delete", urls.CredentialsDelete, h.Credentials.DeletePage, admin, roleOnly, nil, nil},
		{post, "/integrations/:id/credentials/:env/test", urls.CredentialsTest, h.Credentials.TestPage, admin, roleOnly, nil, nil},
		{post, "/integrations/:id/credentials/:env/connect", urls.CredentialsConnect, h.Connect.Connect, admin, roleOnly, nil, nil},
		{post, "/integrations/:id/credentials/:env/disconnect", urls.CredentialsDisconnect, h.Connect.Disconnect, admin, roleOnly, nil, nil},
		{get, "/oauth/callback", urls.OAuthCallback, h.Connect.Callback, admin, roleOnly, api.OAuthCallbackQuery{}, nil},
	}
}
