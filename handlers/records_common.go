package handlers

import (
	"time"

	"github.com/labstack/echo/v4"

	"switchboard/api"
	"switchboard/apperr"
	"switchboard/integrations/syncer"
	"switchboard/models"
	"switchboard/records"
	"switchboard/views/pages"
	"switchboard/web"
	"switchboard/web/session"
)

// formValues are a record's text form fields, to fill its form.
func formValues[R any](fields []models.Field[R], r *R) map[string]string {
	m := map[string]string{}
	for _, f := range fields {
		if f.Form && f.Text != nil {
			m[f.Name] = *f.Text(r)
		}
	}
	return m
}

func badges(states []syncer.State) []pages.SyncBadge {
	out := make([]pages.SyncBadge, 0, len(states))
	for _, s := range states {
		out = append(out, pages.SyncBadge{Integration: s.Integration, Mode: s.Mode, Status: s.Status, ExternalID: s.ExternalID, Error: apperr.ExplainText(s.Error), JobID: s.JobID})
	}
	return out
}

// maxWait caps ?wait=.
const maxWait = 10 * time.Second

// waitFor parses ?wait=2s.
func waitFor(c echo.Context) (time.Duration, error) {
	var q api.WaitQuery
	if err := web.BindQuery(c, &q); err != nil {
		return 0, err
	}
	v := q.Wait
	if v == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		return 0, &apperr.Error{Code: apperr.CodeInvalidRequest, Message: "wait must be a duration such as 2s",
			Fields: []apperr.FieldError{{Field: "wait", Message: "must be a duration such as 2s"}}}
	}
	return min(d, maxWait), nil
}

// answerRecord answers a write with build(states), after waiting for the
// first sync attempts when ?wait= asks to.
func answerRecord(c echo.Context, svc *records.Service, status int, entity string, id int64, states []syncer.State, build func([]syncer.State) any) error {
	wait, err := waitFor(c)
	if err != nil {
		return err
	}
	if wait > 0 {
		if states, err = svc.WaitFirstAttempt(c.Request().Context(), session.From(c).Org.ID, entity, id, wait); err != nil {
			return err
		}
	}
	return c.JSON(status, build(web.NonNil(states)))
}

// formFields are the inputs of a record's table-driven form.
func formFields[R any](fields []models.Field[R]) []pages.FormField {
	types := map[models.FieldKind]string{models.KindDate: "date", models.KindPhone: "tel", models.KindEmail: "email"}
	var out []pages.FormField
	for _, f := range fields {
		if f.Form && f.Text != nil {
			out = append(out, pages.FormField{Name: f.Name, Label: f.Label, Type: types[f.Kind], Required: f.Required})
		}
	}
	return out
}
