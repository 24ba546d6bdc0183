// Package executor runs the functions of integration definitions.
// It knows nothing of HTTP servers, templates or the database: definitions
// come from the registry's in-memory cache, credentials from a
// CredentialSource, and requests leave through the guarded outbound client.
//
// # Pipeline
//
// Execute runs, in order: lookup (unknown_provider, unknown_function,
// integration_disabled) → environment and its base URL (invalid_request
// naming base_url.<env>) → access window (outside_access_window with
// retry_after) → request parameter maps and transforms → defaults →
// validation (validation_failed listing every bad parameter under the
// caller's name) → credentials (missing_credentials naming the fields) →
// circuit breaker (circuit_open) → build (path values escaped, query,
// headers, JSON/form/XML body) → per attempt: rate limit (rate_limited when
// the wait outlasts the deadline), OAuth token, auth, send with the
// integration's timeout → error rules, status, success condition → retries
// with full-jitter backoff or Retry-After → pagination → extract → response
// maps. A caller that only writes the answer out (the agents' JSON API)
// sets Request.PassThrough: a 2xx JSON answer that no part of the
// definition reads or reshapes, and that holds none of the call's secrets,
// is then handed over as the upstream's own text, not parsed and encoded
// again.
//
// # Choices where the specification is silent
//
//   - The breaker is asked before the rate limiter, so an open circuit
//     answers at once and consumes no rate-limit tokens. It counts
//     calls, not attempts: a call whose last exchange was a network error, a
//     timeout or a 5xx is one failure; a call the upstream answered with a
//     2xx (even one with an error inside) closes it; 4xx answers, refused
//     destinations and cancelled callers leave it as it is.
//   - Breakers, rate limiters and tokens are kept per organization,
//     integration and environment (production and sandbox are different
//     upstreams). Without a caller deadline, a rate-limit wait may last up
//     to the integration's timeout.
//   - 429 answers (and rate_limited rules) fail as rate_limited, with
//     upstream_status and retry_after when the upstream gave a wait; other
//     non-2xx answers fail as upstream_error. An upstream wait longer than
//     max(retry.max_delay, 30s), or one past the caller's deadline, is not
//     slept: the call fails at once with retry_after.
//   - Writes are retried only when retry_safe or an idempotency key is sent,
//     network errors included. The one exception is a token the upstream
//     refused (401 with OAuth2, or a refresh_token_then_retry rule): the
//     request was not carried out, so it is sent once more with a fresh
//     token, outside max_attempts.
//   - OAuth2 client credentials go in HTTP Basic first; when the token
//     endpoint refuses that with 400 or 401, the form is tried and the style
//     that worked is remembered. The refresh-token grant sends them in the
//     form. A token answer without expires_in is kept for an hour; tokens
//     are replaced a minute before expiry (half-way for tokens shorter than
//     two minutes). A rotated refresh token is saved through SaveFields with
//     only that field, and used from memory until the store returns it.
//     Calls with unsaved fields (Test Connection) neither use nor fill the
//     shared token cache and save nothing.
//   - Request maps apply only when their external name is a parameter of
//     the endpoint; giving one parameter under both its internal and its
//     external name is a validation error. Response maps rename the mapped
//     members and keep the others; a response value its transform cannot
//     handle is kept as given (and logged) rather than failing a call that
//     has already happened.
//   - Numeric strings become integers or numbers, "true"/"false" booleans,
//     and numbers or booleans strings, for parameters of those types.
//   - {{params_xml}} is built here rather than with
//     CompiledEndpoint.ParamsXML, which turns invalid characters into U+FFFD
//     silently: values holding characters XML 1.0 cannot carry are refused,
//     element names are checked, arrays repeat their element and objects
//     nest. An XML body without a template is <Request>{{params_xml}}</Request>;
//     every rendered XML body is checked for well-formedness before sending.
//     In JSON body templates string values are JSON-escaped (the template
//     holds the quotes); an absent optional parameter renders empty.
//   - Offset pagination pages only when the caller chose neither the limit
//     nor the offset; paging parameters the endpoint does not declare go in
//     the query. A link to another host ends the call with upstream_error.
//     Paginated data is always a list.
//   - One execution's answers, all pages together, are capped at
//     Config.MaxResponseBytes (10 MiB); an endpoint's max_response_bytes,
//     else the integration's, may lower it. Past it the call fails with
//     response_too_large (502, with upstream_status and max_response_bytes);
//     a declared Content-Length over it fails before anything is read.
//   - Answers are received before they are parsed: the first 256 KiB (or
//     the declared length, when shorter) into memory, anything longer on
//     into a spill file (Config.SpillDir, removed as soon as created;
//     Config.MaxSpillBytes, 512 MiB, bounds them all, one organization to
//     three quarters). Only the first 4 KiB are kept beside the parsed
//     tree, for excerpts and traces (error rules' contains are matched as
//     the body arrives).
//   - A response budget bounds the answer bytes executions hold at once:
//     16 MiB in all (Config.ResponseBudget), 12 MiB per organization and
//     10 MiB per integration. An answer reserves its first room before it
//     is read and, when it was longer, its whole length once it has
//     arrived (waiting at most the integration's timeout), so a slow
//     upstream holds no more than 256 KiB while it drips; a successful
//     Result keeps its share until Result.Release, once its Data is written
//     out. Room goes to the waiting calls in the order they came, each that
//     fits, so one organization's large answer never holds up another's
//     small ones; a circle of calls that wait while holding room (paged
//     answers) is broken by refusing its youngest with unavailable (503,
//     retry_after 1).
//   - Redaction replaces every credential value of three characters or
//     more, the rendered auth values and OAuth tokens, in raw, URL-, XML-
//     and JSON-escaped forms, and any run of 8 bytes or more of them, in
//     everything the call answers: the parsed answer (so the data, ids and
//     messages made of it; a number only when it is a credential whole),
//     its headers, excerpts, traces and error texts. Headers whose names
//     speak of authorization, cookies, keys, tokens, secrets, passwords or
//     signatures are hidden whole in traces.
package executor
