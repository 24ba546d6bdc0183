package handlers

import (
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"switchboard/apperr"
	"switchboard/integrations/syncer"
	"switchboard/models"
	"switchboard/records"
)

// SyncErrorHandler is the sync error log for staff (pages) and scripts
// (JSON): failed, retrying and conflicting jobs, with retry, dismiss and
// conflict resolution, over the syncer's error-log methods.
type SyncErrorHandler struct {
	store  *models.Store
	sync   *syncer.Manager
	logger *slog.Logger
	demo   DemoControls
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

// NewSyncErrorHandler returns a SyncErrorHandler; demo is the demo sandbox's switches
// (nil otherwise), whose outage switch the page shows.
func NewSyncErrorHandler(store *models.Store, sync *syncer.Manager, logger *slog.Logger, demo DemoControls) *SyncErrorHandler {
	return &SyncErrorHandler{store: store, sync: sync, logger: logger, demo: demo}
}

// jobFilter reads integration (slug), status (comma list), entity, from,
// to, cursor and limit.
func (h *SyncErrorHandler) jobFilter(c echo.Context) (syncer.JobFilter, error) {
	var f syncer.JobFilter
	var err error
	if f.AfterID, f.Limit, err = paging(c); err != nil {
		return f, err
	}
	if s := c.QueryParam("integration"); s != "" {
		in, err := h.store.Tenant(currentPrincipal(c).Org.ID).IntegrationBySlug(c.Request().Context(), s)
		if err != nil {
			return f, &apperr.Error{Code: apperr.CodeInvalidRequest, Message: "no integration " + s,
				Fields: []apperr.FieldError{{Field: "integration", Message: "is not an integration of this organization"}}}
		}
		f.IntegrationID = in.ID
	}
	if s := c.QueryParam("status"); s != "" {
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
	f.Entity = c.QueryParam("entity")
	zone := practiceZone(c)
	for name, dst := range map[string]*time.Time{"from": &f.From, "to": &f.To} {
		if v := c.QueryParam(name); v != "" {
			t, err := records.ParseListEdge(zone, v, name == "to")
			if err != nil {
				return f, &apperr.Error{Code: apperr.CodeInvalidRequest, Message: name + " is not a date",
					Fields: []apperr.FieldError{{Field: name, Message: "must be a date (YYYY-MM-DD, a practice-local day) or a date-time"}}}
			}
			*dst = t
		}
	}
	return f, nil
}

// List handles GET /api/admin/sync-errors.
func (h *SyncErrorHandler) List(c echo.Context) error {
	f, err := h.jobFilter(c)
	if err != nil {
		return err
	}
	jobs, err := h.sync.Jobs(c.Request().Context(), currentPrincipal(c).Org.ID, f)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, cursorList(jobs, f.Limit, func(j *models.SyncJob) int64 { return j.ID }))
}

// Get handles GET /api/admin/sync-errors/:id: the job and its attempts.
func (h *SyncErrorHandler) Get(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	job, attempts, err := h.sync.Job(c.Request().Context(), currentPrincipal(c).Org.ID, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, SyncJobAnswer{Attempts: nonNil(attempts), Job: job})
}

// Retry handles POST /api/admin/sync-errors/:id/retry.
// The answer is the job after its next attempt (waited for a few seconds):
// synced, or failed again with the reason in last_error.
func (h *SyncErrorHandler) Retry(c echo.Context) error {
	return h.act(c, func(orgID, id int64) error {
		_, err := h.sync.RetryNow(c.Request().Context(), orgID, id)
		return err
	}, "sync_job_retried")
}

// Dismiss handles POST /api/admin/sync-errors/:id/dismiss.
func (h *SyncErrorHandler) Dismiss(c echo.Context) error {
	return h.act(c, func(orgID, id int64) error { return h.sync.Dismiss(c.Request().Context(), orgID, id) }, "sync_job_dismissed")
}

// Resolve handles POST /api/admin/sync-errors/:id/resolve with
// {"keep": "local"|"external"} for a manual conflict.
func (h *SyncErrorHandler) Resolve(c echo.Context) error {
	var in ResolveRequest
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if in.Keep != "local" && in.Keep != "external" {
		return apperr.Validation(apperr.FieldError{Field: "keep", Message: "must be local or external"})
	}
	return h.act(c, func(orgID, id int64) error { return h.sync.Resolve(c.Request().Context(), orgID, id, in.Keep) }, "sync_conflict_resolved")
}

// BulkRetry handles POST /api/admin/sync-errors/retry with {"ids": [...]}
// (or the list filters in the query when ids is empty).
func (h *SyncErrorHandler) BulkRetry(c echo.Context) error {
	var in BulkRetryRequest
	if err := decodeJSON(c, &in); err != nil && !strings.Contains(err.Error(), "empty") {
		return err
	}
	var retried int
	var err error
	if len(in.IDs) == 0 {
		retried, err = h.retryFiltered(c, false)
	} else {
		retried, err = h.retry(c, currentPrincipal(c).Org.ID, in.IDs)
	}
	if err != nil {
		return err
	}
	auditChange(c, h.store, h.logger, "sync_jobs_retried", "sync_job", 0, map[string]any{"count": retried})
	return c.JSON(http.StatusOK, BulkRetryAnswer{Retried: retried})
}

// retryFiltered retries the jobs the query's filters select (failed and
// retrying ones when no status is given), at most 200, leaving conflicts
// alone when asked to.
func (h *SyncErrorHandler) retryFiltered(c echo.Context, skipConflicts bool) (int, error) {
	f, err := h.jobFilter(c)
	if err != nil {
		return 0, err
	}
	if len(f.Status) == 0 {
		f.Status = []string{"failed", "retrying"}
	}
	f.Limit = 200
	orgID := currentPrincipal(c).Org.ID
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

func (h *SyncErrorHandler) act(c echo.Context, fn func(orgID, id int64) error, action string) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	orgID := currentPrincipal(c).Org.ID
	if err := fn(orgID, id); err != nil {
		return err
	}
	auditChange(c, h.store, h.logger, action, "sync_job", id, nil)
	job, _, err := h.sync.Job(c.Request().Context(), orgID, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, job)
}

// Webhook handles POST /webhooks/:org/:provider: a change pushed by an
// external system, verified by its signature (X-Switchboard-Signature, or
// X-Hub-Signature-256 / X-Signature, carrying "t=…,v1=…"; see
// syncer.Manager.Webhook).
func Webhook(sync *syncer.Manager) echo.HandlerFunc {
	return func(c echo.Context) error {
		body, err := io.ReadAll(c.Request().Body)
		if err != nil {
			return jsonError(err)
		}
		sig := c.Request().Header.Get("X-Switchboard-Signature")
		for _, h := range []string{"X-Hub-Signature-256", "X-Signature"} {
			if sig == "" {
				sig = c.Request().Header.Get(h)
			}
		}
		if err := sync.Webhook(c.Request().Context(), c.Param("org"), c.Param("provider"), body, sig); err != nil {
			return err
		}
		return c.JSON(http.StatusAccepted, map[string]bool{"accepted": true})
	}
}
