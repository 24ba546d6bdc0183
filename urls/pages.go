package urls

// The typed helpers: one per page or action the app links to.

// Dashboard is the path of the dashboard.
func (u URLs) Dashboard() string { return u.Named("dashboard") }

// Setup is the path of the first-run setup page.
func (u URLs) Setup() string { return u.Named("setup") }

// Login is the path of the sign-in page.
func (u URLs) Login() string { return u.Named("login") }

// Logout is the path of the sign-out action.
func (u URLs) Logout() string { return u.Named("logout") }

// LogoutEverywhere is the path of the sign-out-everywhere action.
func (u URLs) LogoutEverywhere() string { return u.Named("auth.logout-everywhere") }

// Invitation is the path of an invitation's page.
func (u URLs) Invitation(token string) string { return u.Named("invitation", seg(token)) }

// InvitationAccept is the path of the accept action of an invitation.
func (u URLs) InvitationAccept(token string) string { return u.Named("invitations.accept", seg(token)) }

// InvitationRegister is the path of the register-and-accept action of an invitation.
func (u URLs) InvitationRegister(token string) string {
	return u.Named("invitations.register", seg(token))
}

// Profile is the path of the profile page.
func (u URLs) Profile() string { return u.Named("profile") }

// ProfilePassword is the path of the change-password action.
func (u URLs) ProfilePassword() string { return u.Named("profile.change-password") }

// OrgSwitch is the path of the switch-organization action.
func (u URLs) OrgSwitch() string { return u.Named("orgs.switch") }

// Patients is the path of the patient list (and its create action).
func (u URLs) Patients() string { return u.Named("patients") }

// Patient is the path of a patient's page (and its update action).
func (u URLs) Patient(patientID int64) string { return u.Named("records.patient-show", id(patientID)) }

// Appointments is the path of the appointment list (and its create action).
func (u URLs) Appointments() string { return u.Named("appointments") }

// Availability is the path of the week's free slots page.
func (u URLs) Availability() string { return u.Named("availability") }

// Appointment is the path of an appointment's page.
func (u URLs) Appointment(appointmentID int64) string {
	return u.Named("records.appointment-show", id(appointmentID))
}

// AppointmentCancel is the path of an appointment's cancel action.
func (u URLs) AppointmentCancel(appointmentID int64) string {
	return u.Named("records.appointment-cancel", id(appointmentID))
}

// SyncErrors is the path of the sync error log.
func (u URLs) SyncErrors() string { return u.Named("sync-errors") }

// SyncErrorsRetry is the path of the sync error log's retry-all action.
func (u URLs) SyncErrorsRetry() string { return u.Named("sync-pages.bulk-retry") }

// SandboxOutage is the path of the demo sandbox's outage switch.
func (u URLs) SandboxOutage() string { return u.Named("sync-pages.sandbox-outage") }

// SyncError is the path of a sync job's page.
func (u URLs) SyncError(jobID int64) string { return u.Named("sync-pages.error-show", id(jobID)) }

// SyncErrorRetry is the path of a sync job's retry action.
func (u URLs) SyncErrorRetry(jobID int64) string { return u.Named("sync-pages.error-retry", id(jobID)) }

// SyncErrorDismiss is the path of a sync job's dismiss action.
func (u URLs) SyncErrorDismiss(jobID int64) string {
	return u.Named("sync-pages.error-dismiss", id(jobID))
}

// SyncErrorResolve is the path of a sync job's resolve-conflict action.
func (u URLs) SyncErrorResolve(jobID int64) string {
	return u.Named("sync-pages.error-resolve", id(jobID))
}

// APIKeys is the path of the API key list (and its create action).
func (u URLs) APIKeys() string { return u.Named("api-keys") }

// APIKeyRevoke is the path of an API key's revoke action.
func (u URLs) APIKeyRevoke(keyID int64) string { return u.Named("api-keys.revoke", id(keyID)) }

// Audit is the path of the audit log.
func (u URLs) Audit() string { return u.Named("audit") }

// Settings is the path of the organization settings page (and its save action).
func (u URLs) Settings() string { return u.Named("settings") }

// SyncSettings is the path of the sync settings page.
func (u URLs) SyncSettings() string { return u.Named("sync-settings") }

// SyncSettingsSave is the path of the save action of an integration's sync settings.
func (u URLs) SyncSettingsSave(integrationID int64) string {
	return u.Named("sync-settings.save", id(integrationID))
}

// SyncSettingsToggle is the path of the on/off switch of an integration's sync.
func (u URLs) SyncSettingsToggle(integrationID int64) string {
	return u.Named("sync-settings.toggle", id(integrationID))
}

// SyncSettingsSecret is the path of the regenerate-webhook-secret action.
func (u URLs) SyncSettingsSecret(integrationID int64) string {
	return u.Named("sync-settings.regenerate-secret-page", id(integrationID))
}

// Integrations is the path of the integration list (and its create action).
func (u URLs) Integrations() string { return u.Named("integrations") }

// IntegrationNew is the path of the new-integration page.
func (u URLs) IntegrationNew() string { return u.Named("integrations.new") }

// IntegrationCheck is the path of the check action of a new integration document.
func (u URLs) IntegrationCheck() string { return u.Named("integrations.check-document") }

// IntegrationFromCatalog is the path of the add-from-catalog action.
func (u URLs) IntegrationFromCatalog() string { return u.Named("integrations.add-from-catalog") }

// IntegrationsImport is the path of the import page for a new integration (and its preview action).
func (u URLs) IntegrationsImport() string { return u.Named("integrations.import-page") }

// IntegrationsImportApply is the path of the apply action of an import into a new integration.
func (u URLs) IntegrationsImportApply() string { return u.Named("integrations.import-apply") }

// Integration is the path of an integration's settings page.
func (u URLs) Integration(integrationID int64) string {
	return u.Named("integrations.show", id(integrationID))
}

// IntegrationSettings is the path of an integration's save-settings action.
func (u URLs) IntegrationSettings(integrationID int64) string {
	return u.Named("integrations.update-settings", id(integrationID))
}

// IntegrationDocument is the path of an integration's save-document action.
func (u URLs) IntegrationDocument(integrationID int64) string {
	return u.Named("integrations.save-document", id(integrationID))
}

// IntegrationDocumentCheck is the path of an integration's check-document action.
func (u URLs) IntegrationDocumentCheck(integrationID int64) string {
	return u.Named("integrations.check-document-of-integration", id(integrationID))
}

// IntegrationDelete is the path of an integration's delete action.
func (u URLs) IntegrationDelete(integrationID int64) string {
	return u.Named("integrations.delete", id(integrationID))
}

// IntegrationImport is the path of an integration's import page (and its preview action).
func (u URLs) IntegrationImport(integrationID int64) string {
	return u.Named("integrations.import-page-of-integration", id(integrationID))
}

// IntegrationImportApply is the path of the apply action of an import into an integration.
func (u URLs) IntegrationImportApply(integrationID int64) string {
	return u.Named("integrations.import-apply-of-integration", id(integrationID))
}

// IntegrationExport is the path of an integration's document download.
func (u URLs) IntegrationExport(integrationID int64) string {
	return u.Named("integration-api.export", id(integrationID))
}

// IntegrationEndpoints is the path of an integration's endpoint list (and its create action).
func (u URLs) IntegrationEndpoints(integrationID int64) string {
	return u.Named("integrations.endpoints", id(integrationID))
}

// IntegrationEndpointNew is the path of an integration's new-endpoint page.
func (u URLs) IntegrationEndpointNew(integrationID int64) string {
	return u.Named("integrations.new-endpoint", id(integrationID))
}

// Endpoint is the path of an endpoint's page (and its update action).
func (u URLs) Endpoint(endpointID int64) string {
	return u.Named("integrations.show-endpoint", id(endpointID))
}

// EndpointDelete is the path of an endpoint's delete action.
func (u URLs) EndpointDelete(endpointID int64) string {
	return u.Named("integrations.delete-endpoint-page", id(endpointID))
}

// EndpointTry is the path of an endpoint's try-it action.
func (u URLs) EndpointTry(endpointID int64) string { return u.Named("try.try", id(endpointID)) }

// IntegrationMaps is the path of an integration's parameter maps (and the create action).
func (u URLs) IntegrationMaps(integrationID int64) string {
	return u.Named("integrations.maps", id(integrationID))
}

// MapDelete is the path of a parameter map's delete action.
func (u URLs) MapDelete(mapID int64) string {
	return u.Named("integrations.delete-map-page", id(mapID))
}

// IntegrationCredentials is the path of an integration's credentials page.
func (u URLs) IntegrationCredentials(integrationID int64) string {
	return u.Named("credentials.show", id(integrationID))
}

// CredentialSave is the path of the save action of an environment's credentials.
func (u URLs) CredentialSave(integrationID int64, env string) string {
	return u.Named("credentials.save", id(integrationID), seg(env))
}

// CredentialTest is the path of the Test Connection action of an environment.
func (u URLs) CredentialTest(integrationID int64, env string) string {
	return u.Named("credentials.test-page", id(integrationID), seg(env))
}

// CredentialDelete is the path of a credential's delete action.
func (u URLs) CredentialDelete(credentialID int64) string {
	return u.Named("credentials.delete-page", id(credentialID))
}

// Users is the path of the user list (and its add action).
func (u URLs) Users() string { return u.Named("users") }

// UserRole is the path of a member's change-role action.
func (u URLs) UserRole(userID int64) string { return u.Named("users.set-role", id(userID)) }

// UserRemove is the path of a member's remove action.
func (u URLs) UserRemove(userID int64) string { return u.Named("users.remove", id(userID)) }

// InvitationRevoke is the path of an invitation's revoke action.
func (u URLs) InvitationRevoke(invitationID int64) string {
	return u.Named("users.revoke-invitation", id(invitationID))
}

// Webhook is the path of the inbound webhook of an organization and provider.
func (u URLs) Webhook(org, provider string) string {
	return u.Named("webhook", seg(org), seg(provider))
}

// PatientEdit is the path of a patient's edit page.
func (u URLs) PatientEdit(patientID int64) string {
	return u.Named("records.patient-edit", id(patientID))
}

// PatientPicker is the path of the booking form's patient search.
func (u URLs) PatientPicker() string { return u.Named("records.patient-picker") }

// AppointmentEdit is the path of an appointment's edit page (and its save action).
func (u URLs) AppointmentEdit(appointmentID int64) string {
	return u.Named("records.appointment-edit", id(appointmentID))
}
