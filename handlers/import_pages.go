package handlers

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"switchboard/accounts"
	"switchboard/api"
	"switchboard/integrations/openapi"
	"switchboard/integrations/registry"
	"switchboard/views/pages"
	"switchboard/web"
	"switchboard/web/session"
)

// importTarget resolves the page's integration (nil for a new one).
func (h *IntegrationHandler) importTarget(c echo.Context) (*pages.IntegrationHeader, int64, string, error) {
	if c.Param("id") == "" {
		return nil, 0, web.URLs(c).IntegrationsImport(), nil
	}
	id, err := web.PathID(c, "id")
	if err != nil {
		return nil, 0, "", err
	}
	in, err := h.svc.Integration(c.Request().Context(), session.From(c).Org.ID, id)
	if err != nil {
		return nil, 0, "", err
	}
	hd := headerOf(in, "endpoints")
	return &hd, id, web.URLs(c).IntegrationImport(id), nil
}

// ImportPage handles GET /integrations/import and /integrations/:id/import.
func (h *IntegrationHandler) ImportPage(c echo.Context) error {
	hd, _, action, err := h.importTarget(c)
	if err != nil {
		return err
	}
	return web.Render(c, http.StatusOK, pages.Import(pages.ImportPage{Header: hd, Action: action, Mode: "merge"}))
}

// ImportPreview handles POST /integrations/import and
// /integrations/:id/import: a dry run whose plan is shown with an apply
// button.
func (h *IntegrationHandler) ImportPreview(c echo.Context) error {
	p := session.From(c)
	hd, id, action, err := h.importTarget(c)
	if err != nil {
		return err
	}
	opt, err := (api.ImportQuery{Mode: c.FormValue("mode"), DryRun: c.FormValue("dry_run") == "true", Slug: c.FormValue("slug"),
		Name: c.FormValue("name"), Tag: c.FormValue("tag"), PathPrefix: c.FormValue("path_prefix")}).Options()
	if err != nil {
		return err
	}
	opt.IntegrationID, opt.DryRun = id, true
	page := pages.ImportPage{Header: hd, Action: action, Mode: string(opt.Mode), Tag: c.FormValue("tag"),
		Prefix: opt.Filter.PathPrefix, Slug: opt.Slug, Name: opt.Name}
	data, file, err := readImport(c)
	if err == nil {
		var res *registry.ImportResult
		res, err = h.svc.Import(c.Request().Context(), p.Org.ID, data, file, opt)
		if err == nil {
			opt.DryRun = false
			tok := h.previews.Put(registry.Preview{OrgID: p.Org.ID, UserID: p.User.ID, Data: data, File: file, Options: opt})
			page.Preview = previewOf(res, tok, file)
			return web.Render(c, http.StatusOK, pages.Import(page))
		}
	}
	if page.Problems = web.Problems(err); page.Problems == nil {
		return err
	}
	return web.Render(c, http.StatusUnprocessableEntity, pages.Import(page))
}

func previewOf(res *registry.ImportResult, tok, file string) *pages.ImportPreview {
	conv := func(cs []openapi.Change) []pages.ImportChange {
		out := make([]pages.ImportChange, 0, len(cs))
		for _, c := range cs {
			out = append(out, pages.ImportChange{Function: c.Function, Method: c.Method, Path: c.Path, Fields: strings.Join(c.Fields, ", ")})
		}
		return out
	}
	pl := res.Plan
	return &pages.ImportPreview{Token: tok, File: file, Format: res.Source.Format, Mode: string(pl.Mode),
		Added: conv(pl.Added), Changed: conv(pl.Changed), Removed: conv(pl.Removed), Unchanged: len(pl.Unchanged),
		Dropped: pl.Dropped, Warnings: pl.Warnings, Normalized: pl.Normalized, Duplicates: pl.Duplicates}
}

// ImportApply handles POST /integrations/import/apply and
// /integrations/:id/import/apply.
func (h *IntegrationHandler) ImportApply(c echo.Context) error {
	p := session.From(c)
	_, _, action, err := h.importTarget(c)
	if err != nil {
		return err
	}
	pv, ok := h.previews.Take(c.FormValue("token"), p.Org.ID, p.User.ID)
	if !ok {
		session.Flash(c, "error", "That preview expired. Upload the file again.")
		return web.Redirect(c, action)
	}
	res, err := h.svc.Import(c.Request().Context(), p.Org.ID, pv.Data, pv.File, pv.Options)
	if err != nil {
		if ps := web.Problems(err); ps != nil {
			session.Flash(c, "error", "The import could not be applied: "+ps[0].Field+": "+ps[0].Message)
			return web.Redirect(c, action)
		}
		return err
	}
	in := res.Integration
	h.audit(c, accounts.ActionIntegrationImported, in.ID, map[string]any{"slug": in.Slug, "format": res.Source.Format,
		"mode": string(pv.Options.Mode), "added": len(res.Plan.Added), "changed": len(res.Plan.Changed), "removed": len(res.Plan.Removed)})
	session.Flash(c, "success", fmt.Sprintf("Imported %s: %d added, %d changed, %d removed.", pv.File, len(res.Plan.Added), len(res.Plan.Changed), len(res.Plan.Removed)))
	return web.Redirect(c, web.URLs(c).IntegrationEndpoints(in.ID))
}
