package handlers

import (
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"switchboard/accounts"
	"switchboard/apperr"
	"switchboard/integrations/registry"
	"switchboard/integrations/syncer"
	"switchboard/models"
	"switchboard/records"
	"switchboard/web"
	"switchboard/web/session"
)

// SyncErrorHandler is the sync error log for staff (pages) and scripts
// (JSON): failed, retrying and conflicting jobs, with retry, dismiss and
// conflict resolution, over the syncer's error-log methods.
type SyncErrorHandler struct {
	sync         *syncer.Manager
	integrations *registry.Service
	log          *accounts.Audit
	demo         DemoControls
}

// SyncJobAnswer is a job of the sync error log with its attempts.
type SyncJobAnswer struct {
	Attempts []models.SyncAttempt `json:"attempts"`
	Job      *models.SyncJob      `json:"job"`
}

// ResolveRequest is the body of POST /api/admin/sync-errors/:id/resolve:
// keep "local" pushes the local record, "external" applies the change
// held back.
type ResolveRequest struct {
	Keep string `json:"keep"`
}

// BulkRetryRequest is the body of POST /api/admin/sync-errors/retry; no
// ids retries the jobs the query's filters select.
type BulkRetryRequest struct {
	IDs []int64 `json:"ids"`
}

// BulkRetryAnswer counts the jobs retried.
type BulkRetryAnswer struct {
	Retried int `json:"retried"`
}

// NewSyncErrorHandler returns a SyncErrorHandler; integrations name the
// jobs' integrations, log is the audit log, and demo is the demo sandbox's
// switches (nil otherwise), whose outage switch the page shows.
func NewSyncErrorHandler(sync *syncer.Manager, integrations *registry.Service, log *accounts.Audit, demo DemoControls) *SyncErrorHandler {
	return &SyncErrorHandler{sync: sync, integrations: integrations, log: log, demo: demo}
}

// SyncErrorsQuery is the query of the sync error log, page and API.
type SyncErrorsQuery struct {
	// Integration is an integration's slug.
	Integration string `query:"integration"`
	// Status is a comma-separated list of pending, retrying, failed,
	// conflict, synced and dismissed.
	Status string `query:"status"`
	// Entity is patient or appointment.
	Entity string `query:"entity"`
	// From and To are practice-local days (To included) or date-times.
	From string `query:"from"`
	To   string `query:"to"`
	web.PageQuery
}

// jobFilter checks the query and turns it into the syncer's filter.
func (h *SyncErrorHandler) jobFilter(c echo.Context, q SyncErrorsQuery) (syncer.JobFilter, error) {
	var f syncer.JobFilter
	var err error
	if f.AfterID, f.Limit, err = q.Page(); err != nil {
		return f, err
	}
	if s := q.Integration; s != "" {
		in, err := h.integrations.BySlug(c.Request().Context(), session.OrgID(c), s)
		if err != nil {
			return f, &apperr.Error{Code: apperr.CodeInvalidRequest, Message: "no integration " + s,
				Fields: []apperr.FieldError{{Field: "integration", Message: "is not an integration of this organization"}}}
		}
		f.IntegrationID = in.ID
	}
	if s := q.Status; s != "" {
		for _, st := range strings.Split(s, ",") {
			switch st = strings.TrimSpace(st); st {
			case "pending", "retrying", "failed", "conflict", "synced", "dismissed":
				f.Status = append(f.Status, st)
			default:
				return f, &apperr.Error{Code: apperr.CodeInvalidRequest, Message: "unknown status " + st,
					Fields: []apperr.FieldError{{Field: "status", Message: "must be pending, retrying, failed, conflict, synced or dismissed"}}}
			}
		}
	}
	f.Entity = q.Entity
	zone := session.Zone(c)
	for _, edge := range []struct {
		name, value string
		dst         *time.Time
	}{{"from", q.From, &f.From}, {"to", q.To, &f.To}} {
		if edge.value == "" {
			continue
		}
		t, err := records.ParseListEdge(zone, edge.value, edge.name == "to")
		if err != nil {
			return f, &apperr.Error{Code: apperr.CodeInvalidRequest, Message: edge.name + " is not a date",
				Fields: []apperr.FieldError{{Field: edge.name, Message: "must be a date (YYYY-MM-DD, a practice-local day) or a date-time"}}}
		}
		*edge.dst = t
	}
	return f, nil
}

// query binds the log's query and checks it.
func (h *SyncErrorHandler) query(c echo.Context) (SyncErrorsQuery, syncer.JobFilter, error) {
	var q SyncErrorsQuery
	if err := web.BindQuery(c, &q); err != nil {
		return q, syncer.JobFilter{}, err
	}
	f, err := h.jobFilter(c, q)
	return q, f, err
}

// List handles GET /api/admin/sync-errors.
func (h *SyncErrorHandler) List(c echo.Context) error {
	_, f, err := h.query(c)
	if err != nil {
		return err
	}
	jobs, err := h.sync.Jobs(c.Request().Context(), session.From(c).Org.ID, f)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, web.CursorList(jobs, f.Limit, func(j *models.SyncJob) int64 { return j.ID }))
}

// Get handles GET /api/admin/sync-errors/:id: the job and its attempts.
func (h *SyncErrorHandler) Get(c echo.Context) error {
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	job, attempts, err := h.sync.Job(c.Request().Context(), session.From(c).Org.ID, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, SyncJobAnswer{Attempts: web.NonNil(attempts), Job: job})
}

// Retry handles POST /api/admin/sync-errors/:id/retry.
// The answer is the job after its next attempt (waited for a few seconds):
// synced, or failed again with the reason in last_error.
func (h *SyncErrorHandler) Retry(c echo.Context) error {
	return h.act(c, func(orgID, id int64) error {
		_, err := h.sync.RetryNow(c.Request().Context(), orgID, id)
		return err
	}, accounts.ActionSyncJobRetried)
}

// Dismiss handles POST /api/admin/sync-errors/:id/dismiss.
func (h *SyncErrorHandler) Dismiss(c echo.Context) error {
	return h.act(c, func(orgID, id int64) error { return h.sync.Dismiss(c.Request().Context(), orgID, id) }, accounts.ActionSyncJobDismissed)
}

// Resolve handles POST /api/admin/sync-errors/:id/resolve with
// {"keep": "local"|"external"} for a manual conflict.
func (h *SyncErrorHandler) Resolve(c echo.Context) error {
	var in ResolveRequest
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	if in.Keep != "local" && in.Keep != "external" {
		return apperr.Validation(apperr.FieldError{Field: "keep", Message: "must be local or external"})
	}
	return h.act(c, func(orgID, id int64) error { return h.sync.Resolve(c.Request().Context(), orgID, id, in.Keep) }, accounts.ActionSyncConflictResolved)
}

// BulkRetry handles POST /api/admin/sync-errors/retry with {"ids": [...]}
// (or the list filters in the query when ids is empty).
func (h *SyncErrorHandler) BulkRetry(c echo.Context) error {
	var in BulkRetryRequest
	if err := web.DecodeJSON(c, &in); err != nil && !strings.Contains(err.Error(), "empty") {
		return err
	}
	var retried int
	var err error
	if len(in.IDs) == 0 {
		var q SyncErrorsQuery
		if err := web.BindQuery(c, &q); err != nil {
			return err
		}
		retried, err = h.retryFiltered(c, q, false)
	} else {
		retried, err = h.retry(c, session.From(c).Org.ID, in.IDs)
	}
	if err != nil {
		return err
	}
	record(c, h.log, accounts.ActionSyncJobsRetried, accounts.TargetOf("sync_job", 0), map[string]any{"count": retried})
	return c.JSON(http.StatusOK, BulkRetryAnswer{Retried: retried})
}

// retryFiltered retries the jobs the query's filters select (failed and
// retrying ones when no status is given), at most 200, leaving conflicts
// alone when asked to.
func (h *SyncErrorHandler) retryFiltered(c echo.Context, q SyncErrorsQuery, skipConflicts bool) (int, error) {
	f, err := h.jobFilter(c, q)
	if err != nil {
		return 0, err
	}
	if len(f.Status) == 0 {
		f.Status = []string{"failed", "retrying"}
	}
	f.Limit = 200
	orgID := session.From(c).Org.ID
	jobs, err := h.sync.Jobs(c.Request().Context(), orgID, f)
	if err != nil {
		return 0, err
	}
	ids := make([]int64, 0, len(jobs))
	for _, j := range jobs {
		if !skipConflicts || j.Status != "conflict" {
			ids = append(ids, j.ID)
		}
	}
	return h.retry(c, orgID, ids)
}

// retry retries the jobs and counts those retried; a job gone or no
// longer open is passed over.
func (h *SyncErrorHandler) retry(c echo.Context, orgID int64, ids []int64) (int, error) {
	retried := 0
	for _, id := range ids {
		if err := h.sync.Retry(c.Request().Context(), orgID, id); err == nil {
			retried++
		} else if !apperr.IsNotFound(err) && apperr.Code(err) != apperr.CodeConflict {
			return retried, err
		}
	}
	return retried, nil
}

func (h *SyncErrorHandler) act(c echo.Context, fn func(orgID, id int64) error, action accounts.Action) error {
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	orgID := session.From(c).Org.ID
	if err := fn(orgID, id); err != nil {
		return err
	}
	record(c, h.log, action, accounts.TargetOf("sync_job", id), nil)
	job, _, err := h.sync.Job(c.Request().Context(), orgID, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, job)
}
