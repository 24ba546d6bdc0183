package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"switchboard/records"
	"switchboard/web"
	"switchboard/web/session"
)

// SyncJobHandler answers agents' reads of sync jobs.
type SyncJobHandler struct {
	svc *records.Service
}

// NewSyncJobHandler returns a SyncJobHandler.
func NewSyncJobHandler(svc *records.Service) *SyncJobHandler { return &SyncJobHandler{svc: svc} }

// APIGet handles GET /api/sync-jobs/:id: the job's status, numbered
// attempts and last error, for the caller's organization only.
func (h *SyncJobHandler) APIGet(c echo.Context) error {
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	v, err := h.svc.SyncJob(c.Request().Context(), session.From(c).Org.ID, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}
