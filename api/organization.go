package api

import (
	"switchboard/clock"
	"switchboard/models"
)

// OrganizationUpdate is the body of PUT /api/admin/organization. Fields left
// out (or null) keep their value; the slug may be sent back as it is but
// never changed, since URLs and webhook addresses carry it.
type OrganizationUpdate struct {
	Name          *string      `json:"name" validate:"omitnil,max=200"`
	Slug          *string      `json:"slug"`
	TimeZone      *string      `json:"time_zone" validate:"omitnil,max=64"`
	OpeningHours  *clock.Hours `json:"opening_hours"`
	AllowOverlaps *bool        `json:"allow_overlaps"`
}

// Organization is the organization as the API shows it.
type Organization struct {
	Name          string      `json:"name"`
	Slug          string      `json:"slug"`
	TimeZone      string      `json:"time_zone"`
	OpeningHours  clock.Hours `json:"opening_hours"`
	AllowOverlaps bool        `json:"allow_overlaps"`
}

// OrganizationOf is o as the API shows it.
func OrganizationOf(o *models.Organization) Organization {
	return Organization{Name: o.Name, Slug: o.Slug, TimeZone: o.TimeZone, OpeningHours: o.Hours().Normalize(), AllowOverlaps: o.AllowOverlaps}
}
