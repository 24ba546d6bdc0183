// Package web is the HTTP plumbing every handler shares and no resource
// owns: rendering and redirects, binding JSON, forms and queries, paging,
// path ids, the URL helpers of the request's router, and the codes only
// HTTP produces. Its subpackages each do one job: problem (the one error
// handler), middleware (request id, logging, recover, headers, input
// guards, limits, metrics), session (cookie session, CSRF, principal, API
// keys and scopes, navigation) and idempotency (Idempotency-Key).
//
// Nothing under web knows a resource handler: handlers import web, never
// the other way round.
package web
