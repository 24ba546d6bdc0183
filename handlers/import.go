package handlers

import (
	"io"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"switchboard/apperr"
	"switchboard/integrations/openapi"
	"switchboard/integrations/registry"
)

// maxImportBytes is the import routes' body limit (SPEC §4: 20 MiB).
const maxImportBytes = 20 << 20

// importAnswer is the answer of an import: what was (or would be) added,
// changed and removed.
type importAnswer struct {
	Integration string           `json:"integration"`
	Format      string           `json:"format"`
	Mode        openapi.Mode     `json:"mode"`
	DryRun      bool             `json:"dry_run"`
	Added       []openapi.Change `json:"added"`
	Changed     []openapi.Change `json:"changed"`
	Removed     []openapi.Change `json:"removed"`
	Unchanged   int              `json:"unchanged"`
	Dropped     []string         `json:"dropped,omitempty"`
	Warnings    []string         `json:"warnings,omitempty"`
}

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
	req.Body = http.MaxBytesReader(c.Response(), req.Body, maxImportBytes)
	if strings.HasPrefix(req.Header.Get("Content-Type"), "multipart/form-data") {
		fh, err := c.FormFile("file")
		if err != nil {
			return nil, "", apperr.Validation(apperr.FieldError{Field: "file", Message: "is required: choose an OpenAPI, Swagger or registry file"})
		}
		if fh.Size > maxImportBytes {
			return nil, "", apperr.New(codePayloadTooLarge, "the file is larger than 20 MiB")
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
		return nil, "", jsonError(err)
	}
	if len(strings.TrimSpace(string(b))) == 0 {
		return nil, "", apperr.New(apperr.CodeInvalidRequest, "the request body is empty: send an OpenAPI 3, Swagger 2 or registry document")
	}
	return b, "request body", nil
}

// importOptions reads mode, dry_run, tag and path_prefix from the query
// (API) or the form (page).
func importOptions(c echo.Context) (registry.ImportOptions, error) {
	opt := registry.ImportOptions{Mode: openapi.Mode(firstOf(c, "mode")), DryRun: firstOf(c, "dry_run") == "true",
		Slug: firstOf(c, "slug"), Name: firstOf(c, "name"),
		Filter: openapi.Filter{PathPrefix: firstOf(c, "path_prefix")}}
	if tags := firstOf(c, "tag"); tags != "" {
		for _, t := range strings.Split(tags, ",") {
			if t = strings.TrimSpace(t); t != "" {
				opt.Filter.Tags = append(opt.Filter.Tags, t)
			}
		}
	}
	switch opt.Mode {
	case "":
		opt.Mode = openapi.ModeMerge
	case openapi.ModeMerge, openapi.ModeReplace:
	default:
		return opt, &apperr.Error{Code: apperr.CodeInvalidRequest, Message: "mode must be merge or replace",
			Fields: []apperr.FieldError{{Field: "mode", Message: "must be one of merge, replace"}}}
	}
	return opt, nil
}

func firstOf(c echo.Context, name string) string {
	if v := c.QueryParam(name); v != "" {
		return v
	}
	if strings.HasPrefix(c.Request().Header.Get("Content-Type"), "multipart/form-data") ||
		strings.HasPrefix(c.Request().Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		return c.FormValue(name)
	}
	return ""
}

// Import handles POST /api/admin/integrations/:id/import and, for a new
// integration, POST /api/admin/integrations/import (?slug=&name=).
func (h *IntegrationAPI) Import(c echo.Context) error {
	p := currentPrincipal(c)
	ctx := c.Request().Context()
	opt, err := importOptions(c)
	if err != nil {
		return err
	}
	if id := c.Param("id"); id != "" {
		in, err := h.registry.Resolve(ctx, p.Org.ID, id)
		if err != nil {
			return err
		}
		opt.IntegrationID = in.ID
	}
	data, name, err := readImport(c)
	if err != nil {
		return err
	}
	res, err := h.registry.Import(ctx, p.Org.ID, data, name, opt)
	if err != nil {
		return err
	}
	if !opt.DryRun {
		h.audit(c, "integration_imported", "integration", res.Integration.ID, map[string]any{"slug": res.Integration.Slug,
			"format": res.Source.Format, "mode": string(opt.Mode), "added": len(res.Plan.Added), "changed": len(res.Plan.Changed), "removed": len(res.Plan.Removed)})
	}
	slug := res.Plan.Result.Slug
	status := http.StatusOK
	if opt.IntegrationID == 0 && !opt.DryRun {
		status = http.StatusCreated
	}
	return c.JSON(status, answerOf(res, slug, opt.DryRun))
}
