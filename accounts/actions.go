package accounts

// Action names what an audit entry records. Every action is declared here,
// once, so that a page and the JSON API doing the same thing write the
// same name (the audit log's filter lists them all).
type Action string

// Sign-in, sessions and the first-run setup.
const (
	ActionLogin          Action = "login"
	ActionLoginFailed    Action = "login_failed"
	ActionLoginThrottled Action = "login_throttled"
	ActionLogout         Action = "logout"
	ActionLogoutAll      Action = "logout_everywhere"
	ActionSetup          Action = "setup"
	ActionPasswordChange Action = "password_changed"
	ActionOrgSwitched    Action = "organization_switched"
)

// Organizations, members, invitations and API keys.
const (
	ActionUserAdded          Action = "user_added"
	ActionUserRemoved        Action = "user_removed"
	ActionRoleChanged        Action = "role_changed"
	ActionAPIKeyCreated      Action = "api_key_created"
	ActionAPIKeyRevoked      Action = "api_key_revoked"
	ActionOrgUpdated         Action = "organization_updated"
	ActionInvitationSent     Action = "invitation_sent"
	ActionInvitationAccepted Action = "invitation_accepted"
	ActionInvitationRevoked  Action = "invitation_revoked"
	// ActionAlertSecretRotated: the alerts' signing secret was replaced
	// (also when the first alert webhook generated it).
	ActionAlertSecretRotated Action = "alert_secret_rotated"
	ActionAlertTestSent      Action = "alert_test_sent"
	// ActionPasswordResetIssued: a one-time password-reset link was made
	// for a user (by an owner or the CLI); ActionPasswordResetUsed: it set
	// the password.
	ActionPasswordResetIssued Action = "password_reset_issued"
	ActionPasswordResetUsed   Action = "password_reset_used"
)

// Integrations, their endpoints, parameter maps and credentials.
const (
	ActionIntegrationCreated  Action = "integration_created"
	ActionIntegrationUpdated  Action = "integration_updated"
	ActionIntegrationDeleted  Action = "integration_deleted"
	ActionIntegrationImported Action = "integration_imported"
	ActionEndpointCreated     Action = "endpoint_created"
	ActionEndpointUpdated     Action = "endpoint_updated"
	ActionEndpointDeleted     Action = "endpoint_deleted"
	ActionMapCreated          Action = "parameter_map_created"
	ActionMapUpdated          Action = "parameter_map_updated"
	ActionMapDeleted          Action = "parameter_map_deleted"
	ActionCredentialSaved     Action = "credential_saved"
	ActionCredentialDeleted   Action = "credential_deleted"
	// ActionCredentialsHostConfirmed: a change that sends stored
	// credentials to a new host, confirmed (confirm_credentials_host).
	ActionCredentialsHostConfirmed Action = "credentials_host_confirmed"
)

// Sync settings and the sync error log.
const (
	ActionSyncSettingsCreated      Action = "sync_settings_created"
	ActionSyncSettingsUpdated      Action = "sync_settings_updated"
	ActionSyncSettingsDeleted      Action = "sync_settings_deleted"
	ActionWebhookSecretRegenerated Action = "webhook_secret_regenerated"
	ActionSyncJobRetried           Action = "sync_job_retried"
	ActionSyncJobsRetried          Action = "sync_jobs_retried"
	ActionSyncJobDismissed         Action = "sync_job_dismissed"
	ActionSyncConflictResolved     Action = "sync_conflict_resolved"
)

// Patients and appointments, whatever door the change came through (the
// records service writes them).
const (
	ActionPatientCreated       Action = "patient_created"
	ActionPatientUpdated       Action = "patient_updated"
	ActionPatientDeleted       Action = "patient_deleted"
	ActionAppointmentCreated   Action = "appointment_created"
	ActionAppointmentMoved     Action = "appointment_moved"
	ActionAppointmentUpdated   Action = "appointment_updated"
	ActionAppointmentCancelled Action = "appointment_cancelled"
)

// Agent traces and Node-RED flows.
const (
	ActionAgentTracesImported Action = "agent_traces_imported"
	ActionFlowsDeployed       Action = "flows_deployed"
	ActionFlowsCopied         Action = "flows_copied"
	ActionFlowsRestored       Action = "flows_restored"
)

// Actions lists every action, in the order the audit log's filter offers
// them.
var Actions = []Action{
	ActionLogin, ActionLoginFailed, ActionLoginThrottled, ActionLogout, ActionLogoutAll,
	ActionSetup, ActionUserAdded, ActionUserRemoved, ActionRoleChanged,
	ActionPasswordChange, ActionAPIKeyCreated, ActionAPIKeyRevoked, ActionOrgSwitched, ActionOrgUpdated,
	ActionInvitationSent, ActionInvitationAccepted, ActionInvitationRevoked, ActionAlertSecretRotated, ActionAlertTestSent,
	ActionPasswordResetIssued, ActionPasswordResetUsed,
	ActionIntegrationCreated, ActionIntegrationUpdated, ActionIntegrationDeleted, ActionEndpointCreated, ActionEndpointUpdated,
	ActionEndpointDeleted, ActionMapCreated, ActionMapUpdated, ActionMapDeleted,
	ActionCredentialSaved, ActionCredentialDeleted, ActionCredentialsHostConfirmed, ActionIntegrationImported,
	ActionSyncSettingsCreated, ActionSyncSettingsUpdated, ActionSyncSettingsDeleted, ActionWebhookSecretRegenerated,
	ActionSyncJobRetried, ActionSyncJobsRetried, ActionSyncJobDismissed, ActionSyncConflictResolved,
	ActionPatientCreated, ActionPatientUpdated, ActionPatientDeleted,
	ActionAppointmentCreated, ActionAppointmentMoved, ActionAppointmentUpdated, ActionAppointmentCancelled,
	ActionTryItWrite,
	ActionAgentTracesImported, ActionFlowsDeployed, ActionFlowsCopied, ActionFlowsRestored,
}

// ActionTryItWrite is a function that writes, run from its endpoint's "try
// it" console: a change made in the practice system by hand.
const ActionTryItWrite Action = "try_it_write"
