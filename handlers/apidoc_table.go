package handlers

import (
	"net/http"

	"switchboard/integrations/definition"
	"switchboard/integrations/tools"
	"switchboard/models"
	"switchboard/records"
	"switchboard/web"
)

// apiOp declares one /api route for the OpenAPI document: what it does,
// what it takes and what it answers. The document is built from these and
// echo's route table; a route missing here fails TestOpenAPIEveryRoute.
type apiOp struct {
	Summary string
	Tag     string
	// Body is a zero value of the JSON request body's type (nil: none).
	Body any
	// RawBody is a request body that is a document of its own (an import),
	// not JSON of a Go type.
	RawBody bool
	// Query is a zero value of a struct whose `query` tags are the query
	// parameters.
	Query any
	// Answers maps each success status to a zero value of its JSON body's
	// type; a nil value is an answer without a body.
	Answers map[int]any
	// Public routes need no credentials.
	Public bool
	// Idempotent writes accept an Idempotency-Key header.
	Idempotent bool
}

// Queries the handlers read one by one; the structs name them for the
// document.
type (
	waitQuery struct {
		Wait string `query:"wait"`
	}
	patientListQuery struct {
		Cursor string `query:"cursor"`
		Limit  int    `query:"limit"`
	}
	appointmentListQuery struct {
		From      string `query:"from"`
		To        string `query:"to"`
		PatientID int64  `query:"patient_id"`
		Status    string `query:"status"`
		Cursor    string `query:"cursor"`
		Limit     int    `query:"limit"`
	}
	functionsQuery struct {
		Format string `query:"format"`
	}
	exportQuery struct {
		Format string `query:"format"`
	}
	syncErrorsQuery struct {
		Integration string `query:"integration"`
		Status      string `query:"status"`
		Entity      string `query:"entity"`
		Cursor      string `query:"cursor"`
		Limit       int    `query:"limit"`
	}
)

const (
	tagMeta      = "meta"
	tagExecute   = "execution"
	tagRecords   = "records"
	tagReference = "reference"
	tagAdmin     = "admin"
	tagSync      = "sync"
)

func ok(v any) map[int]any      { return map[int]any{http.StatusOK: v} }
func created(v any) map[int]any { return map[int]any{http.StatusCreated: v} }

var noContent = map[int]any{http.StatusNoContent: nil}

// apiOps is the declaration of every /api route, by route name.
var apiOps = map[string]apiOp{
	"api-openapi": {Summary: "This OpenAPI document", Tag: tagMeta, Public: true, Answers: ok(map[string]any{})},
	"api-me":      {Summary: "Who the caller is (organization, role, key or user)", Tag: tagMeta, Answers: ok(MeAnswer{})},

	"execute.list":      {Summary: "The organization's integrations", Tag: tagExecute, Answers: ok(web.List[integrationOut]{})},
	"execute.status":    {Summary: "An integration's status: credentials, sync, calls, circuit", Tag: tagExecute, Answers: ok(IntegrationStatusAnswer{})},
	"execute.execute":   {Summary: "Execute a function of an integration", Tag: tagExecute, Body: executeRequest{}, Answers: ok(executeResponse{})},
	"execute.functions": {Summary: "The integration's functions with parameter schemas, or as LLM tools", Tag: tagExecute, Query: functionsQuery{}, Answers: ok(web.List[tools.Function]{})},

	"records-api.create-patient":     {Summary: "Create a patient (dual-write)", Tag: tagRecords, Body: PatientRequest{}, Query: waitQuery{}, Idempotent: true, Answers: created(PatientAnswer{Patient: &models.Patient{}})},
	"records-api.list-patients":      {Summary: "List patients", Tag: tagRecords, Query: patientListQuery{}, Answers: ok(web.List[PatientAnswer]{})},
	"records-api.get-patient":        {Summary: "Get a patient with its sync state", Tag: tagRecords, Answers: ok(PatientAnswer{Patient: &models.Patient{}})},
	"records-api.update-patient":     {Summary: "Update a patient", Tag: tagRecords, Body: PatientRequest{}, Query: waitQuery{}, Idempotent: true, Answers: ok(PatientAnswer{Patient: &models.Patient{}})},
	"records-api.delete-patient":     {Summary: "Delete a patient", Tag: tagRecords, Query: waitQuery{}, Idempotent: true, Answers: ok(DeletedAnswer{})},
	"records-api.create-appointment": {Summary: "Book an appointment (dual-write, slot check)", Tag: tagRecords, Body: AppointmentRequest{}, Query: waitQuery{}, Idempotent: true, Answers: created(AppointmentAnswer{Appointment: &models.Appointment{}})},
	"records-api.list-appointments":  {Summary: "List appointments", Tag: tagRecords, Query: appointmentListQuery{}, Answers: ok(web.List[AppointmentAnswer]{})},
	"records-api.get-appointment":    {Summary: "Get an appointment with its sync state", Tag: tagRecords, Answers: ok(AppointmentAnswer{Appointment: &models.Appointment{}})},
	"records-api.update-appointment": {Summary: "Update an appointment", Tag: tagRecords, Body: AppointmentRequest{}, Query: waitQuery{}, Idempotent: true, Answers: ok(AppointmentAnswer{Appointment: &models.Appointment{}})},
	"records-api.cancel-appointment": {Summary: "Cancel an appointment", Tag: tagRecords, Query: waitQuery{}, Idempotent: true, Answers: ok(AppointmentAnswer{Appointment: &models.Appointment{}})},
	"records-api.availability":       {Summary: "Free slots (opening hours, future, no overlapping appointment; the practice system's own slots when it lists them)", Tag: tagRecords, Query: AvailabilityQuery{}, Answers: ok(AvailabilityAnswer{})},
	"records-api.get-sync-job":       {Summary: "A sync job: status, numbered attempts, last error", Tag: tagRecords, Answers: ok(records.SyncJobView{})},
	"reference-api.list":             {Summary: "Reference data of a kind (providers, operatories, …)", Tag: tagReference, Query: ReferenceQuery{}, Answers: ok(ReferenceAnswer{})},

	"org-api.get":                           {Summary: "The organization's settings", Tag: tagAdmin, Answers: ok(organizationOut{})},
	"org-api.update":                        {Summary: "Update the organization's settings", Tag: tagAdmin, Body: organizationIn{}, Answers: ok(organizationOut{})},
	"integration-api.list":                  {Summary: "List integrations", Tag: tagAdmin, Answers: ok(web.List[integrationSummary]{})},
	"integration-api.create":                {Summary: "Create an integration from a definition document", Tag: tagAdmin, Body: definition.Document{}, Answers: created(definition.Document{})},
	"integration-api.from-catalog":          {Summary: "Add a catalog integration", Tag: tagAdmin, Body: fromCatalogRequest{}, Answers: created(definition.Document{})},
	"integration-api.get":                   {Summary: "An integration's definition document", Tag: tagAdmin, Answers: ok(definition.Document{})},
	"integration-api.update":                {Summary: "Replace an integration's definition document", Tag: tagAdmin, Body: definition.Document{}, Answers: ok(definition.Document{})},
	"integration-api.delete":                {Summary: "Delete an integration", Tag: tagAdmin, Answers: noContent},
	"integration-api.export":                {Summary: "Export the definition document (JSON or YAML)", Tag: tagAdmin, Query: exportQuery{}, Answers: ok(definition.Document{})},
	"integration-api.import":                {Summary: "Import an OpenAPI/Swagger document or a registry into a new integration", Tag: tagAdmin, RawBody: true, Query: importRequest{}, Answers: ok(importAnswer{})},
	"integration-api.import-of-integration": {Summary: "Import an OpenAPI/Swagger document or a registry into an integration", Tag: tagAdmin, RawBody: true, Query: importRequest{}, Answers: ok(importAnswer{})},
	"integration-api.list-endpoints":        {Summary: "List an integration's endpoints", Tag: tagAdmin, Answers: ok(web.List[endpointOut]{})},
	"integration-api.create-endpoint":       {Summary: "Add an endpoint", Tag: tagAdmin, Body: endpointRequest{}, Answers: created(endpointOut{})},
	"integration-api.get-endpoint":          {Summary: "Get an endpoint", Tag: tagAdmin, Answers: ok(endpointOut{})},
	"integration-api.update-endpoint":       {Summary: "Replace an endpoint", Tag: tagAdmin, Body: endpointRequest{}, Answers: ok(endpointOut{})},
	"integration-api.delete-endpoint":       {Summary: "Delete an endpoint", Tag: tagAdmin, Answers: noContent},
	"integration-api.list-maps":             {Summary: "List an integration's parameter maps", Tag: tagAdmin, Answers: ok(web.List[mapOut]{})},
	"integration-api.create-map":            {Summary: "Add a parameter map", Tag: tagAdmin, Body: mapRequest{}, Answers: created(mapOut{})},
	"integration-api.update-map":            {Summary: "Replace a parameter map", Tag: tagAdmin, Body: mapRequest{}, Answers: ok(mapOut{})},
	"integration-api.delete-map":            {Summary: "Delete a parameter map", Tag: tagAdmin, Answers: noContent},
	"credentials.list":                      {Summary: "List credentials (masked)", Tag: tagAdmin, Answers: ok(web.List[credentialResponse]{})},
	"credentials.create":                    {Summary: "Save credentials", Tag: tagAdmin, Body: credentialCreateRequest{}, Answers: created(credentialResponse{})},
	"credentials.get":                       {Summary: "Get a credential (masked)", Tag: tagAdmin, Answers: ok(credentialResponse{})},
	"credentials.update":                    {Summary: "Update a credential", Tag: tagAdmin, Body: credentialUpdateRequest{}, Answers: ok(credentialResponse{})},
	"credentials.delete":                    {Summary: "Delete a credential", Tag: tagAdmin, Answers: noContent},
	"credentials.test":                      {Summary: "Test a connection", Tag: tagAdmin, Body: testConnectionRequest{}, Answers: ok(testConnectionResponse{})},
	"sync-settings.list":                    {Summary: "List sync configurations", Tag: tagSync, Answers: ok(web.List[syncSettingsResponse]{})},
	"sync-settings.create":                  {Summary: "Create a sync configuration", Tag: tagSync, Body: syncSettingsRequest{}, Answers: created(syncSettingsResponse{})},
	"sync-settings.get":                     {Summary: "Get a sync configuration", Tag: tagSync, Answers: ok(syncSettingsResponse{})},
	"sync-settings.update":                  {Summary: "Update a sync configuration", Tag: tagSync, Body: syncSettingsRequest{}, Answers: ok(syncSettingsResponse{})},
	"sync-settings.delete":                  {Summary: "Delete a sync configuration", Tag: tagSync, Answers: noContent},
	"sync-settings.regenerate-secret":       {Summary: "Regenerate the webhook secret", Tag: tagSync, Answers: ok(syncSettingsResponse{})},
	"sync-errors.list":                      {Summary: "The sync error log", Tag: tagSync, Query: syncErrorsQuery{}, Answers: ok(web.List[models.SyncJob]{})},
	"sync-errors.bulk-retry":                {Summary: "Retry sync jobs (by id, or by the filters)", Tag: tagSync, Body: BulkRetryRequest{}, Query: syncErrorsQuery{}, Answers: ok(BulkRetryAnswer{})},
	"sync-errors.get":                       {Summary: "A sync job with its attempts", Tag: tagSync, Answers: ok(SyncJobAnswer{})},
	"sync-errors.retry":                     {Summary: "Retry a sync job", Tag: tagSync, Answers: ok(models.SyncJob{})},
	"sync-errors.dismiss":                   {Summary: "Dismiss a sync job", Tag: tagSync, Answers: ok(models.SyncJob{})},
	"sync-errors.resolve":                   {Summary: "Resolve a manual conflict", Tag: tagSync, Body: ResolveRequest{}, Answers: ok(models.SyncJob{})},
}
