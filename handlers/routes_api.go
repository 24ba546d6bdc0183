package handlers

import (
	"switchboard/api"
	"switchboard/integrations/definition"
	"switchboard/integrations/health"
	"switchboard/integrations/tools"
	"switchboard/models"
	"switchboard/records"
	"switchboard/web"
)

// The JSON API, each route with its OpenAPI declaration.

// agentRoutes are what agents call: who they are, the execution API, the
// records, reference data, sync jobs, and MCP.
func (h Handlers) agentRoutes() []route {
	x, p, a := h.Execute, h.Patients, h.Appointments
	return []route{
		{get, "/api/me", "api-me", Me, apiAny, nil, &apiOp{Summary: "Who the caller is (organization, role, key or user)", Tag: tagMeta, Answers: ok(api.MeAnswer{})}},
		{get, "/api/integrations", "execute.list", x.List, apiExec, nil, &apiOp{Summary: "The organization's integrations", Tag: tagExecute, Answers: ok(web.List[health.Integration]{})}},
		{get, "/api/integrations/:provider", "execute.status", x.Status, apiExec, nil, &apiOp{Summary: "An integration's status: credentials, sync, calls, circuit", Tag: tagExecute, Answers: ok(health.Status{})}},
		{post, "/api/integrations/:provider", "execute.execute", x.Execute, apiExec, nil, &apiOp{Summary: "Execute a function of an integration", Tag: tagExecute, Body: api.ExecuteRequest{}, Answers: ok(api.ExecuteAnswer{})}},
		{get, "/api/integrations/:provider/functions", "execute.functions", x.Functions, apiExec, api.FunctionsQuery{}, &apiOp{Summary: "The integration's functions with parameter schemas, or as LLM tools", Tag: tagExecute, Answers: ok(web.List[tools.Function]{})}},
		{post, "/api/patients", "records-api.create-patient", p.APICreate, apiWrite, api.WaitQuery{}, &apiOp{Summary: "Create a patient (dual-write)", Tag: tagRecords, Body: api.PatientRequest{}, Idempotent: true, Answers: created(api.PatientAnswer{Patient: &models.Patient{}})}},
		{get, "/api/patients", "records-api.list-patients", p.APIList, apiRead, api.PatientListQuery{}, &apiOp{Summary: "List patients", Tag: tagRecords, Answers: ok(web.List[api.PatientAnswer]{})}},
		{get, "/api/patients/:id", "records-api.get-patient", p.APIGet, apiRead, nil, &apiOp{Summary: "Get a patient with its sync state", Tag: tagRecords, Answers: ok(api.PatientAnswer{Patient: &models.Patient{}})}},
		{pat, "/api/patients/:id", "records-api.update-patient", p.APIUpdate, apiWrite, api.WaitQuery{}, &apiOp{Summary: "Update a patient", Tag: tagRecords, Body: api.PatientRequest{}, Idempotent: true, Answers: ok(api.PatientAnswer{Patient: &models.Patient{}})}},
		{del, "/api/patients/:id", "records-api.delete-patient", p.APIDelete, apiWrite, api.WaitQuery{}, &apiOp{Summary: "Delete a patient", Tag: tagRecords, Idempotent: true, Answers: ok(api.DeletedAnswer{})}},
		{post, "/api/appointments", "records-api.create-appointment", a.APICreate, apiWrite, api.WaitQuery{}, &apiOp{Summary: "Book an appointment (dual-write, slot check)", Tag: tagRecords, Body: api.AppointmentRequest{}, Idempotent: true, Answers: created(api.AppointmentAnswer{Appointment: &models.Appointment{}})}},
		{get, "/api/appointments", "records-api.list-appointments", a.APIList, apiRead, api.AppointmentListQuery{}, &apiOp{Summary: "List appointments", Tag: tagRecords, Answers: ok(web.List[api.AppointmentAnswer]{})}},
		{get, "/api/availability", "records-api.availability", a.APIAvailability, apiRead, api.AvailabilityQuery{}, &apiOp{Summary: "Free slots (opening hours, future, no overlapping appointment; the practice system's own slots when it lists them)", Tag: tagRecords, Answers: ok(api.AvailabilityAnswer{})}},
		{get, "/api/appointments/:id", "records-api.get-appointment", a.APIGet, apiRead, nil, &apiOp{Summary: "Get an appointment with its sync state", Tag: tagRecords, Answers: ok(api.AppointmentAnswer{Appointment: &models.Appointment{}})}},
		{pat, "/api/appointments/:id", "records-api.update-appointment", a.APIUpdate, apiWrite, api.WaitQuery{}, &apiOp{Summary: "Update an appointment", Tag: tagRecords, Body: api.AppointmentRequest{}, Idempotent: true, Answers: ok(api.AppointmentAnswer{Appointment: &models.Appointment{}})}},
		{del, "/api/appointments/:id", "records-api.cancel-appointment", a.APICancel, apiWrite, api.WaitQuery{}, &apiOp{Summary: "Cancel an appointment", Tag: tagRecords, Idempotent: true, Answers: ok(api.AppointmentAnswer{Appointment: &models.Appointment{}})}},
		{get, "/api/sync-jobs/:id", "records-api.get-sync-job", h.SyncJobs.APIGet, apiRead, nil, &apiOp{Summary: "A sync job: status, numbered attempts, last error", Tag: tagRecords, Answers: ok(records.SyncJobView{})}},
		{get, "/api/reference/:kind", "reference-api.list", h.Reference.APIList, apiRead, api.ReferenceQuery{}, &apiOp{Summary: "Reference data of a kind (providers, operatories, …)", Tag: tagReference, Answers: ok(api.ReferenceAnswer{})}},
		// MCP (Streamable HTTP, stateless): POST carries the calls; GET and
		// DELETE answer 405 from the SDK.
		{post, "/mcp", "mcp", h.MCP.Serve, apiAny, nil, nil},
		{get, "/mcp", "mcp.get", h.MCP.Serve, apiAny, nil, nil},
		{del, "/mcp", "mcp.delete", h.MCP.Serve, apiAny, nil, nil},
	}
}

// adminAPIRoutes are the admin API of the organization, credentials, sync
// settings and the sync error log.
func (h Handlers) adminAPIRoutes() []route {
	c, s, e := h.Credentials, h.SyncSettings, h.SyncErrors
	return []route{
		{get, "/api/admin/organization", "org-api.get", h.OrgAPI.Get, apiAdmin, nil, &apiOp{Summary: "The organization's settings", Tag: tagAdmin, Answers: ok(api.Organization{})}},
		{put, "/api/admin/organization", "org-api.update", h.OrgAPI.Update, apiAdmin, nil, &apiOp{Summary: "Update the organization's settings", Tag: tagAdmin, Body: api.OrganizationUpdate{}, Answers: ok(api.Organization{})}},
		{get, "/api/admin/api-credentials", "credentials.list", c.List, apiAdmin, nil, &apiOp{Summary: "List credentials (masked)", Tag: tagAdmin, Answers: ok(web.List[api.Credential]{})}},
		{post, "/api/admin/api-credentials", "credentials.create", c.Create, apiAdmin, nil, &apiOp{Summary: "Save credentials", Tag: tagAdmin, Body: api.CredentialCreate{}, Answers: created(api.Credential{})}},
		{get, "/api/admin/api-credentials/:id", "credentials.get", c.Get, apiAdmin, nil, &apiOp{Summary: "Get a credential (masked)", Tag: tagAdmin, Answers: ok(api.Credential{})}},
		{put, "/api/admin/api-credentials/:id", "credentials.update", c.Update, apiAdmin, nil, &apiOp{Summary: "Update a credential", Tag: tagAdmin, Body: api.CredentialUpdate{}, Answers: ok(api.Credential{})}},
		{del, "/api/admin/api-credentials/:id", "credentials.delete", c.Delete, apiAdmin, nil, &apiOp{Summary: "Delete a credential", Tag: tagAdmin, Answers: noContent}},
		{post, "/api/admin/api-credentials/test", "credentials.test", c.Test, apiAdmin, nil, &apiOp{Summary: "Test a connection", Tag: tagAdmin, Body: api.TestConnectionRequest{}, Answers: ok(api.TestConnectionAnswer{})}},
		{get, "/api/admin/integration-settings", "sync-settings.list", s.List, apiAdmin, nil, &apiOp{Summary: "List sync configurations", Tag: tagSync, Answers: ok(web.List[api.SyncSettings]{})}},
		{post, "/api/admin/integration-settings", "sync-settings.create", s.Create, apiAdmin, nil, &apiOp{Summary: "Create a sync configuration", Tag: tagSync, Body: api.SyncSettingsRequest{}, Answers: created(api.SyncSettings{})}},
		{get, "/api/admin/integration-settings/:configId", "sync-settings.get", s.Get, apiAdmin, nil, &apiOp{Summary: "Get a sync configuration", Tag: tagSync, Answers: ok(api.SyncSettings{})}},
		{put, "/api/admin/integration-settings/:configId", "sync-settings.update", s.Update, apiAdmin, nil, &apiOp{Summary: "Update a sync configuration", Tag: tagSync, Body: api.SyncSettingsRequest{}, Answers: ok(api.SyncSettings{})}},
		{del, "/api/admin/integration-settings/:configId", "sync-settings.delete", s.Delete, apiAdmin, nil, &apiOp{Summary: "Delete a sync configuration", Tag: tagSync, Answers: noContent}},
		{post, "/api/admin/integration-settings/:configId/webhook-secret", "sync-settings.regenerate-secret", s.RegenerateSecret, apiAdmin, nil, &apiOp{Summary: "Regenerate the webhook secret", Tag: tagSync, Answers: ok(api.SyncSettings{})}},
		{get, "/api/admin/sync-errors", "sync-errors.list", e.List, apiAdmin, api.SyncErrorsQuery{}, &apiOp{Summary: "The sync error log", Tag: tagSync, Answers: ok(web.List[models.SyncJob]{})}},
		{post, "/api/admin/sync-errors/retry", "sync-errors.bulk-retry", e.BulkRetry, apiAdmin, api.SyncErrorsQuery{}, &apiOp{Summary: "Retry sync jobs (by id, or by the filters)", Tag: tagSync, Body: api.BulkRetryRequest{}, Answers: ok(api.BulkRetryAnswer{})}},
		{get, "/api/admin/sync-errors/:id", "sync-errors.get", e.Get, apiAdmin, nil, &apiOp{Summary: "A sync job with its attempts", Tag: tagSync, Answers: ok(api.SyncJobAnswer{})}},
		{post, "/api/admin/sync-errors/:id/retry", "sync-errors.retry", e.Retry, apiAdmin, nil, &apiOp{Summary: "Retry a sync job", Tag: tagSync, Answers: ok(models.SyncJob{})}},
		{post, "/api/admin/sync-errors/:id/dismiss", "sync-errors.dismiss", e.Dismiss, apiAdmin, nil, &apiOp{Summary: "Dismiss a sync job", Tag: tagSync, Answers: ok(models.SyncJob{})}},
		{post, "/api/admin/sync-errors/:id/resolve", "sync-errors.resolve", e.Resolve, apiAdmin, nil, &apiOp{Summary: "Resolve a manual conflict", Tag: tagSync, Body: api.ResolveRequest{}, Answers: ok(models.SyncJob{})}},
	}
}

// integrationAPIRoutes are the admin API of integrations, endpoints,
// parameter maps and imports.
func (h Handlers) integrationAPIRoutes() []route {
	i := h.IntegrationAPI
	return []route{
		{get, "/api/admin/integrations", "integration-api.list", i.List, apiAdmin, nil, &apiOp{Summary: "List integrations", Tag: tagAdmin, Answers: ok(web.List[api.IntegrationSummary]{})}},
		{post, "/api/admin/integrations", "integration-api.create", i.Create, apiAdmin, nil, &apiOp{Summary: "Create an integration from a definition document", Tag: tagAdmin, Body: definition.Document{}, Answers: created(definition.Document{})}},
		{post, "/api/admin/integrations/from-catalog", "integration-api.from-catalog", i.FromCatalog, apiAdmin, nil, &apiOp{Summary: "Add a catalog integration", Tag: tagAdmin, Body: api.FromCatalogRequest{}, Answers: created(definition.Document{})}},
		{get, "/api/admin/integrations/:id", "integration-api.get", i.Get, apiAdmin, nil, &apiOp{Summary: "An integration's definition document", Tag: tagAdmin, Answers: ok(definition.Document{})}},
		{put, "/api/admin/integrations/:id", "integration-api.update", i.Update, apiAdmin, nil, &apiOp{Summary: "Replace an integration's definition document", Tag: tagAdmin, Body: definition.Document{}, Answers: ok(definition.Document{})}},
		{del, "/api/admin/integrations/:id", "integration-api.delete", i.Delete, apiAdmin, nil, &apiOp{Summary: "Delete an integration", Tag: tagAdmin, Answers: noContent}},
		{get, "/api/admin/integrations/:id/export", "integration-api.export", i.Export, apiAdmin, api.ExportQuery{}, &apiOp{Summary: "Export the definition document (JSON or YAML)", Tag: tagAdmin, Answers: ok(definition.Document{})}},
		{post, "/api/admin/integrations/import", "integration-api.import", i.Import, apiAdmin, api.ImportQuery{}, &apiOp{Summary: "Import an OpenAPI/Swagger document or a registry into a new integration", Tag: tagAdmin, RawBody: true, Answers: ok(api.ImportAnswer{})}},
		{post, "/api/admin/integrations/:id/import", "integration-api.import-of-integration", i.Import, apiAdmin, api.ImportQuery{}, &apiOp{Summary: "Import an OpenAPI/Swagger document or a registry into an integration", Tag: tagAdmin, RawBody: true, Answers: ok(api.ImportAnswer{})}},
		{get, "/api/admin/integrations/:id/endpoints", "integration-api.list-endpoints", i.ListEndpoints, apiAdmin, nil, &apiOp{Summary: "List an integration's endpoints", Tag: tagAdmin, Answers: ok(web.List[api.Endpoint]{})}},
		{post, "/api/admin/integrations/:id/endpoints", "integration-api.create-endpoint", i.CreateEndpoint, apiAdmin, nil, &apiOp{Summary: "Add an endpoint", Tag: tagAdmin, Body: api.EndpointRequest{}, Answers: created(api.Endpoint{})}},
		{get, "/api/admin/endpoints/:id", "integration-api.get-endpoint", i.GetEndpoint, apiAdmin, nil, &apiOp{Summary: "Get an endpoint", Tag: tagAdmin, Answers: ok(api.Endpoint{})}},
		{put, "/api/admin/endpoints/:id", "integration-api.update-endpoint", i.UpdateEndpoint, apiAdmin, nil, &apiOp{Summary: "Replace an endpoint", Tag: tagAdmin, Body: api.EndpointRequest{}, Answers: ok(api.Endpoint{})}},
		{del, "/api/admin/endpoints/:id", "integration-api.delete-endpoint", i.DeleteEndpoint, apiAdmin, nil, &apiOp{Summary: "Delete an endpoint", Tag: tagAdmin, Answers: noContent}},
		{get, "/api/admin/integrations/:id/parameter-maps", "integration-api.list-maps", i.ListMaps, apiAdmin, nil, &apiOp{Summary: "List an integration's parameter maps", Tag: tagAdmin, Answers: ok(web.List[api.Map]{})}},
		{post, "/api/admin/integrations/:id/parameter-maps", "integration-api.create-map", i.CreateMap, apiAdmin, nil, &apiOp{Summary: "Add a parameter map", Tag: tagAdmin, Body: api.MapRequest{}, Answers: created(api.Map{})}},
		{put, "/api/admin/parameter-maps/:id", "integration-api.update-map", i.UpdateMap, apiAdmin, nil, &apiOp{Summary: "Replace a parameter map", Tag: tagAdmin, Body: api.MapRequest{}, Answers: ok(api.Map{})}},
		{del, "/api/admin/parameter-maps/:id", "integration-api.delete-map", i.DeleteMap, apiAdmin, nil, &apiOp{Summary: "Delete a parameter map", Tag: tagAdmin, Answers: noContent}},
	}
}
