package accounts

import (
	"context"
	"strings"

	"switchboard/apperr"
	"switchboard/clock"
	"switchboard/models"
)

// Organization returns an organization with its settings.
func (s *Service) Organization(ctx context.Context, orgID int64) (*models.Organization, error) {
	return s.store.Tenant(orgID).Organization(ctx)
}

// OrganizationBySlug returns the organization of a slug.
func (s *Service) OrganizationBySlug(ctx context.Context, slug string) (*models.Organization, error) {
	return s.store.OrganizationBySlug(ctx, slug)
}

// UpdateOrganization validates the settings (with the caller's own field
// errors first) and stores them, answering a validation_failed error that
// names every bad field. The API key cache, which holds each key's
// organization, is dropped so that agents see the new clock at once; a
// change is audited with what changed.
func (s *Service) UpdateOrganization(ctx context.Context, by Actor, in models.OrganizationSettings, bad []apperr.FieldError) (*models.Organization, error) {
	if bad = dedupeFields(append(bad, in.FieldErrors()...)); len(bad) > 0 {
		return nil, apperr.Validation(bad...)
	}
	before, after, err := s.store.Tenant(by.OrgID).UpdateOrganization(ctx, in)
	if err != nil {
		return nil, err
	}
	s.invalidateKeys()
	if details := models.OrganizationChanges(before, after); details != nil {
		s.audit.Record(ctx, by, ActionOrgUpdated, TargetOf("organization", by.OrgID), details)
	}
	return after, nil
}

func dedupeFields(fs []apperr.FieldError) []apperr.FieldError {
	seen := map[string]bool{}
	out := fs[:0]
	for _, f := range fs {
		if !seen[f.Field] {
			seen[f.Field] = true
			out = append(out, f)
		}
	}
	return out
}

// OrganizationPatch changes some of an organization's settings: the fields
// left nil keep their value. Slug may only repeat the organization's own:
// URLs and webhook addresses carry it.
type OrganizationPatch struct {
	Name          *string
	Slug          *string
	TimeZone      *string
	OpeningHours  *clock.Hours
	AllowOverlaps *bool
	// AlertWebhookURL receives the alerts ("" stops them).
	AlertWebhookURL *string
}

// PatchOrganization applies patch to the actor's organization (see
// UpdateOrganization; bad are the caller's own field errors).
func (s *Service) PatchOrganization(ctx context.Context, by Actor, patch OrganizationPatch, bad []apperr.FieldError) (*models.Organization, error) {
	current, err := s.Organization(ctx, by.OrgID)
	if err != nil {
		return nil, err
	}
	if patch.Slug != nil && *patch.Slug != current.Slug {
		bad = append(bad, apperr.FieldError{Field: "slug", Message: "cannot be changed: URLs and webhook addresses use it (it is " + current.Slug + ")"})
	}
	in := current.Settings()
	if patch.Name != nil {
		in.Name = *patch.Name
	}
	if patch.TimeZone != nil {
		in.TimeZone, in.TimeZoneChosen = *patch.TimeZone, true
	}
	if patch.OpeningHours != nil {
		in.OpeningHours = *patch.OpeningHours
	}
	if patch.AllowOverlaps != nil {
		in.AllowOverlaps = *patch.AllowOverlaps
	}
	if patch.AlertWebhookURL != nil {
		in.AlertWebhookURL = strings.TrimSpace(*patch.AlertWebhookURL)
	}
	return s.UpdateOrganization(ctx, by, in, bad)
}
