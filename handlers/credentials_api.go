package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"switchboard/api"
	"switchboard/integrations/vault"
	"switchboard/web"
	"switchboard/web/session"
)

// List handles GET /api/admin/api-credentials.
func (h *CredentialHandler) List(c echo.Context) error {
	vs, err := h.creds.List(c.Request().Context(), session.From(c).Org.ID)
	if err != nil {
		return err
	}
	allowed := session.AllowedIntegration(c)
	out := make([]api.Credential, 0, len(vs))
	for i := range vs {
		if allowed(vs[i].Integration.Slug) {
			out = append(out, api.CredentialOf(&vs[i]))
		}
	}
	return c.JSON(http.StatusOK, web.ListOf(out))
}

// Get handles GET /api/admin/api-credentials/:id.
func (h *CredentialHandler) Get(c echo.Context) error {
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	v, err := h.allowed(c, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, api.CredentialOf(v))
}

// Create handles POST /api/admin/api-credentials.
func (h *CredentialHandler) Create(c echo.Context) error {
	var req api.CredentialCreate
	if err := web.DecodeValidJSON(c, &req); err != nil {
		return err
	}
	if err := session.IntegrationAllowed(c, req.Integration); err != nil {
		return err
	}
	in := vault.CredentialInput{Integration: req.Integration, Environment: req.Environment, Fields: req.Fields}
	saved, err := h.creds.Create(c.Request().Context(), session.From(c).Org.ID, in)
	if err != nil {
		return err
	}
	h.auditSaved(c, saved)
	return c.JSON(http.StatusCreated, api.CredentialOf(&saved.CredentialView))
}

// Update handles PUT /api/admin/api-credentials/:id.
func (h *CredentialHandler) Update(c echo.Context) error {
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	if _, err := h.allowed(c, id); err != nil {
		return err
	}
	var req api.CredentialUpdate
	if err := web.DecodeValidJSON(c, &req); err != nil {
		return err
	}
	saved, err := h.creds.Update(c.Request().Context(), session.From(c).Org.ID, id, req.Fields)
	if err != nil {
		return err
	}
	h.auditSaved(c, saved)
	return c.JSON(http.StatusOK, api.CredentialOf(&saved.CredentialView))
}

// Delete handles DELETE /api/admin/api-credentials/:id.
func (h *CredentialHandler) Delete(c echo.Context) error {
	if _, err := h.delete(c); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// Test handles POST /api/admin/api-credentials/test.
func (h *CredentialHandler) Test(c echo.Context) error {
	var req api.TestConnectionRequest
	if err := web.DecodeValidJSON(c, &req); err != nil {
		return err
	}
	if err := h.allowedTest(c, req); err != nil {
		return err
	}
	p := session.From(c)
	res, err := h.creds.Test(c.Request().Context(), p.Org.ID, vault.TestInput{CredentialID: req.CredentialID,
		Integration: req.Integration, Environment: req.Environment, Fields: req.Fields, Caller: p.Actor()})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, api.TestConnectionAnswer{OK: res.OK, Status: res.Status, Message: res.Message,
		DurationMS: res.Duration.Milliseconds(), Function: res.Function, CredentialID: res.CredentialID, TestedAt: res.TestedAt})
}

// allowed is credential id, refused to a key limited to other
// integrations.
func (h *CredentialHandler) allowed(c echo.Context, id int64) (*vault.CredentialView, error) {
	v, err := h.creds.Get(c.Request().Context(), session.From(c).Org.ID, id)
	if err != nil {
		return nil, err
	}
	return v, session.IntegrationAllowed(c, v.Integration.Slug)
}

// allowedTest refuses a Test Connection of another integration than the
// key's.
func (h *CredentialHandler) allowedTest(c echo.Context, req api.TestConnectionRequest) error {
	if req.CredentialID != 0 {
		_, err := h.allowed(c, req.CredentialID)
		return err
	}
	return session.IntegrationAllowed(c, req.Integration)
}
