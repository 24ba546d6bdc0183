package outbound

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// MaxRedirects is how many redirect hops a request may follow.
const MaxRedirects = 5

// errTooManyRedirects ends a request that redirects more than MaxRedirects
// times.
var errTooManyRedirects = fmt.Errorf("outbound: more than %d redirects", MaxRedirects)

// IsTooManyRedirects reports whether err ended a request that redirected
// more than MaxRedirects times (a loop, or a base URL that moved).
func IsTooManyRedirects(err error) bool { return errors.Is(err, errTooManyRedirects) }

// Credentials names where the requests made with a context carry
// credentials, so that none of them follows a redirect to another origin.
// Only the sender knows: an API key may sit in any header or query
// parameter its integration chose.
type Credentials struct {
	// Headers are the names of the headers holding credentials.
	Headers []string
	// Query are the names of the query parameters holding credentials.
	Query []string
	// Body is set when the request body holds credentials: a redirect to
	// another origin that would send the body again is not followed.
	Body bool
}

type credentialsKey struct{}

// WithCredentials returns ctx marking where its requests carry
// credentials (see Credentials).
func WithCredentials(ctx context.Context, c Credentials) context.Context {
	return context.WithValue(ctx, credentialsKey{}, c)
}

// alwaysDropped are the headers that never follow a redirect to another
// origin, whatever the sender said. Go's client drops some of them only
// when the host name changes, not the port or the scheme.
var alwaysDropped = []string{"Authorization", "Proxy-Authorization", "Cookie", "Cookie2", "Www-Authenticate"}

// checkRedirect is the shared redirect policy: at most MaxRedirects hops,
// no Referer on any hop (it would carry the previous URL, query key
// included), and once a hop leaves the first request's origin (scheme,
// host and port) the credentials stay behind on that hop and every later
// one.
func checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > MaxRedirects {
		return errTooManyRedirects
	}
	req.Header.Del("Referer")
	if !leftOrigin(req, via) {
		return nil
	}
	creds, _ := req.Context().Value(credentialsKey{}).(Credentials)
	if creds.Body && req.Body != nil && req.Body != http.NoBody {
		// The body cannot be sent without what it holds: answer with
		// the redirect itself.
		return http.ErrUseLastResponse
	}
	for _, h := range alwaysDropped {
		req.Header.Del(h)
	}
	for _, h := range creds.Headers {
		req.Header.Del(h)
	}
	if len(creds.Query) > 0 && req.URL.RawQuery != "" {
		q := req.URL.Query()
		for _, name := range creds.Query {
			q.Del(name)
		}
		req.URL.RawQuery = q.Encode()
	}
	return nil
}

// leftOrigin reports whether req or an earlier hop is on another origin
// than the first request.
func leftOrigin(req *http.Request, via []*http.Request) bool {
	first := origin(via[0].URL)
	if origin(req.URL) != first {
		return true
	}
	for _, r := range via[1:] {
		if origin(r.URL) != first {
			return true
		}
	}
	return false
}

// origin is a URL's scheme, host and port, the port made explicit.
func origin(u *url.URL) string {
	scheme := strings.ToLower(u.Scheme)
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[scheme]
	}
	return scheme + "://" + net.JoinHostPort(strings.ToLower(u.Hostname()), port)
}
