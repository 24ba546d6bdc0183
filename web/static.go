package web

import (
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/labstack/echo/v4"

	"switchboard/static"
)

// Static handles GET /static/*: embedded files by content-hashed name. A
// current hash is cached for a year (immutable); any other name is
// revalidated by ETag.
func Static(c echo.Context) error {
	requested := strings.TrimPrefix(c.Request().URL.Path, static.Prefix)
	name, immutable, ok := static.Resolve(requested)
	if !ok {
		return echo.ErrNotFound
	}
	b, err := fs.ReadFile(static.FS(), name)
	if err != nil {
		return echo.ErrNotFound
	}
	h := c.Response().Header()
	etag := static.ETag(name)
	h.Set("ETag", etag)
	if immutable {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	if c.Request().Header.Get("If-None-Match") == etag {
		return c.NoContent(http.StatusNotModified)
	}
	ctype := mime.TypeByExtension(path.Ext(name))
	if ctype == "" {
		ctype = http.DetectContentType(b)
	}
	return c.Blob(http.StatusOK, ctype, b)
}
