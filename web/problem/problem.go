// Package problem is the one place that turns an error into an answer: the
// code → status table, RFC 9457 problem documents for the JSON API, the
// HTML error page, and the htmx error header. It logs only server errors
// and never shows their internals.
package problem

import (
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"switchboard/apperr"
	"switchboard/logging"
	"switchboard/urls"
	"switchboard/views"
	"switchboard/views/pages"
	"switchboard/web"
)

// statusByCode is the one mapping from an error code to its HTTP status.
var statusByCode = map[string]int{
	apperr.CodeInvalidRequest:       http.StatusBadRequest,
	apperr.CodeUnauthorized:         http.StatusUnauthorized,
	apperr.CodeForbidden:            http.StatusForbidden,
	web.CodeCSRFFailed:              http.StatusForbidden,
	apperr.CodeNotFound:             http.StatusNotFound,
	apperr.CodeUnknownProvider:      http.StatusNotFound,
	apperr.CodeUnknownFunction:      http.StatusNotFound,
	apperr.CodeConflict:             http.StatusConflict,
	apperr.CodeSlotTaken:            http.StatusConflict,
	apperr.CodeAppointmentCancelled: http.StatusConflict,
	apperr.CodeIntegrationDisabled:  http.StatusConflict,
	apperr.CodeMissingCredentials:   http.StatusConflict,
	apperr.CodeValidationFailed:     http.StatusUnprocessableEntity,
	apperr.CodeRateLimited:          http.StatusTooManyRequests,
	apperr.CodeDestinationBlocked:   http.StatusForbidden,
	web.CodeMethodNotAllowed:        http.StatusMethodNotAllowed,
	web.CodePayloadTooLarge:         http.StatusRequestEntityTooLarge,
	apperr.CodeInternal:             http.StatusInternalServerError,
	apperr.CodeUnavailable:          http.StatusServiceUnavailable,
	// Upstream failures, and an upstream's answer over the size cap.
	apperr.CodeUpstreamError:       http.StatusBadGateway,
	apperr.CodeResponseTooLarge:    http.StatusBadGateway,
	apperr.CodeUpstreamUnreachable: http.StatusBadGateway,
	apperr.CodeCircuitOpen:         http.StatusServiceUnavailable,
	apperr.CodeOutsideWindow:       http.StatusServiceUnavailable,
	apperr.CodeUpstreamTimeout:     http.StatusGatewayTimeout,
}

// Statuses are the statuses an /api operation may answer a problem with
// (the OpenAPI document lists them for every operation).
var Statuses = []int{400, 401, 403, 404, 409, 413, 422, 429, 500, 502, 503, 504}

// StatusFor maps a code to its HTTP status; unknown codes are 500.
func StatusFor(code string) int {
	if s, ok := statusByCode[code]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// StatusOf is the status the error handler answers err with.
func StatusOf(err error) int { return StatusFor(AppError(err).Code) }

// Document is an RFC 9457 problem document as every /api error answers it
// (application/problem+json); the extras appear with the codes that set
// them. The OpenAPI document's Problem schema is generated from it.
type Document struct {
	Type      string              `json:"type" doc:"A URI naming the problem type."`
	Title     string              `json:"title" doc:"A short summary of the problem type."`
	Status    int                 `json:"status" doc:"The HTTP status."`
	Code      string              `json:"code" doc:"A stable machine-readable code (validation_failed, not_found, forbidden, slot_taken...)."`
	Detail    string              `json:"detail" doc:"What went wrong and what to do, in words for people."`
	RequestID string              `json:"request_id,omitempty" doc:"The request id; quote it when reporting a problem."`
	Errors    []apperr.FieldError `json:"errors,omitempty" doc:"Per field, why its value was refused (field is the JSON name)."`
	// ConflictingAppointmentID names the booked appointment a slot overlaps.
	ConflictingAppointmentID int64 `json:"conflicting_appointment_id,omitempty" doc:"The booked appointment the slot overlaps (Switchboard's id)."`
	// RetryAfter is in seconds, as the Retry-After header.
	RetryAfter      int    `json:"retry_after,omitempty" doc:"Seconds to wait before trying again, as the Retry-After header."`
	UpstreamStatus  int    `json:"upstream_status,omitempty" doc:"The HTTP status the integration answered."`
	UpstreamExcerpt string `json:"upstream_excerpt,omitempty" doc:"The start of the integration's answer, secrets redacted."`
}

// Handler is the router's error handler: an HTML error page, or a problem
// document for /api/, /webhooks/ and JSON clients.
func Handler(logger *slog.Logger) echo.HTTPErrorHandler {
	return func(err error, c echo.Context) {
		if c.Response().Committed {
			return
		}
		e := AppError(err)
		status := StatusFor(e.Code)
		req := c.Request()
		ctx := req.Context()
		if status >= 500 {
			logger.ErrorContext(ctx, "request failed", "err", err, "method", req.Method, "path", web.LoggedPath(c))
			if e.Code == apperr.CodeInternal {
				e = &apperr.Error{Code: apperr.CodeInternal, Message: "Something went wrong on our side. The error was logged; try again, or quote the request id when you report it."}
			}
		}
		if ra, ok := e.Extra["retry_after"]; ok {
			c.Response().Header().Set("Retry-After", toString(ra))
		}
		var werr error
		switch {
		case web.WantsProblem(c):
			werr = write(c, status, e)
		case req.Header.Get("HX-Request") == "true":
			// htmx does not swap error answers; app.js shows this header as a
			// flash message instead.
			c.Response().Header().Set("X-Switchboard-Error", headerSafe(e.Message))
			werr = c.String(status, e.Message)
		default:
			werr = renderPage(c, status, e)
		}
		if werr != nil {
			logger.ErrorContext(ctx, "unable to write the error answer", "err", werr)
		}
	}
}

// write answers the problem document of e.
func write(c echo.Context, status int, e *apperr.Error) error {
	p := map[string]any{
		"type":   "https://switchboard.dev/problems/" + e.Code,
		"title":  http.StatusText(status),
		"status": status,
		"code":   e.Code,
		"detail": e.Message,
	}
	if id := logging.RequestID(c.Request().Context()); id != "" {
		p["request_id"] = id
	}
	if len(e.Fields) > 0 {
		p["errors"] = e.Fields
	}
	for k, v := range e.Extra {
		if _, taken := p[k]; !taken {
			p[k] = v
		}
	}
	if c.Request().Method == http.MethodHead {
		return c.NoContent(status)
	}
	c.Response().Header().Set(echo.HeaderContentType, "application/problem+json")
	c.Response().WriteHeader(status)
	return web.JSONEncoder(c.Response()).Encode(p)
}

// renderPage answers the HTML error page of e.
func renderPage(c echo.Context, status int, e *apperr.Error) error {
	title := http.StatusText(status)
	msg := e.Message
	switch status {
	case http.StatusNotFound:
		title, msg = "Page not found", "The page you asked for does not exist, or it belongs to another organization."
	case http.StatusForbidden:
		if e.Code == web.CodeCSRFFailed {
			title, msg = "Form expired", "This form was open too long or came from another site. Go back, reload the page and try again."
		} else {
			title = "Not allowed"
		}
	case http.StatusInternalServerError:
		title = "Something went wrong"
	}
	ctx := c.Request().Context()
	// The JSON doors skip the URL helpers; a page rendered for one of
	// them (a client that asked for HTML) still needs its links.
	ctx = urls.With(ctx, c.Echo())
	c.SetRequest(c.Request().WithContext(ctx))
	if !views.ShellFrom(ctx).SignedIn() {
		// keep the CSRF token of the shell, if any, out of an error page
		c.SetRequest(c.Request().WithContext(views.WithShell(ctx, views.Shell{})))
	}
	return web.Render(c, status, pages.Error(pages.ErrorPage{
		Status: status, Title: title, Message: msg, RequestID: logging.RequestID(ctx),
	}))
}

// AppError turns any error into an *apperr.Error, translating echo's own
// HTTP errors (unknown route, wrong method, body too large).
func AppError(err error) *apperr.Error {
	if e, ok := apperr.As(err); ok {
		return e
	}
	var he *echo.HTTPError
	if errors.As(err, &he) {
		msg := http.StatusText(he.Code)
		if s, ok := he.Message.(string); ok && s != "" {
			msg = s
		}
		switch he.Code {
		case http.StatusNotFound:
			return apperr.New(apperr.CodeNotFound, "not found")
		case http.StatusMethodNotAllowed:
			return apperr.New(web.CodeMethodNotAllowed, "method not allowed")
		case http.StatusRequestEntityTooLarge:
			return apperr.New(web.CodePayloadTooLarge, "the request body is too large")
		case http.StatusUnauthorized:
			return apperr.New(apperr.CodeUnauthorized, "%s", msg)
		case http.StatusForbidden:
			return apperr.New(apperr.CodeForbidden, "%s", msg)
		case http.StatusTooManyRequests:
			return apperr.New(apperr.CodeRateLimited, "%s", msg)
		}
		if he.Code >= 400 && he.Code < 500 {
			return apperr.New(apperr.CodeInvalidRequest, "%s", msg)
		}
	}
	return apperr.Wrap(err, apperr.CodeInternal, "internal error")
}

func headerSafe(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e {
			return ' '
		}
		return r
	}, s)
	if len(s) > 300 {
		s = s[:300]
	}
	return s
}

func toString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	}
	return ""
}
