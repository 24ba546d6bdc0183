package web

import (
	"bytes"
	"net/http"
	"sync"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"
	fastjson "github.com/segmentio/encoding/json"
)

// IsPartial reports whether the request wants a fragment rather than a full
// page: an htmx request that is neither boosted nor a history restore.
func IsPartial(c echo.Context) bool {
	h := c.Request().Header
	return h.Get("HX-Request") == "true" && h.Get("HX-Boosted") != "true" &&
		h.Get("HX-History-Restore-Request") != "true"
}

// Render writes a templ component. It renders into a buffer first so that a
// render error still becomes a clean error page instead of half a page.
func Render(c echo.Context, status int, cmp templ.Component) error {
	var buf bytes.Buffer
	if err := cmp.Render(c.Request().Context(), &buf); err != nil {
		return err
	}
	h := c.Response().Header()
	h.Add("Vary", "HX-Request")
	h.Set("Cache-Control", "no-store")
	return c.HTMLBlob(status, buf.Bytes())
}

// Redirect answers a successful form post: HX-Redirect for htmx, 303 for a
// plain form.
func Redirect(c echo.Context, to string) error {
	if c.Request().Header.Get("HX-Request") == "true" {
		c.Response().Header().Set("HX-Redirect", to)
		return c.NoContent(http.StatusNoContent)
	}
	return c.Redirect(http.StatusSeeOther, to)
}

// jsonBuffers are JSON's encoding buffers, reused across answers.
var jsonBuffers = sync.Pool{New: func() any { return new([]byte) }}

// maxPooledJSON is the largest buffer put back for reuse.
const maxPooledJSON = 64 << 10

// JSON answers v as c.JSON does, byte for byte (map keys sorted, <, > and &
// escaped, a final newline), through an encoder that costs a fraction of
// encoding/json's work and allocations (github.com/segmentio/encoding):
// the hot answers of the JSON API use it. ?pretty, the debug mode and a
// value it refuses go through c.JSON, so they answer exactly as before.
func JSON(c echo.Context, status int, v any) error {
	if c.Echo().Debug || c.QueryParams().Has("pretty") {
		return c.JSON(status, v)
	}
	bp := jsonBuffers.Get().(*[]byte)
	b, err := fastjson.Append((*bp)[:0], v, fastjson.EscapeHTML|fastjson.SortMapKeys)
	if err != nil {
		jsonBuffers.Put(bp)
		return c.JSON(status, v)
	}
	b = append(b, '\n')
	err = c.JSONBlob(status, b)
	if cap(b) <= maxPooledJSON {
		*bp = b
		jsonBuffers.Put(bp)
	}
	return err
}
