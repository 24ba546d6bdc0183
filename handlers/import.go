package handlers

import (
	"io"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"switchboard/accounts"
	"switchboard/apperr"
	"switchboard/integrations/openapi"
	"switchboard/integrations/registry"
	"switchboard/web"
	"switchboard/web/session"
)

func answerOf(res *registry.ImportResult, slug string, dry bool) importAnswer {
	p := res.Plan
	a := importAnswer{Integration: slug, Format: res.Source.Format, Mode: p.Mode, DryRun: dry,
		Added: orEmpty(p.Added), Changed: orEmpty(p.Changed), Removed: orEmpty(p.Removed),
		Unchanged: len(p.Unchanged), Dropped: p.Dropped, Warnings: p.Warnings}
	return a
}

func orEmpty(cs []openapi.Change) []openapi.Change {
	if cs == nil {
		return []openapi.Change{}
	}
	return cs
}

// readImport reads the document: the multipart field "file", or the raw
// body. It returns the bytes and a file name for error messages.
func readImport(c echo.Context) ([]byte, string, error) {
	req := c.Request()
	req.Body = http.MaxBytesReader(c.Response(), req.Body, web.ImportBodyLimit)
	if strings.HasPrefix(req.Header.Get("Content-Type"), "multipart/form-data") {
		fh, err := c.FormFile("file")
		if err != nil {
			return nil, "", apperr.Validation(apperr.FieldError{Field: "file", Message: "is required: choose an OpenAPI, Swagger or registry file"})
		}
		if fh.Size > web.ImportBodyLimit {
			return nil, "", apperr.New(web.CodePayloadTooLarge, "the file is larger than 20 MiB")
		}
		f, err := fh.Open()
		if err != nil {
			return nil, "", err
		}
		defer f.Close()
		b, err := io.ReadAll(f)
		return b, fh.Filename, err
	}
	b, err := io.ReadAll(req.Body)
	if err != nil {
		return nil, "", web.JSONError(err)
	}
	if len(strings.TrimSpace(string(b))) == 0 {
		return nil, "", apperr.New(apperr.CodeInvalidRequest, "the request body is empty: send an OpenAPI 3, Swagger 2 or registry document")
	}
	return b, "request body", nil
}

// importOptions turns the import's options, from the query (API) or the
// form (page), into the registry's, checking the mode.
func importOptions(req importRequest) (registry.ImportOptions, error) {
	opt := registry.ImportOptions{Mode: openapi.Mode(req.Mode), DryRun: req.DryRun, Slug: req.Slug, Name: req.Name,
		Filter: openapi.Filter{PathPrefix: req.PathPrefix}}
	for _, t := range strings.Split(req.Tag, ",") {
		if t = strings.TrimSpace(t); t != "" {
			opt.Filter.Tags = append(opt.Filter.Tags, t)
		}
	}
	return opt, opt.Check()
}

// Import handles POST /api/admin/integrations/:id/import and, for a new
// integration, POST /api/admin/integrations/import (?slug=&name=).
func (h *IntegrationAPI) Import(c echo.Context) error {
	orgID := session.From(c).Org.ID
	ctx := c.Request().Context()
	var req importRequest
	if err := web.BindQuery(c, &req); err != nil {
		return err
	}
	opt, err := importOptions(req)
	if err != nil {
		return err
	}
	if id := c.Param("id"); id != "" {
		in, err := h.svc.Resolve(ctx, orgID, id)
		if err != nil {
			return err
		}
		opt.IntegrationID = in.ID
	}
	data, name, err := readImport(c)
	if err != nil {
		return err
	}
	res, err := h.svc.Import(ctx, orgID, data, name, opt)
	if err != nil {
		return err
	}
	if !opt.DryRun {
		h.audit(c, accounts.ActionIntegrationImported, res.Integration.ID, map[string]any{"slug": res.Integration.Slug,
			"format": res.Source.Format, "mode": string(opt.Mode), "added": len(res.Plan.Added), "changed": len(res.Plan.Changed), "removed": len(res.Plan.Removed)})
	}
	slug := res.Plan.Result.Slug
	status := http.StatusOK
	if opt.IntegrationID == 0 && !opt.DryRun {
		status = http.StatusCreated
	}
	return c.JSON(status, answerOf(res, slug, opt.DryRun))
}
