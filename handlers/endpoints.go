package handlers

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"sigs.k8s.io/yaml"

	"switchboard/integrations/definition"
	"switchboard/models"
	"switchboard/views/pages"
)

const endpointPageSize = 50

// Endpoints handles GET /integrations/:id/endpoints: the registry with
// search (q), method and writes filters, and paging (offset). An htmx
// search answers the results part only.
func (h *IntegrationHandler) Endpoints(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	p := currentPrincipal(c)
	ctx := c.Request().Context()
	t := h.store.Tenant(p.Org.ID)
	in, err := t.Integration(ctx, id)
	if err != nil {
		return err
	}
	offset, _ := strconv.Atoi(c.QueryParam("offset"))
	f := models.EndpointFilter{Search: strings.TrimSpace(c.QueryParam("q")), Method: strings.ToUpper(c.QueryParam("method")),
		Writes: c.QueryParam("writes"), Offset: max(offset, 0), Limit: endpointPageSize}
	rows, total, err := t.EndpointPage(ctx, id, f)
	if err != nil {
		return err
	}
	page := pages.EndpointsPage{Header: pages.IntegrationHeader{ID: in.ID, Slug: in.Slug, Name: in.Name, Enabled: in.Enabled, Tab: "endpoints"},
		Search: f.Search, Method: f.Method, Writes: f.Writes, Total: total, From: f.Offset + 1, To: f.Offset + len(rows)}
	for _, r := range rows {
		var ep definition.Endpoint
		_ = jsonUnmarshal(r.Settings, &ep)
		page.Rows = append(page.Rows, pages.EndpointRow{ID: r.ID, Function: r.Function, Method: r.Method, Path: r.Path,
			Description: r.Description, Params: len(ep.Params), Writes: r.Writes, Enabled: r.Enabled})
	}
	link := func(off int) string {
		q := url.Values{}
		for k, v := range map[string]string{"q": f.Search, "method": f.Method, "writes": f.Writes} {
			if v != "" {
				q.Set(k, v)
			}
		}
		if off > 0 {
			q.Set("offset", strconv.Itoa(off))
		}
		return fmt.Sprintf("/integrations/%d/endpoints?%s", id, q.Encode())
	}
	if f.Offset > 0 {
		page.PrevURL = link(max(f.Offset-endpointPageSize, 0))
	}
	if f.Offset+len(rows) < total {
		page.NextURL = link(f.Offset + endpointPageSize)
	}
	if isPartial(c) {
		return render(c, http.StatusOK, pages.EndpointResults(page))
	}
	return render(c, http.StatusOK, pages.Endpoints(page))
}

// NewEndpoint handles GET /integrations/:id/endpoints/new.
func (h *IntegrationHandler) NewEndpoint(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	in, err := h.store.Tenant(currentPrincipal(c).Org.ID).Integration(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, pages.EndpointEdit(pages.EndpointEditPage{
		Header: headerOf(in, "endpoints"), Action: fmt.Sprintf("/integrations/%d/endpoints", id),
		Form: pages.EndpointForm{Method: "GET", Enabled: true, Params: "[]\n"},
	}))
}

func headerOf(in *models.Integration, tab string) pages.IntegrationHeader {
	return pages.IntegrationHeader{ID: in.ID, Slug: in.Slug, Name: in.Name, Enabled: in.Enabled, Tab: tab}
}

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

func (f endpointForm) view() pages.EndpointForm {
	return pages.EndpointForm{Function: f.Function, Method: f.Method, Path: f.Path, Description: f.Description, Params: f.Params,
		BodyTemplate: f.BodyTemplate, Extract: f.Extract, IDPath: f.IDPath, Writes: f.Writes, RetrySafe: f.RetrySafe, Enabled: f.Enabled}
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
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	p := currentPrincipal(c)
	var f endpointForm
	if err := c.Bind(&f); err != nil {
		return err
	}
	l, err := h.load(c.Request().Context(), p.Org.ID, id)
	if err != nil {
		return err
	}
	ep, problems := f.toEndpoint()
	if problems == nil {
		if l.indexOf(ep.Function) >= 0 {
			problems = []pages.DocProblem{{Field: "function", Message: "is already a function of this integration"}}
		} else {
			l.doc.Endpoints = append(l.doc.Endpoints, ep)
			l.hints.Endpoints = append(l.hints.Endpoints, 0)
			err := h.save(c.Request().Context(), p.Org.ID, l)
			if err == nil {
				h.audit(c, "endpoint_created", "integration", id, map[string]any{"function": ep.Function})
				addFlash(c, "success", ep.Function+" was added.")
				return redirect(c, fmt.Sprintf("/integrations/%d/endpoints", id))
			}
			if problems = problemsOf(err); problems == nil {
				return err
			}
		}
	}
	return render(c, http.StatusUnprocessableEntity, pages.EndpointEdit(pages.EndpointEditPage{
		Header: headerOf(&l.rows.Integration, "endpoints"), Action: fmt.Sprintf("/integrations/%d/endpoints", id),
		Form: withProblems(f.view(), problems)}))
}

func withProblems(f pages.EndpointForm, ps []pages.DocProblem) pages.EndpointForm {
	f.Problems = ps
	return f
}

// ShowEndpoint handles GET /endpoints/:id.
func (h *IntegrationHandler) ShowEndpoint(c echo.Context) error {
	l, i, err := h.endpointContext(c)
	if err != nil {
		return err
	}
	id := l.hints.Endpoints[i]
	return render(c, http.StatusOK, pages.EndpointEdit(pages.EndpointEditPage{
		Header: headerOf(&l.rows.Integration, "endpoints"), EndpointID: id, Action: fmt.Sprintf("/endpoints/%d", id),
		Form: endpointFormOf(l.doc.Endpoints[i]), Try: console(id, l.doc, l.doc.Endpoints[i])}))
}

// UpdateEndpointPage handles POST /endpoints/:id.
func (h *IntegrationHandler) UpdateEndpointPage(c echo.Context) error {
	p := currentPrincipal(c)
	l, i, err := h.endpointContext(c)
	if err != nil {
		return err
	}
	id := l.hints.Endpoints[i]
	var f endpointForm
	if err := c.Bind(&f); err != nil {
		return err
	}
	ep, problems := f.toEndpoint()
	if problems == nil {
		old := l.doc.Endpoints[i]
		// keep what the form does not show (pagination, error rules, headers, tags)
		ep.Pagination, ep.ErrorRules, ep.Headers, ep.Tags = old.Pagination, old.ErrorRules, old.Headers, old.Tags
		l.doc.Endpoints[i] = ep
		if ep.Function != old.Function {
			renameFunction(l.doc, old.Function, ep.Function)
		}
		err := h.save(c.Request().Context(), p.Org.ID, l)
		if err == nil {
			h.audit(c, "endpoint_updated", "integration", l.rows.Integration.ID, map[string]any{"function": ep.Function})
			addFlash(c, "success", ep.Function+" was saved.")
			return redirect(c, fmt.Sprintf("/endpoints/%d", id))
		}
		if problems = problemsOf(err); problems == nil {
			return err
		}
	}
	return render(c, http.StatusUnprocessableEntity, pages.EndpointEdit(pages.EndpointEditPage{
		Header: headerOf(&l.rows.Integration, "endpoints"), EndpointID: id, Action: fmt.Sprintf("/endpoints/%d", id),
		Form: withProblems(f.view(), problems)}))
}

// DeleteEndpointPage handles POST /endpoints/:id/delete.
func (h *IntegrationHandler) DeleteEndpointPage(c echo.Context) error {
	l, i, err := h.endpointContext(c)
	if err != nil {
		return err
	}
	fn := l.doc.Endpoints[i].Function
	integrationID, _, err := h.removeEndpoint(c)
	if err != nil {
		if ps := problemsOf(err); ps != nil {
			addFlash(c, "error", "Could not delete "+fn+": "+ps[0].Field+" "+ps[0].Message)
			return redirect(c, fmt.Sprintf("/endpoints/%d", l.hints.Endpoints[i]))
		}
		return err
	}
	addFlash(c, "success", fn+" was deleted.")
	return redirect(c, fmt.Sprintf("/integrations/%d/endpoints", integrationID))
}
