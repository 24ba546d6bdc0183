package registry

import (
	"context"
	"errors"
	"fmt"

	"switchboard/apperr"
	"switchboard/integrations/definition"
	"switchboard/integrations/openapi"
	"switchboard/models"
)

// ImportOptions says how an import meets the integration.
type ImportOptions struct {
	// IntegrationID is the integration to import into; 0 creates one.
	IntegrationID int64
	// Slug and Name name a new integration (defaults from the source).
	Slug, Name string
	Mode       openapi.Mode
	Filter     openapi.Filter
	// DryRun plans without writing anything.
	DryRun bool
}

// ImportResult is the plan and, unless it was a dry run, the integration
// as saved.
type ImportResult struct {
	Plan        *openapi.Plan
	Integration *models.Integration
	Source      *openapi.Source
}

// Import parses an OpenAPI 3, Swagger 2 or registry document, plans it
// against the integration and, unless DryRun, saves the result in one
// transaction. A bad document writes nothing and fails with the place and
// reason of the problem. One import per organization runs at a time, and
// at most MaxImports in all (dry runs count: they cost as much); another
// is refused with rate_limited and a retry_after.
func (r *Registry) Import(ctx context.Context, orgID int64, data []byte, filename string, opt ImportOptions) (*ImportResult, error) {
	leave, err := r.imports.enter(orgID)
	if err != nil {
		return nil, err
	}
	defer leave()
	return r.importDocument(ctx, orgID, data, filename, opt)
}

// importDocument is Import once let in.
func (r *Registry) importDocument(ctx context.Context, orgID int64, data []byte, filename string, opt ImportOptions) (*ImportResult, error) {
	src, err := openapi.Parse(data, filename)
	if err != nil {
		return nil, sourceError(err)
	}
	if !opt.Filter.IsZero() {
		src = src.Filter(opt.Filter)
	}
	if len(src.Endpoints) == 0 {
		return nil, apperr.Validation(apperr.FieldError{Field: "document", Message: "no operations to import (check the tag or path filter)"})
	}
	res := &ImportResult{Source: src}
	if opt.IntegrationID == 0 {
		src.TrimBasePath(src.BaseURL)
		plan, err := openapi.NewPlan(nil, src, opt.Mode, opt.Slug, opt.Name)
		res.Plan = plan
		if err != nil {
			return res, planError(err)
		}
		if opt.DryRun {
			return res, nil
		}
		res.Integration, err = r.Create(ctx, orgID, plan.Result, "")
		return res, err
	}
	if opt.DryRun {
		d, err := loadDraft(ctx, r.store.Tenant(orgID), opt.IntegrationID)
		if err != nil {
			return nil, err
		}
		res.Integration = &d.Integration
		src.TrimBasePath(baseURLOf(d.Doc))
		res.Plan, err = openapi.NewPlan(d.Doc, src, opt.Mode, "", "")
		return res, planErrorOrNil(err)
	}
	d, err := r.edit(ctx, orgID, opt.IntegrationID, func(d *Draft) error {
		src.TrimBasePath(baseURLOf(d.Doc))
		plan, err := openapi.NewPlan(d.Doc, src, opt.Mode, "", "")
		res.Plan = plan
		if err != nil {
			return planError(err)
		}
		d.Doc, d.Hints = plan.Result, Hints{}
		return nil
	})
	if err != nil {
		return res, err
	}
	res.Integration = &d.Integration
	return res, nil
}

// baseURLOf is an integration's production base URL, else its sandbox
// one: the path a registry's endpoints may repeat.
func baseURLOf(d *definition.Document) string {
	if u := d.BaseURL[definition.EnvProduction]; u != "" {
		return u
	}
	return d.BaseURL[definition.EnvSandbox]
}

func planErrorOrNil(err error) error {
	if err == nil {
		return nil
	}
	return planError(err)
}

// sourceError turns a parse failure into a validation error that names the
// file, the JSON pointer and the reason.
func sourceError(err error) error {
	var oe *openapi.Error
	if !errors.As(err, &oe) {
		return apperr.Validation(apperr.FieldError{Field: "document", Message: err.Error()})
	}
	field := oe.Pointer
	if field == "" {
		field = "document"
	}
	msg := oe.Reason
	if oe.Line > 0 {
		msg = fmt.Sprintf("line %d: %s", oe.Line, msg)
	}
	e := apperr.Validation(apperr.FieldError{Field: field, Message: msg})
	e.Message = oe.Error()
	return e
}

// planError reports why the imported result would not be a valid
// definition.
func planError(err error) error {
	if ve := ValidationError(err); ve != err {
		return ve
	}
	return apperr.Validation(apperr.FieldError{Field: "document", Message: err.Error()})
}

// Check sets the default mode (merge) and refuses an unknown one.
func (o *ImportOptions) Check() error {
	switch o.Mode {
	case "":
		o.Mode = openapi.ModeMerge
	case openapi.ModeMerge, openapi.ModeReplace:
	default:
		return &apperr.Error{Code: apperr.CodeInvalidRequest, Message: "mode must be merge or replace",
			Fields: []apperr.FieldError{{Field: "mode", Message: "must be one of merge, replace"}}}
	}
	return nil
}

// Import plans an OpenAPI 3, Swagger 2 or registry document against the
// integration of opt (a new one when it is 0) and, unless DryRun, saves it.
func (s *Service) Import(ctx context.Context, orgID int64, data []byte, filename string, opt ImportOptions) (*ImportResult, error) {
	if err := opt.Check(); err != nil {
		return nil, err
	}
	return s.reg.Import(ctx, orgID, data, filename, opt)
}
