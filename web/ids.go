package web

import (
	"strconv"

	"github.com/labstack/echo/v4"

	"switchboard/apperr"
	"switchboard/urls"
)

// PathID parses a numeric path parameter; anything else is not found.
func PathID(c echo.Context, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.NotFound("record")
	}
	return id, nil
}

// URLs returns the URL helpers of the router serving the request.
func URLs(c echo.Context) urls.URLs { return urls.Of(c.Echo()) }

// BaseURL is the scheme and host the request came to, for links shown
// outside the app (invitation links, webhook addresses).
func BaseURL(c echo.Context) string { return c.Scheme() + "://" + c.Request().Host }
