package handlers

import (
	"net/http"

	"switchboard/api"
	"switchboard/integrations/background"
	"switchboard/integrations/definition"
	"switchboard/integrations/health"
	"switchboard/models"
	"switchboard/records"
	"switchboard/urls"
	"switchboard/web"
)

// The JSON API, each route with its OpenAPI declaration.

// agentRoutes are what agents call: who they are, the execution API, the
// records, reference data, sync jobs, and MCP.
func (h Handlers) agentRoutes() []route {
	x, p, a := h.Execute, h.Patients, h.Appointments
	return []route{
		{get, "/api/me", urls.APIMeShow, Me, apiAny, scopeAnyKey, nil, &apiOp{Summary: "Who the caller is (organization, role, key or user)", Tag: tagMeta, Answers: ok(api.MeAnswer{})}},
		{get, "/api/integrations", urls.APIExecuteList, x.List, apiExec, execRead, nil, &apiOp{Summary: "The organization's integrations", Tag: tagExecute, Answers: ok(web.List[health.Integration]{})}},
		{get, "/api/integrations/:provider", urls.APIExecuteStatus, x.Status, apiExec, execRead, nil, &apiOp{Summary: "An integration's status: credentials, sync, calls, circuit", Tag: tagExecute, Answers: ok(health.Status{})}},
		{post, "/api/integrations/:provider", urls.APIExecuteRun, x.Execute, apiExec, execRead, nil, &apiOp{Summary: "Execute a function of an integration", Tag: tagExecute, Body: api.ExecuteRequest{}, Answers: ok(api.ExecuteAnswer{})}},
		{get, "/api/integrations/:provider/functions", urls.APIExecuteFunctions, x.Functions, apiExec, execRead, api.FunctionsQuery{}, &apiOp{Summary: "The integration's functions with parameter schemas, or as LLM tools", Tag: tagExecute, Answers: ok(api.FunctionsAnswer{})}},
		{post, "/api/patients", urls.APIPatientsCreate, p.APICreate, apiWrite, recordsWrite, api.WaitQuery{}, &apiOp{Summary: "Create a patient (dual-write)", Tag: tagRecords, Body: api.PatientRequest{}, Idempotent: true, Answers: created(api.PatientAnswer{Patient: &models.Patient{}})}},
		{get, "/api/patients", urls.APIPatientsList, p.APIList, apiRead, recordsRead, api.PatientListQuery{}, &apiOp{Summary: "List patients", Tag: tagRecords, Answers: ok(web.List[api.PatientAnswer]{})}},
		{get, "/api/patients/:id", urls.APIPatientsGet, p.APIGet, apiRead, recordsRead, nil, &apiOp{Summary: "Get a patient with its sync state", Tag: tagRecords, Answers: ok(api.PatientAnswer{Patient: &models.Patient{}})}},
		{pat, "/api/patients/:id", urls.APIPatientsUpdate, p.APIUpdate, apiWrite, recordsWrite, api.WaitQuery{}, &apiOp{Summary: "Update a patient", Tag: tagRecords, Body: api.PatientRequest{}, Idempotent: true, Answers: ok(api.PatientAnswer{Patient: &models.Patient{}})}},
		{del, "/api/patients/:id", urls.APIPatientsDelete, p.APIDelete, apiWrite, recordsWrite, api.WaitQuery{}, &apiOp{Summary: "Delete a patient", Tag: tagRecords, Idempotent: true, Answers: ok(api.DeletedAnswer{})}},
		{post, "/api/appointments", urls.APIAppointmentsCreate, a.APICreate, apiWrite, recordsWrite, api.WaitQuery{}, &apiOp{Summary: "Book an appointment (dual-write, slot check)", Tag: tagRecords, Body: api.AppointmentRequest{}, Idempotent: true, Answers: created(api.AppointmentAnswer{Appointment: &models.Appointment{}})}},
		{get, "/api/appointments", urls.APIAppointmentsList, a.APIList, apiRead, recordsRead, api.AppointmentListQuery{}, &apiOp{Summary: "List appointments", Tag: tagRecords, Answers: ok(web.List[api.AppointmentAnswer]{})}},
		{get, "/api/availability", urls.APIAvailabilityList, a.APIAvailability, apiRead, recordsRead, api.AvailabilityQuery{}, &apiOp{Summary: "Free slots (opening hours, future, no overlapping appointment; the practice system's own slots when it lists them)", Tag: tagRecords, Answers: ok(api.AvailabilityAnswer{})}},
		{get, "/api/appointments/:id", urls.APIAppointmentsGet, a.APIGet, apiRead, recordsRead, nil, &apiOp{Summary: "Get an appointment with its sync state", Tag: tagRecords, Answers: ok(api.AppointmentAnswer{Appointment: &models.Appointment{}})}},
		{pat, "/api/appointments/:id", urls.APIAppointmentsUpdate, a.APIUpdate, apiWrite, recordsWrite, api.WaitQuery{}, &apiOp{Summary: "Update an appointment", Tag: tagRecords, Body: api.AppointmentRequest{}, Idempotent: true, Answers: ok(api.AppointmentAnswer{Appointment: &models.Appointment{}})}},
		{del, "/api/appointments/:id", urls.APIAppointmentsCancel, a.APICancel, apiWrite, recordsWrite, api.WaitQuery{}, &apiOp{Summary: "Cancel an appointment", Tag: tagRecords, Idempotent: true, Answers: ok(api.AppointmentAnswer{Appointment: &models.Appointment{}})}},
		{get, "/api/sync-jobs/:id", urls.APISyncJobsGet, h.SyncJobs.APIGet, apiRead, recordsRead, nil, &apiOp{Summary: "A sync job: status, numbered attempts, last error", Tag: tagRecords, Answers: ok(records.SyncJobView{})}},
		{get, "/api/reference/:kind", urls.APIReferenceList, h.Reference.APIList, apiRead, recordsRead, api.ReferenceQuery{}, &apiOp{Summary: "Reference data of a kind (providers, operatories, …)", Tag: tagReference, Answers: ok(api.ReferenceAnswer{})}},
		{get, "/api/tools", urls.APIToolsList, h.MCP.ToolsList, apiAny, scopeAnyKey, api.ToolsQuery{}, &apiOp{Summary: "The tools this key may call — the record tools (find_open_slots, create_appointment, …) and its integrations' functions — as LLM tool definitions", Tag: tagExecute, Answers: ok(api.ToolsAnswer{})}},
		{post, "/api/tools/:name", urls.APIToolsCall, h.MCP.ToolsCall, apiAny, scopeAnyKey, nil, &apiOp{Summary: "Call one tool of GET /api/tools with its arguments (the same answers and errors as the route behind it)", Tag: tagExecute, Body: api.ToolCallRequest{}, Answers: ok(api.ToolCallAnswer{})}},
		// MCP (Streamable HTTP, stateless): POST carries the calls; GET and
		// DELETE answer 405 from the SDK.
		{post, "/mcp", urls.MCPPost, h.MCP.Serve, apiAny, scopeAnyKey, nil, nil},
		{get, "/mcp", urls.MCPGet, h.MCP.Serve, apiAny, scopeAnyKey, nil, nil},
		{del, "/mcp", urls.MCPDelete, h.MCP.Serve, apiAny, scopeAnyKey, nil, nil},
	}
}

// importLimited is why an import may answer 429: imports run one at a time
// per organization and a few at a time in all (integrations/registry's
// import gate).
const importLimited = "Another import of the organization is running, or the server runs its most imports at once: retry after Retry-After seconds"

// adminAPIRoutes are the admin API of the organization, credentials, sync
// settings and the sync error log.
func (h Handlers) adminAPIRoutes() []route {
	c, s, e := h.Credentials, h.SyncSettings, h.SyncErrors
	return []route{
		{get, "/api/admin/organization", urls.APIOrganizationGet, h.OrgAPI.Get, apiAdmin, adminRead, nil, &apiOp{Summary: "The organization's settings", Tag: tagAdmin, Answers: ok(api.Organization{})}},
		{put, "/api/admin/organization", urls.APIOrganizationUpdate, h.OrgAPI.Update, apiAdmin, adminWrite, nil, &apiOp{Summary: "Update the organization's settings", Tag: tagAdmin, Body: api.OrganizationUpdate{}, Answers: ok(api.Organization{})}},
		{post, "/api/admin/organization/alert-secret", urls.APIOrganizationAlertKey, h.OrgAPI.RotateAlertSecret, apiAdmin, adminWrite, nil, &apiOp{Summary: "Rotate the alerts' signing secret (shown once)", Tag: tagAdmin, Answers: ok(api.AlertSecret{})}},
		{get, "/api/admin/alerts", urls.APIAlertsList, h.OrgAPI.AlertsList, apiAdmin, adminRead, nil, &apiOp{Summary: "The newest alert deliveries", Tag: tagAdmin, Answers: ok(web.List[api.AlertDelivery]{})}},
		{post, "/api/admin/alerts/test", urls.APIAlertsTest, h.OrgAPI.AlertsTest, apiAdmin, adminWrite, nil, &apiOp{Summary: "Send a test alert to the alert webhook", Tag: tagAdmin, Answers: map[int]any{http.StatusAccepted: api.AlertDelivery{}}}},
		{get, "/api/admin/api-credentials", urls.APICredentialsList, c.List, apiAdmin, adminRead, nil, &apiOp{Summary: "List credentials (masked)", Tag: tagAdmin, Answers: ok(web.List[api.Credential]{})}},
		{post, "/api/admin/api-credentials", urls.APICredentialsCreate, c.Create, apiAdmin, credentialsWrite, nil, &apiOp{Summary: "Save credentials", Tag: tagAdmin, Body: api.CredentialCreate{}, Answers: created(api.Credential{})}},
		{get, "/api/admin/api-credentials/:id", urls.APICredentialsGet, c.Get, apiAdmin, adminRead, nil, &apiOp{Summary: "Get a credential (masked)", Tag: tagAdmin, Answers: ok(api.Credential{})}},
		{put, "/api/admin/api-credentials/:id", urls.APICredentialsUpdate, c.Update, apiAdmin, credentialsWrite, nil, &apiOp{Summary: "Update a credential", Tag: tagAdmin, Body: api.CredentialUpdate{}, Answers: ok(api.Credential{})}},
		{del, "/api/admin/api-credentials/:id", urls.APICredentialsDelete, c.Delete, apiAdmin, credentialsWrite, nil, &apiOp{Summary: "Delete a credential", Tag: tagAdmin, Answers: noContent}},
		{post, "/api/admin/api-credentials/test", urls.APICredentialsTest, c.Test, apiAdmin, credentialsWrite, nil, &apiOp{Summary: "Test a connection", Tag: tagAdmin, Body: api.TestConnectionRequest{}, Answers: ok(api.TestConnectionAnswer{})}},
		{get, "/api/admin/integration-settings", urls.APISyncSettingsList, s.List, apiAdmin, adminRead, nil, &apiOp{Summary: "List sync configurations", Tag: tagSync, Answers: ok(web.List[api.SyncSettings]{})}},
		{post, "/api/admin/integration-settings", urls.APISyncSettingsCreate, s.Create, apiAdmin, adminWrite, nil, &apiOp{Summary: "Create a sync configuration", Tag: tagSync, Body: api.SyncSettingsRequest{}, Answers: created(api.SyncSettings{})}},
		{get, "/api/admin/integration-settings/:configId", urls.APISyncSettingsGet, s.Get, apiAdmin, adminRead, nil, &apiOp{Summary: "Get a sync configuration", Tag: tagSync, Answers: ok(api.SyncSettings{})}},
		{put, "/api/admin/integration-settings/:configId", urls.APISyncSettingsUpdate, s.Update, apiAdmin, adminWrite, nil, &apiOp{Summary: "Update a sync configuration", Tag: tagSync, Body: api.SyncSettingsRequest{}, Answers: ok(api.SyncSettings{})}},
		{del, "/api/admin/integration-settings/:configId", urls.APISyncSettingsDelete, s.Delete, apiAdmin, adminWrite, nil, &apiOp{Summary: "Delete a sync configuration", Tag: tagSync, Answers: noContent}},
		{post, "/api/admin/integration-settings/:configId/webhook-secret", urls.APISyncSettingsRegenerateSecret, s.RegenerateSecret, apiAdmin, adminWrite, nil, &apiOp{Summary: "Regenerate the webhook secret", Tag: tagSync, Answers: ok(api.SyncSettings{})}},
		{get, "/api/admin/sync-errors", urls.APISyncErrorsList, e.List, apiAdmin, adminRead, api.SyncErrorsQuery{}, &apiOp{Summary: "The sync error log", Tag: tagSync, Answers: ok(web.List[models.SyncJob]{})}},
		{post, "/api/admin/sync-errors/retry", urls.APISyncErrorsRetryAll, e.BulkRetry, apiAdmin, adminWrite, api.SyncErrorsQuery{}, &apiOp{Summary: "Retry sync jobs (by id, or by the filters)", Tag: tagSync, Body: api.BulkRetryRequest{}, Answers: ok(api.BulkRetryAnswer{})}},
		{get, "/api/admin/sync-errors/:id", urls.APISyncErrorsGet, e.Get, apiAdmin, adminRead, nil, &apiOp{Summary: "A sync job with its attempts", Tag: tagSync, Answers: ok(api.SyncJobAnswer{})}},
		{post, "/api/admin/sync-errors/:id/retry", urls.APISyncErrorsRetry, e.Retry, apiAdmin, adminWrite, nil, &apiOp{Summary: "Retry a sync job", Tag: tagSync, Answers: ok(models.SyncJob{})}},
		{post, "/api/admin/sync-errors/:id/dismiss", urls.APISyncErrorsDismiss, e.Dismiss, apiAdmin, adminWrite, nil, &apiOp{Summary: "Dismiss a sync job", Tag: tagSync, Answers: ok(models.SyncJob{})}},
		{post, "/api/admin/sync-errors/:id/resolve", urls.APISyncErrorsResolve, e.Resolve, apiAdmin, adminWrite, nil, &apiOp{Summary: "Resolve a manual conflict", Tag: tagSync, Body: api.ResolveRequest{}, Answers: ok(models.SyncJob{})}},
		{get, "/api/admin/calls", urls.APICallsList, h.Calls.List, apiAdmin, adminRead, api.CallsQuery{}, &apiOp{Summary: "The call log: every execution, whatever door it came through (code=rate_limited is the rate-limit log)", Tag: tagAdmin, Answers: ok(web.List[api.Call]{})}},
		{get, "/api/admin/calls/:id", urls.APICallsGet, h.Calls.Get, apiAdmin, adminRead, nil, &apiOp{Summary: "One call of the call log, with the redacted exchange of a failed call", Tag: tagAdmin, Answers: ok(api.CallDetail{})}},
		{get, "/api/admin/queue", urls.APIQueueStats, e.Queue, apiAdmin, adminRead, nil, &apiOp{Summary: "The background queue: jobs per state and kind, oldest waiting, throughput per minute", Tag: tagSync, Answers: ok(background.Stats{})}},
	}
}

// integrationAPIRoutes are the admin API of integrations, endpoints,
// parameter maps and imports.
func (h Handlers) integrationAPIRoutes() []route {
	i := h.IntegrationAPI
	return []route{
		{get, "/api/admin/integrations", urls.APIIntegrationsList, i.List, apiAdmin, adminRead, nil, &apiOp{Summary: "List integrations", Tag: tagAdmin, Answers: ok(web.List[api.IntegrationSummary]{})}},
		{post, "/api/admin/integrations", urls.APIIntegrationsCreate, i.Create, apiAdmin, adminWrite, nil, &apiOp{Summary: "Create an integration from a definition document", Tag: tagAdmin, Body: definition.Document{}, Answers: created(definition.Document{})}},
		{post, "/api/admin/integrations/from-catalog", urls.APIIntegrationsFromCatalog, i.FromCatalog, apiAdmin, adminWrite, nil, &apiOp{Summary: "Add a catalog integration", Tag: tagAdmin, Body: api.FromCatalogRequest{}, Answers: created(definition.Document{})}},
		{get, "/api/admin/integrations/:id", urls.APIIntegrationsGet, i.Get, apiAdmin, adminRead, nil, &apiOp{Summary: "An integration's definition document", Tag: tagAdmin, Answers: ok(definition.Document{})}},
		{put, "/api/admin/integrations/:id", urls.APIIntegrationsUpdate, i.Update, apiAdmin, adminWrite, api.IntegrationUpdateQuery{}, &apiOp{Summary: "Replace an integration's definition document", Tag: tagAdmin, Body: definition.Document{}, Answers: ok(definition.Document{})}},
		{del, "/api/admin/integrations/:id", urls.APIIntegrationsDelete, i.Delete, apiAdmin, adminWrite, nil, &apiOp{Summary: "Delete an integration", Tag: tagAdmin, Answers: noContent}},
		{get, "/api/admin/integrations/:id/export", urls.APIIntegrationsExport, i.Export, apiAdmin, adminRead, api.ExportQuery{}, &apiOp{Summary: "Export the definition document (JSON or YAML)", Tag: tagAdmin, Answers: ok(definition.Document{})}},
		{post, "/api/admin/integrations/import", urls.APIIntegrationsImport, i.Import, apiAdmin, adminWrite, api.ImportQuery{}, &apiOp{Summary: "Import an OpenAPI/Swagger document or a registry into a new integration", Tag: tagAdmin, RawBody: true, Limited: importLimited, Answers: ok(api.ImportAnswer{})}},
		{post, "/api/admin/integrations/:id/import", urls.APIIntegrationsImportInto, i.Import, apiAdmin, adminWrite, api.ImportQuery{}, &apiOp{Summary: "Import an OpenAPI/Swagger document or a registry into an integration", Tag: tagAdmin, RawBody: true, Limited: importLimited, Answers: ok(api.ImportAnswer{})}},
		{get, "/api/admin/integrations/:id/endpoints", urls.APIEndpointsList, i.ListEndpoints, apiAdmin, adminRead, nil, &apiOp{Summary: "List an integration's endpoints", Tag: tagAdmin, Answers: ok(web.List[api.Endpoint]{})}},
		{post, "/api/admin/integrations/:id/endpoints", urls.APIEndpointsCreate, i.CreateEndpoint, apiAdmin, adminWrite, nil, &apiOp{Summary: "Add an endpoint", Tag: tagAdmin, Body: api.EndpointRequest{}, Answers: created(api.Endpoint{})}},
		{get, "/api/admin/endpoints/:id", urls.APIEndpointsGet, i.GetEndpoint, apiAdmin, adminRead, nil, &apiOp{Summary: "Get an endpoint", Tag: tagAdmin, Answers: ok(api.Endpoint{})}},
		{put, "/api/admin/endpoints/:id", urls.APIEndpointsUpdate, i.UpdateEndpoint, apiAdmin, adminWrite, nil, &apiOp{Summary: "Replace an endpoint", Tag: tagAdmin, Body: api.EndpointRequest{}, Answers: ok(api.Endpoint{})}},
		{del, "/api/admin/endpoints/:id", urls.APIEndpointsDelete, i.DeleteEndpoint, apiAdmin, adminWrite, nil, &apiOp{Summary: "Delete an endpoint", Tag: tagAdmin, Answers: noContent}},
		{get, "/api/admin/integrations/:id/parameter-maps", urls.APIParameterMapsList, i.ListMaps, apiAdmin, adminRead, nil, &apiOp{Summary: "List an integration's parameter maps", Tag: tagAdmin, Answers: ok(web.List[api.Map]{})}},
		{post, "/api/admin/integrations/:id/parameter-maps", urls.APIParameterMapsCreate, i.CreateMap, apiAdmin, adminWrite, nil, &apiOp{Summary: "Add a parameter map", Tag: tagAdmin, Body: api.MapRequest{}, Answers: created(api.Map{})}},
		{put, "/api/admin/parameter-maps/:id", urls.APIParameterMapsUpdate, i.UpdateMap, apiAdmin, adminWrite, nil, &apiOp{Summary: "Replace a parameter map", Tag: tagAdmin, Body: api.MapRequest{}, Answers: ok(api.Map{})}},
		{del, "/api/admin/parameter-maps/:id", urls.APIParameterMapsDelete, i.DeleteMap, apiAdmin, adminWrite, nil, &apiOp{Summary: "Delete a parameter map", Tag: tagAdmin, Answers: noContent}},
	}
}
