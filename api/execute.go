package api

import "switchboard/integrations/tools"

// ExecuteRequest is the body of POST /api/integrations/{provider}: the
// function (or its tool name), its parameters (internal names through the
// parameter maps, or the endpoint's own), and the environment (production
// when left out, or sandbox).
type ExecuteRequest struct {
	// Function is the function's name (or its tool name); the original
	// system's functionName is read as it.
	Function string `json:"function" alias:"functionName" doc:"The function's name or its tool name (also read as functionName)." required:"true"`
	// Params are the function's parameters; the original system's
	// parameters is read as it.
	Params      map[string]any `json:"params" alias:"parameters" doc:"The function's parameters by name (also read as parameters)."`
	Environment string         `json:"environment" doc:"production or sandbox; left out, the integration's default environment."`
	// Original is set when the body used functionName: the answer then
	// also carries success, provider and executedAt.
	Original bool `json:"-"`
}

// RecordAliases notes the original system's names the body used.
func (r *ExecuteRequest) RecordAliases(used []string) {
	for _, u := range used {
		if u == "functionName" {
			r.Original = true
		}
	}
}

// ExecuteMeta is what an execution did: the upstream's status, the
// requests sent, how long it took, the request id, the pages read and
// whether the answer came from the cache.
type ExecuteMeta struct {
	UpstreamStatus int    `json:"upstream_status" doc:"The HTTP status of the upstream's last answer."`
	Attempts       int    `json:"attempts" doc:"How many requests were sent (retries included)."`
	DurationMS     int64  `json:"duration_ms" doc:"How long the execution took, in milliseconds."`
	RequestID      string `json:"request_id" doc:"The request id, also in the call log."`
	Pages          int    `json:"pages,omitempty" doc:"How many pages were read (paginated functions)."`
	Cached         bool   `json:"cached" doc:"Whether the answer came from the response cache."`
}

// ExecuteAnswer is the answer of an execution: the function that ran and
// its data, mapped to internal names.
type ExecuteAnswer struct {
	OK       bool        `json:"ok" doc:"Whether the call succeeded."`
	Function string      `json:"function" doc:"The function that ran."`
	Data     any         `json:"data" doc:"The function's answer, extracted and mapped to internal names."`
	Meta     ExecuteMeta `json:"meta" doc:"What the execution did: upstream status, attempts, duration, request id, pages, cache."`
	// Success (= ok), Provider (the integration's slug) and ExecutedAt
	// (RFC 3339) are there when the request used functionName, as the
	// original system answered.
	Success    *bool  `json:"success,omitempty" doc:"Same as ok; only when the request used functionName."`
	Provider   string `json:"provider,omitempty" doc:"The integration's slug; only when the request used functionName."`
	ExecutedAt string `json:"executedAt,omitempty" doc:"When the call ran (RFC 3339 instant); only when the request used functionName."`
}

// FunctionsQuery is the query of GET /api/integrations/{provider}/functions.
type FunctionsQuery struct {
	// Format is openai, openai-responses or anthropic (tool definitions),
	// or left out (the functions with their parameters' JSON Schema).
	Format string `query:"format" doc:"openai (Chat Completions), openai-responses (Responses API) or anthropic (Messages) tool definitions; left out, the functions with their parameter schemas." enum:"openai,openai-responses,anthropic"`
	// Strict asks for OpenAI strict-mode schemas (with format=openai).
	Strict bool `query:"strict" doc:"OpenAI strict-mode schemas (with an OpenAI format)."`
}

// MeAnswer is the answer of GET /api/me: the caller's organization and
// role, and the key or the user it came with.
type MeAnswer struct {
	Organization MeOrganization `json:"organization" doc:"The caller's organization."`
	Role         string         `json:"role" doc:"The caller's role (a user's owner, admin or staff; a key's agent or admin)."`
	APIKey       *MeKey         `json:"api_key,omitempty" doc:"The API key the call came with; absent for a signed-in session."`
	User         *MeUser        `json:"user,omitempty" doc:"The signed-in user the call came with; absent for an API key."`
}

// MeOrganization is the caller's organization.
type MeOrganization struct {
	ID   int64  `json:"id" doc:"The organization's id (Switchboard's)."`
	Slug string `json:"slug" doc:"The organization's slug."`
	Name string `json:"name" doc:"The organization's name."`
}

// MeKey is the API key a call came with (never its secret).
type MeKey struct {
	ID     int64  `json:"id" doc:"The key's id (Switchboard's)."`
	Name   string `json:"name" doc:"The key's name."`
	Prefix string `json:"prefix" doc:"The key's visible prefix (never its secret)."`
}

// MeUser is the signed-in user a call came with.
type MeUser struct {
	ID    int64  `json:"id" doc:"The user's id (Switchboard's)."`
	Email string `json:"email" doc:"The user's e-mail address."`
}

// ToolsQuery is the query of GET /api/tools.
type ToolsQuery struct {
	// Format is openai (Chat Completions), openai-responses (the
	// Responses API) or anthropic (Messages) tool definitions, or left out
	// (each tool with its parameters' JSON Schema).
	Format string `query:"format" doc:"openai (Chat Completions), openai-responses (Responses API) or anthropic (Messages) tool definitions; left out, each tool with its parameters' JSON Schema." enum:"openai,openai-responses,anthropic"`
	// Strict asks for OpenAI strict-mode schemas (with format=openai or
	// openai-responses).
	Strict bool `query:"strict" doc:"OpenAI strict-mode schemas (with an OpenAI format)."`
}

// ToolsAnswer is GET /api/tools with a format: tool definitions of that
// LLM API.
type ToolsAnswer struct {
	Tools []map[string]any `json:"tools" doc:"Tool definitions in the asked LLM API's own format."`
}

// ToolCallRequest is the body of POST /api/tools/{name}: the tool's
// arguments, as the tool's parameters schema describes them.
type ToolCallRequest map[string]any

// ToolCallAnswer is the answer of POST /api/tools/{name}: the tool's
// result (for a record tool the record, for a function its execution).
type ToolCallAnswer map[string]any

// FunctionsAnswer is the answer of GET
// /api/integrations/{provider}/functions: without a format the functions
// (items, next_cursor), with one the LLM tool definitions (tools).
type FunctionsAnswer struct {
	Items      []tools.Function `json:"items,omitempty" doc:"The enabled functions the key's scopes allow, with their parameters' JSON Schema (without format)."`
	NextCursor string           `json:"next_cursor,omitempty" doc:"Always empty: the list is whole."`
	Tools      []map[string]any `json:"tools,omitempty" doc:"The functions as tool definitions of the LLM API asked for (with format)."`
}
