package syncer

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"

	"switchboard/apperr"
	"switchboard/models"
)

// WebhookTolerance is how far the timestamp of a signed webhook may be
// from the receiver's clock, either way. A delivery is remembered for as
// long, so within it the same delivery cannot be taken twice, and after
// it its timestamp refuses it.
const WebhookTolerance = 5 * time.Minute

// signed is a verified signature: its timestamp and the HMAC it matched
// (hex), which names the delivery for the replay check.
type signed struct {
	at  time.Time
	mac string
}

// verify checks a webhook signature: "t=<unix seconds>,v1=<hex>", where
// the hex is the HMAC-SHA256 of "<t>.<body>" with the configuration's
// webhook secret (several v1 values may be given, as during a change of
// secret; one must match). The comparison is constant-time; a timestamp
// more than WebhookTolerance from now is refused once the signature
// matched. A signature without a timestamp (the bare HMAC of the body
// that earlier versions took) is refused: it could be replayed forever.
func (m *Manager) verify(ctx context.Context, cfg *models.SyncConfig, body []byte, header string) (signed, error) {
	at, macs, ok := parseSignature(header)
	if !ok || m.cfg.Secrets == nil || cfg.WebhookSecretSealed == "" {
		return signed{}, errWebhookRefused()
	}
	secret, err := m.cfg.Secrets.WebhookSecret(ctx, cfg)
	if err != nil {
		return signed{}, err
	}
	if secret == "" {
		return signed{}, errWebhookRefused()
	}
	want := mac(secret, at, body)
	matched := false
	for _, got := range macs {
		matched = hmac.Equal(got, want) || matched
	}
	if !matched {
		return signed{}, errWebhookRefused()
	}
	ts := time.Unix(at, 0)
	if d := m.now().Sub(ts); d > WebhookTolerance || d < -WebhookTolerance {
		return signed{}, apperr.New(apperr.CodeUnauthorized,
			"the webhook signature's timestamp is more than %s from now: sign each delivery when it is sent", WebhookTolerance)
	}
	return signed{at: ts, mac: hex.EncodeToString(want)}, nil
}

// parseSignature reads "t=…,v1=…[,v1=…]"; other keys are ignored.
func parseSignature(header string) (at int64, macs [][]byte, ok bool) {
	hasT := false
	for part := range strings.SplitSeq(strings.TrimSpace(header), ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "t":
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || hasT {
				return 0, nil, false
			}
			at, hasT = n, true
		case "v1":
			if b, err := hex.DecodeString(v); err == nil && len(b) == sha256.Size {
				macs = append(macs, b)
			}
		}
	}
	return at, macs, hasT && len(macs) > 0
}

// mac is the HMAC-SHA256 of "<at>.<body>" with secret.
func mac(secret string, at int64, body []byte) []byte {
	h := hmac.New(sha256.New, []byte(secret))
	h.Write([]byte(strconv.FormatInt(at, 10)))
	h.Write([]byte{'.'})
	h.Write(body)
	return h.Sum(nil)
}

// Sign returns the signature Webhook expects for body sent now (tests,
// senders); see SignAt.
func Sign(secret string, body []byte) string { return SignAt(secret, time.Now(), body) }

// SignAt returns the X-Switchboard-Signature of body sent at a time:
// "t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">".
func SignAt(secret string, at time.Time, body []byte) string {
	t := at.Unix()
	return "t=" + strconv.FormatInt(t, 10) + ",v1=" + hex.EncodeToString(mac(secret, t, body))
}
