package registry

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"sigs.k8s.io/yaml"

	"switchboard/apperr"
	"switchboard/integrations/catalog"
	"switchboard/integrations/definition"
	"switchboard/models"
)

// Service is the application's work on integration definitions: what the
// pages and the admin API do with integrations, endpoints, parameter maps
// and imports. Every edit loads the whole document, changes it, validates
// and compiles it and saves it in one transaction; errors carry apperr
// codes. It knows nothing of HTTP.
type Service struct {
	reg   *Registry
	store *models.Store
}

// NewService returns the Service of reg over store.
func NewService(reg *Registry, store *models.Store) *Service {
	return &Service{reg: reg, store: store}
}

// List returns the organization's integrations by name.
func (s *Service) List(ctx context.Context, orgID int64) ([]models.Integration, error) {
	return s.store.Tenant(orgID).Integrations(ctx)
}

// Integration returns integration id.
func (s *Service) Integration(ctx context.Context, orgID, id int64) (*models.Integration, error) {
	return s.store.Tenant(orgID).Integration(ctx, id)
}

// BySlug returns the integration of a slug.
func (s *Service) BySlug(ctx context.Context, orgID int64, slug string) (*models.Integration, error) {
	return s.store.Tenant(orgID).IntegrationBySlug(ctx, slug)
}

// Resolve finds an integration by numeric id or by slug.
func (s *Service) Resolve(ctx context.Context, orgID int64, ref string) (*models.Integration, error) {
	return s.reg.Resolve(ctx, orgID, ref)
}

// Load returns the draft of integration id.
func (s *Service) Load(ctx context.Context, orgID, id int64) (*Draft, error) {
	return loadDraft(ctx, s.store.Tenant(orgID), id)
}

// LoadRef returns the draft of the integration named by id or slug.
func (s *Service) LoadRef(ctx context.Context, orgID int64, ref string) (*Draft, error) {
	in, err := s.Resolve(ctx, orgID, ref)
	if err != nil {
		return nil, err
	}
	return s.Load(ctx, orgID, in.ID)
}

// Create saves a new integration from doc.
func (s *Service) Create(ctx context.Context, orgID int64, doc *definition.Document) (*models.Integration, error) {
	return s.reg.Create(ctx, orgID, doc, "")
}

// CreateFromCatalog copies the catalog definition named entry into the
// organization, under slug and name when they are given.
func (s *Service) CreateFromCatalog(ctx context.Context, orgID int64, entry, slug, name string) (*models.Integration, error) {
	if entry == "" {
		return nil, apperr.Validation(apperr.FieldError{Field: "catalog", Message: "is required"})
	}
	e, err := catalog.Get(entry)
	if err != nil {
		return nil, apperr.Validation(apperr.FieldError{Field: "catalog", Message: fmt.Sprintf("no catalog definition %q; see `switchboard catalog list`", entry)})
	}
	doc, err := definition.ParseYAML(e.Raw)
	if err != nil {
		return nil, fmt.Errorf("registry: catalog definition %q: %w", entry, err)
	}
	if slug != "" {
		doc.Slug = slug
	}
	if name != "" {
		doc.Name = name
	}
	return s.reg.Create(ctx, orgID, doc, entry)
}

// Replace replaces integration id with doc.
func (s *Service) Replace(ctx context.Context, orgID, id int64, doc *definition.Document) (*models.Integration, error) {
	return s.reg.Replace(ctx, orgID, id, doc, Hints{})
}

// Delete removes integration id and everything that belongs to it.
func (s *Service) Delete(ctx context.Context, orgID, id int64) (*models.Integration, error) {
	return s.reg.Delete(ctx, orgID, id)
}

// ParseDocument reads a definition document, YAML when asYAML is set and
// JSON otherwise. A bad document fails with a validation error naming the
// field, or an invalid-request error saying what cannot be read.
func ParseDocument(data []byte, asYAML bool) (*definition.Document, error) {
	var doc *definition.Document
	var err error
	if asYAML {
		doc, err = definition.ParseYAML(data)
	} else {
		doc, err = definition.ParseJSON(data)
	}
	if err == nil {
		return doc, nil
	}
	if ve := ValidationError(err); ve != err {
		return nil, ve
	}
	return nil, apperr.New(apperr.CodeInvalidRequest, "%s", strings.TrimPrefix(err.Error(), "definition: "))
}

// EncodeDocument writes doc as YAML, or as indented JSON when format is
// "json".
func EncodeDocument(doc *definition.Document, format string) ([]byte, error) {
	if format == "json" {
		b, err := json.MarshalIndent(doc, "", "  ")
		return b, wrapEncode(err)
	}
	b, err := yaml.Marshal(doc)
	return b, wrapEncode(err)
}

func wrapEncode(err error) error {
	if err != nil {
		return fmt.Errorf("registry: encode document: %w", err)
	}
	return nil
}

// Validate normalizes doc and checks that it compiles, without saving.
func Validate(doc *definition.Document) error {
	doc.Normalize()
	_, err := Check(doc)
	return err
}
