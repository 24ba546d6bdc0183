package syncer

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"switchboard/apperr"
	"switchboard/models"
)

// TestWebhookSignaturesCarryATimeAndAreTakenOnce: a signature is
// "t=<unix>,v1=<HMAC of t.body>"; one whose time is more than five
// minutes away is refused, the bare HMAC of the body (which could be
// replayed forever) is refused, and the same delivery sent again, to this
// process or another sharing the database, is refused without being
// applied twice, while a delivery that failed to apply may be sent again.
func TestWebhookSignaturesCarryATimeAndAreTakenOnce(t *testing.T) {
	forEachBackend(t, func(t *testing.T, url string) {
		f := newFixture(t, url, withDirection(models.DirectionFromExternal, models.ConflictNewestWins))
		now := time.Now()
		clock := now
		m := f.manager(func(c *Config) { c.Now = func() time.Time { return clock } })
		body := webhookBody(t, Change{Entity: "patient", ExternalID: "7001", Data: map[string]any{"first_name": "Once", "last_name": "Only"}})
		mac := hmac.New(sha256.New, []byte(f.secret))
		mac.Write(body)
		bare := hex.EncodeToString(mac.Sum(nil))
		for _, tc := range []struct{ name, sig, want string }{
			{"the bare HMAC of the body", bare, "the webhook signature is missing or does not match"},
			{"the bare HMAC with its prefix", "sha256=" + bare, "the webhook signature is missing or does not match"},
			{"a time six minutes ago", SignAt(f.secret, now.Add(-6*time.Minute), body), "more than 5m0s from now"},
			{"a time six minutes ahead", SignAt(f.secret, now.Add(6*time.Minute), body), "more than 5m0s from now"},
			{"a v1 of another time", strings.Replace(SignAt(f.secret, now, body), "t=", "t=1", 1), "does not match"},
			{"no v1", "t=" + SignAt(f.secret, now, body)[2:12], "does not match"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				err := m.Webhook(f.ctx, "acme", "opendental", body, tc.sig)
				if e, ok := apperr.As(err); !ok || e.Code != apperr.CodeUnauthorized || !strings.Contains(e.Message, tc.want) {
					t.Errorf("Webhook = %v, want unauthorized saying %q", err, tc.want)
				}
			})
		}
		sig := SignAt(f.secret, now.Add(-4*time.Minute), body)
		if err := m.Webhook(f.ctx, "acme", "opendental", body, sig); err != nil {
			t.Fatalf("a signature four minutes old: %v", err)
		}
		if err := m.Webhook(f.ctx, "acme", "opendental", body, sig); apperr.Code(err) != apperr.CodeConflict {
			t.Errorf("the same delivery again = %v, want conflict", err)
		}
		other := f.manager(func(c *Config) {
			c.Store = models.NewStore(openDB(t, url))
			c.Now = func() time.Time { return now }
		})
		if err := other.Webhook(f.ctx, "acme", "opendental", body, sig); apperr.Code(err) != apperr.CodeConflict {
			t.Errorf("the same delivery to another process = %v, want conflict", err)
		}
		if ps, _ := f.tenant().Patients(f.ctx, models.PatientFilter{Search: "only"}); len(ps) != 1 {
			t.Errorf("%d patients named Only, want 1", len(ps))
		}
		// Once the tolerance has passed, the receipt is gone and the time
		// refuses the delivery instead.
		later := now.Add(WebhookTolerance + time.Second)
		clock = later
		if err := m.Webhook(f.ctx, "acme", "opendental", body, sig); apperr.Code(err) != apperr.CodeUnauthorized {
			t.Errorf("the delivery after the tolerance = %v, want unauthorized", err)
		}

		bad := webhookBody(t, Change{Entity: "patient", ExternalID: "7002", Data: map[string]any{"last_name": "Long", "city": strings.Repeat("x", 5000)}})
		badSig := SignAt(f.secret, later, bad)
		for range 2 {
			err := m.Webhook(f.ctx, "acme", "opendental", bad, badSig)
			if got := apperr.Code(err); got != apperr.CodeValidationFailed {
				t.Errorf("a change with a 5,000-character city = %v, want validation_failed both times (a failed delivery may come again)", err)
			}
		}
	})
}
