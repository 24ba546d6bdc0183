package handlers

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"switchboard/apperr"
	"switchboard/views/pages"
)

// CredentialHandler serves an integration's credentials page.
type CredentialHandler struct {
	*CredentialAPI
}

// NewCredentialHandler returns a CredentialHandler.
func NewCredentialHandler(api *CredentialAPI) *CredentialHandler { return &CredentialHandler{api} }

// Show handles GET /integrations/:id/credentials.
func (h *CredentialHandler) Show(c echo.Context) error {
	return h.render(c, http.StatusOK, "", nil)
}

func (h *CredentialHandler) render(c echo.Context, status int, errEnv string, errs map[string]string) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	p := currentPrincipal(c)
	ctx := c.Request().Context()
	doc, rows, err := h.registry.Load(ctx, p.Org.ID, id)
	if err != nil {
		return err
	}
	in := rows.Integration
	page := pages.CredentialsPage{Header: headerOf(&in, "credentials")}
	t := h.store.Tenant(p.Org.ID)
	for _, env := range doc.Environments() {
		ce := pages.CredentialEnv{Environment: env, CanTest: doc.TestFunction != ""}
		if env == errEnv {
			ce.Errors = errs
		}
		masked := map[string]string{}
		cred, err := t.CredentialFor(ctx, id, env)
		switch {
		case err == nil:
			ce.ID, ce.Saved = cred.ID, true
			if masked, err = h.vault.Masked(cred); err != nil {
				return apperr.Wrap(err, apperr.CodeInternal, "the stored credential cannot be decrypted")
			}
			ce.LastUsed, ce.LastTested = fmtTime(cred.LastUsedAt), fmtTime(cred.LastTestedAt)
			ce.TestOK, ce.TestMessage = cred.LastTestOK, cred.LastTestMessage
		case !apperr.IsNotFound(err):
			return err
		}
		for _, f := range doc.CredentialFields {
			v, set := masked[f]
			ce.Fields = append(ce.Fields, pages.CredentialField{Name: f, Masked: v, Set: set})
		}
		page.Envs = append(page.Envs, ce)
	}
	return render(c, status, pages.Credentials(page))
}

// Save handles POST /integrations/:id/credentials/:env: blank inputs keep
// the saved values.
func (h *CredentialHandler) Save(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	p := currentPrincipal(c)
	ctx := c.Request().Context()
	in, err := h.store.Tenant(p.Org.ID).Integration(ctx, id)
	if err != nil {
		return err
	}
	env := c.Param("env")
	form, err := c.FormParams()
	if err != nil {
		return err
	}
	fields := map[string]string{}
	for k, vs := range form {
		if name, ok := strings.CutPrefix(k, "field_"); ok && len(vs) > 0 {
			fields[name] = vs[0]
		}
	}
	cred, err := saveCredential(ctx, h.store, h.registry, h.vault, p.Org.ID, credentialIn{Integration: in.Slug, Environment: env, Fields: fields}, true)
	if e, ok := apperr.As(err); ok && e.Code == apperr.CodeValidationFailed {
		errs := map[string]string{}
		for _, f := range e.Fields {
			errs[strings.TrimPrefix(f.Field, "fields.")] = f.Message
		}
		return h.render(c, http.StatusUnprocessableEntity, env, errs)
	}
	if err != nil {
		return err
	}
	h.audit(c, cred, credentialIn{Integration: in.Slug, Environment: env, Fields: fields})
	addFlash(c, "success", fmt.Sprintf("%s %s credentials were saved.", in.Name, env))
	return redirect(c, fmt.Sprintf("/integrations/%d/credentials", id))
}

// DeletePage handles POST /credentials/:id/delete.
func (h *CredentialHandler) DeletePage(c echo.Context) error {
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
	addFlash(c, "success", "The "+cred.Environment+" credentials were deleted.")
	return redirect(c, fmt.Sprintf("/integrations/%d/credentials", cred.IntegrationID))
}

// fmtTime shows a time for people, or "" for never.
func fmtTime(t *time.Time) string {
	if t == nil || t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}
