package handlers

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"sigs.k8s.io/yaml"

	"switchboard/accounts"
	"switchboard/integrations/definition"
	"switchboard/integrations/registry"
	"switchboard/models"
	"switchboard/urls"
	"switchboard/views/pages"
	"switchboard/web"
	"switchboard/web/session"
)

const endpointPageSize = 50

// EndpointsQuery is the query of the endpoint registry page: a search,
// the method and writes filters, and the offset of the page (a bad one
// starts from the first).
type EndpointsQuery struct {
	Q      string `query:"q"`
	Method string `query:"method"`
	Writes string `query:"writes"`
	Offset string `query:"offset"`
}

// Endpoints handles GET /integrations/:id/endpoints: the registry with
// search (q), method and writes filters, and paging (offset). An htmx
// search answers the results part only.
func (h *IntegrationHandler) Endpoints(c echo.Context) error {
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	var q EndpointsQuery
	if err := web.BindQuery(c, &q); err != nil {
		return err
	}
	offset, _ := strconv.Atoi(q.Offset)
	f := models.EndpointFilter{Search: strings.TrimSpace(q.Q), Method: strings.ToUpper(q.Method),
		Writes: q.Writes, Offset: max(offset, 0), Limit: endpointPageSize}
	in, rows, total, err := h.svc.SearchEndpoints(c.Request().Context(), session.From(c).Org.ID, id, f)
	if err != nil {
		return err
	}
	page := pages.EndpointsPage{Header: headerOf(in, "endpoints"),
		Search: f.Search, Method: f.Method, Writes: f.Writes, Total: total, From: f.Offset + 1, To: f.Offset + len(rows)}
	for _, r := range rows {
		page.Rows = append(page.Rows, pages.EndpointRow{ID: r.ID, Function: r.Function, Method: r.Method, Path: r.Path,
			Description: r.Description, Params: r.Params, Writes: r.Writes, Enabled: r.Enabled})
	}
	if f.Offset > 0 {
		page.PrevURL = endpointsPageURL(web.URLs(c), id, f, max(f.Offset-endpointPageSize, 0))
	}
	if f.Offset+len(rows) < total {
		page.NextURL = endpointsPageURL(web.URLs(c), id, f, f.Offset+endpointPageSize)
	}
	if web.IsPartial(c) {
		return web.Render(c, http.StatusOK, pages.EndpointResults(page))
	}
	return web.Render(c, http.StatusOK, pages.Endpoints(page))
}

// endpointsPageURL links to the registry page at offset with f's filters.
func endpointsPageURL(u urls.URLs, integrationID int64, f models.EndpointFilter, offset int) string {
	q := url.Values{}
	for k, v := range map[string]string{"q": f.Search, "method": f.Method, "writes": f.Writes} {
		if v != "" {
			q.Set(k, v)
		}
	}
	if offset > 0 {
		q.Set("offset", strconv.Itoa(offset))
	}
	return u.IntegrationEndpoints(integrationID) + "?" + q.Encode()
}

// NewEndpoint handles GET /integrations/:id/endpoints/new.
func (h *IntegrationHandler) NewEndpoint(c echo.Context) error {
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	in, err := h.svc.Integration(c.Request().Context(), session.From(c).Org.ID, id)
	if err != nil {
		return err
	}
	return web.Render(c, http.StatusOK, pages.EndpointEdit(pages.EndpointEditPage{
		Header: headerOf(in, "endpoints"), Action: web.URLs(c).IntegrationEndpoints(id),
		Form: pages.EndpointForm{Method: "GET", Enabled: true, Params: "[]\n"},
	}))
}

// endpointForm is the form of the endpoint editor.
type endpointForm struct {
	Function     string `form:"function"`
	Method       string `form:"method"`
	Path         string `form:"path"`
	Description  string `form:"description"`
	Params       string `form:"params"`
	BodyTemplate string `form:"body_template"`
	Extract      string `form:"extract"`
	IDPath       string `form:"id_path"`
	Writes       bool   `form:"writes"`
	RetrySafe    bool   `form:"retry_safe"`
	Enabled      bool   `form:"enabled"`
}

func (f endpointForm) view(ps []pages.DocProblem) pages.EndpointForm {
	return pages.EndpointForm{Function: f.Function, Method: f.Method, Path: f.Path, Description: f.Description, Params: f.Params,
		BodyTemplate: f.BodyTemplate, Extract: f.Extract, IDPath: f.IDPath, Writes: f.Writes, RetrySafe: f.RetrySafe, Enabled: f.Enabled,
		Problems: ps}
}

// toEndpoint reads the form into an endpoint; the params field is YAML.
func (f endpointForm) toEndpoint() (definition.Endpoint, []pages.DocProblem) {
	ep := definition.Endpoint{Function: strings.TrimSpace(f.Function), Method: f.Method, Path: strings.TrimSpace(f.Path),
		Description: f.Description, BodyTemplate: f.BodyTemplate, Extract: f.Extract, IDPath: f.IDPath,
		Writes: f.Writes, RetrySafe: f.RetrySafe, Enabled: &f.Enabled}
	if strings.TrimSpace(f.Params) != "" {
		if err := yaml.UnmarshalStrict([]byte(f.Params), &ep.Params); err != nil {
			return ep, []pages.DocProblem{{Field: "params", Message: "is not a YAML list of parameters: " + err.Error()}}
		}
	}
	return ep, nil
}

func endpointFormOf(ep definition.Endpoint) pages.EndpointForm {
	params, _ := yaml.Marshal(ep.Params)
	return pages.EndpointForm{Function: ep.Function, Method: ep.Method, Path: ep.Path, Description: ep.Description,
		Params: string(params), BodyTemplate: ep.BodyTemplate, Extract: ep.Extract, IDPath: ep.IDPath,
		Writes: ep.Writes, RetrySafe: ep.RetrySafe, Enabled: ep.IsEnabled()}
}

// CreateEndpointPage handles POST /integrations/:id/endpoints.
func (h *IntegrationHandler) CreateEndpointPage(c echo.Context) error {
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	var f endpointForm
	if err := c.Bind(&f); err != nil {
		return err
	}
	in, err := h.svc.Integration(c.Request().Context(), session.From(c).Org.ID, id)
	if err != nil {
		return err
	}
	ep, problems := f.toEndpoint()
	if problems == nil {
		_, _, err := h.svc.AddEndpoint(c.Request().Context(), session.From(c).Org.ID, id, ep)
		if err == nil {
			h.audit(c, accounts.ActionEndpointCreated, id, map[string]any{"function": ep.Function})
			session.Flash(c, "success", ep.Function+" was added.")
			return web.Redirect(c, web.URLs(c).IntegrationEndpoints(id))
		}
		if problems = endpointProblems(err); problems == nil {
			return err
		}
	}
	return web.Render(c, http.StatusUnprocessableEntity, pages.EndpointEdit(pages.EndpointEditPage{
		Header: headerOf(in, "endpoints"), Action: web.URLs(c).IntegrationEndpoints(id), Form: f.view(problems)}))
}

// endpointProblems are the form's problems of a failed endpoint edit.
func endpointProblems(err error) []pages.DocProblem {
	if isDuplicateFunction(err) {
		return []pages.DocProblem{{Field: "function", Message: "is already a function of this integration"}}
	}
	return web.Problems(err)
}

// ShowEndpoint handles GET /endpoints/:id.
func (h *IntegrationHandler) ShowEndpoint(c echo.Context) error {
	d, i, err := h.endpointAt(c)
	if err != nil {
		return err
	}
	id := d.EndpointID(i)
	return web.Render(c, http.StatusOK, pages.EndpointEdit(pages.EndpointEditPage{
		Header: headerOf(&d.Integration, "endpoints"), EndpointID: id, Action: web.URLs(c).Endpoint(id),
		Form: endpointFormOf(d.Doc.Endpoints[i]), Try: console(id, d.Doc, d.Doc.Endpoints[i])}))
}

// endpointAt loads the endpoint of the :id path parameter.
func (h *IntegrationHandler) endpointAt(c echo.Context) (*registry.Draft, int, error) {
	id, err := web.PathID(c, "id")
	if err != nil {
		return nil, 0, err
	}
	return h.svc.Endpoint(c.Request().Context(), session.From(c).Org.ID, id)
}

// UpdateEndpointPage handles POST /endpoints/:id.
func (h *IntegrationHandler) UpdateEndpointPage(c echo.Context) error {
	d, i, err := h.endpointAt(c)
	if err != nil {
		return err
	}
	id := d.EndpointID(i)
	var f endpointForm
	if err := c.Bind(&f); err != nil {
		return err
	}
	ep, problems := f.toEndpoint()
	if problems == nil {
		_, _, err := h.svc.UpdateEndpointBasics(c.Request().Context(), session.From(c).Org.ID, id, ep)
		if err == nil {
			h.audit(c, accounts.ActionEndpointUpdated, d.Integration.ID, map[string]any{"function": ep.Function})
			session.Flash(c, "success", ep.Function+" was saved.")
			return web.Redirect(c, web.URLs(c).Endpoint(id))
		}
		if problems = web.Problems(err); problems == nil {
			return err
		}
	}
	return web.Render(c, http.StatusUnprocessableEntity, pages.EndpointEdit(pages.EndpointEditPage{
		Header: headerOf(&d.Integration, "endpoints"), EndpointID: id, Action: web.URLs(c).Endpoint(id), Form: f.view(problems)}))
}

// DeleteEndpointPage handles POST /endpoints/:id/delete.
func (h *IntegrationHandler) DeleteEndpointPage(c echo.Context) error {
	d, i, err := h.endpointAt(c)
	if err != nil {
		return err
	}
	id, fn := d.EndpointID(i), d.Doc.Endpoints[i].Function
	after, _, err := h.deleteEndpoint(c, id)
	if ps := web.Problems(err); ps != nil {
		session.Flash(c, "error", "Could not delete "+fn+": "+ps[0].Field+" "+ps[0].Message)
		return web.Redirect(c, web.URLs(c).Endpoint(id))
	}
	if err != nil {
		return err
	}
	session.Flash(c, "success", fn+" was deleted.")
	return web.Redirect(c, web.URLs(c).IntegrationEndpoints(after.Integration.ID))
}
