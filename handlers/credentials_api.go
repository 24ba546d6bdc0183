package handlers

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"switchboard/integrations/vault"
	"switchboard/web"
	"switchboard/web/session"
)

// credentialCreateRequest is the body of POST /api/admin/api-credentials.
type credentialCreateRequest struct {
	// Integration is the slug of the integration the fields are for.
	Integration string `json:"integration" validate:"required"`
	// Environment is production (the default) or sandbox.
	Environment string `json:"environment" validate:"omitempty,oneof=production sandbox"`
	// Fields are the values of the definition's credential_fields.
	Fields map[string]string `json:"fields"`
}

// credentialUpdateRequest is the body of PUT /api/admin/api-credentials/:id:
// fields sent replace their values, fields left out or blank keep theirs.
type credentialUpdateRequest struct {
	// Integration and Environment are accepted and ignored: a credential
	// stays with its integration and environment.
	Integration string            `json:"integration"`
	Environment string            `json:"environment"`
	Fields      map[string]string `json:"fields"`
}

// credentialResponse is a credential as the API shows it: masked.
type credentialResponse struct {
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

func credentialOut(v *vault.CredentialView) credentialResponse {
	cred := v.Credential
	return credentialResponse{ID: cred.ID, Integration: v.Integration.Slug, Environment: cred.Environment, Fields: v.Masked,
		MissingFields: v.MissingFields, LastUsedAt: cred.LastUsedAt, LastTestedAt: cred.LastTestedAt, LastTestOK: cred.LastTestOK,
		LastTestMessage: cred.LastTestMessage, CreatedAt: cred.CreatedAt, UpdatedAt: cred.UpdatedAt}
}

// List handles GET /api/admin/api-credentials.
func (h *CredentialHandler) List(c echo.Context) error {
	vs, err := h.creds.List(c.Request().Context(), session.From(c).Org.ID)
	if err != nil {
		return err
	}
	out := make([]credentialResponse, 0, len(vs))
	for i := range vs {
		out = append(out, credentialOut(&vs[i]))
	}
	return c.JSON(http.StatusOK, web.ListOf(out))
}

// Get handles GET /api/admin/api-credentials/:id.
func (h *CredentialHandler) Get(c echo.Context) error {
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	v, err := h.creds.Get(c.Request().Context(), session.From(c).Org.ID, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, credentialOut(v))
}

// Create handles POST /api/admin/api-credentials.
func (h *CredentialHandler) Create(c echo.Context) error {
	var req credentialCreateRequest
	if err := web.DecodeValidJSON(c, &req); err != nil {
		return err
	}
	in := vault.CredentialInput{Integration: req.Integration, Environment: req.Environment, Fields: req.Fields}
	saved, err := h.creds.Create(c.Request().Context(), session.From(c).Org.ID, in)
	if err != nil {
		return err
	}
	h.auditSaved(c, saved)
	return c.JSON(http.StatusCreated, credentialOut(&saved.CredentialView))
}

// Update handles PUT /api/admin/api-credentials/:id.
func (h *CredentialHandler) Update(c echo.Context) error {
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	var req credentialUpdateRequest
	if err := web.DecodeValidJSON(c, &req); err != nil {
		return err
	}
	saved, err := h.creds.Update(c.Request().Context(), session.From(c).Org.ID, id, req.Fields)
	if err != nil {
		return err
	}
	h.auditSaved(c, saved)
	return c.JSON(http.StatusOK, credentialOut(&saved.CredentialView))
}

// Delete handles DELETE /api/admin/api-credentials/:id.
func (h *CredentialHandler) Delete(c echo.Context) error {
	if _, err := h.delete(c); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// testConnectionRequest is the body of POST /api/admin/api-credentials/test:
// a saved credential, or an integration with unsaved fields to try.
type testConnectionRequest struct {
	CredentialID int64             `json:"credential_id"`
	Integration  string            `json:"integration"`
	Environment  string            `json:"environment"`
	Fields       map[string]string `json:"fields"`
}

// testConnectionResponse is the answer of a Test Connection; it answers
// 200 whenever the test ran and ok says how it went.
type testConnectionResponse struct {
	OK           bool       `json:"ok"`
	Status       int        `json:"status"`
	Message      string     `json:"message"`
	DurationMS   int64      `json:"duration_ms"`
	Function     string     `json:"function"`
	CredentialID int64      `json:"credential_id,omitempty"`
	TestedAt     *time.Time `json:"last_tested_at,omitempty"`
}

// Test handles POST /api/admin/api-credentials/test.
func (h *CredentialHandler) Test(c echo.Context) error {
	var req testConnectionRequest
	if err := web.DecodeValidJSON(c, &req); err != nil {
		return err
	}
	p := session.From(c)
	res, err := h.creds.Test(c.Request().Context(), p.Org.ID, vault.TestInput{CredentialID: req.CredentialID,
		Integration: req.Integration, Environment: req.Environment, Fields: req.Fields, Caller: p.Actor()})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, testConnectionResponse{OK: res.OK, Status: res.Status, Message: res.Message,
		DurationMS: res.Duration.Milliseconds(), Function: res.Function, CredentialID: res.CredentialID, TestedAt: res.TestedAt})
}
