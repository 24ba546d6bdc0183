DROP INDEX api_calls_org_trace_idx;
--bun:split
ALTER TABLE api_calls DROP COLUMN trace_id;
--bun:split
DROP TABLE agent_trace_imports;
--bun:split
DROP TABLE agent_sessions;
--bun:split
DROP TABLE agent_traces;
