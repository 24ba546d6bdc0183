package executor

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"time"

	"switchboard/apperr"
)

// run passes the breaker, sends the call (every page of it) and records
// the outcome on the breaker. The Result is never nil.
func (e *Executor) run(ctx context.Context, c *call) (*Result, error) {
	res := &Result{Function: c.ep.Endpoint.Function}
	b := e.breaker(c.key)
	if ok, wait := b.Allow(); !ok {
		return res, apperr.New(apperr.CodeCircuitOpen, "%s (%s) is failing, so calls to it are paused", c.entry.Slug, c.env).
			WithRetryAfter(ceilSeconds(wait))
	}
	c.resv = e.budget.reservation(c.entry.OrgID, c.entry.IntegrationID, c.maxResponse(e.maxBytes))
	err := e.collect(ctx, c, res)
	c.lastTrace(res, err)
	c.holdAnswer(res, err)
	switch c.health {
	case healthGood:
		if b.Success() && e.health != nil {
			e.health.Recovered(ctx, c.entry.OrgID, c.entry.IntegrationID, c.env)
		}
	case healthUnhealthy:
		if b.Failure() && e.health != nil {
			e.health.Unhealthy(ctx, c.entry.OrgID, c.entry.IntegrationID, c.env, e.openReason(c, err))
		}
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
		c.resv.keep(a.size)
		c.finish(res, a, c.extractData(a.tree))
		return nil
	}
	p := &pager{c: c, pg: pg}
	maxPages := max(1, pg.MaxPages)
	var items []any
	for page := 1; ; page++ {
		o, err := p.next()
		if err != nil {
			return err
		}
		a, err := e.exchange(ctx, c, o, res)
		if err != nil {
			return err
		}
		res.Pages = page
		c.resv.keep(a.size)
		got := extractItems(a.tree, c.extractPath())
		items = append(items, got...)
		more, err := p.advance(a, got)
		if err != nil || !more || page >= maxPages {
			if items == nil {
				items = []any{}
			}
			c.finish(res, a, items)
			return err
		}
	}
}

// holdAnswer leaves the budget of the kept answers with the Result (until
// Release, or until it is collected), or gives it all back after an
// error.
func (c *call) holdAnswer(res *Result, err error) {
	if err != nil {
		c.resv.release()
		return
	}
	c.resv.settle()
	res.resv = c.resv
	runtime.AddCleanup(res, (*reservation).release, c.resv)
}

// maxResponse is the call's cap on its answers: the endpoint's
// max_response_bytes, else the integration's, never above the executor's.
func (c *call) maxResponse(executorCap int64) int64 {
	own := c.ep.Endpoint.MaxResponseBytes
	if own == nil {
		own = c.doc.MaxResponseBytes
	}
	if own != nil && *own > 0 {
		return min(*own, executorCap)
	}
	return executorCap
}

// finish fills the Result from the last answer and the extracted data.
func (c *call) finish(res *Result, a *answer, data any) {
	if a.raw != nil {
		res.Data = json.RawMessage(a.raw)
		return
	}
	res.Raw = a.tree
	if p := c.ep.Endpoint.IDPath; p != "" {
		if v, ok := Lookup(a.tree, p); ok {
			res.ID = valueText(v)
		}
	}
	res.Data = c.mapResponse(data)
	if c.req.Trace {
		res.DataTrace = c.redactor().data(res.Data)
	}
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

// extractData is the data of an answer of one page: the value at the
// extract path, or, for an endpoint declaring list: true, always an array
// of its items, so that an XML element present once or not at all still
// answers [x] or [].
func (c *call) extractData(tree any) any {
	if !c.ep.Endpoint.List {
		data, _ := Lookup(tree, c.extractPath())
		return data
	}
	items := extractItems(tree, c.extractPath())
	if items == nil {
		items = []any{}
	}
	return items
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

// HealthObserver is told when an integration's health turns: its circuit
// opened after repeated failures or its OAuth credential needs connecting
// again (Unhealthy), or its circuit closed again (Recovered). The alerts
// service raises integration.unhealthy and integration.recovered from it.
type HealthObserver interface {
	Unhealthy(ctx context.Context, orgID, integrationID int64, env, reason string)
	Recovered(ctx context.Context, orgID, integrationID int64, env string)
}

// openReason says in words why the circuit of c opened.
func (e *Executor) openReason(c *call, err error) string {
	why := "calls failed"
	if err != nil {
		why = err.Error()
	}
	return fmt.Sprintf("%d calls to %s (%s) in a row failed, so calls are paused for %s; the last: %s",
		e.threshold, c.entry.Slug, c.env, inWords(e.cooldown), why)
}

// inWords is a duration for people: "30 seconds", "5 minutes".
func inWords(d time.Duration) string {
	if d < 2*time.Minute {
		return fmt.Sprintf("%d seconds", int(d.Seconds()+0.5))
	}
	return fmt.Sprintf("%d minutes", int(d.Minutes()+0.5))
}
