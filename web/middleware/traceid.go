package middleware

import (
	"strings"

	"github.com/labstack/echo/v4"

	"switchboard/logging"
)

// HeaderTraceID names the agent's trace a request is made under.
const HeaderTraceID = "X-Trace-Id"

// TraceID puts the agent's trace id in the request's context, for the call
// log: the X-Trace-Id header when it is well formed, else the trace id of
// a W3C traceparent header (version-traceid-parentid-flags). Anything else
// is ignored: a trace id is a label, never a reason to refuse a call.
func TraceID(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		id := TraceIDOf(req.Header.Get(HeaderTraceID), req.Header.Get("traceparent"))
		if id != "" {
			c.SetRequest(req.WithContext(logging.WithTraceID(req.Context(), id)))
		}
		return next(c)
	}
}

// TraceIDOf is the trace id of an X-Trace-Id value (1 to 200 of A–Z, a–z,
// 0–9, '.', '_', ':' and '-') or, failing that, of a traceparent value
// (its 32 hexadecimal digits, lower case, not all zero).
func TraceIDOf(xTraceID, traceparent string) string {
	if id := strings.TrimSpace(xTraceID); wellFormedTraceID(id) {
		return id
	}
	parts := strings.Split(strings.TrimSpace(traceparent), "-")
	if len(parts) < 4 || len(parts[0]) != 2 || parts[0] == "ff" || len(parts[1]) != 32 || len(parts[2]) != 16 {
		return ""
	}
	id := strings.ToLower(parts[1])
	if !isHex(parts[0]) || !isHex(id) || !isHex(parts[2]) || strings.Trim(id, "0") == "" {
		return ""
	}
	return id
}

func wellFormedTraceID(id string) bool {
	if id == "" || len(id) > 200 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-' || c == ':') {
			return false
		}
	}
	return true
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return s != ""
}
