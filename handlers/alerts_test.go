package handlers_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"switchboard/integrations/alerts"
	"switchboard/testsupport"
)

// hookRecorder is a loopback alert webhook that keeps what it received.
type hookRecorder struct {
	mu  sync.Mutex
	got []string // the signature, a space, the body
}

func (h *hookRecorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	h.mu.Lock()
	defer h.mu.Unlock()
	h.got = append(h.got, r.Header.Get(alerts.SignatureHeader)+" "+string(b))
}

// waitRequests polls until n requests arrived and returns them.
func (h *hookRecorder) waitRequests(t *testing.T, n int) []string {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		h.mu.Lock()
		got := append([]string(nil), h.got...)
		h.mu.Unlock()
		if len(got) >= n {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("the webhook got %d requests, want %d", len(got), n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// signedWith reports whether a received "signature body" line is signed
// with sec.
func signedWith(line, sec string) bool {
	sig, body, _ := strings.Cut(line, " ")
	return sig == alerts.Sign(sec, []byte(body))
}

// TestAlertWebhookSettingsAPI: PUT /api/admin/organization with an
// alert_webhook_url answers the signing secret once (GET never shows it);
// "Send test alert" (POST /api/admin/alerts/test) reaches a loopback
// webhook through the outbound guard, signed; a rotated secret signs the
// next alert and the old one no longer does. On both databases (River on
// PostgreSQL, the outbox on SQLite).
func TestAlertWebhookSettingsAPI(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		srv, _, admin := demoOn(t, dbURL)
		hook := &hookRecorder{}
		ts := httptest.NewServer(hook)
		t.Cleanup(ts.Close)
		srv.App.Policy.AllowAddrPort(netip.MustParseAddrPort(ts.Listener.Addr().String()))

		if r := admin.SendJSON("POST", "/api/admin/alerts/test", nil); r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "alert_webhook_url") {
			t.Fatalf("test alert without a webhook = %d %s, want 422 naming alert_webhook_url", r.StatusCode, r.Body)
		}
		if r := admin.SendJSON("PUT", "/api/admin/organization", map[string]any{"alert_webhook_url": "ftp://x"}); r.StatusCode != 422 || !strings.Contains(r.Body, "alert_webhook_url") {
			t.Fatalf("ftp webhook = %d %s, want 422", r.StatusCode, r.Body)
		}
		r := admin.SendJSON("PUT", "/api/admin/organization", map[string]any{"alert_webhook_url": ts.URL + "/hook"})
		var out map[string]any
		r.JSON(t, &out)
		sec, _ := out["alert_signing_secret"].(string)
		if r.StatusCode != 200 || out["alert_webhook_url"] != ts.URL+"/hook" || !strings.HasPrefix(sec, "whsec_") {
			t.Fatalf("PUT = %d %s, want the webhook and its new secret", r.StatusCode, r.Body)
		}
		if g := admin.SendJSON("GET", "/api/admin/organization", nil); strings.Contains(g.Body, sec) || !strings.Contains(g.Body, `"alert_secret_set":true`) {
			t.Fatalf("GET shows the secret or not that one is set: %s", g.Body)
		}
		if again := admin.SendJSON("PUT", "/api/admin/organization", map[string]any{"alert_webhook_url": ts.URL + "/hook"}); strings.Contains(again.Body, "alert_signing_secret") {
			t.Fatalf("a second PUT showed a secret again: %s", again.Body)
		}
		if r := admin.SendJSON("POST", "/api/admin/alerts/test", nil); r.StatusCode != http.StatusAccepted {
			t.Fatalf("test alert = %d %s", r.StatusCode, r.Body)
		}
		got := hook.waitRequests(t, 1)
		if !signedWith(got[0], sec) || !strings.Contains(got[0], `"event":"alert.test"`) {
			t.Fatalf("test alert %q is not alert.test signed with the secret", got[0])
		}
		rot := admin.SendJSON("POST", "/api/admin/organization/alert-secret", nil)
		var ro struct {
			Secret string `json:"alert_signing_secret"`
		}
		rot.JSON(t, &ro)
		if rot.StatusCode != 200 || ro.Secret == "" || ro.Secret == sec {
			t.Fatalf("rotate = %d %s", rot.StatusCode, rot.Body)
		}
		admin.SendJSON("POST", "/api/admin/alerts/test", nil)
		got = hook.waitRequests(t, 2)
		if !signedWith(got[1], ro.Secret) || signedWith(got[1], sec) {
			t.Fatalf("the alert after rotation is not signed with the new secret alone: %q", got[1])
		}
		list := admin.SendJSON("GET", "/api/admin/alerts", nil)
		if !strings.Contains(list.Body, `"status":"delivered"`) {
			t.Fatalf("alert deliveries = %s", list.Body)
		}
	})
}

// TestSettingsPageAlerts: the settings page takes the alert webhook, shows
// the signing secret once after the first save, and its "Send test alert"
// button queues a test alert that shows as delivered.
func TestSettingsPageAlerts(t *testing.T) {
	srv, login := testsupport.StartDemo(t)
	hook := &hookRecorder{}
	ts := httptest.NewServer(hook)
	t.Cleanup(ts.Close)
	srv.App.Policy.AllowAddrPort(netip.MustParseAddrPort(ts.Listener.Addr().String()))
	c := srv.NewClient(t)
	c.Login(login.Email, login.Password)
	page := c.Get("/settings")
	if !strings.Contains(page.Body, `name="alert_webhook_url"`) || !strings.Contains(page.Body, "Send test alert") {
		t.Fatalf("settings page has no alert webhook field or test button")
	}
	org := srv.DemoOrg(t)
	form := url.Values{"_csrf": {c.CSRF("/settings")}, "name": {org.Name}, "time_zone": {org.TimeZone}, "alert_webhook_url": {ts.URL}}
	for day, ivs := range org.Hours() {
		for i, iv := range ivs {
			form.Set("opening_hours."+day+"["+string(rune('0'+i))+"].start", iv.Start)
			form.Set("opening_hours."+day+"["+string(rune('0'+i))+"].end", iv.End)
		}
	}
	saved := c.PostForm("/settings", form)
	if saved.StatusCode != 200 || !strings.Contains(saved.Body, `data-testid="alert-secret"`) || !strings.Contains(saved.Body, "whsec_") {
		t.Fatalf("first save with a webhook = %d, want the page showing the secret once", saved.StatusCode)
	}
	if strings.Contains(c.Get("/settings").Body, "whsec_") {
		t.Fatal("the secret is shown again on the next visit")
	}
	sent := c.PostForm("/settings/test-alert", url.Values{"_csrf": {c.CSRF("/settings")}})
	if sent.StatusCode != http.StatusSeeOther {
		t.Fatalf("Send test alert = %d", sent.StatusCode)
	}
	hook.waitRequests(t, 1)
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(c.Get("/settings").Body, ">delivered<") {
		if time.Now().After(deadline) {
			t.Fatal("the settings page does not show the test alert as delivered")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
