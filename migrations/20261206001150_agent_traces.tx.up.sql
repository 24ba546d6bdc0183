-- The agent's traces imported from Langfuse, per organization: what
-- /agent-traces lists (excerpts of input and output are redacted of
-- credentials and card-like numbers and bounded before they are stored).
CREATE TABLE agent_traces (
    id {{.ID}},
    organization_id BIGINT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    integration_id BIGINT REFERENCES external_integrations (id) ON DELETE SET NULL,
    trace_id VARCHAR(200) NOT NULL,
    name VARCHAR(200) NOT NULL DEFAULT '',
    session_id VARCHAR(200) NOT NULL DEFAULT '',
    user_id VARCHAR(200) NOT NULL DEFAULT '',
    started_at {{.TS}} NOT NULL,
    latency_ms BIGINT NOT NULL DEFAULT 0,
    cost_usd DOUBLE PRECISION NOT NULL DEFAULT 0,
    tags TEXT NOT NULL DEFAULT '',
    input_excerpt TEXT NOT NULL DEFAULT '',
    output_excerpt TEXT NOT NULL DEFAULT '',
    created_at {{.TS}} NOT NULL DEFAULT {{.Now}},
    updated_at {{.TS}} NOT NULL DEFAULT {{.Now}}
);
--bun:split
CREATE UNIQUE INDEX agent_traces_org_trace ON agent_traces (organization_id, trace_id);
--bun:split
CREATE INDEX agent_traces_org_started_idx ON agent_traces (organization_id, started_at);
--bun:split
CREATE INDEX agent_traces_org_session_idx ON agent_traces (organization_id, session_id);
--bun:split
CREATE INDEX agent_traces_integration_idx ON agent_traces (integration_id);
--bun:split
-- The sessions of the imported traces (one conversation each), their
-- figures recomputed from the traces at every import.
CREATE TABLE agent_sessions (
    id {{.ID}},
    organization_id BIGINT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    session_id VARCHAR(200) NOT NULL,
    user_id VARCHAR(200) NOT NULL DEFAULT '',
    first_at {{.TS}} NOT NULL,
    last_at {{.TS}} NOT NULL,
    traces INTEGER NOT NULL DEFAULT 0,
    latency_ms BIGINT NOT NULL DEFAULT 0,
    cost_usd DOUBLE PRECISION NOT NULL DEFAULT 0,
    created_at {{.TS}} NOT NULL DEFAULT {{.Now}},
    updated_at {{.TS}} NOT NULL DEFAULT {{.Now}}
);
--bun:split
CREATE UNIQUE INDEX agent_sessions_org_session ON agent_sessions (organization_id, session_id);
--bun:split
CREATE INDEX agent_sessions_org_last_idx ON agent_sessions (organization_id, last_at);
--bun:split
-- Each Langfuse integration's import: how often it is pulled, up to which
-- trace timestamp it has read (the next pull asks from there), when it is
-- due next and how the last run went.
CREATE TABLE agent_trace_imports (
    id {{.ID}},
    organization_id BIGINT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    integration_id BIGINT NOT NULL REFERENCES external_integrations (id) ON DELETE CASCADE,
    environment VARCHAR(16) NOT NULL DEFAULT '',
    poll_interval_seconds INTEGER NOT NULL DEFAULT 900,
    cursor_at {{.TS}},
    next_poll_at {{.TS}} NOT NULL,
    last_run_at {{.TS}},
    last_error TEXT NOT NULL DEFAULT '',
    last_imported INTEGER NOT NULL DEFAULT 0,
    created_at {{.TS}} NOT NULL DEFAULT {{.Now}},
    updated_at {{.TS}} NOT NULL DEFAULT {{.Now}}
);
--bun:split
CREATE UNIQUE INDEX agent_trace_imports_integration ON agent_trace_imports (organization_id, integration_id);
--bun:split
CREATE INDEX agent_trace_imports_due_idx ON agent_trace_imports (next_poll_at);
--bun:split
CREATE INDEX agent_trace_imports_integration_idx ON agent_trace_imports (integration_id);
--bun:split
-- The trace an execution was made under (X-Trace-Id or W3C traceparent
-- of the agent's request).
ALTER TABLE api_calls ADD COLUMN trace_id VARCHAR(200) NOT NULL DEFAULT '';
--bun:split
CREATE INDEX api_calls_org_trace_idx ON api_calls (organization_id, trace_id);
