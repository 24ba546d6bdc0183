package handlers

import (
	"switchboard/api"
	"switchboard/integrations/traces"
	"switchboard/urls"
)

// traceRoutes are the agent traces (pages and the import API) and the
// Flows tab of a Node-RED integration.
func (h Handlers) traceRoutes() []route {
	t, f := h.Traces, h.Flows
	return []route{
		{get, "/agent-traces", urls.AgentTracesIndex, t.Index, admin, roleOnly, AgentTracesQuery{}, nil},
		{post, "/agent-traces/import", urls.AgentTracesImport, t.ImportPage, admin, roleOnly, nil, nil},
		{get, "/agent-traces/:traceId", urls.AgentTracesShow, t.Show, admin, roleOnly, nil, nil},
		{post, "/api/admin/langfuse/import", urls.APILangfuseImport, t.APIImport, apiAdmin, adminWrite, nil, &apiOp{Summary: "Import the agent's traces from Langfuse now (incremental: from the newest trace already imported), and optionally set the scheduled pull's interval", Tag: tagAdmin, Body: api.LangfuseImportRequest{}, Limited: "An import of this integration is running: retry after Retry-After seconds", Answers: ok(traces.ImportResult{})}},
		{get, "/integrations/:id/flows", urls.FlowsIndex, f.Index, admin, roleOnly, nil, nil},
		{post, "/integrations/:id/flows/preview", urls.FlowsPreview, f.Preview, admin, roleOnly, nil, nil},
		{post, "/integrations/:id/flows/deploy", urls.FlowsDeploy, f.Deploy, admin, roleOnly, nil, nil},
		{post, "/integrations/:id/flows/copy", urls.FlowsCopy, f.Copy, admin, roleOnly, nil, nil},
		{get, "/integrations/:id/flows/backups/:backupId", urls.FlowBackupsDownload, f.Download, admin, roleOnly, nil, nil},
		{post, "/integrations/:id/flows/backups/:backupId/restore", urls.FlowBackupsRestore, f.Restore, admin, roleOnly, nil, nil},
	}
}
