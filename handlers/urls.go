package handlers

import (
	"github.com/labstack/echo/v4"

	"switchboard/urls"
)

// withURLs puts the router's URL helpers into every request's context, so
// handlers (routes) and views (urls.From) build paths from route names.
func withURLs(e *echo.Echo) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			req := c.Request()
			c.SetRequest(req.WithContext(urls.With(req.Context(), e)))
			return next(c)
		}
	}
}

// routes returns the URL helpers of the request's router.
func routes(c echo.Context) urls.URLs { return urls.From(c.Request().Context()) }
