package models

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// Alert delivery statuses.
const (
	AlertPending   = "pending"
	AlertDelivered = "delivered"
	AlertFailed    = "failed"
)

// AlertState marks an integration as unhealthy since an alert said so: the
// row exists from integration.unhealthy until integration.recovered, so
// that each is raised once whatever the number of processes.
type AlertState struct {
	bun.BaseModel `bun:"table:alert_states,alias:ast"`

	OrganizationID int64     `bun:"organization_id,pk"`
	IntegrationID  int64     `bun:"integration_id,pk"`
	Reason         string    `bun:"reason,notnull"`
	Since          time.Time `bun:"since,notnull"`
}

// AlertDelivery is one alert POSTed (or to be POSTed) to the organization's
// alert webhook: its event, the exact JSON body signed, and how delivery
// went.
type AlertDelivery struct {
	bun.BaseModel `bun:"table:alert_deliveries,alias:ad"`

	ID             int64      `bun:"id,pk,autoincrement"`
	OrganizationID int64      `bun:"organization_id,notnull"`
	Event          string     `bun:"event,notnull"`
	Payload        string     `bun:"payload,notnull"`
	Status         string     `bun:"status,notnull"`
	Attempts       int        `bun:"attempts,notnull"`
	LastError      string     `bun:"last_error,notnull"`
	LastHTTPStatus int        `bun:"last_http_status,notnull"`
	DeliveredAt    *time.Time `bun:"delivered_at"`
	CreatedAt      time.Time  `bun:"created_at,notnull"`
	UpdatedAt      time.Time  `bun:"updated_at,notnull"`
}

// MarkUnhealthy records that an integration turned unhealthy; it reports
// false when it already was (no new alert is due).
func (t *Tenant) MarkUnhealthy(ctx context.Context, integrationID int64, reason string) (bool, error) {
	st := &AlertState{OrganizationID: t.orgID, IntegrationID: integrationID, Reason: truncate(reason, 500), Since: t.now()}
	res, err := t.db.NewInsert().Model(st).On("CONFLICT (organization_id, integration_id) DO NOTHING").Exec(ctx)
	if err != nil {
		return false, wrap("mark integration unhealthy", err)
	}
	n, err := res.RowsAffected()
	return n > 0, wrap("mark integration unhealthy", err)
}

// MarkRecovered records that an integration is healthy again; it reports
// false when it was not marked unhealthy (no alert is due).
func (t *Tenant) MarkRecovered(ctx context.Context, integrationID int64) (bool, error) {
	res, err := t.deleteQ((*AlertState)(nil)).Where("ast.integration_id = ?", integrationID).Exec(ctx)
	if err != nil {
		return false, wrap("mark integration recovered", err)
	}
	n, err := res.RowsAffected()
	return n > 0, wrap("mark integration recovered", err)
}

// UnhealthyIntegrations lists the integrations alerts hold unhealthy.
func (t *Tenant) UnhealthyIntegrations(ctx context.Context) ([]AlertState, error) {
	var out []AlertState
	err := t.selectQ(&out).OrderExpr("ast.integration_id").Scan(ctx)
	return out, wrap("list unhealthy integrations", err)
}

// InsertAlertDelivery stores a pending delivery of event with payload.
func (t *Tenant) InsertAlertDelivery(ctx context.Context, event, payload string) (*AlertDelivery, error) {
	now := t.now()
	d := &AlertDelivery{OrganizationID: t.orgID, Event: event, Payload: payload, Status: AlertPending, CreatedAt: now, UpdatedAt: now}
	_, err := t.db.NewInsert().Model(d).Exec(ctx)
	return d, wrap("store alert delivery", err)
}

// AlertDelivery returns one delivery of the organization.
func (t *Tenant) AlertDelivery(ctx context.Context, id int64) (*AlertDelivery, error) {
	d := new(AlertDelivery)
	err := t.selectQ(d).Where("ad.id = ?", id).Scan(ctx)
	return d, wrap("fetch alert delivery", notFound(err, "alert delivery"))
}

// AlertDeliveries lists the organization's newest deliveries.
func (t *Tenant) AlertDeliveries(ctx context.Context, limit int64) ([]AlertDelivery, error) {
	var out []AlertDelivery
	err := t.selectQ(&out).OrderExpr("ad.id DESC").Limit(limit).Scan(ctx)
	return out, wrap("list alert deliveries", err)
}

// RecordAlertAttempt stores the outcome of one delivery attempt: delivered
// (httpStatus 2xx), or still pending or failed for good with the error.
func (t *Tenant) RecordAlertAttempt(ctx context.Context, id int64, status string, httpStatus int, lastErr string) error {
	now := t.now()
	q := t.updateQ((*AlertDelivery)(nil)).Where("ad.id = ?", id).
		Set("status = ?", status).Set("attempts = attempts + 1").Set("last_http_status = ?", httpStatus).
		Set("last_error = ?", truncate(lastErr, 500)).Set("updated_at = ?", now)
	if status == AlertDelivered {
		q = q.Set("delivered_at = ?", now)
	}
	res, err := q.Exec(ctx)
	return wrap("record alert attempt", mustAffect(res, err, "alert delivery"))
}

// SetAlertSecret stores the organization's sealed alert signing secret.
func (t *Tenant) SetAlertSecret(ctx context.Context, sealed string) error {
	defer t.forgetReads(ctx)
	res, err := t.db.NewUpdate().Model((*Organization)(nil)).Set("alert_secret_sealed = ?", sealed).
		Set("updated_at = ?", t.now()).Where("o.id = ?", t.orgID).Exec(ctx)
	return wrap("save alert secret", mustAffect(res, err, "organization"))
}
