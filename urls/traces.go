package urls

// AgentTraces is the path of the agent traces page.
func (u URLs) AgentTraces() string { return u.Named(AgentTracesIndex) }

// AgentTrace is the path of one trace's page.
func (u URLs) AgentTrace(traceID string) string { return u.Named(AgentTracesShow, seg(traceID)) }

// AgentTracesImport is the path of the Import now action.
func (u URLs) AgentTracesImport() string { return u.Named(AgentTracesImport) }

// IntegrationFlows is the path of a Node-RED integration's Flows tab.
func (u URLs) IntegrationFlows(integrationID int64) string {
	return u.Named(FlowsIndex, id(integrationID))
}

// IntegrationFlowsPreview is the path of the flows file preview action.
func (u URLs) IntegrationFlowsPreview(integrationID int64) string {
	return u.Named(FlowsPreview, id(integrationID))
}

// IntegrationFlowsDeploy is the path of the deploy action.
func (u URLs) IntegrationFlowsDeploy(integrationID int64) string {
	return u.Named(FlowsDeploy, id(integrationID))
}

// IntegrationFlowsCopy is the path of the copy-between-environments action.
func (u URLs) IntegrationFlowsCopy(integrationID int64) string {
	return u.Named(FlowsCopy, id(integrationID))
}

// FlowBackupDownload is the path of a backup's download.
func (u URLs) FlowBackupDownload(integrationID, backupID int64) string {
	return u.Named(FlowBackupsDownload, id(integrationID), id(backupID))
}

// FlowBackupRestore is the path of a backup's restore action.
func (u URLs) FlowBackupRestore(integrationID, backupID int64) string {
	return u.Named(FlowBackupsRestore, id(integrationID), id(backupID))
}
