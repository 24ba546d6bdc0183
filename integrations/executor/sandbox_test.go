package executor

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"switchboard/apperr"
	"switchboard/integrations/catalog"
	"switchboard/integrations/definition"
	"switchboard/integrations/sandbox"
)

// sandboxHarness is a harness with the sandbox upstream on a loopback
// server.
func sandboxHarness(t *testing.T) (*harness, *httptest.Server) {
	t.Helper()
	h := newHarness(t)
	srv := httptest.NewServer(sandbox.New(sandbox.DefaultConfig()))
	t.Cleanup(srv.Close)
	return h, srv
}

// catalogDoc returns a copy of a catalog definition with its base URLs
// pointed at base and its rate limit lifted (the tests' Sleep does not
// wait, so the bucket would only refuse).
func catalogDoc(t *testing.T, slug, base string) *definition.Document {
	t.Helper()
	entry, err := catalog.Get(slug)
	if err != nil {
		t.Fatal(err)
	}
	doc := entry.Doc
	doc.BaseURL = map[string]string{"production": base, "sandbox": base}
	doc.RateLimit = nil
	return doc
}

func TestOpenDentalSandboxEndToEnd(t *testing.T) {
	h, srv := sandboxHarness(t)
	cfg := sandbox.DefaultConfig()
	slug := h.add(catalogDoc(t, "opendental", srv.URL+sandbox.OpenDentalPrefix))
	h.creds.set("production", map[string]string{"developer_key": cfg.OpenDentalDeveloperKey, "customer_key": cfg.OpenDentalCustomerKey})

	t.Run("GetPatient answers one patient under internal names", func(t *testing.T) {
		res := ok(t)(h.run(slug, "GetPatient", map[string]any{"PatNum": "1"}))
		p, isObj := res.Data.(map[string]any)
		if !isObj || p["last_name"] == nil || p["first_name"] == nil || valueText(p["PatNum"]) != "1" {
			t.Fatalf("data = %#v, want patient 1 with last_name and first_name", res.Data)
		}
		if res.UpstreamStatus != 200 || res.Attempts != 1 || res.Request.Headers["Authorization"] != Redacted {
			t.Errorf("status %d, attempts %d, auth header %q", res.UpstreamStatus, res.Attempts, res.Request.Headers["Authorization"])
		}
	})
	t.Run("a wrong key is an upstream_error with the catalog's explanation", func(t *testing.T) {
		res, err := h.exec.Execute(context.Background(), Request{OrgID: h.org, Provider: slug, Function: "GetPatient",
			Params: map[string]any{"PatNum": 1}, Fields: map[string]string{"developer_key": "wrong", "customer_key": "keys"}})
		e := wantCode(t, err, apperr.CodeUpstreamError)
		if e.Extra["upstream_status"] != 401 || !strings.Contains(e.Message, "refused the credentials") || res.Attempts != 1 {
			t.Errorf("error %v %v after %d attempts", e.Message, e.Extra, res.Attempts)
		}
	})
	t.Run("CreateAppointment maps internal names and returns the id", func(t *testing.T) {
		ops := ok(t)(h.run(slug, "ListOperatories", nil))
		op := ops.Data.([]any)[0].(map[string]any)["OperatoryNum"]
		start := time.Now().UTC().Add(48 * time.Hour).Truncate(time.Hour)
		res := ok(t)(h.run(slug, "CreateAppointment", map[string]any{
			"patient_id": 1, "start": start.Format(time.RFC3339), "duration_minutes": 30,
			"operatory_ref": op, "notes": "cleaning <first visit>",
		}))
		if res.ID == "" || res.ID == "0" {
			t.Fatalf("no AptNum in %v", res.Raw)
		}
		apt := res.Data.(map[string]any)
		if apt["notes"] != "cleaning <first visit>" || apt["status"] != "scheduled" || apt["Pattern"] != "XXXXXX" {
			t.Errorf("appointment = %v", apt)
		}
		if got, want := valueText(apt["start"]), start.Format(time.RFC3339); got != want {
			t.Errorf("start = %q, want %q", got, want)
		}
		got := ok(t)(h.run(slug, "GetAppointment", map[string]any{"AptNum": res.ID}))
		if valueText(got.Data.(map[string]any)["patient_id"]) != "1" {
			t.Errorf("GetAppointment = %v, want patient_id 1", got.Data)
		}
	})
	t.Run("ListPatients pages through more than 100 records", func(t *testing.T) {
		before := ok(t)(h.run(slug, "ListPatients", nil))
		seeded := len(before.Data.([]any))
		for i := range 100 {
			ok(t)(h.run(slug, "CreatePatient", map[string]any{"first_name": fmt.Sprintf("Test%03d", i), "last_name": "Pager"}))
		}
		res := ok(t)(h.run(slug, "ListPatients", nil))
		items := res.Data.([]any)
		if len(items) != seeded+100 || res.Pages != 2 {
			t.Fatalf("%d patients over %d pages, want %d over 2", len(items), res.Pages, seeded+100)
		}
		seen := map[string]bool{}
		for _, it := range items {
			seen[valueText(it.(map[string]any)["PatNum"])] = true
		}
		if len(seen) != len(items) {
			t.Errorf("%d distinct patients among %d items: pages overlap", len(seen), len(items))
		}
		filtered := ok(t)(h.run(slug, "ListPatients", map[string]any{"last_name": "Pager"}))
		if n := len(filtered.Data.([]any)); n != 100 {
			t.Errorf("last_name Pager: %d patients, want 100", n)
		}
	})
}

func TestCloud9SandboxEndToEnd(t *testing.T) {
	h, srv := sandboxHarness(t)
	cfg := sandbox.DefaultConfig()
	good := map[string]string{"client_id": cfg.Cloud9ClientID, "username": cfg.Cloud9UserName, "password": cfg.Cloud9Password}
	// The wrong password shares no run of 8 characters with the sandbox's
	// message: answers are redacted of such fragments of the credentials.
	bad := map[string]string{"client_id": cfg.Cloud9ClientID, "username": cfg.Cloud9UserName, "password": "wrong-9f3kq7x2"}
	const sandboxMessage = "Invalid client ID, user name or password."
	run := func(slug string, fields map[string]string) (*Result, error) {
		return h.exec.Execute(context.Background(), Request{OrgID: h.org, Provider: slug, Function: "GetPatientList",
			Environment: "sandbox", Fields: fields, Trace: true})
	}

	slug := h.add(catalogDoc(t, "cloud9", srv.URL+sandbox.Cloud9Path))
	t.Run("GetPatientList reads the XML records", func(t *testing.T) {
		res := ok(t)(run(slug, good))
		records, isList := res.Data.([]any)
		if !isList || len(records) == 0 {
			t.Fatalf("data = %#v, want a list of records", res.Data)
		}
		if status, _ := Lookup(res.Raw, "GetDataResponse.ResponseStatus"); status != "Success" {
			t.Errorf("ResponseStatus = %v", status)
		}
		if strings.Contains(res.Request.Body, cfg.Cloud9Password) || !strings.Contains(res.Request.Body, "<Procedure>GetPatientList</Procedure>") {
			t.Errorf("request trace body = %s", res.Request.Body)
		}
	})
	t.Run("a bad password answered with HTTP 200 fails with the catalog's rule", func(t *testing.T) {
		res, err := run(slug, bad)
		e := wantCode(t, err, apperr.CodeUpstreamError)
		if res.UpstreamStatus != 200 || res.Attempts != 1 || !strings.Contains(e.Message, "refused the client ID") {
			t.Errorf("status %d, attempts %d, message %q", res.UpstreamStatus, res.Attempts, e.Message)
		}
		if excerpt, _ := e.Extra["upstream_excerpt"].(string); !strings.Contains(excerpt, sandboxMessage) {
			t.Errorf("excerpt %q lacks the sandbox's ErrorMessage", excerpt)
		}
	})
	t.Run("without the code rule the sandbox's own ErrorMessage is the message", func(t *testing.T) {
		doc := catalogDoc(t, "cloud9", srv.URL+sandbox.Cloud9Path)
		doc.Slug = "cloud9-plain"
		doc.ErrorRules = []definition.ErrorRule{{When: definition.When{Contains: "<Result>Error"}, Action: "fail",
			MessagePath: "GetDataResponse.ErrorMessage"}}
		plain := h.add(doc)
		_, err := run(plain, bad)
		e := wantCode(t, err, apperr.CodeUpstreamError)
		if e.Message != sandboxMessage {
			t.Errorf("message = %q, want the sandbox's %q (from the success condition)", e.Message, sandboxMessage)
		}
	})
	t.Run("production outside its window is refused before sending", func(t *testing.T) {
		h.clock.Set(time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC))
		defer h.clock.Set(time.Time{})
		_, err := h.exec.Execute(context.Background(), Request{OrgID: h.org, Provider: slug, Function: "GetPatientList", Fields: good})
		e := wantCode(t, err, apperr.CodeOutsideWindow)
		if e.Extra["retry_after"] != 9*3600 {
			t.Errorf("retry_after = %v, want 9h", e.Extra["retry_after"])
		}
	})
}
