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
	ID           int64  `json:"id" doc:"The integration's id (Switchboard's)."`
	Slug         string `json:"slug" doc:"The integration's slug, how URLs and other fields name it."`
	Name         string `json:"name" doc:"The integration's name."`
	Description  string `json:"description,omitempty" doc:"What the integration is."`
	Catalog      string `json:"catalog,omitempty" doc:"The slug of the catalog definition it was copied from; empty when none."`
	AuthType     string `json:"auth_type" doc:"How requests are authenticated (the definition's auth.type)."`
	Enabled      bool   `json:"enabled" doc:"Whether calls and syncs may use it."`
	TestFunction string `json:"test_function,omitempty" doc:"The function Test Connection calls."`
	Version      int64  `json:"version" doc:"The definition's version, raised by every change."`
	UpdatedAt    string `json:"updated_at" doc:"When the definition last changed (RFC 3339 instant, UTC)."`
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
	Catalog string `json:"catalog" validate:"required" doc:"The slug of the catalog definition to copy."`
	// Slug renames the copy (default: the catalog's slug).
	Slug string `json:"slug" doc:"Renames the copy (default: the catalog's slug)."`
	// Name renames the copy (default: the catalog's name).
	Name string `json:"name" doc:"Renames the copy (default: the catalog's name)."`
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
	ID          int64  `json:"id" doc:"The endpoint's id (Switchboard's)."`
	Integration string `json:"integration" doc:"The slug of the integration the endpoint belongs to."`
	definition.Endpoint
}

// Map is a parameter map as the API shows it.
type Map struct {
	ID          int64  `json:"id" doc:"The parameter map's id (Switchboard's)."`
	Integration string `json:"integration" doc:"The slug of the integration the map belongs to."`
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
	Mode string `query:"mode" doc:"merge (the default) keeps functions the document lacks; replace removes them." enum:"merge,replace"`
	// DryRun plans without writing anything.
	DryRun bool `query:"dry_run" doc:"Plan only: write nothing and answer what would change."`
	// Slug and Name name a new integration (defaults from the document).
	Slug string `query:"slug" doc:"Slug of a new integration (default: from the document)."`
	Name string `query:"name" doc:"Name of a new integration (default: from the document)."`
	// Tag keeps only the operations with one of these comma-separated tags.
	Tag string `query:"tag" doc:"Keep only the operations with one of these comma-separated tags."`
	// PathPrefix keeps only the operations under this path.
	PathPrefix string `query:"path_prefix" doc:"Keep only the operations under this path."`
	// ConfirmCredentialsHost lets the import move a base URL that receives
	// stored credentials to another host (audited).
	ConfirmCredentialsHost bool `query:"confirm_credentials_host" doc:"Let the import move a base URL that receives stored credentials to another host (audited)."`
}

// IntegrationUpdateQuery is the query of PUT /api/admin/integrations/{id}.
type IntegrationUpdateQuery struct {
	// ConfirmCredentialsHost lets the document move a base_url (or
	// auth.token_url/auth_url) that receives stored credentials to another
	// host; without it such a change is refused with 422 naming the field.
	// The confirmation is written to the audit log.
	ConfirmCredentialsHost bool `query:"confirm_credentials_host" doc:"Let the document move a base_url (or auth.token_url or auth_url) that receives stored credentials to another host (audited)."`
}

// ImportAnswer is the answer of an import: what was (or would be) added,
// changed and removed.
type ImportAnswer struct {
	Integration string           `json:"integration" doc:"The slug of the integration imported into."`
	Format      string           `json:"format" doc:"The format the document was read as."`
	Mode        openapi.Mode     `json:"mode" doc:"merge keeps functions the document lacks; replace removes them." enum:"merge,replace"`
	DryRun      bool             `json:"dry_run" doc:"True when nothing was written (a plan only)."`
	Added       []openapi.Change `json:"added" doc:"Functions the import adds."`
	Changed     []openapi.Change `json:"changed" doc:"Functions the import changes, with the fields that differ."`
	Removed     []openapi.Change `json:"removed" doc:"Functions the import removes (replace mode)."`
	Unchanged   int              `json:"unchanged" doc:"How many functions stay as they are."`
	Dropped     []string         `json:"dropped,omitempty" doc:"Operations left out of the import, and why."`
	Warnings    []string         `json:"warnings,omitempty" doc:"What to check after the import."`
	// Normalized says what was adjusted on the way in (the original
	// registry shape: methods, path prefixes, parameters); Duplicates
	// names repeated function names and how the repeats were renamed.
	Normalized []string `json:"normalized,omitempty" doc:"What was adjusted on the way in (the original registry shape: methods, path prefixes, parameters)."`
	Duplicates []string `json:"duplicates,omitempty" doc:"Repeated function names and how the repeats were renamed."`
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
	Format string `query:"format" doc:"yaml for YAML; left out, JSON (Accept: application/yaml asks for YAML too)." enum:"yaml,json"`
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
