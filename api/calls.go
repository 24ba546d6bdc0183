package api

import (
	"time"

	"switchboard/web"
)

// CallsQuery is the query of the call log, page and API.
type CallsQuery struct {
	Integration string `query:"integration" doc:"An integration's slug: only its calls."`
	Function    string `query:"function" doc:"A function's name: only its calls."`
	Status      string `query:"status" enum:"ok,failed" doc:"ok (calls that succeeded) or failed."`
	Code        string `query:"code" doc:"An error code such as rate_limited, upstream_error or circuit_open: only the calls that failed with it (code=rate_limited is the rate-limit log)."`
	Caller      string `query:"caller" doc:"Part of the caller's name (an API key's name, a user's e-mail, sync, reference lists)."`
	From        string `query:"from" doc:"From this practice-local day (YYYY-MM-DD) or date-time."`
	To          string `query:"to" doc:"Up to this practice-local day (included) or date-time."`
	web.PageQuery
}

// Call is one entry of the call log: an execution of a function, through
// any door, times in practice time.
type Call struct {
	ID          int64  `json:"id" doc:"The entry's id."`
	Integration string `json:"integration" doc:"The integration's slug as the caller named it."`
	Function    string `json:"function" doc:"The function that ran."`
	Environment string `json:"environment" doc:"production or sandbox."`
	Status      string `json:"status" enum:"ok,failed" doc:"ok or failed."`
	Code        string `json:"code,omitempty" doc:"The error code of a failed call."`
	Caller      string `json:"caller" doc:"Who called: an API key's name, a user's name, or Sync delivery, Sync poll, Reference lists, Availability check."`
	CallerKind  string `json:"caller_kind" enum:"api_key,user,system" doc:"api_key, user or system (sync, polls, reference lists)."`
	// UpstreamStatus is 0 when the external system never answered.
	UpstreamStatus int       `json:"upstream_status" doc:"The external system's HTTP status (0 when it did not answer)."`
	Attempts       int       `json:"attempts" doc:"Requests sent, retries and pages included."`
	DurationMS     int64     `json:"duration_ms" doc:"How long the call took, in milliseconds."`
	RequestID      string    `json:"request_id,omitempty" doc:"The request id of the request that caused the call."`
	Message        string    `json:"message,omitempty" doc:"Why a failed call failed."`
	CreatedAt      time.Time `json:"created_at" doc:"When the call ended (practice time)."`
}

// CallDetail is one entry of the call log with the redacted exchange of a
// failed call.
type CallDetail struct {
	Call
	Request  string `json:"request,omitempty" doc:"A failed call's last request: method, URL, headers and body, credentials redacted, cut to 4 KiB."`
	Response string `json:"response,omitempty" doc:"A failed call's last answer: status, headers and body, credentials redacted, cut to 4 KiB."`
}
