// Package alerts tells a practice that something broke without anyone
// looking: the events integration.unhealthy (a circuit opened after
// repeated failures, or an OAuth credential needs connecting again),
// integration.recovered and sync.job_parked are POSTed as JSON to the
// organization's alert_webhook_url, signed with
// X-Switchboard-Signature: sha256=<hex HMAC-SHA256 of the body> under the
// organization's signing secret. Each alert is a row of alert_deliveries
// delivered by a job of the background engine (River on PostgreSQL, the
// outbox on SQLite), retried with backoff. integration.unhealthy is raised
// once per integration until it recovers (alert_states), whatever the
// number of processes.
package alerts

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"switchboard/integrations/background"
	"switchboard/models"
	"switchboard/secret"
)

// The events.
const (
	EventUnhealthy = "integration.unhealthy"
	EventRecovered = "integration.recovered"
	EventParked    = "sync.job_parked"
	EventTest      = "alert.test"
)

// SignatureHeader carries "sha256=" and the hex HMAC-SHA256 of the body.
const SignatureHeader = "X-Switchboard-Signature"

// MaxAttempts is how many times a delivery is tried before it is failed
// for good.
const MaxAttempts = 8

// Config is what a Service is built from.
type Config struct {
	Store  *models.Store
	Box    *secret.Box
	Engine background.Engine
	// Client is the guarded outbound client (outbound.NewClient): the
	// webhook is a destination like every upstream.
	Client *http.Client
	Logger *slog.Logger
}

// Service raises and delivers alerts.
type Service struct {
	store  *models.Store
	box    *secret.Box
	engine background.Engine
	client *http.Client
	log    *slog.Logger
}

// New returns the Service.
func New(cfg Config) *Service {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Service{store: cfg.Store, box: cfg.Box, engine: cfg.Engine, client: cfg.Client, log: cfg.Logger}
}

// Register adds the delivery job's handler to the engine (before Start).
func (s *Service) Register(e background.Engine) { e.Handle(background.KindAlertDelivery, s.deliverJob) }

// secretAAD binds a sealed signing secret to its organization.
func secretAAD(orgID int64) string { return "alert_secret:" + strconv.FormatInt(orgID, 10) }

// Sign is the X-Switchboard-Signature value of body under secret.
func Sign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// EnsureSecret gives the organization a signing secret when it has none
// and returns it (created true): the only time it is shown.
func (s *Service) EnsureSecret(ctx context.Context, orgID int64) (string, bool, error) {
	org, err := s.store.Tenant(orgID).Organization(ctx)
	if err != nil {
		return "", false, err
	}
	if org.AlertSecretSealed != "" {
		return "", false, nil
	}
	sec, err := s.RotateSecret(ctx, orgID)
	return sec, err == nil, err
}

// RotateSecret replaces the organization's signing secret and returns the
// new one: the only time it is shown. Alerts already waiting are signed
// with it when they go.
func (s *Service) RotateSecret(ctx context.Context, orgID int64) (string, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("alerts: signing secret: %w", err)
	}
	sec := "whsec_" + hex.EncodeToString(b)
	sealed, err := s.box.Seal([]byte(sec), secretAAD(orgID))
	if err != nil {
		return "", fmt.Errorf("alerts: signing secret: %w", err)
	}
	if err := s.store.Tenant(orgID).SetAlertSecret(ctx, sealed); err != nil {
		return "", err
	}
	return sec, nil
}

// openSecret opens org's signing secret.
func (s *Service) openSecret(org *models.Organization) (string, error) {
	if org.AlertSecretSealed == "" {
		return "", fmt.Errorf("alerts: organization %d has no signing secret", org.ID)
	}
	b, err := s.box.Open(org.AlertSecretSealed, secretAAD(org.ID))
	if err != nil {
		return "", fmt.Errorf("alerts: signing secret of organization %d: %w", org.ID, err)
	}
	return string(b), nil
}

// Deliveries lists the organization's newest alert deliveries.
func (s *Service) Deliveries(ctx context.Context, orgID int64, limit int64) ([]models.AlertDelivery, error) {
	return s.store.Tenant(orgID).AlertDeliveries(ctx, limit)
}

// Delivery returns one of the organization's alert deliveries.
func (s *Service) Delivery(ctx context.Context, orgID, id int64) (*models.AlertDelivery, error) {
	return s.store.Tenant(orgID).AlertDelivery(ctx, id)
}

// Event is the JSON body of an alert.
type Event struct {
	Event        string       `json:"event"`
	OccurredAt   time.Time    `json:"occurred_at"`
	Organization string       `json:"organization"`
	Integration  *Integration `json:"integration,omitempty"`
	Environment  string       `json:"environment,omitempty"`
	// Reason says why, in words.
	Reason  string   `json:"reason,omitempty"`
	SyncJob *SyncJob `json:"sync_job,omitempty"`
	Message string   `json:"message,omitempty"`
}

// Integration names the integration an alert is about.
type Integration struct {
	ID   int64  `json:"id"`
	Slug string `json:"slug"`
	Name string `json:"name"`
}

// SyncJob names the parked job of sync.job_parked.
type SyncJob struct {
	ID        int64  `json:"id"`
	Entity    string `json:"entity"`
	LocalID   int64  `json:"local_id"`
	Operation string `json:"operation"`
	Attempts  int    `json:"attempts"`
	LastError string `json:"last_error"`
}

// raise stores ev as a delivery of the organization and queues its job;
// without an alert webhook nothing is sent (nil). The delivery's id goes
// in the X-Switchboard-Delivery header, the same on every retry.
func (s *Service) raise(ctx context.Context, org *models.Organization, ev Event) (*models.AlertDelivery, error) {
	if org.AlertWebhookURL == "" {
		return nil, nil
	}
	t := s.store.Tenant(org.ID)
	ev.Organization = org.Slug
	if ev.OccurredAt.IsZero() {
		ev.OccurredAt = t.Now()
	}
	body, err := json.Marshal(ev)
	if err != nil {
		return nil, fmt.Errorf("alerts: encode %s: %w", ev.Event, err)
	}
	d, err := t.InsertAlertDelivery(ctx, ev.Event, string(body))
	if err != nil {
		return nil, err
	}
	job := background.Job{Kind: background.KindAlertDelivery, OrgID: org.ID, Args: map[string]any{"alert_id": d.ID}, Unique: true}
	if err := s.engine.EnqueueTx(context.WithoutCancel(ctx), s.store.DB(), job); err != nil {
		return d, err
	}
	return d, nil
}

// SendTest raises the alert.test event ("Send test alert"); without an
// alert webhook it answers a validation error naming alert_webhook_url.
func (s *Service) SendTest(ctx context.Context, orgID int64) (*models.AlertDelivery, error) {
	org, err := s.store.Tenant(orgID).Organization(ctx)
	if err != nil {
		return nil, err
	}
	if org.AlertWebhookURL == "" {
		return nil, errNoWebhook()
	}
	return s.raise(ctx, org, Event{Event: EventTest, Message: "A test alert from Switchboard: the alert webhook and its signature work."})
}
