package web

import (
	"strings"

	"github.com/labstack/echo/v4"

	"switchboard/apperr"
)

// Codes that only the HTTP layer produces: the domain never sees a form,
// an HTTP method or a request body. web/problem maps them to statuses.
const (
	CodeCSRFFailed       = "csrf_failed"
	CodeMethodNotAllowed = "method_not_allowed"
	CodePayloadTooLarge  = "payload_too_large"
)

// WantsProblem reports whether the client expects a JSON problem document
// rather than a page: the JSON API, webhooks, the probes, and clients that
// accept JSON.
func WantsProblem(c echo.Context) bool {
	p := c.Request().URL.Path
	if strings.HasPrefix(p, "/api/") || strings.HasPrefix(p, "/webhooks/") || p == "/mcp" || p == "/readyz" || p == "/healthz" {
		return true
	}
	accept := c.Request().Header.Get("Accept")
	return strings.Contains(accept, "application/json") || strings.Contains(accept, "application/problem+json")
}

// LoggedPath is the request path as logs show it: the route pattern for
// routes whose path carries a secret (invitation tokens), the path otherwise.
func LoggedPath(c echo.Context) string {
	if strings.Contains(c.Path(), ":token") {
		return c.Path()
	}
	return c.Request().URL.Path
}

// BodyLimit applies everywhere but the import routes, which read up to
// ImportBodyLimit themselves.
const BodyLimit = 1 << 20

// ImportBodyLimit is the import routes' body limit: a document of up to
// 20 MiB.
const ImportBodyLimit = 20 << 20

// IsImportPath reports whether a path is an import route, whose body its
// handler reads (and limits) itself.
func IsImportPath(p string) bool { return strings.HasSuffix(p, "/import") }

// FieldError is the error of one request field: code, a message naming the
// field, and the field error itself.
func FieldError(code, field, message string) error {
	return &apperr.Error{Code: code, Message: field + " " + message,
		Fields: []apperr.FieldError{{Field: field, Message: message}}}
}
