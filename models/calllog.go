package models

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// CallFilter selects call log entries: each set field narrows the list.
type CallFilter struct {
	Provider string
	Function string
	// OK, when set, keeps the calls that succeeded (true) or failed.
	OK     *bool
	Code   string
	Caller string
	From   time.Time
	To     time.Time
	// BeforeID pages: only entries older than this id.
	BeforeID int64
	Limit    int
}

// APICalls lists the organization's call log, newest first.
func (t *Tenant) APICalls(ctx context.Context, f CallFilter) ([]APICall, error) {
	var out []APICall
	q := t.selectQ(&out).ExcludeColumn("request_excerpt", "response_excerpt").OrderExpr("ac.id DESC")
	q = q.ApplyQueryBuilder(func(q bun.QueryBuilder) bun.QueryBuilder { return f.where(q) })
	err := q.Limit(int64(pageLimit(f.Limit))).Scan(ctx)
	return out, wrap("list api calls", err)
}

// where narrows q to the filter.
func (f CallFilter) where(q bun.QueryBuilder) bun.QueryBuilder {
	for _, c := range []struct{ col, v string }{{"ac.provider", f.Provider}, {"ac.function", f.Function}, {"ac.error_code", f.Code}} {
		if c.v != "" {
			q = q.Where(c.col+" = ?", c.v)
		}
	}
	if f.Caller != "" {
		q = q.Where("LOWER(ac.caller) LIKE ?", "%"+escapeLike(f.Caller)+"%")
	}
	if f.OK != nil {
		q = q.Where("ac.ok = ?", *f.OK)
	}
	if !f.From.IsZero() {
		q = q.Where("ac.created_at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		q = q.Where("ac.created_at < ?", f.To.UTC())
	}
	if f.BeforeID > 0 {
		q = q.Where("ac.id < ?", f.BeforeID)
	}
	return q
}

// APICallByID returns one entry of the organization's call log.
func (t *Tenant) APICallByID(ctx context.Context, id int64) (*APICall, error) {
	c := new(APICall)
	err := t.selectQ(c).Where("ac.id = ?", id).Scan(ctx)
	return c, wrap("fetch api call", notFound(err, "call"))
}
