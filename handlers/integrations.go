package handlers

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"sigs.k8s.io/yaml"

	"switchboard/apperr"
	"switchboard/integrations/catalog"
	"switchboard/integrations/definition"
	"switchboard/integrations/registry"
	"switchboard/views/pages"
)

// IntegrationHandler serves the integration pages: list, catalog, settings
// and the whole-document editor. It shares the API's operations.
type IntegrationHandler struct {
	*IntegrationAPI
	previews *previewStore
}

// NewIntegrationHandler returns an IntegrationHandler.
func NewIntegrationHandler(api *IntegrationAPI) *IntegrationHandler {
	return &IntegrationHandler{IntegrationAPI: api, previews: newPreviewStore()}
}

// Index handles GET /integrations.
func (h *IntegrationHandler) Index(c echo.Context) error {
	p := currentPrincipal(c)
	ctx := c.Request().Context()
	t := h.store.Tenant(p.Org.ID)
	ins, err := t.Integrations(ctx)
	if err != nil {
		return err
	}
	creds, err := t.Credentials(ctx)
	if err != nil {
		return err
	}
	credState := map[int64]string{}
	for _, cr := range creds {
		state := "saved"
		if cr.LastTestOK != nil {
			state = map[bool]string{true: "ok", false: "failed"}[*cr.LastTestOK]
		}
		if prev := credState[cr.IntegrationID]; prev == "" || cr.Environment == "production" {
			credState[cr.IntegrationID] = state
		}
	}
	counts, err := t.EndpointCounts(ctx)
	if err != nil {
		return err
	}
	var page pages.IntegrationsPage
	added := map[string]bool{}
	for _, in := range ins {
		added[in.Catalog] = true
		page.Rows = append(page.Rows, pages.IntegrationRow{ID: in.ID, Slug: in.Slug, Name: in.Name, AuthType: in.AuthType,
			Endpoints: counts[in.ID], Enabled: in.Enabled, Credential: credState[in.ID]})
	}
	entries, err := catalog.List()
	if err != nil {
		return err
	}
	for _, e := range entries {
		page.Catalog = append(page.Catalog, pages.CatalogCard{Slug: e.Slug, Name: e.Name, Description: e.Description,
			Category: e.Category, Endpoints: len(e.Doc.Endpoints), Added: added[e.Slug]})
	}
	return render(c, http.StatusOK, pages.Integrations(page))
}

// AddFromCatalog handles POST /integrations/from-catalog.
func (h *IntegrationHandler) AddFromCatalog(c echo.Context) error {
	slug := c.FormValue("catalog")
	in, err := addFromCatalog(c, h.registry, currentPrincipal(c).Org.ID, slug, "", "")
	if e, ok := apperr.As(err); ok && (e.Code == apperr.CodeConflict || e.Code == apperr.CodeValidationFailed) {
		addFlash(c, "error", "Could not add it: "+e.Message+fieldSuffix(e))
		return redirect(c, "/integrations")
	}
	if err != nil {
		return err
	}
	h.audit(c, "integration_created", "integration", in.ID, map[string]any{"slug": in.Slug, "catalog": slug})
	addFlash(c, "success", in.Name+" was added. Enter its credentials to start using it.")
	return redirect(c, fmt.Sprintf("/integrations/%d/credentials", in.ID))
}

func fieldSuffix(e *apperr.Error) string {
	if len(e.Fields) == 0 {
		return ""
	}
	return " (" + e.Fields[0].Field + ": " + e.Fields[0].Message + ")"
}

// New handles GET /integrations/new.
func (h *IntegrationHandler) New(c echo.Context) error {
	return render(c, http.StatusOK, pages.NewIntegration(pages.NewIntegrationPage{Format: "yaml", Document: newDocumentTemplate}))
}

const newDocumentTemplate = `slug: my-api
name: My API
base_url:
  production: https://api.example.com/v1
auth:
  type: bearer
  template: "{{api_key}}"
credential_fields: [api_key]
timeout: 15s
test_function: Ping
endpoints:
  - function: Ping
    method: GET
    path: /ping
`

// Create handles POST /integrations (a pasted document).
func (h *IntegrationHandler) Create(c echo.Context) error {
	text, format := c.FormValue("document"), c.FormValue("format")
	doc, problems := parseForm(text, format)
	if doc != nil {
		in, err := h.registry.Create(c.Request().Context(), currentPrincipal(c).Org.ID, doc, "")
		if err == nil {
			h.audit(c, "integration_created", "integration", in.ID, map[string]any{"slug": in.Slug})
			addFlash(c, "success", in.Name+" was created.")
			return redirect(c, fmt.Sprintf("/integrations/%d", in.ID))
		}
		if problems = problemsOf(err); problems == nil {
			return err
		}
	}
	return render(c, http.StatusUnprocessableEntity, pages.NewIntegration(pages.NewIntegrationPage{Document: text, Format: format, Problems: problems}))
}

// parseForm parses a pasted document; it returns the problems when the
// text cannot be read.
func parseForm(text, format string) (*definition.Document, []pages.DocProblem) {
	var doc *definition.Document
	var err error
	if format == "json" {
		doc, err = definition.ParseJSON([]byte(text))
	} else {
		doc, err = definition.ParseYAML([]byte(text))
	}
	if err != nil {
		if ps := problemsOf(registry.ValidationError(err)); ps != nil {
			return nil, ps
		}
		return nil, []pages.DocProblem{{Field: "document", Message: strings.TrimPrefix(err.Error(), "definition: ")}}
	}
	return doc, nil
}

// problemsOf lists the field problems of a validation or conflict error,
// or returns nil for any other error.
func problemsOf(err error) []pages.DocProblem {
	e, ok := apperr.As(err)
	if !ok {
		return nil
	}
	switch e.Code {
	case apperr.CodeValidationFailed:
		out := make([]pages.DocProblem, 0, len(e.Fields))
		for _, f := range e.Fields {
			out = append(out, pages.DocProblem{Field: f.Field, Message: f.Message})
		}
		return out
	case apperr.CodeConflict, apperr.CodeInvalidRequest:
		return []pages.DocProblem{{Field: "document", Message: e.Message}}
	}
	return nil
}

// Show handles GET /integrations/:id: settings and the document editor.
func (h *IntegrationHandler) Show(c echo.Context) error {
	return h.renderEdit(c, http.StatusOK, nil, "", "", nil)
}

func (h *IntegrationHandler) renderEdit(c echo.Context, status int, form *pages.IntegrationSettingsForm, text, format string, problems []pages.DocProblem) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	p := currentPrincipal(c)
	doc, rows, err := h.registry.Load(c.Request().Context(), p.Org.ID, id)
	if err != nil {
		return err
	}
	in := rows.Integration
	if form == nil {
		form = &pages.IntegrationSettingsForm{Name: doc.Name, Description: doc.Description,
			BaseURLProduction: doc.BaseURL[definition.EnvProduction], BaseURLSandbox: doc.BaseURL[definition.EnvSandbox],
			TestFunction: doc.TestFunction, Enabled: doc.IsEnabled()}
		if doc.Timeout > 0 {
			form.Timeout = time.Duration(doc.Timeout).String()
		}
	}
	if format == "" {
		format = "yaml"
	}
	if text == "" {
		var b []byte
		if format == "json" {
			b, err = jsonIndent(doc)
		} else {
			b, err = yaml.Marshal(doc)
		}
		if err != nil {
			return err
		}
		text = string(b)
	}
	var fns []string
	for _, e := range doc.Endpoints {
		fns = append(fns, e.Function)
	}
	return render(c, status, pages.IntegrationEdit(pages.IntegrationEditPage{
		Header: pages.IntegrationHeader{ID: in.ID, Slug: in.Slug, Name: in.Name, Enabled: in.Enabled, Tab: "settings"},
		Form:   *form, Functions: fns, Document: text, Format: format, Problems: problems, Version: in.Version,
	}))
}

type settingsForm struct {
	Name              string `form:"name" validate:"required,max=200"`
	Description       string `form:"description" validate:"max=2000"`
	BaseURLProduction string `form:"base_url_production"`
	BaseURLSandbox    string `form:"base_url_sandbox"`
	Timeout           string `form:"timeout"`
	TestFunction      string `form:"test_function"`
	Enabled           bool   `form:"enabled"`
}

// UpdateSettings handles POST /integrations/:id/settings.
func (h *IntegrationHandler) UpdateSettings(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	p := currentPrincipal(c)
	var f settingsForm
	errs, err := bindForm(c, &f)
	if err != nil {
		return err
	}
	form := pages.IntegrationSettingsForm{Name: f.Name, Description: f.Description, BaseURLProduction: f.BaseURLProduction,
		BaseURLSandbox: f.BaseURLSandbox, Timeout: f.Timeout, TestFunction: f.TestFunction, Enabled: f.Enabled, Errors: errs}
	if errs == nil {
		l, err := h.load(c.Request().Context(), p.Org.ID, id)
		if err != nil {
			return err
		}
		doc := l.doc
		doc.Name, doc.Description, doc.TestFunction = f.Name, f.Description, f.TestFunction
		doc.Enabled = &f.Enabled
		doc.BaseURL = map[string]string{}
		if f.BaseURLProduction != "" {
			doc.BaseURL[definition.EnvProduction] = f.BaseURLProduction
		}
		if f.BaseURLSandbox != "" {
			doc.BaseURL[definition.EnvSandbox] = f.BaseURLSandbox
		}
		doc.Timeout = 0
		if f.Timeout != "" {
			d, perr := time.ParseDuration(f.Timeout)
			if perr != nil {
				form.Errors = map[string]string{"timeout": "must be a duration such as 15s or 1m"}
				return h.renderEdit(c, http.StatusUnprocessableEntity, &form, "", "", nil)
			}
			doc.Timeout = definition.Duration(d)
		}
		err = h.save(c.Request().Context(), p.Org.ID, l)
		if err == nil {
			h.audit(c, "integration_updated", "integration", id, map[string]any{"slug": doc.Slug, "via": "settings form"})
			addFlash(c, "success", "Settings saved.")
			return redirect(c, fmt.Sprintf("/integrations/%d", id))
		}
		ps := problemsOf(err)
		if ps == nil {
			return err
		}
		form.Errors = map[string]string{}
		for _, pr := range ps {
			form.Errors[pr.Field] = pr.Message
		}
	}
	return h.renderEdit(c, http.StatusUnprocessableEntity, &form, "", "", nil)
}

// SaveDocument handles POST /integrations/:id/document.
func (h *IntegrationHandler) SaveDocument(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	text, format := c.FormValue("document"), c.FormValue("format")
	doc, problems := parseForm(text, format)
	if doc != nil {
		_, err := h.registry.Replace(c.Request().Context(), currentPrincipal(c).Org.ID, id, doc, registry.Hints{})
		if err == nil {
			h.audit(c, "integration_updated", "integration", id, map[string]any{"slug": doc.Slug, "via": "document editor"})
			addFlash(c, "success", "The definition was saved.")
			return redirect(c, fmt.Sprintf("/integrations/%d", id))
		}
		if problems = problemsOf(err); problems == nil {
			return err
		}
	}
	return h.renderEdit(c, http.StatusUnprocessableEntity, nil, text, format, problems)
}

// CheckDocument handles POST /integrations/:id/document/check and
// /integrations/document/check: validation only, answered as the
// fragment that htmx swaps in.
func (h *IntegrationHandler) CheckDocument(c echo.Context) error {
	doc, problems := parseForm(c.FormValue("document"), c.FormValue("format"))
	if doc != nil {
		doc.Normalize()
		if _, err := registry.Check(doc); err != nil {
			if problems = problemsOf(err); problems == nil {
				return err
			}
		}
	}
	if len(problems) > 0 {
		return render(c, http.StatusUnprocessableEntity, pages.DocProblems(problems))
	}
	return render(c, http.StatusOK, pages.DocumentValid(len(doc.Endpoints)))
}

// Delete handles POST /integrations/:id/delete.
func (h *IntegrationHandler) Delete(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	in, err := h.registry.Delete(c.Request().Context(), currentPrincipal(c).Org.ID, id)
	if err != nil {
		return err
	}
	h.audit(c, "integration_deleted", "integration", id, map[string]any{"slug": in.Slug})
	addFlash(c, "success", in.Name+" was deleted.")
	return redirect(c, "/integrations")
}
