package sandbox

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func TestFaultSwitches(t *testing.T) {
	tests := []struct {
		name       string
		faults     Faults
		wantOD     int
		wantC9     int
		retryAfter string
	}{
		{"no faults", Faults{}, 200, 200, ""},
		{"an outage answers 503 on both", Faults{Outage: true}, 503, 503, ""},
		{"rate_limit answers 429 with Retry-After", Faults{RateLimit: true}, 429, 429, "1"},
		{"error_rate 1 answers error_status", Faults{ErrorRate: 1, ErrorStatus: 502}, 502, 502, ""},
		{"error_status defaults to 500", Faults{ErrorRate: 1}, 500, 500, ""},
		{"error_rate 0 never fails", Faults{ErrorRate: 0, ErrorStatus: 502}, 200, 200, ""},
		{"faults can target Cloud9 alone", Faults{Outage: true, Upstream: UpstreamCloud9}, 200, 503, ""},
		{"faults can target Open Dental alone", Faults{RateLimit: true, Upstream: UpstreamOpenDental}, 429, 200, "1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			f.sb.SetFaults(tt.faults)
			od := f.od(t, http.MethodGet, "/patients/1", nil)
			if od.status != tt.wantOD {
				t.Errorf("Open Dental = %d, want %d", od.status, tt.wantOD)
			}
			if tt.wantOD == 429 && od.header.Get("Retry-After") != tt.retryAfter {
				t.Errorf("Open Dental Retry-After = %q, want %q", od.header.Get("Retry-After"), tt.retryAfter)
			}
			c9 := f.c9Raw(t, c9Body(goodC9, "GetLocations"), nil)
			if c9.status != tt.wantC9 {
				t.Errorf("Cloud9 = %d, want %d", c9.status, tt.wantC9)
			}
			if tt.wantC9 == 429 && c9.header.Get("Retry-After") != tt.retryAfter {
				t.Errorf("Cloud9 Retry-After = %q, want %q", c9.header.Get("Retry-After"), tt.retryAfter)
			}
			if a := f.do(t, http.MethodGet, ControlPrefix+"/stats", nil, nil); a.status != http.StatusOK {
				t.Errorf("control endpoint under faults = %d, want 200", a.status)
			}
		})
	}
}

func TestLatencyHonoursCancellation(t *testing.T) {
	f := newFixture(t)
	t.Run("latency delays the answer", func(t *testing.T) {
		f.sb.SetFaults(Faults{LatencyMS: 80})
		start := time.Now()
		if a := f.od(t, http.MethodGet, "/providers", nil); a.status != http.StatusOK {
			t.Fatalf("status = %d", a.status)
		}
		if d := time.Since(start); d < 80*time.Millisecond {
			t.Errorf("answered after %v, want at least 80ms", d)
		}
	})
	t.Run("a caller that gives up is let go", func(t *testing.T) {
		f.sb.SetFaults(Faults{LatencyMS: 10_000})
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		req := httptest.NewRequestWithContext(ctx, http.MethodGet, OpenDentalPrefix+"/providers", nil)
		req.Header.Set("Authorization", odAuth)
		done := make(chan struct{})
		start := time.Now()
		go func() { f.sb.ServeHTTP(httptest.NewRecorder(), req); close(done) }()
		select {
		case <-done:
		case <-time.After(2 * time.Second):
			t.Fatal("ServeHTTP still waiting 2s after the caller's context ended")
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("ServeHTTP returned after %v, want soon after 50ms", d)
		}
	})
	t.Run("an HTTP client timeout ends the request", func(t *testing.T) {
		f.sb.SetFaults(Faults{LatencyMS: 10_000})
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, f.srv.URL+Cloud9Path, nil)
		_, err := f.srv.Client().Do(req)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("error = %v, want the deadline", err)
		}
	})
}

func TestControlEndpoints(t *testing.T) {
	f := newFixture(t)
	put := func(body string) answer { return f.do(t, http.MethodPut, ControlPrefix+"/faults", body, nil) }
	t.Run("PUT merges the fields given", func(t *testing.T) {
		put(`{"error_rate": 0.25, "error_status": 503}`)
		a := put(`{"outage": true}`)
		var got Faults
		a.decode(t, &got)
		want := Faults{Outage: true, ErrorRate: 0.25, ErrorStatus: 503}
		if a.status != http.StatusOK || got != want || f.sb.Faults() != want {
			t.Errorf("faults = %d %+v (Go: %+v), want %+v", a.status, got, f.sb.Faults(), want)
		}
	})
	t.Run("invalid faults are refused", func(t *testing.T) {
		for _, body := range []string{`{"error_rate": 2}`, `{"error_status": 200}`, `{"latency_ms": -1}`,
			`{"upstream": "dentrix"}`, `{"unknown": true}`, `not json`} {
			if a := put(body); a.status != http.StatusBadRequest {
				t.Errorf("PUT %s = %d, want 400", body, a.status)
			}
		}
		if !f.sb.Faults().Outage {
			t.Error("a refused PUT changed the faults")
		}
	})
	t.Run("GET answers the faults in force", func(t *testing.T) {
		var got map[string]any
		f.do(t, http.MethodGet, ControlPrefix+"/faults", nil, nil).decode(t, &got)
		if got["outage"] != true || got["error_status"] != 503.0 {
			t.Errorf("GET faults = %v", got)
		}
	})
	t.Run("reset reseeds and heals", func(t *testing.T) {
		f.sb.SetFaults(Faults{})
		f.createPatient(t, map[string]any{"LName": "Temp", "FName": "Tom"})
		f.sb.SetFaults(Faults{Outage: true})
		if a := f.do(t, http.MethodPost, ControlPrefix+"/reset", nil, nil); a.status != http.StatusOK {
			t.Fatalf("reset = %d", a.status)
		}
		if n := len(f.sb.OpenDentalPatients()); n != 12 || f.sb.Faults().Outage || f.sb.Created().OpenDentalPatients != 0 {
			t.Errorf("after reset: %d patients, faults %+v, created %+v", n, f.sb.Faults(), f.sb.Created())
		}
	})
	t.Run("stats count requests per resource", func(t *testing.T) {
		f.od(t, http.MethodGet, "/patients/1", nil)
		f.od(t, http.MethodGet, "/patients/2", nil)
		f.c9(t, goodC9, "GetLocations")
		var st Stats
		f.do(t, http.MethodGet, ControlPrefix+"/stats", nil, nil).decode(t, &st)
		if st.Requests["opendental GET /patients/{PatNum}"] != 2 || st.Requests["cloud9 GetLocations"] != 1 ||
			st.Total[UpstreamOpenDental] != 2 {
			t.Errorf("stats = %+v", st)
		}
	})
	t.Run("wrong methods and paths", func(t *testing.T) {
		for _, c := range []struct {
			method, path string
			want         int
		}{{"GET", "/reset", 405}, {"DELETE", "/faults", 405}, {"GET", "/nothing", 404}, {"GET", "", 200}} {
			if a := f.do(t, c.method, ControlPrefix+c.path, nil, nil); a.status != c.want {
				t.Errorf("%s %s = %d, want %d", c.method, c.path, a.status, c.want)
			}
		}
	})
}

func TestFaultsJSONNames(t *testing.T) {
	raw, err := json.Marshal(Faults{})
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	for _, k := range []string{"outage", "error_rate", "error_status", "latency_ms", "rate_limit", "fail_after_commit_rate", "upstream"} {
		if _, ok := m[k]; !ok {
			t.Errorf("Faults JSON lacks %q: %s", k, raw)
		}
	}
}

func TestTenantFaultsStayWithTheirTenant(t *testing.T) {
	f := newFixture(t)
	f.sb.SetTenantFaults("a", Faults{Outage: true})
	cases := []struct {
		name, path string
		want       int
	}{
		{"the tenant with the outage fails", TenantPrefix("a") + OpenDentalPrefix + "/providers", http.StatusServiceUnavailable},
		{"another tenant answers", TenantPrefix("b") + OpenDentalPrefix + "/providers", http.StatusOK},
		{"the unprefixed sandbox answers", OpenDentalPrefix + "/providers", http.StatusOK},
		{"a tenant has no control endpoints", TenantPrefix("b") + ControlPrefix + "/faults", http.StatusNotFound},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if a := f.do(t, http.MethodGet, tc.path, nil, nil); a.status != tc.want {
				t.Errorf("GET %s = %d, want %d", tc.path, a.status, tc.want)
			}
		})
	}
	f.sb.SetFaults(Faults{Outage: true})
	if a := f.do(t, http.MethodGet, TenantPrefix("b")+OpenDentalPrefix+"/providers", nil, nil); a.status != http.StatusOK {
		t.Errorf("the unprefixed outage reached tenant b: %d", a.status)
	}
	f.sb.Reset()
	if got := f.sb.TenantFaults("a"); got.Outage {
		t.Errorf("Reset kept tenant a's outage: %+v", got)
	}
}
