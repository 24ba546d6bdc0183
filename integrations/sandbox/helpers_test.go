package sandbox

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// testClock is a settable clock; it starts on Monday 2026-03-02 07:30 UTC,
// so the seeded appointments fall on Tuesday and Wednesday is free.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func newTestClock() *testClock {
	return &testClock{t: time.Date(2026, 3, 2, 7, 30, 0, 0, time.UTC)}
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// fixture is a sandbox served on a loopback listener.
type fixture struct {
	sb    *Sandbox
	srv   *httptest.Server
	clock *testClock
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	clock := newTestClock()
	cfg := DefaultConfig()
	cfg.Now = clock.Now
	sb := New(cfg)
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	return &fixture{sb: sb, srv: srv, clock: clock}
}

const odAuth = "ODFHIR sandbox-dev-key/sandbox-customer-key"

type answer struct {
	status int
	header http.Header
	body   []byte
}

func (a answer) decode(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(a.body, v); err != nil {
		t.Errorf("decode %q: %v", a.body, err)
	}
}

// message returns an Open Dental error answer's text.
func (a answer) message(t testing.TB) string {
	t.Helper()
	var s string
	a.decode(t, &s)
	return s
}

// do sends a request with the given headers; like the other helpers that
// may run in a test's goroutines it reports failures without stopping
// (only createPatient, createAppointment and mustSucceed stop the test) ("Authorization" defaults to
// the sandbox's Open Dental credentials; set it to "" to leave it out).
func (f *fixture) do(t testing.TB, method, path string, body any, headers map[string]string) answer {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, f.srv.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", odAuth)
	req.Header.Set("Content-Type", "application/json")
	for k, v := range headers {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	resp, err := f.srv.Client().Do(req)
	if err != nil {
		t.Errorf("%s %s: %v", method, path, err)
		return answer{}
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Errorf("%s %s: read: %v", method, path, err)
	}
	return answer{status: resp.StatusCode, header: resp.Header, body: raw}
}

// od sends an authenticated Open Dental request.
func (f *fixture) od(t testing.TB, method, path string, body any) answer {
	t.Helper()
	return f.do(t, method, OpenDentalPrefix+path, body, nil)
}

func (f *fixture) createPatient(t testing.TB, body map[string]any) OpenDentalPatient {
	t.Helper()
	a := f.od(t, http.MethodPost, "/patients", body)
	if a.status != http.StatusCreated {
		t.Fatalf("POST /patients = %d %s, want 201", a.status, a.body)
	}
	var p OpenDentalPatient
	a.decode(t, &p)
	return p
}

func (f *fixture) createAppointment(t testing.TB, body map[string]any) OpenDentalAppointment {
	t.Helper()
	a := f.od(t, http.MethodPost, "/appointments", body)
	if a.status != http.StatusCreated {
		t.Fatalf("POST /appointments = %d %s, want 201", a.status, a.body)
	}
	var apt OpenDentalAppointment
	a.decode(t, &apt)
	return apt
}

// c9Creds are Cloud9 credentials for a request.
type c9Creds struct{ client, user, password string }

var goodC9 = c9Creds{"sandbox-client", "sandbox", "sandbox-password"}

// c9Answer is a parsed GetDataResponse; each record maps field to value.
type c9Answer struct {
	Status  string
	Code    string
	Message string
	Records []map[string]string
	Raw     string
}

// c9Body builds a GetDataRequest with every value XML-escaped.
func c9Body(creds c9Creds, procedure string, params ...[2]string) string {
	esc := func(s string) string {
		var b bytes.Buffer
		_ = xml.EscapeText(&b, []byte(s))
		return b.String()
	}
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?>` + "\n")
	b.WriteString(`<GetDataRequest xmlns="` + Cloud9Namespace + `">`)
	b.WriteString("<ClientID>" + esc(creds.client) + "</ClientID><UserName>" + esc(creds.user) +
		"</UserName><Password>" + esc(creds.password) + "</Password>")
	b.WriteString("<Procedure>" + esc(procedure) + "</Procedure><Parameters>")
	for _, p := range params {
		b.WriteString("<" + p[0] + ">" + esc(p[1]) + "</" + p[0] + ">")
	}
	b.WriteString("</Parameters></GetDataRequest>")
	return b.String()
}

func (f *fixture) c9Raw(t testing.TB, body string, headers map[string]string) answer {
	t.Helper()
	h := map[string]string{"Authorization": "", "Content-Type": "text/xml"}
	for k, v := range headers {
		h[k] = v
	}
	return f.do(t, http.MethodPost, Cloud9Path, body, h)
}

func (f *fixture) c9(t testing.TB, creds c9Creds, procedure string, params ...[2]string) c9Answer {
	t.Helper()
	a := f.c9Raw(t, c9Body(creds, procedure, params...), nil)
	if a.status != http.StatusOK {
		t.Errorf("%s = HTTP %d %s, want 200", procedure, a.status, a.body)
	}
	return parseC9(t, a.body)
}

// parseC9 reads a GetDataResponse generically, as a client would.
func parseC9(t testing.TB, raw []byte) c9Answer {
	t.Helper()
	var doc struct {
		XMLName        xml.Name `xml:"http://schemas.practica.ws/cloud9/partners/ GetDataResponse"`
		ResponseStatus string
		ErrorCode      string
		ErrorMessage   string
		Records        struct {
			Record []struct {
				Fields []struct {
					XMLName xml.Name
					Value   string `xml:",chardata"`
				} `xml:",any"`
			}
		}
	}
	if err := xml.Unmarshal(raw, &doc); err != nil {
		t.Errorf("parse Cloud9 answer %q: %v", raw, err)
	}
	out := c9Answer{Status: doc.ResponseStatus, Code: doc.ErrorCode, Message: doc.ErrorMessage, Raw: string(raw)}
	for _, r := range doc.Records.Record {
		m := map[string]string{}
		for _, f := range r.Fields {
			m[f.XMLName.Local] = f.Value
		}
		out.Records = append(out.Records, m)
	}
	return out
}

// mustSucceed fails unless the Cloud9 answer is a success.
func (a c9Answer) mustSucceed(t testing.TB) c9Answer {
	t.Helper()
	if a.Status != "Success" {
		t.Fatalf("ResponseStatus = %q (%s %s), want Success", a.Status, a.Code, a.Message)
	}
	return a
}
