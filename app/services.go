package app

import (
	"switchboard/buildinfo"
	"switchboard/integrations/connect"
	"switchboard/integrations/flows"
	"switchboard/integrations/outbound"

	"switchboard/accounts"
	"switchboard/agent"
	"switchboard/integrations/calllog"
	"switchboard/integrations/health"
	"switchboard/integrations/reference"
	"switchboard/integrations/registry"
	"switchboard/integrations/syncsettings"
	"switchboard/integrations/traces"
	"switchboard/integrations/vault"
	"switchboard/records"
)

// Services are what the handlers (and the CLI, for accounts) call: the
// application's rules, over the engine.
type Services struct {
	// Accounts: sign-in, organizations, users, invitations, API keys and
	// the audit log.
	Accounts *accounts.Service
	// Integrations edits definitions, endpoints, parameter maps, imports.
	Integrations *registry.Service
	// ImportPreviews keep the import page's uploads until they are applied.
	ImportPreviews *registry.Previews
	// Records: patients and appointments, written through the syncer.
	Records *records.Service
	// Reference lists the practice system's providers, operatories, …
	Reference *reference.Service
	// CredentialService saves credentials and runs Test Connection.
	CredentialService *vault.Credentials
	// Connect connects oauth2_authorization_code credentials (OAuth
	// Connect and Disconnect).
	Connect *connect.Service
	// SyncSettings edits the sync configurations.
	SyncSettings *syncsettings.Service
	// Health answers the integrations' status and the dashboard's counts.
	Health *health.Service
	// Agent is the MCP server.
	Agent *agent.Server
	// CallLog reads the call log.
	CallLog *calllog.Log
	// Traces imports the agent's traces from Langfuse and lists them.
	Traces *traces.Service
	// Flows deploys, copies and restores Node-RED flows.
	Flows *flows.Service
}

// buildServices builds every service over the engine.
func (a *App) buildServices() {
	s := &a.Services
	s.Accounts = accounts.New(accounts.Config{Store: a.Store, Keys: a.Keys, Throttle: a.Throttle, Logger: a.Logger})
	s.Integrations = registry.NewService(a.Registry, a.Store)
	s.ImportPreviews = registry.NewPreviews()
	s.Records = records.New(a.Store, a.Sync)
	s.Reference = reference.New(a.Store, a.Registry, a.Executor)
	s.Records.UseReference(s.Reference)
	s.Records.UseAudit(s.Accounts.Audit())
	s.CredentialService = vault.NewCredentials(vault.CredentialsConfig{Store: a.Store, Registry: a.Registry,
		Vault: a.Vault, Source: a.Credentials, Executor: a.Executor})
	s.Connect = connect.New(connect.Config{Store: a.Store, Registry: a.Registry, Box: a.Vault.Box(), Creds: a.Credentials,
		Client: outbound.NewClient(a.Policy), Tokens: a.Executor, Health: a.Alerts})
	s.SyncSettings = syncsettings.New(a.Store, a.Registry, a.WebhookSecrets)
	s.CallLog = calllog.NewLog(a.Store)
	s.Health = health.New(a.Store, a.Executor, a.Sync, a.Credentials)
	s.Agent = agent.New(a.Store, s.Records, a.Executor, a.Registry, agent.RecordsSlots{Records: s.Records}, a.Logger, buildVersion())
	s.Agent.UseReference(s.Reference)
	s.Traces = traces.New(a.Store, a.Executor)
	s.Flows = flows.New(a.Store, a.Executor)
}

// buildVersion is what the MCP server reports: the version and commit
// the binary was built from (buildinfo).
func buildVersion() string { return buildinfo.Get().Short() }
