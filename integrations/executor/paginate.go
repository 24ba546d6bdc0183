package executor

import (
	"maps"
	"net/url"
	"strings"

	"switchboard/integrations/definition"
)

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
			p.single = c.callerGave(p.pg.LimitParam) || c.callerGave(p.pg.OffsetParam)
		}
		if p.single {
			return c.build(c.params, nil)
		}
		return p.withParams(map[string]any{p.pg.LimitParam: int64(p.pg.PageSize), p.pg.OffsetParam: int64(p.offset)})
	case definition.PageCursor:
		if p.page == 1 {
			if v, ok := c.params[p.pg.CursorParam]; ok {
				p.cursor = valueText(v)
			}
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

// callerGave reports whether the caller (not a default) set a parameter.
func (c *call) callerGave(name string) bool {
	_, ok := c.params[name]
	return ok && !c.defaulted[name]
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
