package handlers

import (
	"net/http"
	"switchboard/apperr"

	"github.com/labstack/echo/v4"

	"switchboard/accounts"
	"switchboard/integrations/registry"
	"switchboard/views/pages"
	"switchboard/web"
	"switchboard/web/session"
)

// Show handles GET /integrations/:id: settings and the document editor.
func (h *IntegrationHandler) Show(c echo.Context) error {
	return h.renderEdit(c, http.StatusOK, nil, "", "", nil)
}

// renderEdit renders the settings page with form (nil: the stored
// settings) and the document text (""; the stored document in format).
func (h *IntegrationHandler) renderEdit(c echo.Context, status int, form *pages.IntegrationSettingsForm, text, format string, problems []pages.DocProblem) error {
	d, err := h.draft(c)
	if err != nil {
		return err
	}
	if form == nil {
		f := settingsForm(registry.SettingsOf(d.Doc)).view(nil)
		form = &f
	}
	if format == "" {
		format = "yaml"
	}
	if text == "" {
		b, err := registry.EncodeDocument(d.Doc, format)
		if err != nil {
			return err
		}
		text = string(b)
	}
	in := d.Integration
	reauth, err := h.svc.NeedsReauth(c.Request().Context(), session.From(c).Org.ID, in.ID)
	if err != nil {
		return err
	}
	header := headerOf(&in, "settings")
	header.NeedsReauth = reauth
	return web.Render(c, status, pages.IntegrationEdit(pages.IntegrationEditPage{
		Header: header,
		Form:   *form, Functions: d.Functions(), Document: text, Format: format, Problems: problems, Version: in.Version,
	}))
}

// draft loads the integration of the :id path parameter.
func (h *IntegrationHandler) draft(c echo.Context) (*registry.Draft, error) {
	id, err := web.PathID(c, "id")
	if err != nil {
		return nil, err
	}
	return h.svc.Load(c.Request().Context(), session.From(c).Org.ID, id)
}

// settingsForm is the form of POST /integrations/:id/settings.
type settingsForm struct {
	Name               string `form:"name" validate:"required,max=200"`
	Description        string `form:"description" validate:"max=2000"`
	BaseURLProduction  string `form:"base_url_production"`
	BaseURLSandbox     string `form:"base_url_sandbox"`
	DefaultEnvironment string `form:"default_environment" validate:"omitempty,oneof=production sandbox"`
	Timeout            string `form:"timeout"`
	TestFunction       string `form:"test_function"`
	Enabled            bool   `form:"enabled"`
}

func (f settingsForm) view(errs map[string]string) pages.IntegrationSettingsForm {
	return pages.IntegrationSettingsForm{Name: f.Name, Description: f.Description, BaseURLProduction: f.BaseURLProduction,
		BaseURLSandbox: f.BaseURLSandbox, DefaultEnvironment: f.DefaultEnvironment, Timeout: f.Timeout, TestFunction: f.TestFunction, Enabled: f.Enabled, Errors: errs}
}

// UpdateSettings handles POST /integrations/:id/settings.
func (h *IntegrationHandler) UpdateSettings(c echo.Context) error {
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	var f settingsForm
	errs, err := web.BindForm(c, &f)
	if err != nil {
		return err
	}
	confirmed := c.FormValue(registry.ConfirmField) == "true"
	ctx, hc := h.hostChange(c, confirmed)
	d, err := h.svc.UpdateSettings(ctx, session.From(c).Org.ID, id, registry.Settings(f), refusals(errs)...)
	if err == nil {
		h.audit(c, accounts.ActionIntegrationUpdated, id, map[string]any{"slug": d.Doc.Slug, "via": "settings form"})
		h.auditHostChange(c, id, hc)
		session.Flash(c, "success", "Settings saved.")
		return web.Redirect(c, web.URLs(c).Integration(id))
	}
	ps := web.Problems(err)
	if ps == nil {
		return err
	}
	errs = map[string]string{}
	for _, pr := range ps {
		errs[pr.Field] = pr.Message
	}
	form := f.view(errs)
	form.ConfirmCredentialsHost = confirmed
	return h.renderEdit(c, http.StatusUnprocessableEntity, &form, "", "", nil)
}

// SaveDocument handles POST /integrations/:id/document.
func (h *IntegrationHandler) SaveDocument(c echo.Context) error {
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	text, format := c.FormValue("document"), c.FormValue("format")
	doc, err := registry.ParseDocument([]byte(text), format != "json")
	if err == nil {
		ctx, hc := h.hostChange(c, c.FormValue(registry.ConfirmField) == "true")
		if _, err = h.svc.Replace(ctx, session.From(c).Org.ID, id, doc); err == nil {
			h.audit(c, accounts.ActionIntegrationUpdated, id, map[string]any{"slug": doc.Slug, "via": "document editor"})
			h.auditHostChange(c, id, hc)
			session.Flash(c, "success", "The definition was saved.")
			return web.Redirect(c, web.URLs(c).Integration(id))
		}
	}
	problems := web.Problems(err)
	if problems == nil {
		return err
	}
	return h.renderEdit(c, http.StatusUnprocessableEntity, nil, text, format, problems)
}

// CheckDocument handles POST /integrations/:id/document/check and
// /integrations/check: validation only, answered as the fragment that
// htmx swaps in.
func (h *IntegrationHandler) CheckDocument(c echo.Context) error {
	doc, err := registry.ParseDocument([]byte(c.FormValue("document")), c.FormValue("format") != "json")
	if err == nil {
		err = registry.Validate(doc)
	}
	if err == nil {
		return web.Render(c, http.StatusOK, pages.DocumentValid(len(doc.Endpoints)))
	}
	problems := web.Problems(err)
	if problems == nil {
		return err
	}
	return web.Render(c, http.StatusUnprocessableEntity, pages.DocProblems(problems))
}

// refusals are a form's field errors as the services take them.
func refusals(errs map[string]string) []apperr.FieldError {
	out := make([]apperr.FieldError, 0, len(errs))
	for f, m := range errs {
		out = append(out, apperr.FieldError{Field: f, Message: m})
	}
	return out
}
