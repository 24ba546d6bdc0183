package syncer

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"time"

	"switchboard/apperr"
)

// FuzzWebhookChange checks the webhook payload parser: a body it reads is
// a change that re-encodes to the same change; a refusal is an
// invalid_request; the change's time is UTC, or now when it gives none.
func FuzzWebhookChange(f *testing.F) {
	for _, seed := range []string{
		`{"entity":"patient","external_id":"42","data":{"first_name":"Ann","last_name":"Bo","birthdate":"1990-02-03"},"updated_at":"2026-03-04T09:30:00-05:00"}`,
		`{"entity":"appointment","external_id":"7","data":{"patient_id":42,"start":"2026-03-04 09:30:00","duration_minutes":"45","Pattern":"XXXX"},"deleted":true}`,
		`{"entity":"appointment","external_id":"7","data":{"start":"2026-03-04T09:30:00.123456789Z","end":"2026-03-04T10:30:00"}}`,
		`{"entity":1}`, `{"data":[]}`, `{}`, `null`, ``, `{"updated_at":"9999-12-31T23:59:59+14:00"}`, `{"external_id":"\ud800"}`,
	} {
		f.Add([]byte(seed))
	}
	now := time.Date(2026, 3, 4, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, body []byte) {
		c, err := decodeChange(body)
		if err != nil {
			var e *apperr.Error
			if !errors.As(err, &e) || e.Code != apperr.CodeInvalidRequest {
				t.Fatalf("refusal is not invalid_request: %v", err)
			}
			return
		}
		again, err := json.Marshal(c)
		if err != nil {
			t.Fatalf("change of %q does not re-encode: %v", body, err)
		}
		back, err := decodeChange(again)
		if err != nil || !reflect.DeepEqual(back, c) {
			t.Fatalf("change of %q re-encoded as %s reads back as %+v (%v)", body, again, back, err)
		}
		if at := c.updatedAt(now); at.Location() != time.UTC || (c.UpdatedAt == "" && !at.Equal(now)) {
			t.Fatalf("updated_at %q read as %v", c.UpdatedAt, at)
		}
		for _, v := range c.Data {
			if ts, ok := parseTime(text(v)); ok && ts.Location() != time.UTC {
				t.Fatalf("time %q read as %v, not UTC", text(v), ts)
			}
		}
	})
}
