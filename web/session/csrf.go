package session

import (
	"crypto/subtle"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"switchboard/apperr"
	"switchboard/web"
)

// CSRF guards the pages' state-changing requests with CheckCSRF. Webhooks
// are signed and carry no cookie authority, so they are exempt.
func CSRF(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if strings.HasPrefix(c.Request().URL.Path, "/webhooks/") {
			return next(c)
		}
		if err := CheckCSRF(c); err != nil {
			return err
		}
		return next(c)
	}
}

// CheckCSRF refuses state-changing cookie requests that do not prove they
// come from our own pages: a cross-site Sec-Fetch-Site or a foreign Origin
// is refused outright, and the token from X-CSRF-Token or the _csrf form
// field must match the one in the session cookie. Safe methods pass.
func CheckCSRF(c echo.Context) error {
	req := c.Request()
	switch req.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return nil
	}
	csrfErr := apperr.New(web.CodeCSRFFailed, "the request failed the CSRF check: reload the page and try again")
	if site := req.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" && site != "none" {
		return csrfErr
	}
	if origin := req.Header.Get("Origin"); origin != "" && origin != "null" {
		u, err := url.Parse(origin)
		if err != nil || u.Host != req.Host {
			return csrfErr
		}
	}
	var want string
	if s := cookieSession(c); s != nil {
		want, _ = s.Values[valCSRF].(string)
	}
	// Never from the query string: a token in a URL leaks through logs,
	// history and Referer.
	got := req.Header.Get("X-CSRF-Token")
	if got == "" {
		got = req.PostFormValue("_csrf")
	}
	if want == "" || got == "" || subtle.ConstantTimeCompare([]byte(want), []byte(got)) != 1 {
		return csrfErr
	}
	return nil
}
