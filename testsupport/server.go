package testsupport

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"switchboard/app"
	"switchboard/config"
	"switchboard/integrations/sandbox"
	"switchboard/logging"
	"switchboard/models"
)

// Config returns the settings tests start the app with: the given database,
// a fixed secret key, a data folder of its own.
func Config(t testing.TB, dbURL string) config.Config {
	t.Helper()
	cfg, _, err := config.Load("test", nil, func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatalf("testsupport: config: %v", err)
	}
	cfg.DatabaseURL = dbURL
	cfg.DataDir = t.TempDir()
	cfg.SecretKey = "c3dpdGNoYm9hcmQtdGVzdC1rZXktMzItYnl0ZXMhISE="
	cfg.AllowDestinations = []string{"127.0.0.0/8", "::1/128"}
	return cfg
}

// Server is the real app answering on a loopback listener.
type Server struct {
	App *app.App
	URL string
	srv *httptest.Server
}

// StartServer builds the app from cfg and serves it on loopback until t ends.
func StartServer(t testing.TB, cfg config.Config, opts ...app.Option) *Server {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	a, err := app.New(ctx, cfg, logging.Discard(), opts...)
	if err != nil {
		cancel()
		t.Fatalf("testsupport: app: %v", err)
	}
	srv := httptest.NewServer(a.Router)
	t.Cleanup(func() {
		srv.Close()
		cancel()
		a.Close()
	})
	return &Server{App: a, URL: srv.URL, srv: srv}
}

// Client drives a Server over real HTTP, keeping cookies like a browser.
type Client struct {
	t    testing.TB
	base string
	HTTP *http.Client
	// Header is sent with every request (Authorization, Sec-Fetch-Site…).
	Header http.Header
}

// NewClient returns a client with an empty cookie jar that does not follow
// redirects, so tests can assert them.
func (s *Server) NewClient(t testing.TB) *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{t: t, base: s.URL, Header: http.Header{}, HTTP: &http.Client{
		Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}}
}

// Response is a read answer.
type Response struct {
	*http.Response
	Body string
}

// JSON decodes the body into v, failing the test when it cannot.
func (r *Response) JSON(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(r.Body), v); err != nil {
		t.Fatalf("response is not JSON (%v): %s", err, r.Body)
	}
}

// Do sends a request with the client's headers and cookies.
func (c *Client) Do(method, path string, body io.Reader, header http.Header) *Response {
	c.t.Helper()
	req, err := http.NewRequest(method, c.base+path, body)
	if err != nil {
		c.t.Fatalf("new request: %v", err)
	}
	for k, vs := range c.Header {
		req.Header[k] = vs
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return &Response{Response: resp, Body: string(b)}
}

// Get sends a GET.
func (c *Client) Get(path string) *Response { return c.Do(http.MethodGet, path, nil, nil) }

// PostForm sends a urlencoded form.
func (c *Client) PostForm(path string, form url.Values) *Response {
	return c.Do(http.MethodPost, path, strings.NewReader(form.Encode()),
		http.Header{"Content-Type": {"application/x-www-form-urlencoded"}})
}

// SendJSON sends v as a JSON body (nil sends no body).
func (c *Client) SendJSON(method, path string, v any) *Response {
	c.t.Helper()
	var body io.Reader
	h := http.Header{"Accept": {"application/json"}}
	if v != nil {
		b, err := json.Marshal(v)
		if err != nil {
			c.t.Fatalf("marshal: %v", err)
		}
		body = bytes.NewReader(b)
		h.Set("Content-Type", "application/json")
	}
	return c.Do(method, path, body, h)
}

// StartDemo starts the app as `serve --demo` does: sandbox mounted, demo
// organization seeded with Open Dental and Cloud9 pointing at it. It
// returns the server and the demo login.
func StartDemo(t testing.TB, opts ...app.Option) (*Server, *app.DemoLogin) {
	t.Helper()
	return StartDemoOn(t, SQLiteURL(t), opts...)
}

// StartDemoOn is StartDemo on the database at dbURL (see ForEachBackend).
func StartDemoOn(t testing.TB, dbURL string, opts ...app.Option) (*Server, *app.DemoLogin) {
	t.Helper()
	cfg := Config(t, dbURL)
	cfg.Demo = true
	cfg.AllowDestinations = nil // the demo allows its own sandbox and nothing else
	s := StartServer(t, cfg, opts...)
	login, err := s.App.SeedDemo(context.Background())
	if err != nil {
		t.Fatalf("testsupport: seed demo: %v", err)
	}
	return s, login
}

// KeyClient is a client of s that sends a new API key of the organization,
// with role (agent or admin), on every request.
func (s *Server) KeyClient(t testing.TB, orgID int64, role string) *Client {
	t.Helper()
	key, _ := SeedKey(t, s.App.Store, orgID, role)
	return s.ClientWithKey(t, key)
}

// ClientWithKey is a client of s that sends the API key key on every
// request.
func (s *Server) ClientWithKey(t testing.TB, key string) *Client {
	c := s.NewClient(t)
	c.Header.Set("Authorization", "Bearer "+key)
	return c
}

// DemoSandbox is the demo organization's sandbox (its practice systems'
// own data).
func (s *Server) DemoSandbox(t testing.TB) *sandbox.Sandbox {
	t.Helper()
	return s.App.SandboxOf(s.DemoOrg(t).ID)
}

// DemoOrg is the demo organization of a server started with StartDemo.
func (s *Server) DemoOrg(t testing.TB) *models.Organization {
	t.Helper()
	org, err := s.App.Store.OrganizationBySlug(context.Background(), app.DemoOrg)
	if err != nil {
		t.Fatalf("testsupport: the demo organization: %v", err)
	}
	return org
}
