package handlers

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"runtime/debug"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"switchboard/apperr"
	"switchboard/logging"
)

var requestIDPattern = regexp.MustCompile(`^[A-Za-z0-9._-]{8,64}$`)

// requestID gives every request an id: the caller's X-Request-ID when it is
// well-formed, a random one otherwise. It is echoed in the answer and
// carried in the context so that every log line of the request names it.
func requestID() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			id := c.Request().Header.Get(echo.HeaderXRequestID)
			if !requestIDPattern.MatchString(id) {
				id = newRequestID()
			}
			c.Response().Header().Set(echo.HeaderXRequestID, id)
			req := c.Request()
			c.SetRequest(req.WithContext(logging.WithRequestID(req.Context(), id)))
			return next(c)
		}
	}
}

func newRequestID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// recoverPanics turns a panic into a 500 answer and logs the stack.
func recoverPanics(logger *slog.Logger) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) (err error) {
			defer func() {
				if r := recover(); r != nil {
					if r == http.ErrAbortHandler {
						panic(r)
					}
					logger.ErrorContext(c.Request().Context(), "panic", "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
					err = fmt.Errorf("handlers: panic: %v", r)
				}
			}()
			return next(c)
		}
	}
}

// requestLogger writes one line per request. Health probes and static
// files are logged at debug level so they do not drown the rest.
func requestLogger(logger *slog.Logger) echo.MiddlewareFunc {
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
				slog.String("path", loggedPath(c)),
				slog.Int("status", v.Status),
				slog.Float64("duration_ms", float64(v.Latency.Microseconds())/1000),
				slog.Int64("bytes", v.ResponseSize),
				slog.String("remote_ip", v.RemoteIP),
			)
			return nil
		},
	})
}

// loggedPath is the request path as logs show it: the route pattern for
// routes whose path carries a secret (invitation tokens), the path otherwise.
func loggedPath(c echo.Context) string {
	if strings.Contains(c.Path(), ":token") {
		return c.Path()
	}
	return c.Request().URL.Path
}

// contentSecurityPolicy allows only the app's own origin: no inline scripts
// or styles, no framing.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

// securityHeaders sets the browser hardening headers on every answer.
func securityHeaders(tls bool) echo.MiddlewareFunc {
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

// bodyLimit applies everywhere but the import routes, which read up to
// 20 MiB themselves (maxImportBytes).
const bodyLimit = 1 << 20

func isImportPath(p string) bool { return strings.HasSuffix(p, "/import") }

// bodyLimitDefault refuses bodies over 1 MiB (except on import routes) with
// 413 before any handler runs. A declared Content-Length is checked at once;
// a body of unknown length (chunked) is read up to the limit first, so that
// going over it is a 413 too and never a parse error of a cut body.
func bodyLimitDefault() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			req := c.Request()
			if req.Body == nil || req.Body == http.NoBody || isImportPath(req.URL.Path) {
				return next(c)
			}
			if req.ContentLength > bodyLimit {
				return errBodyTooLarge()
			}
			if req.ContentLength < 0 {
				b, err := io.ReadAll(io.LimitReader(req.Body, bodyLimit+1))
				if err != nil {
					return apperr.New(apperr.CodeInvalidRequest, "the request body could not be read")
				}
				if len(b) > bodyLimit {
					return errBodyTooLarge()
				}
				req.Body, req.ContentLength = io.NopCloser(bytes.NewReader(b)), int64(len(b))
			}
			return next(c) // a declared length is enforced by the server itself
		}
	}
}

func errBodyTooLarge() error {
	return apperr.New(codePayloadTooLarge, "the request body is larger than 1 MiB")
}
