package handlers_test

import (
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"switchboard/testsupport"
)

func TestHealthAndReadiness(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, url string) {
		srv := testsupport.StartServer(t, testsupport.Config(t, url))
		c := srv.NewClient(t)
		if r := c.Get("/healthz"); r.StatusCode != http.StatusOK {
			t.Fatalf("/healthz = %d %s", r.StatusCode, r.Body)
		}
		r := c.Get("/readyz")
		if r.StatusCode != http.StatusOK || !strings.Contains(r.Body, `"ready"`) {
			t.Fatalf("/readyz = %d %s", r.StatusCode, r.Body)
		}
	})
}

func TestReadinessFailsWhenMigrationsPending(t *testing.T) {
	srv := testsupport.StartServer(t, testsupport.Config(t, testsupport.SQLiteURL(t)))
	if _, err := srv.App.Migrations.Down(t.Context(), false); err != nil {
		t.Fatal(err)
	}
	r := srv.NewClient(t).Get("/readyz")
	if r.StatusCode != http.StatusServiceUnavailable || !strings.Contains(r.Body, "pending") {
		t.Fatalf("/readyz with a pending migration = %d %s, want 503 naming pending migrations", r.StatusCode, r.Body)
	}
}

func TestErrorsAreHTMLPagesOrProblemDocuments(t *testing.T) {
	srv := testsupport.StartServer(t, testsupport.Config(t, testsupport.SQLiteURL(t)))
	testsupport.Seed(t, srv.App.Store, "acme", "owner@acme.test", "owner")
	c := srv.NewClient(t)

	t.Run("APIPathGetsProblemJSON", func(t *testing.T) {
		r := c.Get("/api/nothing-here")
		if r.StatusCode != 404 || r.Header.Get("Content-Type") != "application/problem+json" {
			t.Fatalf("got %d %q", r.StatusCode, r.Header.Get("Content-Type"))
		}
		var p map[string]any
		r.JSON(t, &p)
		if p["code"] != "not_found" || p["status"] != float64(404) || p["request_id"] == "" {
			t.Fatalf("problem = %v", p)
		}
	})
	t.Run("BrowserGetsStyledPage", func(t *testing.T) {
		r := c.Do("GET", "/nothing-here", nil, http.Header{"Accept": {"text/html"}})
		if r.StatusCode != 404 || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") {
			t.Fatalf("got %d %q", r.StatusCode, r.Header.Get("Content-Type"))
		}
		if !strings.Contains(r.Body, `data-testid="error-page"`) || !strings.Contains(r.Body, "Page not found") {
			t.Fatalf("not the styled 404 page: %s", r.Body)
		}
	})
	t.Run("JSONClientGetsProblem", func(t *testing.T) {
		r := c.Do("GET", "/nothing-here", nil, http.Header{"Accept": {"application/json"}})
		if r.Header.Get("Content-Type") != "application/problem+json" {
			t.Fatalf("content type %q", r.Header.Get("Content-Type"))
		}
	})
}

func TestSecurityHeaders(t *testing.T) {
	srv := testsupport.StartServer(t, testsupport.Config(t, testsupport.SQLiteURL(t)))
	r := srv.NewClient(t).Get("/healthz")
	csp := r.Header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'self'", "script-src 'self'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
		t.Errorf("CSP allows unsafe sources: %q", csp)
	}
	if got := r.Header.Get("X-Content-Type-Options"); got != "nosniff" {
		t.Errorf("X-Content-Type-Options = %q", got)
	}
	if got := r.Header.Get("Referrer-Policy"); got == "" {
		t.Error("no Referrer-Policy")
	}
	if !regexp.MustCompile(`^[0-9a-f]{24}$`).MatchString(r.Header.Get("X-Request-Id")) {
		t.Errorf("X-Request-Id = %q", r.Header.Get("X-Request-Id"))
	}
}

func TestRequestIDFromCallerIsKept(t *testing.T) {
	srv := testsupport.StartServer(t, testsupport.Config(t, testsupport.SQLiteURL(t)))
	r := srv.NewClient(t).Do("GET", "/healthz", nil, http.Header{"X-Request-Id": {"agent-call-0001"}})
	if got := r.Header.Get("X-Request-Id"); got != "agent-call-0001" {
		t.Fatalf("X-Request-Id = %q", got)
	}
}

func TestBodyLimit(t *testing.T) {
	srv := testsupport.StartServer(t, testsupport.Config(t, testsupport.SQLiteURL(t)))
	big := strings.NewReader(strings.Repeat("x", 1<<20+1))
	r := srv.NewClient(t).Do("POST", "/api/anything", big, http.Header{"Content-Type": {"application/json"}})
	if r.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(r.Body, "payload_too_large") {
		t.Fatalf("over 1 MiB = %d %s, want 413 problem", r.StatusCode, r.Body)
	}
}

// chunked hides a reader's length, so the client sends it chunked with no
// Content-Length.
type chunked struct{ r io.Reader }

func (c chunked) Read(p []byte) (int, error) { return c.r.Read(p) }

// TestChunkedBodyOverTheLimit: a body of unknown length over 1 MiB answers
// 413 on a JSON route (problem document) and on a form route (error page),
// like one that declares its length; under the limit it goes through.
func TestChunkedBodyOverTheLimit(t *testing.T) {
	srv := testsupport.StartServer(t, testsupport.Config(t, testsupport.SQLiteURL(t)))
	org, _ := testsupport.Seed(t, srv.App.Store, "acme", "owner@acme.test", "owner")
	api := srv.KeyClient(t, org.ID, "admin")
	bigJSON := `{"first_name":"` + strings.Repeat("x", 1<<20) + `","last_name":"Big"}`
	jsonType := http.Header{"Content-Type": {"application/json"}}

	r := api.Do("POST", "/api/patients", chunked{strings.NewReader(bigJSON)}, jsonType)
	if r.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(r.Body, `"code":"payload_too_large"`) ||
		r.Header.Get("Content-Type") != "application/problem+json" {
		t.Fatalf("chunked JSON over 1 MiB = %d %q %.300s, want a 413 problem", r.StatusCode, r.Header.Get("Content-Type"), r.Body)
	}
	if r.Request.ContentLength != 0 { // 0 with a body: unknown length, sent chunked
		t.Fatalf("the test declared Content-Length %d: not a chunked body", r.Request.ContentLength)
	}

	browser := srv.NewClient(t)
	tok := browser.CSRF("/login")
	form := "_csrf=" + tok + "&email=owner%40acme.test&password=" + strings.Repeat("p", 1<<20)
	r = browser.Do("POST", "/login", chunked{strings.NewReader(form)},
		http.Header{"Content-Type": {"application/x-www-form-urlencoded"}, "Accept": {"text/html"}})
	if r.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(r.Body, `data-testid="error-page"`) {
		t.Fatalf("chunked form over 1 MiB = %d %.300s, want the 413 error page", r.StatusCode, r.Body)
	}

	small := `{"first_name":"Ada","last_name":"Lovelace"}`
	if r := api.Do("POST", "/api/patients", chunked{strings.NewReader(small)}, jsonType); r.StatusCode != http.StatusCreated {
		t.Fatalf("chunked JSON under the limit = %d %.300s, want 201", r.StatusCode, r.Body)
	}
}

func TestStaticFilesAreHashedAndCached(t *testing.T) {
	srv := testsupport.StartServer(t, testsupport.Config(t, testsupport.SQLiteURL(t)))
	testsupport.Seed(t, srv.App.Store, "acme", "owner@acme.test", "owner")
	c := srv.NewClient(t)
	page := c.Get("/login").Body
	href := regexp.MustCompile(`/static/css/app\.[0-9a-f]{12}\.css`).FindString(page)
	if href == "" {
		t.Fatalf("page links no hashed stylesheet: %s", page)
	}
	r := c.Get(href)
	if r.StatusCode != 200 || !strings.Contains(r.Header.Get("Cache-Control"), "immutable") || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/css") {
		t.Fatalf("hashed css: %d cache=%q type=%q", r.StatusCode, r.Header.Get("Cache-Control"), r.Header.Get("Content-Type"))
	}
	etag := r.Header.Get("ETag")
	if r := c.Do("GET", href, nil, http.Header{"If-None-Match": {etag}}); r.StatusCode != http.StatusNotModified {
		t.Fatalf("revalidation = %d, want 304", r.StatusCode)
	}
	stale := regexp.MustCompile(`\.[0-9a-f]{12}\.css$`).ReplaceAllString(href, ".000000000000.css")
	if r := c.Get(stale); r.StatusCode != 200 || strings.Contains(r.Header.Get("Cache-Control"), "immutable") {
		t.Fatalf("stale hash: %d cache=%q, want 200 revalidated", r.StatusCode, r.Header.Get("Cache-Control"))
	}
}

func TestMetricsAreExposed(t *testing.T) {
	srv := testsupport.StartServer(t, testsupport.Config(t, testsupport.SQLiteURL(t)))
	c := srv.NewClient(t)
	c.Get("/healthz")
	r := c.Get("/metrics")
	if r.StatusCode != 200 || !strings.Contains(r.Body, `switchboard_http_requests_total{method="GET",route="/healthz",status="200"}`) ||
		!strings.Contains(r.Body, "go_goroutines") {
		t.Fatalf("/metrics = %d\n%.1500s", r.StatusCode, r.Body)
	}
}
