// Package middleware holds the router-wide middleware that knows no
// resource: request ids, request logging, panic recovery, security
// headers, the body limit, the NUL-byte input guard, the URL helpers in
// the context, and the Prometheus metrics.
package middleware

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"switchboard/logging"
	"switchboard/urls"
	"switchboard/web"
)

// wellFormedRequestID reports whether id is 8 to 64 of A–Z, a–z, 0–9,
// '.', '_' and '-' (checked by hand: a regexp costs more per request).
func wellFormedRequestID(id string) bool {
	if len(id) < 8 || len(id) > 64 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// RequestID gives every request an id: the caller's X-Request-ID when it is
// well-formed, a random one otherwise. It is echoed in the answer and
// carried in the context so that every log line of the request names it.
func RequestID(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		id := c.Request().Header.Get(echo.HeaderXRequestID)
		if !wellFormedRequestID(id) {
			id = newRequestID()
		}
		c.Response().Header().Set(echo.HeaderXRequestID, id)
		req := c.Request()
		c.SetRequest(req.WithContext(logging.WithRequestID(req.Context(), id)))
		return next(c)
	}
}

func newRequestID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Recover turns a panic into a 500 answer and logs the stack.
func Recover(logger *slog.Logger) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) (err error) {
			defer func() {
				if r := recover(); r != nil {
					if r == http.ErrAbortHandler {
						panic(r)
					}
					logger.ErrorContext(c.Request().Context(), "panic", "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
					err = fmt.Errorf("web: panic: %v", r)
				}
			}()
			return next(c)
		}
	}
}

// Logger writes one line per request. Health probes and static files are
// logged at debug level so they do not drown the rest.
func Logger(logger *slog.Logger) echo.MiddlewareFunc {
	return middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		LogStatus: true, LogURIPath: true, LogMethod: true, LogLatency: true,
		LogRemoteIP: true, LogResponseSize: true, LogError: true, HandleError: true,
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			level := slog.LevelInfo
			if v.URIPath == "/healthz" || v.URIPath == "/readyz" || strings.HasPrefix(v.URIPath, "/static/") {
				level = slog.LevelDebug
			}
			logger.LogAttrs(c.Request().Context(), level, "request",
				slog.String("method", v.Method),
				slog.String("path", web.LoggedPath(c)),
				slog.Int("status", v.Status),
				slog.Float64("duration_ms", float64(v.Latency.Microseconds())/1000),
				slog.Int64("bytes", v.ResponseSize),
				slog.String("remote_ip", v.RemoteIP),
			)
			return nil
		},
	})
}

// contentSecurityPolicy allows only the app's own origin: no inline scripts
// or styles, no framing.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

// AllowFormAction lets the page being answered submit forms that end at
// origin (an OAuth provider's consent page the Connect form redirects to:
// browsers check form-action on every redirect of a submission).
func AllowFormAction(c echo.Context, origin string) {
	if origin == "" || strings.ContainsAny(origin, " ;'\"") {
		return
	}
	h := c.Response().Header()
	h.Set("Content-Security-Policy", strings.Replace(contentSecurityPolicy, "form-action 'self'", "form-action 'self' "+origin, 1))
}

// SecurityHeaders sets the browser hardening headers on every answer; tls
// adds HSTS.
func SecurityHeaders(tls bool) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			h := c.Response().Header()
			h.Set("Content-Security-Policy", contentSecurityPolicy)
			h.Set("X-Content-Type-Options", "nosniff")
			h.Set("X-Frame-Options", "DENY")
			h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
			h.Set("Cross-Origin-Opener-Policy", "same-origin")
			h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
			if tls {
				h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
			}
			return next(c)
		}
	}
}

// WithURLs puts the router's URL helpers into the context of every request
// that may render a page, so views (urls.From) build paths from route
// names; handlers read them from the router itself (web.URLs). The JSON
// API and MCP render no page, so their requests are not copied for it.
func WithURLs(e *echo.Echo) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			req := c.Request()
			if p := req.URL.Path; strings.HasPrefix(p, "/api/") || p == "/mcp" {
				return next(c)
			}
			c.SetRequest(req.WithContext(urls.With(req.Context(), e)))
			return next(c)
		}
	}
}

// ClientIP is the router's IPExtractor: with no trusted proxies, the TCP
// peer; otherwise the client X-Forwarded-For names, believed only hop by
// hop from peers inside trusted (CIDRs, already validated by config).
// Loopback, link-local and private peers are not trusted unless listed.
func ClientIP(trusted []string) echo.IPExtractor {
	if len(trusted) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, p := range trusted {
		if _, n, err := net.ParseCIDR(p); err == nil {
			opts = append(opts, echo.TrustIPRange(n))
		}
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}
