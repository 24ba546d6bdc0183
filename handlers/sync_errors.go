package handlers

import (
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"switchboard/accounts"
	"switchboard/api"
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

// NewSyncErrorHandler returns a SyncErrorHandler; integrations name the
// jobs' integrations, log is the audit log, and demo is the demo sandbox's
// switches (nil otherwise), whose outage switch the page shows.
func NewSyncErrorHandler(sync *syncer.Manager, integrations *registry.Service, log *accounts.Audit, demo DemoControls) *SyncErrorHandler {
	return &SyncErrorHandler{sync: sync, integrations: integrations, log: log, demo: demo}
}

// jobFilter checks the query and turns it into the syncer's filter.
func (h *SyncErrorHandler) jobFilter(c echo.Context, q api.SyncErrorsQuery) (syncer.JobFilter, error) {
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
	if q.Status != "" {
		if f.Status, err = syncer.ParseStatuses(q.Status); err != nil {
			return f, err
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

// retryMatching retries the jobs the query's filters select (see
// syncer.RetryMatching).
func (h *SyncErrorHandler) retryMatching(c echo.Context, q api.SyncErrorsQuery, skipConflicts bool) (int, error) {
	f, err := h.jobFilter(c, q)
	if err != nil {
		return 0, err
	}
	return h.sync.RetryMatching(c.Request().Context(), session.OrgID(c), f, skipConflicts)
}

// query binds the log's query and checks it.
func (h *SyncErrorHandler) query(c echo.Context) (api.SyncErrorsQuery, syncer.JobFilter, error) {
	var q api.SyncErrorsQuery
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
	return c.JSON(http.StatusOK, api.SyncJobAnswer{Attempts: web.NonNil(attempts), Job: job})
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
	var in api.ResolveRequest
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
	var in api.BulkRetryRequest
	if err := web.DecodeJSON(c, &in); err != nil && !strings.Contains(err.Error(), "empty") {
		return err
	}
	var retried int
	var err error
	if len(in.IDs) == 0 {
		var q api.SyncErrorsQuery
		if err := web.BindQuery(c, &q); err != nil {
			return err
		}
		retried, err = h.retryMatching(c, q, false)
	} else {
		retried, err = h.sync.RetryEach(c.Request().Context(), session.OrgID(c), in.IDs)
	}
	if err != nil {
		return err
	}
	record(c, h.log, accounts.ActionSyncJobsRetried, accounts.TargetOf("sync_job", 0), map[string]any{"count": retried})
	return c.JSON(http.StatusOK, api.BulkRetryAnswer{Retried: retried})
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

// Queue handles GET /api/admin/queue: the background engine's jobs of
// the organization per kind and state, the oldest waiting and the
// throughput of the last minute, times in practice time.
func (h *SyncErrorHandler) Queue(c echo.Context) error {
	st, err := h.sync.QueueStats(c.Request().Context(), session.OrgID(c))
	if err != nil {
		return err
	}
	z := session.Zone(c)
	at := func(t *time.Time) {
		if t != nil {
			*t = z.In(*t)
		}
	}
	at(st.OldestWaiting)
	for i := range st.Kinds {
		at(st.Kinds[i].OldestWaiting)
	}
	return c.JSON(http.StatusOK, st)
}
