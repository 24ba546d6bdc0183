package models

import (
	"context"
	"regexp"
	"strings"

	"switchboard/apperr"
	"switchboard/clock"
)

var slugPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)

// ValidSlug reports whether s may be used as an organization or
// integration slug: lower-case letters, digits, - and _, 1–64 long.
func ValidSlug(s string) bool { return slugPattern.MatchString(s) }

// Slugify derives a slug from a name ("Bright Smiles Dental" → "bright-smiles-dental").
func Slugify(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		switch {
		case (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9'):
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	s := strings.Trim(b.String(), "-")
	if len(s) > 64 {
		s = strings.Trim(s[:64], "-")
	}
	return s
}

// CreateOrganization inserts an organization.
func (s *Store) CreateOrganization(ctx context.Context, slug, name string) (*Organization, error) {
	if !ValidSlug(slug) {
		return nil, apperr.Validation(apperr.FieldError{Field: "slug", Message: "must be 1–64 lower-case letters, digits, - or _"})
	}
	now := s.now()
	o := &Organization{Slug: slug, Name: name, TimeZone: clock.UTCName, OpeningHours: "{}", CreatedAt: now, UpdatedAt: now}
	if _, err := s.db.NewInsert().Model(o).Exec(ctx); err != nil {
		return nil, wrap("create organization", conflictOr(err, "an organization with slug %q already exists", slug))
	}
	return o, nil
}

// OrganizationByID returns one organization.
func (s *Store) OrganizationByID(ctx context.Context, id int64) (*Organization, error) {
	o := new(Organization)
	err := s.db.NewSelect().Model(o).Where("o.id = ?", id).Scan(ctx)
	return o, wrap("fetch organization", notFound(err, "organization"))
}

// OrganizationBySlug returns one organization.
func (s *Store) OrganizationBySlug(ctx context.Context, slug string) (*Organization, error) {
	o := new(Organization)
	err := s.db.NewSelect().Model(o).Where("o.slug = ?", slug).Scan(ctx)
	return o, wrap("fetch organization", notFound(err, "organization"))
}
