package handlers

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"switchboard/accounts"
	"switchboard/apperr"
	"switchboard/clock"
	"switchboard/integrations/vault"
	"switchboard/models"
	"switchboard/views/pages"
	"switchboard/web"
	"switchboard/web/middleware"
	"switchboard/web/session"
)

// CredentialHandler serves integration credentials: the credentials page,
// the admin JSON API and Test Connection. The credentials service does the
// work; values are sealed before they are stored and only shown masked.
type CredentialHandler struct {
	creds *vault.Credentials
	log   *accounts.Audit
}

// NewCredentialHandler returns a CredentialHandler; log is the audit log.
func NewCredentialHandler(creds *vault.Credentials, log *accounts.Audit) *CredentialHandler {
	return &CredentialHandler{creds: creds, log: log}
}

// Show handles GET /integrations/:id/credentials.
func (h *CredentialHandler) Show(c echo.Context) error {
	return h.renderPage(c, http.StatusOK, "", nil)
}

// renderPage shows the credentials page, with errs on errEnv's form.
func (h *CredentialHandler) renderPage(c echo.Context, status int, errEnv string, errs map[string]string) error {
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	ic, err := h.creds.ForIntegration(c.Request().Context(), session.From(c).Org.ID, id)
	if err != nil {
		return err
	}
	page := pages.CredentialsPage{Header: headerOf(&ic.Integration, "credentials"), CallbackURL: callbackURL(c)}
	if ic.Connect {
		middleware.AllowFormAction(c, originOf(ic.AuthorizeURL))
	}
	for _, ec := range ic.Envs {
		ce := credentialEnv(session.Zone(c), ic, ec)
		page.Header.NeedsReauth = page.Header.NeedsReauth || ce.NeedsReauth
		if ec.Environment == errEnv {
			ce.Errors = errs
		}
		page.Envs = append(page.Envs, ce)
	}
	return web.Render(c, status, pages.Credentials(page))
}

func credentialEnv(z clock.Zone, ic *vault.IntegrationCredentials, ec vault.EnvCredentials) pages.CredentialEnv {
	ce := pages.CredentialEnv{Environment: ec.Environment, CanTest: ic.CanTest, Source: ec.Source, OAuth: ic.Connect}
	masked := map[string]string{}
	if ec.Saved != nil {
		cred := ec.Saved.Credential
		ce.ID, ce.Saved, masked = cred.ID, true, ec.Saved.Masked
		ce.LastUsed, ce.LastTested = z.FormatPageOptional(cred.LastUsedAt), z.FormatPageOptional(cred.LastTestedAt)
		ce.TestOK, ce.TestMessage = cred.LastTestOK, cred.LastTestMessage
		_, ce.Connected = masked["refresh_token"]
		ce.Account, ce.NeedsReauth = cred.OAuthAccount, cred.NeedsReauth
	}
	for _, f := range ic.Fields {
		v, set := masked[f.Name]
		ce.Fields = append(ce.Fields, pages.CredentialField{Name: f.Name, Label: f.Title(), Help: f.Help, Secret: f.IsSecret(), Masked: v, Set: set})
	}
	return ce
}

// Save handles POST /integrations/:id/credentials/:env: blank inputs keep
// the saved values.
func (h *CredentialHandler) Save(c echo.Context) error {
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	fields, err := typedFields(c)
	if err != nil {
		return err
	}
	env := c.Param("env")
	saved, err := h.creds.Put(c.Request().Context(), session.From(c).Org.ID, id, env, fields)
	if e, ok := apperr.As(err); ok && e.Code == apperr.CodeValidationFailed {
		errs := map[string]string{}
		for _, f := range e.Fields {
			errs[strings.TrimPrefix(f.Field, "fields.")] = f.Message
		}
		return h.renderPage(c, http.StatusUnprocessableEntity, env, errs)
	}
	if err != nil {
		return err
	}
	h.auditSaved(c, saved)
	session.Flash(c, "success", fmt.Sprintf("%s %s credentials were saved.", saved.Integration.Name, env))
	return web.Redirect(c, web.URLs(c).IntegrationCredentials(id))
}

// DeletePage handles POST /credentials/:id/delete.
func (h *CredentialHandler) DeletePage(c echo.Context) error {
	cred, err := h.delete(c)
	if err != nil {
		return err
	}
	session.Flash(c, "success", "The "+cred.Environment+" credentials were deleted.")
	return web.Redirect(c, web.URLs(c).IntegrationCredentials(cred.IntegrationID))
}

// TestPage handles POST /integrations/:id/credentials/:env/test: the htmx
// button's answer, a ✓ or ✗ line.
func (h *CredentialHandler) TestPage(c echo.Context) error {
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	typed, err := typedFields(c)
	if err != nil {
		return err
	}
	for k, v := range typed {
		if v == "" {
			delete(typed, k)
		}
	}
	p := session.From(c)
	res, err := h.creds.Test(c.Request().Context(), p.Org.ID, vault.TestInput{IntegrationID: id, Environment: c.Param("env"), Caller: p.Actor(), Fields: typed})
	if e, ok := apperr.As(err); ok && e.Code != apperr.CodeInternal && e.Code != apperr.CodeNotFound {
		return web.Render(c, http.StatusOK, pages.TestResult(pages.TestOutcome{OK: false, Message: e.Message, Typed: len(typed) > 0}))
	}
	if err != nil {
		return err
	}
	return web.Render(c, http.StatusOK, pages.TestResult(pages.TestOutcome{OK: res.OK, Status: res.Status, Message: res.Message,
		DurationMS: res.Duration.Milliseconds(), Function: res.Function, Typed: len(typed) > 0}))
}

// typedFields are the form's credential inputs (field_NAME) by name, as
// typed: blank ones keep (or, for a test, use) the saved values.
func typedFields(c echo.Context) (map[string]string, error) {
	form, err := c.FormParams()
	if err != nil {
		return nil, err
	}
	fields := map[string]string{}
	for k, vs := range form {
		if name, ok := strings.CutPrefix(k, "field_"); ok && len(vs) > 0 {
			fields[name] = vs[0]
		}
	}
	return fields, nil
}

// delete deletes the credential of the :id route and audits it.
func (h *CredentialHandler) delete(c echo.Context) (*models.Credential, error) {
	id, err := web.PathID(c, "id")
	if err != nil {
		return nil, err
	}
	if _, err := h.allowed(c, id); err != nil {
		return nil, err
	}
	cred, err := h.creds.Delete(c.Request().Context(), session.From(c).Org.ID, id)
	if err != nil {
		return nil, err
	}
	record(c, h.log, accounts.ActionCredentialDeleted, accounts.TargetOf("credential", id), map[string]any{"environment": cred.Environment, "integration_id": cred.IntegrationID})
	return cred, nil
}

// auditSaved logs a save: only the names of the fields that changed,
// never their values.
func (h *CredentialHandler) auditSaved(c echo.Context, s *vault.Saved) {
	record(c, h.log, accounts.ActionCredentialSaved, accounts.TargetOf("credential", s.Credential.ID),
		map[string]any{"integration": s.Integration.Slug, "environment": s.Credential.Environment, "fields_changed": s.Changed})
}

// originOf is the scheme://host[:port] of a URL, "" when it has none.
func originOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host
}
