package executor

import (
	"context"
	"maps"
	"net/url"
	"strings"

	"switchboard/apperr"
	"switchboard/integrations/definition"
)

// run passes the breaker, sends the call (every page of it) and records
// the outcome on the breaker. The Result is never nil.
func (e *Executor) run(ctx context.Context, c *call) (*Result, error) {
	res := &Result{Function: c.ep.Endpoint.Function}
	b := e.breaker(c.key)
	if ok, wait := b.Allow(); !ok {
		return res, apperr.New(apperr.CodeCircuitOpen, "%s (%s) is failing, so calls to it are paused", c.entry.Slug, c.env).
			With("retry_after", ceilSeconds(wait))
	}
	err := e.collect(ctx, c, res)
	switch c.health {
	case healthGood:
		b.Success()
	case healthUnhealthy:
		b.Failure()
	default:
		b.Release()
	}
	return res, err
}

// collect sends the call, page after page when the endpoint pages, and
// fills the Result.
func (e *Executor) collect(ctx context.Context, c *call, res *Result) error {
	pg := c.ep.Endpoint.Pagination
	if pg == nil {
		o, err := c.build(c.params, nil)
		if err != nil {
			return err
		}
		a, err := e.exchange(ctx, c, o, res)
		if err != nil {
			return err
		}
		res.Pages = 1
		data, _ := Lookup(a.tree, c.extractPath())
		c.finish(res, a, data)
		return nil
	}
	p := &pager{c: c, pg: pg}
	var items []any
	for page := 1; page <= max(1, pg.MaxPages); page++ {
		o, err := p.next()
		if err != nil {
			return err
		}
		a, err := e.exchange(ctx, c, o, res)
		if err != nil {
			return err
		}
		res.Pages = page
		got := extractItems(a.tree, c.extractPath())
		items = append(items, got...)
		more, err := p.advance(a, got)
		if err != nil || !more || page == pg.MaxPages {
			if items == nil {
				items = []any{}
			}
			c.finish(res, a, items)
			return err
		}
	}
	return nil
}

// finish fills the Result from the last answer and the extracted data.
func (c *call) finish(res *Result, a *answer, data any) {
	res.Raw = a.tree
	if p := c.ep.Endpoint.IDPath; p != "" {
		if v, ok := Lookup(a.tree, p); ok {
			res.ID = valueText(v)
		}
	}
	res.Data = c.mapResponse(data)
	if c.mapWarnings > 0 {
		c.log.Warn("executor: response values kept as given: their transform failed", "integration", c.entry.Slug,
			"function", c.ep.Endpoint.Function, "values", c.mapWarnings)
	}
}

// extractPath is the endpoint's extract path, else the integration's.
func (c *call) extractPath() string {
	if p := c.ep.Endpoint.Extract; p != "" {
		return p
	}
	return c.doc.Extract
}

// extractItems returns the items of one page at path: an array's
// elements, a lone value (one XML element) as one item, nothing for an
// absent or empty value.
func extractItems(tree any, path string) []any {
	v, ok := Lookup(tree, path)
	if !ok || v == nil || v == "" {
		return nil
	}
	if list, isList := v.([]any); isList {
		return list
	}
	return []any{v}
}

// pager builds the request of each page.
type pager struct {
	c    *call
	pg   *definition.Pagination
	page int
	// single is set when the caller chose the page (gave the limit or
	// offset): one page only.
	single bool
	offset int
	cursor string
	first  *outgoing
	link   *url.URL
}

// next returns the request of the next page.
func (p *pager) next() (*outgoing, error) {
	p.page++
	c := p.c
	switch p.pg.Type {
	case definition.PageOffset:
		if p.page == 1 {
			_, hasLimit := c.params[p.pg.LimitParam]
			_, hasOffset := c.params[p.pg.OffsetParam]
			p.single = hasLimit || hasOffset
		}
		if p.single {
			return c.build(c.params, nil)
		}
		return p.withParams(map[string]any{p.pg.LimitParam: int64(p.pg.PageSize), p.pg.OffsetParam: int64(p.offset)})
	case definition.PageCursor:
		if p.page == 1 {
			return c.build(c.params, nil)
		}
		return p.withParams(map[string]any{p.pg.CursorParam: p.cursor})
	}
	if p.page == 1 {
		o, err := c.build(c.params, nil)
		p.first = o
		return o, err
	}
	o := *p.first
	o.url = p.link
	return &o, nil
}

// withParams builds a page's request with paging parameters: declared
// ones take their declared place, others go in the query.
func (p *pager) withParams(paging map[string]any) (*outgoing, error) {
	params := maps.Clone(p.c.params)
	extra := url.Values{}
	for name, v := range paging {
		if _, declared := p.c.ep.Params[name]; declared {
			params[name] = v
			continue
		}
		extra.Set(name, valueText(v))
	}
	return p.c.build(params, extra)
}

// advance reads what the answer says about the next page, and reports
// whether there is one.
func (p *pager) advance(a *answer, items []any) (bool, error) {
	if p.single {
		return false, nil
	}
	switch p.pg.Type {
	case definition.PageOffset:
		if len(items) < p.pg.PageSize {
			return false, nil
		}
		p.offset += p.pg.PageSize
		return true, nil
	case definition.PageCursor:
		v, _ := Lookup(a.tree, p.pg.CursorPath)
		next := valueText(v)
		if next == "" || next == p.cursor {
			return false, nil
		}
		p.cursor = next
		return true, nil
	}
	return p.advanceLink(a)
}

// advanceLink follows the next-page link of the body (next_path) or of the
// Link header; it must stay on the host of the first page.
func (p *pager) advanceLink(a *answer) (bool, error) {
	var raw string
	if p.pg.NextPath != "" {
		v, _ := Lookup(a.tree, p.pg.NextPath)
		raw = valueText(v)
	} else {
		raw = nextLink(a.header.Values("Link"))
	}
	if strings.TrimSpace(raw) == "" {
		return false, nil
	}
	base := p.first.url
	if p.link != nil {
		base = p.link
	}
	next, err := base.Parse(strings.TrimSpace(raw))
	if err != nil {
		return false, upstreamError(a.status, p.c.entry.Slug+" gave a next-page link that is not a URL", "")
	}
	if !sameOrigin(p.first.url, next) {
		return false, upstreamError(a.status, p.c.entry.Slug+" gave a next-page link to another host ("+next.Host+"); paging stopped", "")
	}
	if next.String() == base.String() {
		return false, nil
	}
	p.link = next
	return true, nil
}

// sameOrigin reports whether next stays on first's host and port, with
// the same scheme or an upgrade to https.
func sameOrigin(first, next *url.URL) bool {
	if !strings.EqualFold(first.Host, next.Host) {
		return false
	}
	return next.Scheme == first.Scheme || next.Scheme == "https"
}

// nextLink finds the rel="next" target of RFC 8288 Link header values.
func nextLink(values []string) string {
	for _, v := range values {
		for _, link := range splitLinks(v) {
			target, params, ok := strings.Cut(link, ";")
			target = strings.TrimSpace(target)
			if !ok || !strings.HasPrefix(target, "<") || !strings.HasSuffix(target, ">") {
				continue
			}
			for _, param := range strings.Split(params, ";") {
				name, val, _ := strings.Cut(strings.TrimSpace(param), "=")
				if !strings.EqualFold(strings.TrimSpace(name), "rel") {
					continue
				}
				val = strings.Trim(strings.TrimSpace(val), `"`)
				for _, rel := range strings.Fields(val) {
					if strings.EqualFold(rel, "next") {
						return target[1 : len(target)-1]
					}
				}
			}
		}
	}
	return ""
}

// splitLinks splits a Link header value at the commas between links (not
// those inside <…> or quotes).
func splitLinks(v string) []string {
	var out []string
	depth, quoted, start := 0, false, 0
	for i := 0; i < len(v); i++ {
		switch v[i] {
		case '<':
			depth++
		case '>':
			depth = max(0, depth-1)
		case '"':
			quoted = !quoted
		case ',':
			if depth == 0 && !quoted {
				out = append(out, v[start:i])
				start = i + 1
			}
		}
	}
	return append(out, v[start:])
}
