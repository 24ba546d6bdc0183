package apperr

// Keys of the problem members an Error's Extra carries beside its code.
const (
	// ExtraUpstreamStatus is the external system's HTTP status (int).
	ExtraUpstreamStatus = "upstream_status"
	// ExtraUpstreamExcerpt is a redacted excerpt of its answer (string).
	ExtraUpstreamExcerpt = "upstream_excerpt"
	// ExtraRetryAfter is how many seconds to wait before trying again (int).
	ExtraRetryAfter = "retry_after"
)

// WithUpstream returns a copy of e carrying the external system's status
// and, when not empty, an excerpt of its answer.
func (e *Error) WithUpstream(status int, excerpt string) *Error {
	c := e.With(ExtraUpstreamStatus, status)
	if excerpt != "" {
		c.Extra[ExtraUpstreamExcerpt] = excerpt
	}
	return c
}

// WithRetryAfter returns a copy of e saying to wait seconds before trying
// again.
func (e *Error) WithRetryAfter(seconds int) *Error { return e.With(ExtraRetryAfter, seconds) }

// UpstreamStatus is the external system's HTTP status e carries (0 for
// none).
func (e *Error) UpstreamStatus() int {
	n, _ := e.Extra[ExtraUpstreamStatus].(int)
	return n
}

// UpstreamExcerpt is the excerpt of the external system's answer e carries
// ("" for none).
func (e *Error) UpstreamExcerpt() string {
	s, _ := e.Extra[ExtraUpstreamExcerpt].(string)
	return s
}

// RetryAfter is how many seconds e says to wait before trying again, and
// whether it says so at all.
func (e *Error) RetryAfter() (int, bool) {
	n, ok := e.Extra[ExtraRetryAfter].(int)
	return n, ok
}
