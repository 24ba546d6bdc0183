package syncer

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"switchboard/integrations/alerts"
	"switchboard/integrations/background"
	"switchboard/integrations/executor"
	"switchboard/integrations/outbound"
	"switchboard/integrations/sandbox"
	"switchboard/models"
	"switchboard/secret"
)

// alertReceiver is a loopback alert webhook: it answers 500 to its first
// request (so that one delivery is retried) and keeps every request.
type alertReceiver struct {
	mu   sync.Mutex
	seen []receivedAlert
}

type receivedAlert struct {
	event, delivery, signature string
	body                       []byte
}

func (r *alertReceiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.seen = append(r.seen, receivedAlert{event: req.Header.Get("X-Switchboard-Event"), delivery: req.Header.Get("X-Switchboard-Delivery"),
		signature: req.Header.Get(alerts.SignatureHeader), body: body})
	if len(r.seen) == 1 {
		w.WriteHeader(http.StatusInternalServerError)
	}
}

func (r *alertReceiver) requests() []receivedAlert {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]receivedAlert(nil), r.seen...)
}

// alertsFor builds the alerts service of the fixture's organization with
// its webhook at url, on the embedded outbox; it returns the service and
// the signing secret.
func alertsFor(t *testing.T, f *fixture, url string) (*alerts.Service, string) {
	t.Helper()
	box, err := secret.NewBox([]byte("alerts-test-key-of-32-bytes!!!!!"))
	if err != nil {
		t.Fatal(err)
	}
	policy, err := outbound.NewPolicy([]string{"127.0.0.0/8"})
	if err != nil {
		t.Fatal(err)
	}
	engine := background.NewOutbox(f.db, nil)
	al := alerts.New(alerts.Config{Store: f.store, Box: box, Engine: engine, Client: outbound.NewClient(policy)})
	al.Register(engine)
	t.Cleanup(func() { _ = engine.Stop(context.Background()) })
	org, err := f.tenant().Organization(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	in := org.Settings()
	in.AlertWebhookURL = url
	if _, _, err := f.tenant().UpdateOrganization(f.ctx, in); err != nil {
		t.Fatal(err)
	}
	sec, created, err := al.EnsureSecret(f.ctx, f.orgID)
	if err != nil || !created || sec == "" {
		t.Fatalf("EnsureSecret = %q, %v, %v; want a new secret", sec, created, err)
	}
	if again, created, _ := al.EnsureSecret(f.ctx, f.orgID); created || again != "" {
		t.Fatalf("a second EnsureSecret showed a secret again (%q)", again)
	}
	return al, sec
}

// TestAlertsSignedDeduplicatedAndRetried: an integration whose circuit
// opens raises integration.unhealthy once (the circuit re-opening after a
// failed trial raises nothing new), its recovery raises
// integration.recovered once, and a parked sync job raises
// sync.job_parked; every alert reaches the loopback webhook signed with
// the organization's secret, and the one the webhook refused first is
// delivered on a retry of the same delivery.
func TestAlertsSignedDeduplicatedAndRetried(t *testing.T) {
	forEachBackend(t, func(t *testing.T, url string) {
		f := newFixture(t, url)
		rec := &alertReceiver{}
		hook := httptest.NewServer(rec)
		t.Cleanup(hook.Close)
		al, sec := alertsFor(t, f, hook.URL+"/alerts")
		sc := f.sb.Config()
		policy, err := outbound.NewPolicy([]string{"127.0.0.0/8"})
		if err != nil {
			t.Fatal(err)
		}
		exec := executor.New(executor.Config{Registry: f.reg, Client: outbound.NewClient(policy),
			Credentials:      staticCreds{"developer_key": sc.OpenDentalDeveloperKey, "customer_key": sc.OpenDentalCustomerKey},
			Sleep:            func(ctx context.Context, d time.Duration) error { return ctx.Err() },
			BreakerThreshold: 2, BreakerCooldown: 50 * time.Millisecond, Health: al})
		call := func() error {
			_, err := exec.Execute(f.ctx, executor.Request{OrgID: f.orgID, Provider: "opendental", Function: "ListProviders", Environment: "production"})
			return err
		}
		f.sb.SetFaults(sandbox.Faults{Outage: true})
		for range 4 {
			_ = call()
		}
		// After the cooldown a trial call fails and the circuit opens again:
		// the integration is still the one unhealthy integration.
		time.Sleep(60 * time.Millisecond)
		_ = call()
		f.sb.SetFaults(sandbox.Faults{})
		waitFor(t, 10*time.Second, "a call after the outage", func() bool { return call() == nil })
		_ = call() // a second success recovers nothing new

		m := f.manager(func(c *Config) { c.MaxAttempts, c.Parked = 1, al })
		f.run(m)
		f.sb.SetFaults(sandbox.Faults{ErrorRate: 1, ErrorStatus: 500})
		if _, err := m.CreatePatient(f.ctx, f.orgID, newPatient(1)); err != nil {
			t.Fatal(err)
		}
		waitFor(t, 30*time.Second, "three alerts delivered", func() bool { return deliveredEvents(t, f) == 3 })
		checkReceived(t, rec.requests(), sec)
	})
}

// deliveredEvents counts the organization's delivered alerts.
func deliveredEvents(t *testing.T, f *fixture) int {
	ds, err := f.tenant().AlertDeliveries(f.ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, d := range ds {
		if d.Status == models.AlertDelivered {
			n++
		}
	}
	return n
}

// checkReceived checks every request's signature and that each event came
// in one delivery (the first one twice: refused, then retried).
func checkReceived(t *testing.T, got []receivedAlert, sec string) {
	t.Helper()
	deliveries := map[string]map[string]bool{}
	for _, r := range got {
		if want := alerts.Sign(sec, r.body); r.signature != want || len(r.signature) != len("sha256=")+64 {
			t.Errorf("%s signature = %q, want %q", r.event, r.signature, want)
		}
		var ev alerts.Event
		if err := json.Unmarshal(r.body, &ev); err != nil || ev.Event != r.event || ev.Organization != "acme" {
			t.Errorf("body %s (%v) does not name event %s of acme", r.body, err, r.event)
		}
		if deliveries[r.event] == nil {
			deliveries[r.event] = map[string]bool{}
		}
		deliveries[r.event][r.delivery] = true
	}
	for _, ev := range []string{alerts.EventUnhealthy, alerts.EventRecovered, alerts.EventParked} {
		if n := len(deliveries[ev]); n != 1 {
			t.Errorf("%s came in %d deliveries, want 1 (requests: %d)", ev, n, len(got))
		}
	}
	if len(got) == 0 {
		t.Fatal("no request reached the webhook")
	}
	retried := 0
	for _, r := range got {
		if r.delivery == got[0].delivery {
			retried++
		}
	}
	if len(got) != 4 || retried != 2 {
		t.Errorf("requests = %d, the refused first delivery sent %d times; want 4 with it retried once", len(got), retried)
	}
}
