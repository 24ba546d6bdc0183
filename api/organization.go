package api

import (
	"time"

	"switchboard/clock"
	"switchboard/models"
)

// OrganizationUpdate is the body of PUT /api/admin/organization. Fields left
// out (or null) keep their value; the slug may be sent back as it is but
// never changed, since URLs and webhook addresses carry it.
type OrganizationUpdate struct {
	Name          *string      `json:"name" validate:"omitnil,max=200" doc:"The practice's name, at most 200 characters; left out keeps it."`
	Slug          *string      `json:"slug" doc:"May be sent back as it is, never changed."`
	TimeZone      *string      `json:"time_zone" validate:"omitnil,max=64" doc:"The practice's time zone (IANA name, e.g. America/New_York); left out keeps it."`
	OpeningHours  *clock.Hours `json:"opening_hours" doc:"Opening hours per weekday, in practice time; left out keeps them."`
	AllowOverlaps *bool        `json:"allow_overlaps" doc:"Whether an appointment may overlap another of the same provider or operatory; left out keeps it."`
	// AlertWebhookURL receives the alerts; "" stops them.
	AlertWebhookURL *string `json:"alert_webhook_url" validate:"omitnil,max=2000" doc:"Where alerts are POSTed (integration.unhealthy, integration.recovered, sync.job_parked), signed with X-Switchboard-Signature; an empty string stops them"`
}

// Organization is the organization as the API shows it.
type Organization struct {
	Name          string      `json:"name" doc:"The practice's name."`
	Slug          string      `json:"slug" doc:"The practice's slug (in URLs and webhook addresses; never changes)."`
	TimeZone      string      `json:"time_zone" doc:"The practice's time zone (IANA name): practice time is this zone's clock."`
	OpeningHours  clock.Hours `json:"opening_hours" doc:"Opening hours per weekday, in practice time."`
	AllowOverlaps bool        `json:"allow_overlaps" doc:"Whether an appointment may overlap another of the same provider or operatory (off: refused)."`
	// AlertWebhookURL receives the alerts ("" when none).
	AlertWebhookURL string `json:"alert_webhook_url" doc:"Where alerts are POSTed; empty when none"`
	// AlertSigningSecret is shown once: in the answer that generated it.
	AlertSigningSecret string `json:"alert_signing_secret,omitempty" doc:"The alerts' signing secret, in the one answer that generated it (the first alert_webhook_url, or a rotation); never shown again"`
	// AlertSecretSet says whether a signing secret exists.
	AlertSecretSet bool `json:"alert_secret_set" doc:"Whether the organization has an alert signing secret"`
}

// AlertSecret is the answer of POST /api/admin/organization/alert-secret.
type AlertSecret struct {
	AlertSigningSecret string `json:"alert_signing_secret" doc:"The new signing secret: the HMAC-SHA256 key of X-Switchboard-Signature, shown this once"`
}

// AlertDelivery is one alert sent (or being sent) to the alert webhook.
type AlertDelivery struct {
	ID             int64      `json:"id" doc:"The delivery's id"`
	Event          string     `json:"event" doc:"integration.unhealthy, integration.recovered, sync.job_parked or alert.test"`
	Status         string     `json:"status" doc:"pending (being retried), delivered or failed"`
	Attempts       int        `json:"attempts" doc:"Attempts made so far"`
	LastError      string     `json:"last_error" doc:"Why the last attempt failed"`
	LastHTTPStatus int        `json:"last_http_status" doc:"The webhook's last HTTP status (0: none)"`
	DeliveredAt    *time.Time `json:"delivered_at" doc:"When the webhook accepted it"`
	CreatedAt      time.Time  `json:"created_at" doc:"When the alert was raised"`
}

// AlertDeliveryOf is d as the API shows it.
func AlertDeliveryOf(d *models.AlertDelivery) AlertDelivery {
	return AlertDelivery{ID: d.ID, Event: d.Event, Status: d.Status, Attempts: d.Attempts, LastError: d.LastError,
		LastHTTPStatus: d.LastHTTPStatus, DeliveredAt: d.DeliveredAt, CreatedAt: d.CreatedAt}
}

// OrganizationOf is o as the API shows it.
func OrganizationOf(o *models.Organization) Organization {
	return Organization{Name: o.Name, Slug: o.Slug, TimeZone: o.TimeZone, OpeningHours: o.Hours().Normalize(), AllowOverlaps: o.AllowOverlaps,
		AlertWebhookURL: o.AlertWebhookURL, AlertSecretSet: o.AlertSecretSealed != ""}
}
