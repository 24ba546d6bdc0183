package handlers

import (
	"switchboard/integrations/definition"
	"switchboard/integrations/openapi"
	"switchboard/models"
)

// The request and answer bodies of the admin API of integrations,
// endpoints, parameter maps and imports. A whole integration travels as
// its definition document (definition.Document) both ways.

// integrationSummary is one item of GET /api/admin/integrations.
type integrationSummary struct {
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

func summarize(in *models.Integration) integrationSummary {
	return integrationSummary{ID: in.ID, Slug: in.Slug, Name: in.Name, Description: in.Description, Catalog: in.Catalog,
		AuthType: in.AuthType, Enabled: in.Enabled, TestFunction: in.TestFunction, Version: in.Version,
		UpdatedAt: in.UpdatedAt.UTC().Format("2006-01-02T15:04:05Z")}
}

// fromCatalogRequest is the body of POST
// /api/admin/integrations/from-catalog.
type fromCatalogRequest struct {
	// Catalog is the slug of the catalog definition to copy.
	Catalog string `json:"catalog" validate:"required"`
	// Slug renames the copy (default: the catalog's slug).
	Slug string `json:"slug"`
	// Name renames the copy (default: the catalog's name).
	Name string `json:"name"`
}

// endpointRequest is the body of POST /api/admin/integrations/:id/endpoints
// and PUT /api/admin/endpoints/:id: one endpoint as the definition document
// writes it. The document's validation checks it, naming fields by their
// place in the document.
type endpointRequest = definition.Endpoint

// mapRequest is the body of POST /api/admin/integrations/:id/parameter-maps
// and PUT /api/admin/parameter-maps/:id.
type mapRequest = definition.ParameterMap

// endpointOut is an endpoint as the API shows it: its id, its integration
// and the document's fields.
type endpointOut struct {
	ID          int64  `json:"id"`
	Integration string `json:"integration"`
	definition.Endpoint
}

// mapOut is a parameter map as the API shows it.
type mapOut struct {
	ID          int64  `json:"id"`
	Integration string `json:"integration"`
	definition.ParameterMap
}

// importRequest holds the options of an import: the query of the import
// API, the form fields of the import page.
type importRequest struct {
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
}

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
