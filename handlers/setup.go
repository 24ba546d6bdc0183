package handlers

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"switchboard/apperr"
	"switchboard/auth"
	"switchboard/clock"
	"switchboard/models"
	"switchboard/views/pages"
	"switchboard/web"
	"switchboard/web/session"
)

type setupForm struct {
	OrgName         string `form:"org_name" validate:"required,max=200"`
	Name            string `form:"name" validate:"max=200"`
	Email           string `form:"email" validate:"required,email,max=254"`
	Password        string `form:"password" validate:"required"`
	PasswordConfirm string `form:"password_confirm" validate:"required,eqfield=Password"`
	// TimeZone is asked for here, with no default: a practice left on UTC
	// would book every appointment at the wrong hour.
	TimeZone string `form:"time_zone" validate:"required,max=64"`
}

// SetupPage handles GET /setup: the one-time first-run form; 404 afterwards.
func (h *AuthHandler) SetupPage(c echo.Context) error {
	done, err := h.isSetupDone(c.Request().Context())
	if err != nil {
		return err
	}
	if done {
		return echo.ErrNotFound
	}
	return web.Render(c, http.StatusOK, pages.Setup(pages.SetupForm{Zones: zoneOptions("", time.Now())}))
}

// Setup handles POST /setup: creates the first organization and its owner,
// then signs the owner in.
func (h *AuthHandler) Setup(c echo.Context) error {
	ctx := c.Request().Context()
	if done, err := h.isSetupDone(ctx); err != nil {
		return err
	} else if done {
		return echo.ErrNotFound
	}
	var f setupForm
	errs, err := checkSetup(c, &f)
	if err != nil {
		return err
	}
	if len(errs) > 0 {
		return web.Render(c, http.StatusUnprocessableEntity, pages.Setup(pages.SetupForm{OrgName: f.OrgName, Email: f.Email, Name: f.Name,
			TimeZone: f.TimeZone, Zones: zoneOptions(f.TimeZone, time.Now()), Errors: errs}))
	}
	org, user, err := h.createFirstOwner(ctx, f)
	if err != nil {
		return err
	}
	h.setupDone.Store(true)
	h.audit(c, &org.ID, &user.ID, user.Email, models.AuditSetup, "organization", fmt.Sprint(org.ID), map[string]any{"organization": org.Slug, "time_zone": org.TimeZone})
	if err := h.startSession(c, user, org.ID); err != nil {
		return err
	}
	session.Flash(c, "success", "Welcome! "+org.Name+" is ready. Add an integration to get started.")
	return c.Redirect(http.StatusSeeOther, web.URLs(c).Dashboard())
}

// checkSetup binds and validates the setup form; it returns the per-field
// messages (empty when the form is good).
func checkSetup(c echo.Context, f *setupForm) (map[string]string, error) {
	errs, err := web.BindForm(c, f)
	if err != nil {
		return nil, err
	}
	if errs == nil {
		errs = map[string]string{}
	}
	if msg := auth.CheckPasswordPolicy(f.Password); msg != "" && errs["password"] == "" {
		errs["password"] = msg
	}
	if models.Slugify(f.OrgName) == "" && errs["org_name"] == "" {
		errs["org_name"] = "must contain letters or digits"
	}
	if f.TimeZone == "" {
		errs["time_zone"] = "choose the practice's time zone"
	} else if _, err := clock.LoadZone(f.TimeZone); err != nil && errs["time_zone"] == "" {
		var ie *clock.InputError
		if !errors.As(err, &ie) {
			return nil, err
		}
		errs["time_zone"] = ie.Reason
	}
	return errs, nil
}

// createFirstOwner creates, in one transaction, the first organization
// (with the time zone chosen) and its owner; it refuses when someone set
// the instance up meanwhile.
func (h *AuthHandler) createFirstOwner(ctx context.Context, f setupForm) (*models.Organization, *models.User, error) {
	hash, err := auth.HashPassword(f.Password)
	if err != nil {
		return nil, nil, err
	}
	var user *models.User
	var org *models.Organization
	err = h.store.InTx(ctx, func(tx *models.Store) error {
		if any, err := tx.AnyUser(ctx); err != nil {
			return err
		} else if any {
			return apperr.NotFound("page")
		}
		if org, err = tx.CreateOrganization(ctx, models.Slugify(f.OrgName), f.OrgName); err != nil {
			return err
		}
		if _, org, err = tx.Tenant(org.ID).UpdateOrganization(ctx, models.OrganizationSettings{Name: org.Name,
			TimeZone: f.TimeZone, TimeZoneChosen: true}); err != nil {
			return err
		}
		if user, err = tx.CreateUser(ctx, f.Email, f.Name, hash); err != nil {
			return err
		}
		_, err = tx.Tenant(org.ID).AddMember(ctx, user.ID, models.RoleOwner)
		return err
	})
	return org, user, err
}
