package api

import (
	"strings"

	"switchboard/integrations/definition"
	"switchboard/integrations/openapi"
	"switchboard/integrations/registry"
	"switchboard/models"
)

// IntegrationSummary is one item of GET /api/admin/integrations.
type IntegrationSummary struct {
	ID           int64  `json:"id"`
	Slug         string `json:"slug"`
	Name         string `json:"name"`
	Description  string `json:"description,omitempty"`
	Catalog      string `json:"catalog,omitempty"`
	AuthType     string `json:"auth_type"`
	Enabled      bool   `json:"enabled"`
	TestFunction string `json:"test_function,omitempty"`
	Version      int64  `json:"version"`
	UpdatedAt    string `json:"updated_at"`
}

// SummaryOf is an integration as the admin API lists it.
func SummaryOf(in *models.Integration) IntegrationSummary {
	return IntegrationSummary{ID: in.ID, Slug: in.Slug, Name: in.Name, Description: in.Description, Catalog: in.Catalog,
		AuthType: in.AuthType, Enabled: in.Enabled, TestFunction: in.TestFunction, Version: in.Version,
		UpdatedAt: in.UpdatedAt.UTC().Format("2006-01-02T15:04:05Z")}
}

// FromCatalogRequest is the body of POST
// /api/admin/integrations/from-catalog.
type FromCatalogRequest struct {
	// Catalog is the slug of the catalog definition to copy.
	Catalog string `json:"catalog" validate:"required"`
	// Slug renames the copy (default: the catalog's slug).
	Slug string `json:"slug"`
	// Name renames the copy (default: the catalog's name).
	Name string `json:"name"`
}

// EndpointRequest is the body of POST /api/admin/integrations/:id/endpoints
// and PUT /api/admin/endpoints/:id: one endpoint as the definition document
// writes it. The document's validation checks it, naming fields by their
// place in the document.
type EndpointRequest = definition.Endpoint

// MapRequest is the body of POST /api/admin/integrations/:id/parameter-maps
// and PUT /api/admin/parameter-maps/:id.
type MapRequest = definition.ParameterMap

// Endpoint is an endpoint as the API shows it: its id, its integration
// and the document's fields.
type Endpoint struct {
	ID          int64  `json:"id"`
	Integration string `json:"integration"`
	definition.Endpoint
}

// Map is a parameter map as the API shows it.
type Map struct {
	ID          int64  `json:"id"`
	Integration string `json:"integration"`
	definition.ParameterMap
}

// EndpointOf is the draft's endpoint i as the API shows it.
func EndpointOf(d *registry.Draft, i int) Endpoint {
	return Endpoint{ID: d.EndpointID(i), Integration: d.Integration.Slug, Endpoint: d.Doc.Endpoints[i]}
}

// MapOf is the draft's parameter map i as the API shows it.
func MapOf(d *registry.Draft, i int) Map {
	return Map{ID: d.MapID(i), Integration: d.Integration.Slug, ParameterMap: d.Doc.ParameterMaps[i]}
}

// ImportQuery holds the options of an import: the query of the import
// API, the form fields of the import page.
type ImportQuery struct {
	// Mode is merge (the default) or replace.
	Mode string `query:"mode"`
	// DryRun plans without writing anything.
	DryRun bool `query:"dry_run"`
	// Slug and Name name a new integration (defaults from the document).
	Slug string `query:"slug"`
	Name string `query:"name"`
	// Tag keeps only the operations with one of these comma-separated tags.
	Tag string `query:"tag"`
	// PathPrefix keeps only the operations under this path.
	PathPrefix string `query:"path_prefix"`
	// ConfirmCredentialsHost lets the import move a base URL that receives
	// stored credentials to another host (audited).
	ConfirmCredentialsHost bool `query:"confirm_credentials_host"`
}

// IntegrationUpdateQuery is the query of PUT /api/admin/integrations/{id}.
type IntegrationUpdateQuery struct {
	// ConfirmCredentialsHost lets the document move a base_url (or
	// auth.token_url/auth_url) that receives stored credentials to another
	// host; without it such a change is refused with 422 naming the field.
	// The confirmation is written to the audit log.
	ConfirmCredentialsHost bool `query:"confirm_credentials_host"`
}

// ImportAnswer is the answer of an import: what was (or would be) added,
// changed and removed.
type ImportAnswer struct {
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
	// Normalized says what was adjusted on the way in (the original
	// registry shape: methods, path prefixes, parameters); Duplicates
	// names repeated function names and how the repeats were renamed.
	Normalized []string `json:"normalized,omitempty"`
	Duplicates []string `json:"duplicates,omitempty"`
}

// ImportAnswerOf is the answer of an import of res into the integration
// of slug (dry: nothing was written).
func ImportAnswerOf(res *registry.ImportResult, slug string, dry bool) ImportAnswer {
	p := res.Plan
	a := ImportAnswer{Integration: slug, Format: res.Source.Format, Mode: p.Mode, DryRun: dry,
		Added: orEmpty(p.Added), Changed: orEmpty(p.Changed), Removed: orEmpty(p.Removed),
		Unchanged: len(p.Unchanged), Dropped: p.Dropped, Warnings: p.Warnings,
		Normalized: p.Normalized, Duplicates: p.Duplicates}
	return a
}

func orEmpty(cs []openapi.Change) []openapi.Change {
	if cs == nil {
		return []openapi.Change{}
	}
	return cs
}

// ExportQuery is the query of the document export: format yaml, or left
// out for JSON (Accept: application/yaml asks for YAML too).
type ExportQuery struct {
	Format string `query:"format"`
}

// Options are the import's options as the registry takes them; a mode
// other than merge or replace is refused.
func (q ImportQuery) Options() (registry.ImportOptions, error) {
	opt := registry.ImportOptions{Mode: openapi.Mode(q.Mode), DryRun: q.DryRun, Slug: q.Slug, Name: q.Name,
		Filter: openapi.Filter{PathPrefix: q.PathPrefix}}
	for _, t := range strings.Split(q.Tag, ",") {
		if t = strings.TrimSpace(t); t != "" {
			opt.Filter.Tags = append(opt.Filter.Tags, t)
		}
	}
	return opt, opt.Check()
}
