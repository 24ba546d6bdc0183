package apperr

// Keys of the problem members an Error's Extra carries beside its code.
const (
	// ExtraUpstreamStatus is the external system's HTTP status (int).
	ExtraUpstreamStatus = "upstream_status"
	// ExtraUpstreamExcerpt is a redacted excerpt of its answer (string).
	ExtraUpstreamExcerpt = "upstream_excerpt"
	// ExtraRetryAfter is how many seconds to wait before trying again (int).
	ExtraRetryAfter = "retry_after"
	// ExtraConflictingAppointmentID is the id of the appointment that holds
	// the slot asked for (int64).
	ExtraConflictingAppointmentID = "conflicting_appointment_id"
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

// SlotTaken is the error of an appointment that would overlap appointment
// conflictID, which holds the slot; message says how.
func SlotTaken(conflictID int64, format string, args ...any) *Error {
	return New(CodeSlotTaken, format, args...).With(ExtraConflictingAppointmentID, conflictID)
}

// ConflictingAppointmentID is the id of the appointment holding the slot e
// is about, and whether e names one.
func (e *Error) ConflictingAppointmentID() (int64, bool) {
	n, ok := e.Extra[ExtraConflictingAppointmentID].(int64)
	return n, ok
}
