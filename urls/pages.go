package urls

import "net/url"

// The typed helpers: one per page or action the app links to.

// Dashboard is the path of the dashboard.
func (u URLs) Dashboard() string { return u.Named(DashboardShow) }

// Setup is the path of the first-run setup page.
func (u URLs) Setup() string { return u.Named(SetupShow) }

// Login is the path of the sign-in page.
func (u URLs) Login() string { return u.Named(SessionsNew) }

// Logout is the path of the sign-out action.
func (u URLs) Logout() string { return u.Named(SessionsDelete) }

// LogoutEverywhere is the path of the sign-out-everywhere action.
func (u URLs) LogoutEverywhere() string { return u.Named(SessionsDeleteAll) }

// Invitation is the path of an invitation's page.
func (u URLs) Invitation(token string) string { return u.Named(InvitationsShow, seg(token)) }

// InvitationAccept is the path of the accept action of an invitation.
func (u URLs) InvitationAccept(token string) string { return u.Named(InvitationsAccept, seg(token)) }

// InvitationRegister is the path of the register-and-accept action of an invitation.
func (u URLs) InvitationRegister(token string) string {
	return u.Named(InvitationsRegister, seg(token))
}

// Profile is the path of the profile page.
func (u URLs) Profile() string { return u.Named(ProfileShow) }

// ProfilePassword is the path of the change-password action.
func (u URLs) ProfilePassword() string { return u.Named(ProfileChangePassword) }

// OrgSwitch is the path of the switch-organization action.
func (u URLs) OrgSwitch() string { return u.Named(OrganizationsSwitch) }

// Patients is the path of the patient list (and its create action).
func (u URLs) Patients() string { return u.Named(PatientsIndex) }

// Patient is the path of a patient's page (and its update action).
func (u URLs) Patient(patientID int64) string { return u.Named(PatientsShow, id(patientID)) }

// Appointments is the path of the appointment list (and its create action).
func (u URLs) Appointments() string { return u.Named(AppointmentsIndex) }

// Schedule is the path of the day schedule.
func (u URLs) Schedule() string { return u.Named(ScheduleShow) }

// Availability is the path of the week's free slots page.
func (u URLs) Availability() string { return u.Named(AvailabilityShow) }

// Appointment is the path of an appointment's page.
func (u URLs) Appointment(appointmentID int64) string {
	return u.Named(AppointmentsShow, id(appointmentID))
}

// AppointmentCancel is the path of an appointment's cancel action.
func (u URLs) AppointmentCancel(appointmentID int64) string {
	return u.Named(AppointmentsCancel, id(appointmentID))
}

// SyncErrors is the path of the sync error log.
func (u URLs) SyncErrors() string { return u.Named(SyncErrorsIndex) }

// SyncErrorsRetry is the path of the sync error log's retry-all action.
func (u URLs) SyncErrorsRetry() string { return u.Named(SyncErrorsRetryAll) }

// SandboxOutage is the path of the demo sandbox's outage switch.
func (u URLs) SandboxOutage() string { return u.Named(SyncErrorsSandboxOutage) }

// SyncError is the path of a sync job's page.
func (u URLs) SyncError(jobID int64) string { return u.Named(SyncErrorsShow, id(jobID)) }

// SyncErrorRetry is the path of a sync job's retry action.
func (u URLs) SyncErrorRetry(jobID int64) string { return u.Named(SyncErrorsRetry, id(jobID)) }

// SyncErrorDismiss is the path of a sync job's dismiss action.
func (u URLs) SyncErrorDismiss(jobID int64) string {
	return u.Named(SyncErrorsDismiss, id(jobID))
}

// SyncErrorResolve is the path of a sync job's resolve-conflict action.
func (u URLs) SyncErrorResolve(jobID int64) string {
	return u.Named(SyncErrorsResolve, id(jobID))
}

// APIKeys is the path of the API key list (and its create action).
func (u URLs) APIKeys() string { return u.Named(APIKeysIndex) }

// APIKeyRevoke is the path of an API key's revoke action.
func (u URLs) APIKeyRevoke(keyID int64) string { return u.Named(APIKeysRevoke, id(keyID)) }

// Audit is the path of the audit log.
func (u URLs) Audit() string { return u.Named(AuditIndex) }

// Settings is the path of the organization settings page (and its save action).
func (u URLs) Settings() string { return u.Named(SettingsShow) }

// SyncSettings is the path of the sync settings page.
func (u URLs) SyncSettings() string { return u.Named(SyncSettingsIndex) }

// SyncSettingsSave is the path of the save action of an integration's sync settings.
func (u URLs) SyncSettingsSave(integrationID int64) string {
	return u.Named(SyncSettingsUpdate, id(integrationID))
}

// SyncSettingsToggle is the path of the on/off switch of an integration's sync.
func (u URLs) SyncSettingsToggle(integrationID int64) string {
	return u.Named(SyncSettingsToggle, id(integrationID))
}

// SyncSettingsSecret is the path of the regenerate-webhook-secret action.
func (u URLs) SyncSettingsSecret(integrationID int64) string {
	return u.Named(SyncSettingsRegenerateSecret, id(integrationID))
}

// Integrations is the path of the integration list (and its create action).
func (u URLs) Integrations() string { return u.Named(IntegrationsIndex) }

// IntegrationNew is the path of the new-integration page.
func (u URLs) IntegrationNew() string { return u.Named(IntegrationsNew) }

// IntegrationCheck is the path of the check action of a new integration document.
func (u URLs) IntegrationCheck() string { return u.Named(IntegrationsCheck) }

// IntegrationFromCatalog is the path of the add-from-catalog action.
func (u URLs) IntegrationFromCatalog() string { return u.Named(IntegrationsAddFromCatalog) }

// IntegrationsImport is the path of the import page for a new integration (and its preview action).
func (u URLs) IntegrationsImport() string { return u.Named(IntegrationsImport) }

// IntegrationsImportApply is the path of the apply action of an import into a new integration.
func (u URLs) IntegrationsImportApply() string { return u.Named(IntegrationsImportApply) }

// Integration is the path of an integration's settings page.
func (u URLs) Integration(integrationID int64) string {
	return u.Named(IntegrationsShow, id(integrationID))
}

// IntegrationSettings is the path of an integration's save-settings action.
func (u URLs) IntegrationSettings(integrationID int64) string {
	return u.Named(IntegrationsUpdateSettings, id(integrationID))
}

// IntegrationDocument is the path of an integration's save-document action.
func (u URLs) IntegrationDocument(integrationID int64) string {
	return u.Named(IntegrationsUpdateDocument, id(integrationID))
}

// IntegrationDocumentCheck is the path of an integration's check-document action.
func (u URLs) IntegrationDocumentCheck(integrationID int64) string {
	return u.Named(IntegrationsCheckDocument, id(integrationID))
}

// IntegrationDelete is the path of an integration's delete action.
func (u URLs) IntegrationDelete(integrationID int64) string {
	return u.Named(IntegrationsDelete, id(integrationID))
}

// IntegrationImport is the path of an integration's import page (and its preview action).
func (u URLs) IntegrationImport(integrationID int64) string {
	return u.Named(IntegrationsImportInto, id(integrationID))
}

// IntegrationImportFullRegistry is the path of the one-click preview of
// an integration's long tail (the rest of its catalog API).
func (u URLs) IntegrationImportFullRegistry(integrationID int64) string {
	return u.Named(IntegrationsImportFullRegistry, id(integrationID))
}

// IntegrationImportApply is the path of the apply action of an import into an integration.
func (u URLs) IntegrationImportApply(integrationID int64) string {
	return u.Named(IntegrationsImportApplyInto, id(integrationID))
}

// IntegrationExport is the path of an integration's document download.
func (u URLs) IntegrationExport(integrationID int64) string {
	return u.Named(APIIntegrationsExport, id(integrationID))
}

// IntegrationEndpoints is the path of an integration's endpoint list (and its create action).
func (u URLs) IntegrationEndpoints(integrationID int64) string {
	return u.Named(EndpointsIndex, id(integrationID))
}

// IntegrationEndpointNew is the path of an integration's new-endpoint page.
func (u URLs) IntegrationEndpointNew(integrationID int64) string {
	return u.Named(EndpointsNew, id(integrationID))
}

// Endpoint is the path of an endpoint's page (and its update action).
func (u URLs) Endpoint(endpointID int64) string {
	return u.Named(EndpointsShow, id(endpointID))
}

// EndpointDelete is the path of an endpoint's delete action.
func (u URLs) EndpointDelete(endpointID int64) string {
	return u.Named(EndpointsDelete, id(endpointID))
}

// EndpointTry is the path of an endpoint's try-it action.
func (u URLs) EndpointTry(endpointID int64) string { return u.Named(EndpointsTry, id(endpointID)) }

// IntegrationMaps is the path of an integration's parameter maps (and the create action).
func (u URLs) IntegrationMaps(integrationID int64) string {
	return u.Named(ParameterMapsIndex, id(integrationID))
}

// MapDelete is the path of a parameter map's delete action.
func (u URLs) MapDelete(mapID int64) string {
	return u.Named(ParameterMapsDelete, id(mapID))
}

// IntegrationCredentials is the path of an integration's credentials page.
func (u URLs) IntegrationCredentials(integrationID int64) string {
	return u.Named(CredentialsShow, id(integrationID))
}

// CredentialSave is the path of the save action of an environment's credentials.
func (u URLs) CredentialSave(integrationID int64, env string) string {
	return u.Named(CredentialsUpdate, id(integrationID), seg(env))
}

// CredentialTest is the path of the Test Connection action of an environment.
func (u URLs) CredentialTest(integrationID int64, env string) string {
	return u.Named(CredentialsTest, id(integrationID), seg(env))
}

// CredentialConnect is the path of the OAuth Connect action of an environment.
func (u URLs) CredentialConnect(integrationID int64, env string) string {
	return u.Named(CredentialsConnect, id(integrationID), seg(env))
}

// CredentialDisconnect is the path of the OAuth Disconnect action of an environment.
func (u URLs) CredentialDisconnect(integrationID int64, env string) string {
	return u.Named(CredentialsDisconnect, id(integrationID), seg(env))
}

// CredentialDelete is the path of a credential's delete action.
func (u URLs) CredentialDelete(credentialID int64) string {
	return u.Named(CredentialsDelete, id(credentialID))
}

// Users is the path of the user list (and its add action).
func (u URLs) Users() string { return u.Named(UsersIndex) }

// UserRole is the path of a member's change-role action.
func (u URLs) UserRole(userID int64) string { return u.Named(UsersSetRole, id(userID)) }

// UserRemove is the path of a member's remove action.
func (u URLs) UserRemove(userID int64) string { return u.Named(UsersRemove, id(userID)) }

// InvitationRevoke is the path of an invitation's revoke action.
func (u URLs) InvitationRevoke(invitationID int64) string {
	return u.Named(InvitationsRevoke, id(invitationID))
}

// Webhook is the path of the inbound webhook of an organization and provider.
func (u URLs) Webhook(org, provider string) string {
	return u.Named(WebhooksReceive, seg(org), seg(provider))
}

// PatientEdit is the path of a patient's edit page.
func (u URLs) PatientEdit(patientID int64) string {
	return u.Named(PatientsEdit, id(patientID))
}

// PatientPicker is the path of the booking form's patient search.
func (u URLs) PatientPicker() string { return u.Named(PatientsPicker) }

// AppointmentEdit is the path of an appointment's edit page (and its save action).
func (u URLs) AppointmentEdit(appointmentID int64) string {
	return u.Named(AppointmentsEdit, id(appointmentID))
}

// Calls is the path of the call log.
func (u URLs) Calls() string { return u.Named(CallsIndex) }

// Call is the path of one call of the call log.
func (u URLs) Call(callID int64) string { return u.Named(CallsShow, id(callID)) }

// Nav is the path of the menu alone, which pages poll for its badges.
func (u URLs) Nav() string { return u.Named(NavShow) }

// Filtered is path with the query of pairs of parameter name and value
// (empty values left out): a list page filtered, such as
// Filtered(u.Calls(), "code", "rate_limited").
func Filtered(path string, pairs ...string) string { return path + where(pairs) }

// where is the query string of pairs of name and value, "" when empty.
func where(pairs []string) string {
	q := url.Values{}
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] != "" {
			q.Set(pairs[i], pairs[i+1])
		}
	}
	if len(q) == 0 {
		return ""
	}
	return "?" + q.Encode()
}
