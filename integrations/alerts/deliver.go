package alerts

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"switchboard/apperr"
	"switchboard/integrations/outbound"
	"switchboard/models"
)

// deliveryTimeout bounds one POST to the webhook.
const deliveryTimeout = 10 * time.Second

// deliverJob is the handler of the alert_delivery job.
func (s *Service) deliverJob(ctx context.Context, raw json.RawMessage) error {
	var args struct {
		OrgID   int64 `json:"org_id"`
		AlertID int64 `json:"alert_id"`
	}
	if err := json.Unmarshal(raw, &args); err != nil {
		return fmt.Errorf("alerts: job arguments: %w", err)
	}
	return s.Deliver(ctx, args.OrgID, args.AlertID)
}

// Deliver makes one attempt at an alert: nil when it is done (delivered,
// or failed for good after MaxAttempts or with nowhere to go), an error to
// have the engine try again after its backoff.
func (s *Service) Deliver(ctx context.Context, orgID, id int64) error {
	t := s.store.Tenant(orgID)
	d, err := t.AlertDelivery(ctx, id)
	if apperr.IsNotFound(err) {
		return nil // the organization went away
	}
	if err != nil || d.Status != models.AlertPending {
		return err
	}
	org, err := t.Organization(ctx)
	if err != nil {
		return err
	}
	if org.AlertWebhookURL == "" {
		return t.RecordAlertAttempt(ctx, id, models.AlertFailed, 0, "no alert webhook is set any more")
	}
	status, sendErr := s.post(ctx, org, d)
	if sendErr == nil {
		return t.RecordAlertAttempt(ctx, id, models.AlertDelivered, status, "")
	}
	next := models.AlertPending
	if d.Attempts+1 >= MaxAttempts {
		next = models.AlertFailed
	}
	if err := t.RecordAlertAttempt(ctx, id, next, status, sendErr.Error()); err != nil {
		return err
	}
	if next == models.AlertFailed {
		s.log.Warn("alerts: delivery failed for good", "org", orgID, "alert", id, "err", sendErr)
		return nil
	}
	return sendErr
}

// post sends the delivery's body, signed, and says the webhook's status.
func (s *Service) post(ctx context.Context, org *models.Organization, d *models.AlertDelivery) (int, error) {
	sec, err := s.openSecret(org)
	if err != nil {
		return 0, err
	}
	ctx, cancel := context.WithTimeout(ctx, deliveryTimeout)
	defer cancel()
	body := []byte(d.Payload)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, org.AlertWebhookURL, bytes.NewReader(body))
	if err != nil {
		return 0, fmt.Errorf("the alert webhook address does not work: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Switchboard-Alerts/1")
	req.Header.Set(SignatureHeader, Sign(sec, body))
	req.Header.Set("X-Switchboard-Event", d.Event)
	req.Header.Set("X-Switchboard-Delivery", strconv.FormatInt(d.ID, 10))
	resp, err := s.client.Do(req)
	if err != nil {
		if outbound.IsBlocked(err) {
			return 0, errors.New("the alert webhook's address is not allowed (private or local addresses are refused)")
		}
		return 0, fmt.Errorf("the alert webhook did not answer: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.StatusCode, fmt.Errorf("the alert webhook answered HTTP %d", resp.StatusCode)
	}
	return resp.StatusCode, nil
}
