package handlers

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"switchboard/accounts"
	"switchboard/api"
	"switchboard/apperr"
	"switchboard/clock"
	"switchboard/integrations/syncer"
	"switchboard/models"
	"switchboard/urls"
	"switchboard/views/components"
	"switchboard/views/pages"
	"switchboard/web"
	"switchboard/web/session"
)

// Page handles GET /sync-errors.
func (h *SyncErrorHandler) Page(c echo.Context) error {
	p := session.From(c)
	ctx := c.Request().Context()
	q, f, err := h.query(c)
	if err != nil {
		return err
	}
	ins, err := h.integrations.List(ctx, p.Org.ID)
	if err != nil {
		return err
	}
	slugs := map[int64]string{}
	page := pages.SyncErrorsPage{Status: q.Status, Integration: q.Integration, Demo: h.demo != nil,
		Integrations: []components.SelectOption{{Value: "", Label: "All"}}}
	for _, in := range ins {
		slugs[in.ID] = in.Slug
		page.Integrations = append(page.Integrations, components.SelectOption{Value: in.Slug, Label: in.Name})
	}
	if h.demo != nil {
		page.Outage = h.demo.Outage(p.Org.ID)
	}
	jobs, err := h.sync.Jobs(ctx, p.Org.ID, f)
	if err != nil {
		return err
	}
	labels, err := h.sync.RecordLabels(ctx, p.Org.ID, jobs)
	if err != nil {
		return err
	}
	for _, j := range jobs {
		page.Rows = append(page.Rows, jobRow(session.Zone(c), &j, slugs[j.IntegrationID], labels))
	}
	if len(jobs) == f.Limit {
		q.Cursor = &jobs[len(jobs)-1].ID
		page.NextURL = urls.WithQuery(web.URLs(c).SyncErrors(), web.QueryValues(q))
	}
	return web.Render(c, http.StatusOK, pages.SyncErrors(page))
}

// jobRow is one job of the log, its record named by its label: the
// patient's name and, for an appointment, its start in practice time.
func jobRow(z clock.Zone, j *models.SyncJob, slug string, labels map[syncer.RecordKey]syncer.RecordLabel) pages.SyncJobRow {
	l := labels[syncer.RecordKey{Entity: j.Entity, ID: j.LocalID}]
	record := l.Name
	if !l.Start.IsZero() {
		record += " · " + z.FormatPage(l.Start)
	}
	return pages.SyncJobRow{ID: j.ID, Integration: slug, Entity: j.Entity, LocalID: j.LocalID, Operation: j.Operation,
		Status: j.Status, Attempts: j.Attempts, LastError: apperr.ExplainText(j.LastError), Updated: z.FormatPage(j.UpdatedAt),
		Record: record, RecordDeleted: l.Deleted}
}

// PageShow handles GET /sync-errors/:id.
func (h *SyncErrorHandler) PageShow(c echo.Context) error {
	p := session.From(c)
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	job, attempts, err := h.sync.Job(ctx, p.Org.ID, id)
	if err != nil {
		return err
	}
	in, err := h.integrations.Integration(ctx, p.Org.ID, job.IntegrationID)
	if err != nil {
		return err
	}
	labels, err := h.sync.RecordLabels(ctx, p.Org.ID, []models.SyncJob{*job})
	if err != nil {
		return err
	}
	page := pages.SyncJobPage{Job: jobRow(session.Zone(c), job, in.Slug, labels), Conflict: job.Status == "conflict"}
	if page.Conflict {
		d, err := syncer.ReadConflict(job.ConflictDetail)
		if err != nil {
			return err
		}
		for _, f := range d.Fields {
			page.Fields = append(page.Fields, pages.ConflictRow(f))
		}
	}
	for _, a := range attempts {
		page.Attempts = append(page.Attempts, pages.AttemptRow{Attempt: a.Attempt, OK: a.OK, When: session.Zone(c).FormatPage(a.CreatedAt),
			Sent: a.Sent, HTTPStatus: a.HTTPStatus, DurationMS: a.DurationMS, Error: a.Error, Request: a.RequestExcerpt, Response: a.ResponseExcerpt})
	}
	return web.Render(c, http.StatusOK, pages.SyncJob(page))
}

// syncJobActions are the audit actions of the page's buttons: the same as
// the JSON API's.
var syncJobActions = map[string]accounts.Action{"retry": accounts.ActionSyncJobRetried,
	"dismiss": accounts.ActionSyncJobDismissed, "resolve": accounts.ActionSyncConflictResolved}

// PageAction handles POST /sync-errors/:id/retry, /dismiss and /resolve.
func (h *SyncErrorHandler) PageAction(action string) echo.HandlerFunc {
	return func(c echo.Context) error {
		p := session.From(c)
		id, err := web.PathID(c, "id")
		if err != nil {
			return err
		}
		ctx := c.Request().Context()
		var retried *models.SyncJob
		switch action {
		case "retry":
			retried, err = h.sync.RetryNow(ctx, p.Org.ID, id)
		case "dismiss":
			err = h.sync.Dismiss(ctx, p.Org.ID, id)
		case "resolve":
			err = h.sync.Resolve(ctx, p.Org.ID, id, c.FormValue("keep"))
		}
		if e, ok := apperr.As(err); ok && (e.Code == apperr.CodeConflict || e.Code == apperr.CodeValidationFailed) {
			session.Flash(c, "error", e.Message)
			return web.Redirect(c, web.URLs(c).SyncError(id))
		}
		if err != nil {
			return err
		}
		record(c, h.log, syncJobActions[action], accounts.TargetOf("sync_job", id), nil)
		if retried != nil {
			kind, msg := retryFlash(retried)
			session.Flash(c, kind, msg)
		} else {
			session.Flash(c, "success", fmt.Sprintf("Job #%d: %s done.", id, action))
		}
		list := web.URLs(c).SyncErrors()
		back := c.Request().Referer()
		if u, err := url.Parse(back); err != nil || u.Host != c.Request().Host || !strings.HasPrefix(u.Path, list) {
			back = list
		}
		return web.Redirect(c, back)
	}
}

// PageBulkRetry handles POST /sync-errors/retry: retries every open job
// the filters select.
func (h *SyncErrorHandler) PageBulkRetry(c echo.Context) error {
	q := api.SyncErrorsQuery{Status: c.FormValue("status"), Integration: c.FormValue("integration")}
	n, err := h.retryMatching(c, q, true)
	if err != nil {
		return err
	}
	record(c, h.log, accounts.ActionSyncJobsRetried, accounts.TargetOf("sync_job", 0), map[string]any{"count": n})
	session.Flash(c, "success", fmt.Sprintf("%d jobs will be retried now.", n))
	return web.Redirect(c, urls.WithQuery(web.URLs(c).SyncErrors(), web.QueryValues(q)))
}

// SandboxOutage handles POST /sync-errors/sandbox-outage (demo only). It
// flips the outage of the caller's organization's sandbox tenant only.
func (h *SyncErrorHandler) SandboxOutage(c echo.Context) error {
	if h.demo == nil {
		return echo.ErrNotFound
	}
	down := c.FormValue("outage") == "true"
	h.demo.SetOutage(session.From(c).Org.ID, down)
	msg := "The sandbox answers normally again. Retry the failed jobs."
	if down {
		msg = "The sandbox is down: new writes will fail to sync and show up here."
	}
	session.Flash(c, "info", msg)
	return web.Redirect(c, web.URLs(c).SyncErrors())
}

// retryFlash says what a retry did: synced, failed again and why, or not
// run yet.
func retryFlash(j *models.SyncJob) (kind, msg string) {
	switch j.Status {
	case models.JobSynced:
		return "success", fmt.Sprintf("Job #%d: synced.", j.ID)
	case models.JobFailed, models.JobRetrying, models.JobConflict:
		return "error", fmt.Sprintf("Job #%d: %s again — %s", j.ID, j.Status, orDash(j.LastError))
	}
	if j.LastError != "" {
		return "info", fmt.Sprintf("Job #%d is queued again but waiting — %s. It runs by itself once that clears.", j.ID, j.LastError)
	}
	return "info", fmt.Sprintf("Job #%d is queued again and has not run yet; this page shows its attempt once it has.", j.ID)
}

func orDash(s string) string {
	if s == "" {
		return "no reason given"
	}
	return s
}
