package reliability

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"switchboard/integrations/definition"
	"switchboard/integrations/sandbox"
)

// orgSlug is the organization every test sets up through the CLI.
const orgSlug = "reliability"

// practice is a server with an organization, an admin and an agent key,
// and a dual_write configuration that pushes appointments and patients to
// an Open Dental sandbox served by the test process.
type practice struct {
	t     *testing.T
	srv   *server
	sb    *sandbox.Sandbox
	admin *api
	agent *api
	// syncConfigID is the id of the Open Dental sync configuration.
	syncConfigID int64
}

// newPractice builds the organization and its keys with the CLI, starts
// the server and connects the sandbox through the admin API.
func newPractice(t *testing.T, dbURL string) *practice {
	t.Helper()
	sb := sandbox.New(sandbox.DefaultConfig())
	upstream := httptest.NewServer(readBodyFirst(sb))
	t.Cleanup(upstream.Close)
	srv := newServer(t, dbURL)
	srv.cli("user", "create", "--org", orgSlug, "--email", "owner@reliability.test",
		"--password", "correct-horse-battery", "--role", "owner")
	adminKey := lastLine(srv.cli("apikey", "create", "--org", orgSlug, "--role", "admin", "--name", "reliability admin"))
	agentKey := lastLine(srv.cli("apikey", "create", "--org", orgSlug, "--role", "agent", "--name", "reliability agent"))
	srv.start()
	p := &practice{t: t, srv: srv, sb: sb, admin: newAPI(srv.URL, adminKey), agent: newAPI(srv.URL, agentKey)}
	p.connectSandbox(upstream.URL)
	return p
}

// connectSandbox adds Open Dental from the catalog pointed at the sandbox,
// its credentials and a dual_write configuration for both entities. The
// sync writes carry an Idempotency-Key header, which the sandbox honours,
// so that a job delivered again after a crash is not created twice; the
// catalog's rate limit (5 a second, Open Dental's) is lifted so that the
// suite's thousand writes drain in seconds.
func (p *practice) connectSandbox(base string) {
	p.t.Helper()
	p.admin.must(p.t, http.StatusCreated, "POST", "/api/admin/integrations/from-catalog", map[string]any{"catalog": "opendental"})
	var doc definition.Document
	p.admin.must(p.t, http.StatusOK, "GET", "/api/admin/integrations/opendental/export", nil).decode(p.t, &doc)
	url := base + sandbox.OpenDentalPrefix
	doc.BaseURL = map[string]string{definition.EnvProduction: url, definition.EnvSandbox: url}
	doc.RateLimit = nil
	doc.AccessWindows = nil
	for _, entity := range []string{definition.EntityAppointment, definition.EntityPatient} {
		doc.Sync[entity].IdempotencyHeader = "Idempotency-Key"
	}
	p.admin.must(p.t, http.StatusOK, "PUT", "/api/admin/integrations/opendental", doc)
	sc := sandbox.DefaultConfig()
	p.admin.must(p.t, http.StatusCreated, "POST", "/api/admin/api-credentials", map[string]any{
		"integration": "opendental", "environment": definition.EnvProduction,
		"fields": map[string]string{"developer_key": sc.OpenDentalDeveloperKey, "customer_key": sc.OpenDentalCustomerKey}})
	var cfg struct {
		ID int64 `json:"id"`
	}
	p.admin.must(p.t, http.StatusCreated, "POST", "/api/admin/integration-settings", map[string]any{
		"integration": "opendental", "enabled": true, "direction": "dual_write",
		"sync_on_create": true, "sync_on_update": true, "sync_on_delete": true,
		"entities": []string{"appointment", "patient"}, "conflict_resolution": "newest_wins"}).decode(p.t, &cfg)
	p.syncConfigID = cfg.ID
}

// readBodyFirst reads each request's body before h sees it. net/http
// notices a caller that hung up only once the body is read; the sandbox's
// latency fault waits before reading it, so without this a call from a
// killed server would hold the sandbox (and the test's cleanup) for the
// whole latency.
func readBodyFirst(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		h.ServeHTTP(w, r)
	})
}

// api sends JSON requests with one API key. It is safe for concurrent use.
type api struct {
	base, key string
	http      *http.Client
}

func newAPI(base, key string) *api {
	tr := &http.Transport{MaxIdleConnsPerHost: 16, IdleConnTimeout: 30 * time.Second}
	return &api{base: base, key: key, http: &http.Client{Transport: tr, Timeout: time.Minute}}
}

// reply is an answer read in full.
type reply struct {
	status int
	header http.Header
	body   []byte
}

func (r *reply) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("reliability: answer is not JSON (%v): %s", err, r.body)
	}
}

func (r *reply) replayed() bool { return r.header.Get("Idempotent-Replayed") == "true" }

// send sends one request. An error means no answer came (the server died
// or was not listening).
func (a *api) send(ctx context.Context, method, path string, body any, key string) (*reply, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, a.base+path, rd)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+a.key)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	resp, err := a.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	return &reply{status: resp.StatusCode, header: resp.Header, body: b}, nil
}

// must sends a request without a key and fails the test unless it is
// answered with status.
func (a *api) must(t *testing.T, status int, method, path string, body any) *reply {
	t.Helper()
	r, err := a.send(context.Background(), method, path, body, "")
	if err != nil {
		t.Fatalf("reliability: %s %s: %v", method, path, err)
	}
	if r.status != status {
		t.Fatalf("reliability: %s %s = %d, want %d: %s", method, path, r.status, status, r.body)
	}
	return r
}

// record is the part of a patient or appointment answer the suite reads.
type record struct {
	ID     int64  `json:"id"`
	Status string `json:"status"`
	Sync   []struct {
		Status     string `json:"status"`
		ExternalID string `json:"external_id"`
	} `json:"sync"`
}

// appointmentBody is the n-th appointment of the suite: a slot of its own
// (15 minutes each, one provider and operatory) so that none overlaps.
func appointmentBody(patientID int64, n int) map[string]any {
	start := time.Date(2031, 1, 6, 0, 0, 0, 0, time.UTC).Add(time.Duration(n) * 15 * time.Minute)
	return map[string]any{"patient_id": patientID, "start": start.Format(time.RFC3339), "duration_minutes": 15,
		"operatory_ref": "1", "provider_ref": "1", "notes": fmt.Sprintf("reliability %d", n)}
}
