package apperr_test

import (
	"strings"
	"testing"

	"switchboard/apperr"
)

// TestEveryCodeHasASentence: pages show a sentence for each code, never
// the code alone.
func TestEveryCodeHasASentence(t *testing.T) {
	for _, code := range []string{apperr.CodeInvalidRequest, apperr.CodeUnauthorized, apperr.CodeForbidden, apperr.CodeNotFound,
		apperr.CodeUnknownProvider, apperr.CodeUnknownFunction, apperr.CodeConflict, apperr.CodeSlotTaken, apperr.CodeAppointmentCancelled,
		apperr.CodeIntegrationDisabled, apperr.CodeMissingCredentials, apperr.CodeValidationFailed, apperr.CodeRateLimited,
		apperr.CodeUpstreamError, apperr.CodeUpstreamUnreachable, apperr.CodeUpstreamTimeout, apperr.CodeResponseTooLarge,
		apperr.CodeDestinationBlocked, apperr.CodeCircuitOpen, apperr.CodeOutsideWindow, apperr.CodeInternal, apperr.CodeUnavailable} {
		s := apperr.Explain(code)
		if strings.Contains(s, code) || !strings.HasSuffix(s, ".") || strings.Contains(s, "_") {
			t.Errorf("%s is explained as %q", code, s)
		}
	}
}

// TestExplainText: a stored error leads with its code's sentence.
func TestExplainText(t *testing.T) {
	got := apperr.ExplainText("circuit_open: opendental (production) is failing")
	if !strings.HasPrefix(got, "The practice system failed several times in a row") || !strings.HasSuffix(got, "(circuit_open: opendental (production) is failing)") {
		t.Errorf("ExplainText = %q", got)
	}
	if got := apperr.ExplainText("HTTP 422"); got != "HTTP 422" {
		t.Errorf("a text without a code = %q", got)
	}
}
