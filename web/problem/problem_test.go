package problem

import (
	"errors"
	"net/http"
	"testing"

	"github.com/labstack/echo/v4"

	"switchboard/apperr"
	"switchboard/web"
)

// TestStatusForEveryCode pins the code → status table of the contract:
// the domain only has codes, this layer alone decides the status.
func TestStatusForEveryCode(t *testing.T) {
	tests := []struct {
		code string
		want int
	}{
		{apperr.CodeInvalidRequest, 400},
		{apperr.CodeUnauthorized, 401},
		{apperr.CodeForbidden, 403},
		{web.CodeCSRFFailed, 403},
		{apperr.CodeDestinationBlocked, 403},
		{apperr.CodeNotFound, 404},
		{apperr.CodeUnknownProvider, 404},
		{apperr.CodeUnknownFunction, 404},
		{web.CodeMethodNotAllowed, 405},
		{apperr.CodeConflict, 409},
		{apperr.CodeIntegrationDisabled, 409},
		{apperr.CodeMissingCredentials, 409},
		{apperr.CodeSlotTaken, 409},
		{web.CodePayloadTooLarge, 413},
		{apperr.CodeValidationFailed, 422},
		{apperr.CodeRateLimited, 429},
		{apperr.CodeInternal, 500},
		{apperr.CodeUpstreamError, 502},
		{apperr.CodeUpstreamUnreachable, 502},
		{apperr.CodeResponseTooLarge, 502},
		{apperr.CodeCircuitOpen, 503},
		{apperr.CodeOutsideWindow, 503},
		{apperr.CodeAppointmentCancelled, 409},
		{apperr.CodeUnavailable, 503},
		{apperr.CodeUpstreamTimeout, 504},
		{"no_such_code", 500},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			if got := StatusFor(tt.code); got != tt.want {
				t.Errorf("StatusFor(%q) = %d, want %d", tt.code, got, tt.want)
			}
		})
	}
	t.Run("the HTTP-only codes keep their names", func(t *testing.T) {
		for got, want := range map[string]string{web.CodeCSRFFailed: "csrf_failed", web.CodeMethodNotAllowed: "method_not_allowed", web.CodePayloadTooLarge: "payload_too_large"} {
			if got != want {
				t.Errorf("code %q, want %q", got, want)
			}
		}
	})
	t.Run("echo's own errors and plain errors get a status", func(t *testing.T) {
		for err, want := range map[error]int{
			echo.ErrMethodNotAllowed:                  http.StatusMethodNotAllowed,
			echo.ErrStatusRequestEntityTooLarge:       http.StatusRequestEntityTooLarge,
			errors.New("boom"):                        http.StatusInternalServerError,
			apperr.New(apperr.CodeConflict, "taken"):  http.StatusConflict,
			echo.NewHTTPError(http.StatusTeapot, "x"): http.StatusBadRequest,
		} {
			if got := StatusOf(err); got != want {
				t.Errorf("StatusOf(%v) = %d, want %d", err, got, want)
			}
		}
	})
}
