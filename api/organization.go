package api

import (
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
}

// Organization is the organization as the API shows it.
type Organization struct {
	Name          string      `json:"name" doc:"The practice's name."`
	Slug          string      `json:"slug" doc:"The practice's slug (in URLs and webhook addresses; never changes)."`
	TimeZone      string      `json:"time_zone" doc:"The practice's time zone (IANA name): practice time is this zone's clock."`
	OpeningHours  clock.Hours `json:"opening_hours" doc:"Opening hours per weekday, in practice time."`
	AllowOverlaps bool        `json:"allow_overlaps" doc:"Whether an appointment may overlap another of the same provider or operatory (off: refused)."`
}

// OrganizationOf is o as the API shows it.
func OrganizationOf(o *models.Organization) Organization {
	return Organization{Name: o.Name, Slug: o.Slug, TimeZone: o.TimeZone, OpeningHours: o.Hours().Normalize(), AllowOverlaps: o.AllowOverlaps}
}
