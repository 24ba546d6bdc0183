package handlers

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"switchboard/apperr"
	"switchboard/integrations/definition"
	"switchboard/integrations/registry"
	"switchboard/integrations/vault"
	"switchboard/models"
)

// CredentialAPI manages integration credentials (SPEC §4). Values are
// sealed before they are stored and only ever answered masked.
type CredentialAPI struct {
	store    *models.Store
	registry *registry.Registry
	vault    *vault.Vault
	source   *vault.Source
	logger   *slog.Logger
}

// NewCredentialAPI returns a CredentialAPI. source is told of every change
// so that the executor's cached fields follow.
func NewCredentialAPI(store *models.Store, reg *registry.Registry, v *vault.Vault, source *vault.Source, logger *slog.Logger) *CredentialAPI {
	return &CredentialAPI{store: store, registry: reg, vault: v, source: source, logger: logger}
}

// credentialOut is a credential as the API shows it: masked.
type credentialOut struct {
	ID              int64             `json:"id"`
	Integration     string            `json:"integration"`
	Environment     string            `json:"environment"`
	Fields          map[string]string `json:"fields"`
	MissingFields   []string          `json:"missing_fields"`
	LastUsedAt      *time.Time        `json:"last_used_at"`
	LastTestedAt    *time.Time        `json:"last_tested_at"`
	LastTestOK      *bool             `json:"last_test_ok"`
	LastTestMessage string            `json:"last_test_message"`
	CreatedAt       time.Time         `json:"created_at"`
	UpdatedAt       time.Time         `json:"updated_at"`
}

type credentialIn struct {
	Integration string            `json:"integration"`
	Environment string            `json:"environment"`
	Fields      map[string]string `json:"fields"`
}

// List handles GET /api/admin/api-credentials.
func (h *CredentialAPI) List(c echo.Context) error {
	p := currentPrincipal(c)
	ctx := c.Request().Context()
	cs, err := h.store.Tenant(p.Org.ID).Credentials(ctx)
	if err != nil {
		return err
	}
	out := make([]credentialOut, 0, len(cs))
	for i := range cs {
		o, err := h.present(ctx, p.Org.ID, &cs[i])
		if err != nil {
			return err
		}
		out = append(out, *o)
	}
	return c.JSON(http.StatusOK, listOf(out))
}

// Get handles GET /api/admin/api-credentials/:id.
func (h *CredentialAPI) Get(c echo.Context) error {
	p := currentPrincipal(c)
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	cred, err := h.store.Tenant(p.Org.ID).Credential(c.Request().Context(), id)
	if err != nil {
		return err
	}
	o, err := h.present(c.Request().Context(), p.Org.ID, cred)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, o)
}

// Create handles POST /api/admin/api-credentials.
func (h *CredentialAPI) Create(c echo.Context) error {
	p := currentPrincipal(c)
	var in credentialIn
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	cred, err := saveCredential(c.Request().Context(), h.store, h.registry, h.vault, p.Org.ID, in, false)
	if err != nil {
		return err
	}
	h.audit(c, cred, in)
	o, err := h.present(c.Request().Context(), p.Org.ID, cred)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, o)
}

// Update handles PUT /api/admin/api-credentials/:id: fields sent replace
// their values; fields left out or blank keep theirs.
func (h *CredentialAPI) Update(c echo.Context) error {
	p := currentPrincipal(c)
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	cur, err := h.store.Tenant(p.Org.ID).Credential(ctx, id)
	if err != nil {
		return err
	}
	var in credentialIn
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	in.Environment = cur.Environment
	in.Integration, err = h.slugOf(ctx, p.Org.ID, cur.IntegrationID)
	if err != nil {
		return err
	}
	cred, err := saveCredential(ctx, h.store, h.registry, h.vault, p.Org.ID, in, true)
	if err != nil {
		return err
	}
	h.audit(c, cred, in)
	o, err := h.present(ctx, p.Org.ID, cred)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, o)
}

// Delete handles DELETE /api/admin/api-credentials/:id.
func (h *CredentialAPI) Delete(c echo.Context) error {
	p := currentPrincipal(c)
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	t := h.store.Tenant(p.Org.ID)
	cred, err := t.Credential(c.Request().Context(), id)
	if err != nil {
		return err
	}
	if err := t.DeleteCredential(c.Request().Context(), id); err != nil {
		return err
	}
	h.source.Invalidate(cred.OrganizationID, cred.IntegrationID)
	auditChange(c, h.store, h.logger, "credential_deleted", "credential", id, map[string]any{"environment": cred.Environment, "integration_id": cred.IntegrationID})
	return c.NoContent(http.StatusNoContent)
}

func (h *CredentialAPI) audit(c echo.Context, cred *models.Credential, in credentialIn) {
	h.source.Invalidate(cred.OrganizationID, cred.IntegrationID)
	// Only the names of the fields that changed: never their values.
	var changed []string
	for k, v := range in.Fields {
		if v != "" {
			changed = append(changed, k)
		}
	}
	sort.Strings(changed)
	auditChange(c, h.store, h.logger, "credential_saved", "credential", cred.ID,
		map[string]any{"integration": in.Integration, "environment": cred.Environment, "fields_changed": changed})
}

func (h *CredentialAPI) slugOf(ctx context.Context, orgID, integrationID int64) (string, error) {
	in, err := h.store.Tenant(orgID).Integration(ctx, integrationID)
	if err != nil {
		return "", err
	}
	return in.Slug, nil
}

func (h *CredentialAPI) present(ctx context.Context, orgID int64, cred *models.Credential) (*credentialOut, error) {
	doc, rows, err := h.registry.Load(ctx, orgID, cred.IntegrationID)
	if err != nil {
		return nil, err
	}
	masked, err := h.vault.Masked(cred)
	if err != nil {
		return nil, apperr.Wrap(err, apperr.CodeInternal, "the stored credential cannot be decrypted")
	}
	o := &credentialOut{ID: cred.ID, Integration: rows.Integration.Slug, Environment: cred.Environment, Fields: masked,
		MissingFields: []string{}, LastUsedAt: cred.LastUsedAt, LastTestedAt: cred.LastTestedAt, LastTestOK: cred.LastTestOK,
		LastTestMessage: cred.LastTestMessage, CreatedAt: cred.CreatedAt, UpdatedAt: cred.UpdatedAt}
	for _, f := range doc.CredentialFields {
		if _, ok := masked[f]; !ok {
			o.MissingFields = append(o.MissingFields, f)
		}
	}
	return o, nil
}

// saveCredential validates fields against the integration's
// credential_fields, merges them with the stored ones when merge is set,
// seals them and saves.
func saveCredential(ctx context.Context, store *models.Store, reg *registry.Registry, v *vault.Vault, orgID int64, in credentialIn, merge bool) (*models.Credential, error) {
	var problems []apperr.FieldError
	if in.Integration == "" {
		problems = append(problems, apperr.FieldError{Field: "integration", Message: "is required"})
	}
	if in.Environment == "" {
		in.Environment = "production"
	}
	if !definition.IsEnvironment(in.Environment) {
		problems = append(problems, apperr.FieldError{Field: "environment", Message: "must be one of production, sandbox"})
	}
	if len(problems) > 0 {
		return nil, apperr.Validation(problems...)
	}
	t := store.Tenant(orgID)
	integ, err := t.IntegrationBySlug(ctx, in.Integration)
	if apperr.IsNotFound(err) {
		return nil, apperr.Validation(apperr.FieldError{Field: "integration", Message: fmt.Sprintf("no integration %q in this organization", in.Integration)})
	}
	if err != nil {
		return nil, err
	}
	doc, _, err := reg.Load(ctx, orgID, integ.ID)
	if err != nil {
		return nil, err
	}
	existing, err := t.CredentialFor(ctx, integ.ID, in.Environment)
	switch {
	case err == nil && !merge:
		return nil, apperr.New(apperr.CodeConflict, "%s already has %s credentials (id %d): update them with PUT /api/admin/api-credentials/%d", in.Integration, in.Environment, existing.ID, existing.ID)
	case err != nil && !apperr.IsNotFound(err):
		return nil, err
	}
	fields := map[string]string{}
	if err == nil {
		if fields, err = v.Open(existing); err != nil {
			return nil, apperr.Wrap(err, apperr.CodeInternal, "the stored credential cannot be decrypted")
		}
	} else {
		existing = &models.Credential{IntegrationID: integ.ID, Environment: in.Environment}
	}
	for k, val := range in.Fields {
		if !slices.Contains(doc.CredentialFields, k) {
			problems = append(problems, apperr.FieldError{Field: "fields." + k, Message: fmt.Sprintf("is not a credential field of %s (expected %s)", in.Integration, strings.Join(doc.CredentialFields, ", "))})
			continue
		}
		if strings.TrimSpace(val) != "" {
			fields[k] = strings.TrimSpace(val)
		}
	}
	for _, f := range doc.CredentialFields {
		if fields[f] == "" {
			problems = append(problems, apperr.FieldError{Field: "fields." + f, Message: "is required"})
		}
	}
	if len(doc.CredentialFields) == 0 {
		problems = append(problems, apperr.FieldError{Field: "integration", Message: in.Integration + " needs no credentials (its definition lists no credential_fields)"})
	}
	if len(problems) > 0 {
		sort.Slice(problems, func(i, j int) bool { return problems[i].Field < problems[j].Field })
		return nil, apperr.Validation(problems...)
	}
	sealed, names, err := v.Seal(orgID, integ.ID, in.Environment, fields)
	if err != nil {
		return nil, err
	}
	existing.Sealed, existing.FieldNames = sealed, names
	if err := t.SaveCredential(ctx, existing); err != nil {
		return nil, err
	}
	return t.Credential(ctx, existing.ID)
}
