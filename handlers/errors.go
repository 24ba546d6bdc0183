package handlers

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"switchboard/apperr"
	"switchboard/logging"
	"switchboard/views"
	"switchboard/views/pages"
)

// Codes that only the HTTP layer produces: the domain never sees a form,
// an HTTP method or a request body.
const (
	codeCSRFFailed       = "csrf_failed"
	codeMethodNotAllowed = "method_not_allowed"
	codePayloadTooLarge  = "payload_too_large"
)

// statusByCode is the one mapping from an error code to its HTTP status.
var statusByCode = map[string]int{
	apperr.CodeInvalidRequest:      http.StatusBadRequest,
	apperr.CodeUnauthorized:        http.StatusUnauthorized,
	apperr.CodeForbidden:           http.StatusForbidden,
	codeCSRFFailed:                 http.StatusForbidden,
	apperr.CodeNotFound:            http.StatusNotFound,
	apperr.CodeUnknownProvider:     http.StatusNotFound,
	apperr.CodeUnknownFunction:     http.StatusNotFound,
	apperr.CodeConflict:            http.StatusConflict,
	apperr.CodeSlotTaken:           http.StatusConflict,
	apperr.CodeIntegrationDisabled: http.StatusConflict,
	apperr.CodeMissingCredentials:  http.StatusConflict,
	apperr.CodeValidationFailed:    http.StatusUnprocessableEntity,
	apperr.CodeRateLimited:         http.StatusTooManyRequests,
	apperr.CodeDestinationBlocked:  http.StatusForbidden,
	codeMethodNotAllowed:           http.StatusMethodNotAllowed,
	codePayloadTooLarge:            http.StatusRequestEntityTooLarge,
	apperr.CodeInternal:            http.StatusInternalServerError,
	apperr.CodeUnavailable:         http.StatusServiceUnavailable,
	// Upstream failures, and an upstream's answer over the size cap.
	apperr.CodeUpstreamError:       http.StatusBadGateway,
	apperr.CodeResponseTooLarge:    http.StatusBadGateway,
	apperr.CodeUpstreamUnreachable: http.StatusBadGateway,
	apperr.CodeCircuitOpen:         http.StatusServiceUnavailable,
	apperr.CodeOutsideWindow:       http.StatusServiceUnavailable,
	apperr.CodeUpstreamTimeout:     http.StatusGatewayTimeout,
}

// statusFor maps a code to its HTTP status; unknown codes are 500.
func statusFor(code string) int {
	if s, ok := statusByCode[code]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// errorStatus is the status the error handler will answer err with.
func errorStatus(err error) int { return statusFor(toAppError(err).Code) }

// problem is an RFC 9457 problem document with Switchboard's stable code.
type problem map[string]any

// ErrorHandler is the one place that turns an error into an answer: an HTML
// error page, or a problem document for /api/, /webhooks/ and JSON clients.
// It logs only server errors and never shows their internals.
func ErrorHandler(logger *slog.Logger) echo.HTTPErrorHandler {
	return func(err error, c echo.Context) {
		if c.Response().Committed {
			return
		}
		e := toAppError(err)
		status := statusFor(e.Code)
		req := c.Request()
		ctx := req.Context()
		if status >= 500 {
			logger.ErrorContext(ctx, "request failed", "err", err, "method", req.Method, "path", loggedPath(c))
			if e.Code == apperr.CodeInternal {
				e = &apperr.Error{Code: apperr.CodeInternal, Message: "Something went wrong on our side. The error was logged; try again, or quote the request id when you report it."}
			}
		}
		if ra, ok := e.Extra["retry_after"]; ok {
			c.Response().Header().Set("Retry-After", toString(ra))
		}
		var werr error
		switch {
		case wantsProblem(c):
			werr = writeProblem(c, status, e)
		case req.Header.Get("HX-Request") == "true":
			// htmx does not swap error answers; app.js shows this header as a
			// flash message instead.
			c.Response().Header().Set("X-Switchboard-Error", headerSafe(e.Message))
			werr = c.String(status, e.Message)
		default:
			werr = renderErrorPage(c, status, e)
		}
		if werr != nil {
			logger.ErrorContext(ctx, "unable to write the error answer", "err", werr)
		}
	}
}

func writeProblem(c echo.Context, status int, e *apperr.Error) error {
	p := problem{
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
	return jsonEncoder(c.Response()).Encode(p)
}

func renderErrorPage(c echo.Context, status int, e *apperr.Error) error {
	title := http.StatusText(status)
	msg := e.Message
	switch status {
	case http.StatusNotFound:
		title, msg = "Page not found", "The page you asked for does not exist, or it belongs to another organization."
	case http.StatusForbidden:
		if e.Code == codeCSRFFailed {
			title, msg = "Form expired", "This form was open too long or came from another site. Go back, reload the page and try again."
		} else {
			title = "Not allowed"
		}
	case http.StatusInternalServerError:
		title = "Something went wrong"
	}
	ctx := c.Request().Context()
	if !views.ShellFrom(ctx).SignedIn() {
		// keep the CSRF token of the shell, if any, out of an error page
		c.SetRequest(c.Request().WithContext(views.WithShell(ctx, views.Shell{})))
	}
	return render(c, status, pages.Error(pages.ErrorPage{
		Status: status, Title: title, Message: msg, RequestID: logging.RequestID(ctx),
	}))
}

// wantsProblem reports whether the client expects a JSON problem document.
func wantsProblem(c echo.Context) bool {
	p := c.Request().URL.Path
	if strings.HasPrefix(p, "/api/") || strings.HasPrefix(p, "/webhooks/") || p == "/readyz" || p == "/healthz" {
		return true
	}
	accept := c.Request().Header.Get("Accept")
	return strings.Contains(accept, "application/json") || strings.Contains(accept, "application/problem+json")
}

// toAppError turns any error into an *apperr.Error, translating echo's own
// HTTP errors (unknown route, wrong method, body too large).
func toAppError(err error) *apperr.Error {
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
			return apperr.New(codeMethodNotAllowed, "method not allowed")
		case http.StatusRequestEntityTooLarge:
			return apperr.New(codePayloadTooLarge, "the request body is too large")
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
		return itoa(x)
	case int64:
		return itoa(int(x))
	}
	return ""
}
