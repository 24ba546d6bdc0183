package session

import (
	"strings"

	"github.com/gorilla/sessions"
	"github.com/labstack/echo/v4"

	"switchboard/views"
)

const (
	valFlashes = "flashes"
	flashSep   = "\x1e"
)

// Flash queues a message for the next page and saves the cookie. kind is
// success, info or error.
func Flash(c echo.Context, kind, msg string) {
	s := cookieSession(c)
	if s == nil {
		return
	}
	prev, _ := s.Values[valFlashes].(string)
	entry := kind + ":" + msg
	if prev != "" {
		entry = prev + flashSep + entry
	}
	s.Values[valFlashes] = entry
	_ = save(c)
}

func popFlashes(s *sessions.Session) []views.Flash {
	raw, _ := s.Values[valFlashes].(string)
	if raw == "" {
		return nil
	}
	delete(s.Values, valFlashes)
	var out []views.Flash
	for _, e := range strings.Split(raw, flashSep) {
		kind, msg, _ := strings.Cut(e, ":")
		out = append(out, views.Flash{Kind: kind, Message: msg})
	}
	return out
}
