package apperr

import "strings"

// explanations say each code in a sentence for the people of a practice.
var explanations = map[string]string{
	CodeInvalidRequest:       "The request was not understood.",
	CodeUnauthorized:         "Sign-in or an API key is needed.",
	CodeForbidden:            "This is not allowed for your role or key.",
	CodeNotFound:             "It does not exist, or no longer does.",
	CodeUnknownProvider:      "No integration has that name.",
	CodeUnknownFunction:      "The integration has no such function.",
	CodeConflict:             "It was changed by someone else in the meantime.",
	CodeSlotTaken:            "Another appointment already holds that time.",
	CodeAppointmentCancelled: "The appointment is cancelled and cannot be changed.",
	CodeIntegrationDisabled:  "The integration is turned off.",
	CodeMissingCredentials:   "The integration has no credentials for this environment yet.",
	CodeValidationFailed:     "Some values are missing or wrong.",
	CodeRateLimited:          "The practice system asked us to slow down; it is tried again shortly.",
	CodeUpstreamError:        "The practice system answered with an error.",
	CodeUpstreamUnreachable:  "The practice system cannot be reached.",
	CodeUpstreamTimeout:      "The practice system did not answer in time.",
	CodeResponseTooLarge:     "The practice system's answer was too large to take.",
	CodeDestinationBlocked:   "The practice system's address is not allowed from here.",
	CodeCircuitOpen:          "The practice system failed several times in a row, so calls are paused for a moment to let it recover.",
	CodeOutsideWindow:        "The practice system does not take calls at this time of day.",
	CodeInternal:             "Something went wrong in Switchboard.",
	CodeUnavailable:          "The service is not available right now.",
}

// Explain says what an error code means in one sentence, for pages a
// practice reads beside (or instead of) the code itself.
func Explain(code string) string {
	if s, ok := explanations[code]; ok {
		return s
	}
	return "Something went wrong (" + code + ")."
}

// ExplainText puts the sentence of a stored error's code in front of it:
// "circuit_open: opendental is failing" reads "The practice system failed
// several times in a row, … (circuit_open: opendental is failing)". A text
// that does not start with a known code is returned as it is.
func ExplainText(text string) string {
	code, _, ok := strings.Cut(text, ": ")
	if _, known := explanations[code]; !ok || !known {
		return text
	}
	return explanations[code] + " (" + text + ")"
}
