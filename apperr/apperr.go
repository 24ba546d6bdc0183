// Package apperr defines the one error type that carries a stable machine
// code through every layer. The domain speaks in codes only; the HTTP layer
// (web/problem) is the one place that maps a code to a status.
package apperr

import (
	"errors"
	"fmt"
	"strings"
)

// Stable machine-readable codes: the "code" member of every problem
// document, which scripts and agents rely on. CodeSlotTaken says that an
// appointment would overlap another of the same provider or operatory.
// CodeResponseTooLarge says that an execution's answer, all pages
// together, is over the cap: 10 MiB, or less when the definition sets
// max_response_bytes.
const (
	CodeInvalidRequest  = "invalid_request"
	CodeUnauthorized    = "unauthorized"
	CodeForbidden       = "forbidden"
	CodeNotFound        = "not_found"
	CodeUnknownProvider = "unknown_provider"
	CodeUnknownFunction = "unknown_function"
	CodeConflict        = "conflict"
	CodeSlotTaken       = "slot_taken"
	// CodeAppointmentCancelled refuses to move a cancelled appointment.
	CodeAppointmentCancelled = "appointment_cancelled"
	CodeIntegrationDisabled  = "integration_disabled"
	CodeMissingCredentials   = "missing_credentials"
	CodeValidationFailed     = "validation_failed"
	CodeRateLimited          = "rate_limited"
	CodeUpstreamError        = "upstream_error"
	CodeUpstreamUnreachable  = "upstream_unreachable"
	CodeUpstreamTimeout      = "upstream_timeout"
	CodeResponseTooLarge     = "response_too_large"
	CodeDestinationBlocked   = "destination_blocked"
	CodeCircuitOpen          = "circuit_open"
	CodeOutsideWindow        = "outside_access_window"
	CodeInternal             = "internal"
	CodeUnavailable          = "unavailable"
)

// FieldError names one bad input field and why it is bad.
type FieldError struct {
	Field   string `json:"field" doc:"The field refused, by its JSON name (a dotted path inside documents)."`
	Message string `json:"message" doc:"Why the value was refused."`
}

// Error is an application error with a stable code and a message that is safe
// to show to the user. Err, when set, is the internal cause: it is logged,
// never shown.
type Error struct {
	Code    string
	Message string
	Fields  []FieldError
	// Extra holds additional problem members (upstream_status, retry_after…).
	Extra map[string]any
	Err   error
}

// Error implements error.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Code)
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	for _, f := range e.Fields {
		fmt.Fprintf(&b, "; %s: %s", f.Field, f.Message)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the internal cause.
func (e *Error) Unwrap() error { return e.Err }

// With returns a copy of e with an extra problem member set.
func (e *Error) With(key string, value any) *Error {
	c := *e
	c.Extra = make(map[string]any, len(e.Extra)+1)
	for k, v := range e.Extra {
		c.Extra[k] = v
	}
	c.Extra[key] = value
	return &c
}

// New returns an error with a code and a user-facing message.
func New(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Wrap returns an error with a code and message whose internal cause is err.
func Wrap(err error, code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Err: err}
}

// NotFound is the error for a missing (or another organization's) record.
func NotFound(what string) *Error {
	return &Error{Code: CodeNotFound, Message: what + " not found"}
}

// Validation returns a validation_failed error listing the bad fields.
func Validation(fields ...FieldError) *Error {
	return &Error{Code: CodeValidationFailed, Message: "some fields are not valid", Fields: fields}
}

// Code returns the code of the first *Error in err's chain, or internal.
func Code(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// As returns the *Error in err's chain, if any.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// IsNotFound reports whether err carries the not_found code.
func IsNotFound(err error) bool { return Code(err) == CodeNotFound }
