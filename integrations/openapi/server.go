package openapi

import (
	"net/url"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// baseURL picks the base URL from the servers (Swagger 2's scheme, host
// and basePath become servers in the conversion): the first https server,
// else the first absolute one, else the first; server variables take
// their defaults and a trailing slash is dropped.
func (x *extractor) baseURL() string {
	var candidates []string
	for _, s := range x.doc.Servers {
		if s != nil && strings.TrimSpace(s.URL) != "" {
			candidates = append(candidates, x.expand(s))
		}
	}
	if len(candidates) == 0 {
		x.warn("the document names no server: set the integration's base URL by hand")
		return ""
	}
	chosen := candidates[0]
	for _, pass := range []func(*url.URL) bool{
		func(u *url.URL) bool { return u.Scheme == "https" && u.Host != "" },
		func(u *url.URL) bool { return (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" },
	} {
		if c, ok := firstURL(candidates, pass); ok {
			chosen = c
			break
		}
	}
	if u, err := url.Parse(chosen); err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		x.warn("the server URL %q is not an absolute http(s) URL: set the integration's base URL by hand", chosen)
	}
	if len(candidates) > 1 {
		x.warn("the document names %d servers; the base URL is %s", len(candidates), chosen)
	}
	return chosen
}

// firstURL returns the first candidate that pass accepts.
func firstURL(candidates []string, pass func(*url.URL) bool) (string, bool) {
	for _, c := range candidates {
		if u, err := url.Parse(c); err == nil && pass(u) {
			return c, true
		}
	}
	return "", false
}

// expand fills a server URL's variables with their defaults and drops a
// trailing slash.
func (x *extractor) expand(s *openapi3.Server) string {
	out := strings.TrimSpace(s.URL)
	for name, v := range s.Variables {
		if v != nil {
			out = strings.ReplaceAll(out, "{"+name+"}", v.Default)
		}
	}
	if strings.Contains(out, "{") {
		x.warn("the server URL %q has variables without a default", out)
	}
	if u, err := url.Parse(out); err == nil && u.Path != "" {
		out = strings.TrimRight(out, "/")
	}
	return out
}
