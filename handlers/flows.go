package handlers

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"switchboard/accounts"
	"switchboard/apperr"
	"switchboard/integrations/flows"
	"switchboard/models"
	"switchboard/views/pages"
	"switchboard/web"
	"switchboard/web/session"
)

// FlowHandler serves the Flows tab of a Node-RED integration.
type FlowHandler struct {
	svc *flows.Service
	log *accounts.Audit
}

// NewFlowHandler returns a FlowHandler.
func NewFlowHandler(svc *flows.Service, log *accounts.Audit) *FlowHandler {
	return &FlowHandler{svc: svc, log: log}
}

func (h *FlowHandler) integration(c echo.Context) (*models.Integration, error) {
	id, err := web.PathID(c, "id")
	if err != nil {
		return nil, err
	}
	return h.svc.Integration(c.Request().Context(), session.OrgID(c), id)
}

// Index handles GET /integrations/:id/flows.
func (h *FlowHandler) Index(c echo.Context) error {
	in, err := h.integration(c)
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, in, nil, "")
}

func (h *FlowHandler) render(c echo.Context, status int, in *models.Integration, preview *pages.FlowsPreview, problem string) error {
	rts, err := h.svc.Runtimes(c.Request().Context(), session.OrgID(c), in)
	if err != nil {
		return err
	}
	return web.Render(c, status, flowsPage(in, rts, preview, problem, session.Zone(c)))
}

// Preview handles POST /integrations/:id/flows/preview: a flows file
// checked and compared with what the environment runs.
func (h *FlowHandler) Preview(c echo.Context) error {
	in, err := h.integration(c)
	if err != nil {
		return err
	}
	env := c.FormValue("environment")
	b, _, err := web.ReadDocument(c, "a flows file exported from Node-RED (JSON)", "a flows document")
	if err != nil {
		return h.render(c, http.StatusUnprocessableEntity, in, nil, problemText(err))
	}
	doc, err := flows.Parse(b)
	if err != nil {
		return h.render(c, http.StatusUnprocessableEntity, in, nil, problemText(err))
	}
	changes, err := h.svc.Preview(c.Request().Context(), session.OrgID(c), in, env, doc)
	if err != nil {
		return h.render(c, http.StatusUnprocessableEntity, in, nil, problemText(err))
	}
	return h.render(c, http.StatusOK, in, flowsPreview(env, doc, changes), "")
}

// Deploy handles POST /integrations/:id/flows/deploy: the previewed
// document deployed (a backup of the environment first).
func (h *FlowHandler) Deploy(c echo.Context) error {
	in, err := h.integration(c)
	if err != nil {
		return err
	}
	env := c.FormValue("environment")
	doc, err := flows.Parse([]byte(c.FormValue("flows")))
	if err == nil {
		_, err = h.svc.Deploy(c.Request().Context(), session.OrgID(c), in, env, doc, session.Actor(c).Name, "deploy of a flows file")
	}
	return h.done(c, in, err, accounts.ActionFlowsDeployed, map[string]any{"environment": env, "nodes": len(doc)},
		fmt.Sprintf("The flows file was deployed to %s; what ran there before is kept as a backup.", env))
}

// Copy handles POST /integrations/:id/flows/copy.
func (h *FlowHandler) Copy(c echo.Context) error {
	in, err := h.integration(c)
	if err != nil {
		return err
	}
	from, to := c.FormValue("from"), c.FormValue("to")
	_, err = h.svc.Copy(c.Request().Context(), session.OrgID(c), in, from, to, session.Actor(c).Name)
	return h.done(c, in, err, accounts.ActionFlowsCopied, map[string]any{"from": from, "to": to},
		fmt.Sprintf("The %s flows were copied to %s; what ran there before is kept as a backup.", from, to))
}

// Restore handles POST /integrations/:id/flows/backups/:backupId/restore.
func (h *FlowHandler) Restore(c echo.Context) error {
	in, err := h.integration(c)
	if err != nil {
		return err
	}
	id, err := web.PathID(c, "backupId")
	if err != nil {
		return err
	}
	_, err = h.svc.Restore(c.Request().Context(), session.OrgID(c), in, id, session.Actor(c).Name)
	return h.done(c, in, err, accounts.ActionFlowsRestored, map[string]any{"backup_id": id},
		fmt.Sprintf("Backup #%d was deployed again; what ran before is kept as a backup too.", id))
}

// done audits and flashes a deploy's outcome and goes back to the tab; a
// refused or failed deploy shows the tab with the reason.
func (h *FlowHandler) done(c echo.Context, in *models.Integration, err error, action accounts.Action, details map[string]any, ok string) error {
	if _, known := apperr.As(err); err != nil && !known {
		return err
	}
	if err != nil {
		return h.render(c, http.StatusUnprocessableEntity, in, nil, problemText(err))
	}
	record(c, h.log, action, accounts.TargetOf("integration", in.ID), details)
	session.Flash(c, "success", ok)
	return web.Redirect(c, web.URLs(c).IntegrationFlows(in.ID))
}

// Download handles GET /integrations/:id/flows/backups/:backupId.
func (h *FlowHandler) Download(c echo.Context) error {
	in, err := h.integration(c)
	if err != nil {
		return err
	}
	id, err := web.PathID(c, "backupId")
	if err != nil {
		return err
	}
	b, err := h.svc.Backup(c.Request().Context(), session.OrgID(c), in.ID, id)
	if err != nil {
		return err
	}
	name := fmt.Sprintf("%s-%s-flows-%s.json", in.Slug, b.Environment, b.CreatedAt.UTC().Format("20060102-150405"))
	c.Response().Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	return c.Blob(http.StatusOK, "application/json", []byte(b.Flows))
}

// problemText is an error as a sentence for the page.
func problemText(err error) string {
	e, ok := apperr.As(err)
	if !ok {
		return "Something went wrong; nothing was deployed."
	}
	parts := []string{e.Message}
	for _, f := range e.Fields {
		parts = append(parts, f.Field+" "+f.Message)
	}
	return strings.Join(parts, ": ")
}
