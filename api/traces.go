package api

// LangfuseImportRequest is the body of POST /api/admin/langfuse/import;
// every field is optional (an empty body imports with what is saved).
type LangfuseImportRequest struct {
	Integration  string `json:"integration" doc:"Slug of the Langfuse integration (default langfuse)."`
	Environment  string `json:"environment" validate:"omitempty,oneof=production sandbox" doc:"production or sandbox; empty keeps the one saved (at first the integration's default_environment)."`
	PollInterval string `json:"poll_interval" doc:"How often the scheduled pull runs from now on, a Go duration of at least 1m (e.g. 15m); empty keeps it."`
}
