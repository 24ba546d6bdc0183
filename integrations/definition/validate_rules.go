package definition

import (
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"

	"switchboard/integrations/transform"
)

var (
	actions    = []string{ActionRetry, ActionFail, ActionIgnore, ActionRateLimited, ActionRefreshTokenThenRetry}
	weekdays   = []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}
	directions = []string{DirectionRequest, DirectionResponse, DirectionBoth}
)

// errorRules checks a list of error rules.
func (c *checker) errorRules(prefix string, rules []ErrorRule) {
	for i, r := range rules {
		field := fmt.Sprintf("%s[%d]", prefix, i)
		switch {
		case !slices.Contains(actions, r.Action):
			c.add(field+".action", "must be one of %s", strings.Join(actions, ", "))
		case r.Action == ActionRefreshTokenThenRetry && !strings.HasPrefix(c.d.Auth.Type, "oauth2_"):
			c.add(field+".action", "refresh_token_then_retry needs an oauth2 auth type")
		}
		w := r.When
		if len(w.Status) == 0 && w.Path == "" && w.Contains == "" {
			c.add(field+".when", "needs status, path or contains")
		}
		for j, s := range w.Status {
			c.status(fmt.Sprintf("%s.when.status[%d]", field, j), s)
		}
		c.dotPath(field+".when.path", w.Path)
		if w.Equals != "" && w.Path == "" {
			c.add(field+".when.equals", "needs when.path")
		}
		if r.WaitHeader != "" && !validHeaderName(r.WaitHeader) {
			c.add(field+".wait_header", "is not a valid header name")
		}
		c.dotPath(field+".message_path", r.MessagePath)
	}
}

// accessWindows checks the access windows of each environment.
func (c *checker) accessWindows() {
	for _, env := range slices.Sorted(maps.Keys(c.d.AccessWindows)) {
		prefix := "access_windows." + env
		if env != EnvProduction && env != EnvSandbox {
			c.add(prefix, "unknown environment (want production or sandbox)")
			continue
		}
		windows := c.d.AccessWindows[env]
		if len(windows) == 0 {
			c.add(prefix, "needs at least one window")
		}
		for i, w := range windows {
			field := fmt.Sprintf("%s[%d]", prefix, i)
			start, okStart := parseClock(w.Start, false)
			end, okEnd := parseClock(w.End, true)
			if !okStart {
				c.add(field+".start", "must be HH:MM")
			}
			if !okEnd {
				c.add(field+".end", "must be HH:MM")
			}
			if okStart && okEnd && start == end {
				c.add(field+".end", "must differ from start")
			}
			for k, day := range w.Days {
				if !slices.Contains(weekdays, day) {
					c.add(fmt.Sprintf("%s.days[%d]", field, k), "must be one of %s", strings.Join(weekdays, ", "))
				}
			}
		}
	}
}

// parameterMaps checks every parameter map.
func (c *checker) parameterMaps() {
	type key struct{ internal, external, endpoint string }
	seen := map[key]int{}
	for i, m := range c.d.ParameterMaps {
		prefix := fmt.Sprintf("parameter_maps[%d]", i)
		c.required(prefix+".internal", m.Internal, "is required")
		c.required(prefix+".external", m.External, "is required")
		if _, err := transform.Compile(m.Transform); err != nil {
			c.add(prefix+".transform", "%s", err)
		}
		if m.Endpoint != "" {
			c.function(prefix+".endpoint", m.Endpoint)
		}
		if !slices.Contains(directions, m.Direction) {
			c.add(prefix+".direction", "must be one of %s", strings.Join(directions, ", "))
		}
		k := key{m.Internal, m.External, m.Endpoint}
		if j, dup := seen[k]; dup && overlaps(m.Direction, c.d.ParameterMaps[j].Direction) {
			c.add(prefix, "maps the same names as parameter_maps[%d]", j)
		}
		seen[k] = i
	}
}

// overlaps reports whether two map directions share a direction.
func overlaps(a, b string) bool {
	return a == b || a == DirectionBoth || b == DirectionBoth
}

// sync checks the sync functions of each entity type.
func (c *checker) sync() {
	for _, entity := range slices.Sorted(maps.Keys(c.d.Sync)) {
		prefix := "sync." + entity
		if entity != EntityAppointment && entity != EntityPatient {
			c.add(prefix, "unknown entity (want appointment or patient)")
			continue
		}
		s := c.d.Sync[entity]
		if s == nil {
			continue
		}
		for _, f := range []struct{ name, value string }{
			{"create", s.Create}, {"update", s.Update}, {"delete", s.Delete}, {"get", s.Get}, {"list_changed", s.ListChanged}, {"slots", s.Slots}, {"busy", s.Busy},
		} {
			if f.value != "" {
				c.function(prefix+"."+f.name, f.value)
			}
		}
		if s.Slots != "" && entity != EntityAppointment {
			c.add(prefix+".slots", "only appointments have slots")
		}
		c.bookmark(prefix, s)
		c.dotPath(prefix+".bookmark_path", s.BookmarkPath)
		c.dotPath(prefix+".id_path", s.IDPath)
		if s.IdempotencyHeader != "" && !validHeaderName(s.IdempotencyHeader) {
			c.add(prefix+".idempotency_header", "is not a valid header name")
		}
	}
}

// bookmark checks that the bookmark parameter belongs to list_changed.
func (c *checker) bookmark(prefix string, s *SyncEntity) {
	if s.BookmarkParam == "" {
		return
	}
	if s.ListChanged == "" {
		c.add(prefix+".bookmark_param", "needs list_changed")
		return
	}
	e, ok := c.functions[s.ListChanged]
	if !ok {
		return // reported on list_changed
	}
	if !slices.ContainsFunc(e.Params, func(p Param) bool { return p.Name == s.BookmarkParam }) {
		c.add(prefix+".bookmark_param", "%q is not a parameter of %s", s.BookmarkParam, s.ListChanged)
	}
}

// function checks that name is a declared function.
func (c *checker) function(field, name string) {
	if _, ok := c.functions[name]; !ok {
		c.add(field, "unknown function %q", name)
	}
}

// url checks an absolute http(s) URL.
func (c *checker) url(field, raw string) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Fragment != "" {
		c.add(field, "must be an absolute http(s) URL")
		return
	}
	if u.User != nil {
		c.add(field, "must not hold a user name or password (use credential fields)")
	}
	if strings.Contains(u.Hostname(), "%") {
		// The outbound guard judges the address without its zone; a
		// saved one could only ever be a way around a review of the URL.
		c.add(field, "must not name an IPv6 zone (%%25…): a zone picks a network interface, not a host")
	}
}

// status checks an HTTP status code.
func (c *checker) status(field string, s int) {
	if s < 100 || s > 599 {
		c.add(field, "must be an HTTP status (100-599)")
	}
}

// dotPath checks an optional dot path such as "items.0.id".
func (c *checker) dotPath(field, p string) {
	if p == "" {
		return
	}
	if slices.Contains(strings.Split(p, "."), "") {
		c.add(field, `must be a dot path such as "items.0.id"`)
	}
}

// validHeaderName reports whether s is an HTTP header field name (an
// RFC 9110 token).
func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		b := s[i]
		if !(b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", b) >= 0) {
			return false
		}
	}
	return true
}

// oneOf reports whether s is one of options.
func oneOf(s string, options ...string) bool { return slices.Contains(options, s) }
