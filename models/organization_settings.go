package models

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"switchboard/apperr"
	"switchboard/clock"
)

// Zone is the practice's time zone. A stored name that no longer loads
// (it was valid when saved) falls back to UTC rather than failing a page.
func (o *Organization) Zone() clock.Zone {
	z, err := clock.LoadZone(o.TimeZone)
	if err != nil {
		return clock.UTC()
	}
	return z
}

// Hours are the practice's weekly opening hours (none when unreadable).
func (o *Organization) Hours() clock.Hours {
	h, err := clock.ParseHours(o.OpeningHours)
	if err != nil {
		return clock.Hours{}
	}
	return h
}

// TimeZoneSet reports whether a person has chosen the time zone; until
// then it is UTC by default and pages ask for it.
func (o *Organization) TimeZoneSet() bool { return !o.TimeZoneSetAt.IsZero() }

// OrganizationSettings are what owners and admins change about their
// organization. The slug is not among them: URLs and webhooks carry it.
type OrganizationSettings struct {
	Name     string
	TimeZone string
	// TimeZoneChosen marks TimeZone as chosen by a person (setup, the
	// settings page, the API naming it), which ends the banner.
	TimeZoneChosen bool
	OpeningHours   clock.Hours
	AllowOverlaps  bool
	// AlertWebhookURL receives the organization's alerts ("" sends none).
	AlertWebhookURL string
}

// Settings returns o's current settings.
func (o *Organization) Settings() OrganizationSettings {
	return OrganizationSettings{Name: o.Name, TimeZone: o.TimeZone, OpeningHours: o.Hours(), AllowOverlaps: o.AllowOverlaps,
		AlertWebhookURL: o.AlertWebhookURL}
}

// FieldErrors lists what is wrong with s, fields named as the API names
// them (name, time_zone, opening_hours.mon[0].start).
func (s OrganizationSettings) FieldErrors() []apperr.FieldError {
	var out []apperr.FieldError
	switch n := utf8.RuneCountInString(s.Name); {
	case n == 0:
		out = append(out, apperr.FieldError{Field: "name", Message: "is required"})
	case strings.TrimSpace(s.Name) == "":
		out = append(out, apperr.FieldError{Field: "name", Message: "is required (only spaces is no name)"})
	default:
		if p := (Field[Organization]{Max: 200}).TextProblem(s.Name); p != "" {
			out = append(out, apperr.FieldError{Field: "name", Message: p})
		}
	}
	if _, err := clock.LoadZone(s.TimeZone); err != nil {
		var ie *clock.InputError
		if errors.As(err, &ie) {
			out = append(out, apperr.FieldError{Field: "time_zone", Message: ie.Reason})
		}
	}
	if p := AlertURLProblem(s.AlertWebhookURL); p != "" {
		out = append(out, apperr.FieldError{Field: "alert_webhook_url", Message: p})
	}
	return append(out, s.OpeningHours.FieldErrors("opening_hours")...)
}

// AlertURLProblem says what is wrong with an alert webhook URL ("" when
// nothing is; an empty URL sends no alerts). Where it may point is the
// outbound guard's decision, at delivery, as for every upstream.
func AlertURLProblem(raw string) string {
	if raw == "" {
		return ""
	}
	if p := (Field[Organization]{Max: 2000}).TextProblem(raw); p != "" {
		return p
	}
	u, err := url.Parse(raw)
	switch {
	case err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http"):
		return "must be an http:// or https:// address such as https://alerts.example.com/switchboard"
	case u.User != nil:
		return "must not carry a user name or password; alerts are signed with the signing secret instead"
	}
	return ""
}

// Organization returns the scope's own organization, read now.
// Under a read memo (WithReadMemo) it is read once per request.
func (t *Tenant) Organization(ctx context.Context) (*Organization, error) {
	memo := memoOf(ctx)
	if memo != nil {
		if o, ok := memo.org(t.orgID); ok {
			return o, nil
		}
		if o, ok := t.reads.org(t.orgID); ok {
			memo.setOrg(&o)
			return &o, nil
		}
	}
	at := time.Now()
	o := new(Organization)
	err := t.db.NewSelect().Model(o).Where("o.id = ?", t.orgID).Scan(ctx)
	if err == nil && memo != nil {
		memo.setOrg(o)
		t.reads.setOrg(o, at)
	}
	return o, wrap("fetch organization", notFound(err, "organization"))
}

// UpdateOrganization validates s and saves it as the organization's
// settings; it returns the organization before and after the change.
func (t *Tenant) UpdateOrganization(ctx context.Context, s OrganizationSettings) (before, after *Organization, err error) {
	if fs := s.FieldErrors(); len(fs) > 0 {
		return nil, nil, apperr.Validation(fs...)
	}
	hours, err := json.Marshal(s.OpeningHours.Normalize())
	if err != nil {
		return nil, nil, wrap("encode opening hours", err)
	}
	defer t.forgetReads(ctx)
	t.forgetReads(ctx)
	err = t.InTx(ctx, func(tx *Tenant) error {
		if before, err = tx.Organization(ctx); err != nil {
			return err
		}
		o := *before
		o.Name, o.TimeZone, o.OpeningHours, o.AllowOverlaps = s.Name, s.TimeZone, string(hours), s.AllowOverlaps
		o.AlertWebhookURL = strings.TrimSpace(s.AlertWebhookURL)
		if s.TimeZoneChosen && !o.TimeZoneSet() {
			o.TimeZoneSetAt = tx.now()
		}
		o.UpdatedAt = tx.now()
		_, err := tx.db.NewUpdate().Model(&o).
			Column("name", "time_zone", "time_zone_set_at", "opening_hours", "allow_overlaps", "alert_webhook_url", "updated_at").
			Where("o.id = ?", tx.orgID).Exec(ctx)
		after = &o
		return wrap("update organization", err)
	})
	if err != nil {
		return nil, nil, err
	}
	return before, after, nil
}

// OrganizationChanges describes for the audit log what changed between
// before and after: {"changed": [fields…], field: {"from", "to"}}; nil
// when nothing did. Choosing the time zone counts even when the name stays.
func OrganizationChanges(before, after *Organization) map[string]any {
	var changed []string
	out := map[string]any{}
	note := func(field string, from, to any) {
		changed = append(changed, field)
		out[field] = map[string]any{"from": from, "to": to}
	}
	if before.Name != after.Name {
		note("name", before.Name, after.Name)
	}
	if before.TimeZone != after.TimeZone || before.TimeZoneSet() != after.TimeZoneSet() {
		from := before.TimeZone
		if !before.TimeZoneSet() {
			from += " (not set)"
		}
		note("time_zone", from, after.TimeZone)
	}
	if !before.Hours().Equal(after.Hours()) {
		note("opening_hours", before.Hours().Normalize(), after.Hours().Normalize())
	}
	if before.AllowOverlaps != after.AllowOverlaps {
		note("allow_overlaps", before.AllowOverlaps, after.AllowOverlaps)
	}
	if before.AlertWebhookURL != after.AlertWebhookURL {
		note("alert_webhook_url", before.AlertWebhookURL, after.AlertWebhookURL)
	}
	if len(changed) == 0 {
		return nil
	}
	out["changed"] = changed
	return out
}
