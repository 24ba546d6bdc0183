package accounts

import (
	"context"
	"errors"

	"switchboard/apperr"
	"switchboard/auth"
	"switchboard/clock"
	"switchboard/models"
)

// SetupDone reports whether the instance is set up (a user exists); once
// it is, the answer is cached.
func (s *Service) SetupDone(ctx context.Context) (bool, error) {
	if s.setupDone.Load() {
		return true, nil
	}
	ok, err := s.store.AnyUser(ctx)
	if err != nil {
		return false, err
	}
	if ok {
		s.setupDone.Store(true)
	}
	return ok, nil
}

// FirstRun is the first-run setup: the first organization, with its time
// zone (asked for with no default: a practice left on UTC would book every
// appointment at the wrong hour), and its owner. Invalid holds the
// problems the form already found (by field name).
type FirstRun struct {
	OrgName  string
	Name     string
	Email    string
	Password string
	TimeZone string
	Invalid  map[string]string
}

// Setup checks the first run (password policy, an organization name with
// letters or digits, a known time zone; field errors named password,
// org_name and time_zone besides the form's own), then creates the first
// organization and its owner in one transaction, refusing when someone set
// the instance up meanwhile (not found, as the page is gone).
func (s *Service) Setup(ctx context.Context, from Actor, in FirstRun) (*models.Organization, *models.User, error) {
	if err := checkFirstRun(in); err != nil {
		return nil, nil, err
	}
	hash, err := auth.HashPassword(in.Password)
	if err != nil {
		return nil, nil, err
	}
	var org *models.Organization
	var user *models.User
	err = s.store.InTx(ctx, func(tx *models.Store) error {
		if any, err := tx.AnyUser(ctx); err != nil {
			return err
		} else if any {
			return apperr.NotFound("page")
		}
		if org, err = tx.CreateOrganization(ctx, models.Slugify(in.OrgName), in.OrgName); err != nil {
			return err
		}
		if _, org, err = tx.Tenant(org.ID).UpdateOrganization(ctx, models.OrganizationSettings{Name: org.Name,
			TimeZone: in.TimeZone, TimeZoneChosen: true}); err != nil {
			return err
		}
		user, _, err = join(ctx, tx, org, Member{Email: in.Email, Name: in.Name, Role: models.RoleOwner}, hash)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	s.setupDone.Store(true)
	from.OrgID, from.UserID, from.Name = org.ID, &user.ID, user.Email
	s.audit.Record(ctx, from, ActionSetup, TargetOf("organization", org.ID), map[string]any{"organization": org.Slug, "time_zone": org.TimeZone})
	return org, user, nil
}

// checkFirstRun adds the service's checks of a first run to the form's.
func checkFirstRun(in FirstRun) error {
	bad := fields(in.Invalid)
	bad.policy("password", in.Password)
	if models.Slugify(in.OrgName) == "" {
		bad.add("org_name", "must contain letters or digits")
	}
	if in.TimeZone == "" {
		bad.set("time_zone", "choose the practice's time zone")
	} else if _, err := clock.LoadZone(in.TimeZone); err != nil {
		var ie *clock.InputError
		if !errors.As(err, &ie) {
			return err
		}
		bad.add("time_zone", ie.Reason)
	}
	return bad.err()
}
