package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"switchboard/accounts"
	"switchboard/api"
	"switchboard/web"
	"switchboard/web/session"
)

// readImport reads the document of an import (see web.ReadDocument).
func readImport(c echo.Context) ([]byte, string, error) {
	return web.ReadDocument(c, "an OpenAPI, Swagger or registry file", "an OpenAPI 3, Swagger 2 or registry document")
}

// Import handles POST /api/admin/integrations/:id/import and, for a new
// integration, POST /api/admin/integrations/import (?slug=&name=).
func (h *IntegrationAPI) Import(c echo.Context) error {
	orgID := session.From(c).Org.ID
	ctx := c.Request().Context()
	var req api.ImportQuery
	if err := web.BindQuery(c, &req); err != nil {
		return err
	}
	opt, err := req.Options()
	if err != nil {
		return err
	}
	if c.Param("id") != "" {
		in, err := h.resolve(c)
		if err != nil {
			return err
		}
		opt.IntegrationID = in.ID
	}
	data, name, err := readImport(c)
	if err != nil {
		return err
	}
	ctx, hc := h.hostChange(c, req.ConfirmCredentialsHost)
	res, err := h.svc.Import(ctx, orgID, data, name, opt)
	if err != nil {
		return err
	}
	if !opt.DryRun {
		h.audit(c, accounts.ActionIntegrationImported, res.Integration.ID, map[string]any{"slug": res.Integration.Slug,
			"format": res.Source.Format, "mode": string(opt.Mode), "added": len(res.Plan.Added), "changed": len(res.Plan.Changed), "removed": len(res.Plan.Removed)})
		h.auditHostChange(c, res.Integration.ID, hc)
	}
	slug := res.Plan.Result.Slug
	status := http.StatusOK
	if opt.IntegrationID == 0 && !opt.DryRun {
		status = http.StatusCreated
	}
	return c.JSON(status, api.ImportAnswerOf(res, slug, opt.DryRun))
}
