package executor

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"time"

	"switchboard/integrations/respcache"
)

// cachedAnswer is what the response cache keeps of a Result: the answer
// after extraction and response maps, never the request or credentials.
type cachedAnswer struct {
	Data           any    `json:"data"`
	UpstreamStatus int    `json:"upstream_status"`
	Pages          int    `json:"pages"`
	ID             string `json:"id,omitempty"`
}

// cacheTTL is how long the call's answer may be served from the cache; 0
// when it may not (a write, no cache_ttl, unsaved fields or a trace).
func (c *call) cacheTTL() time.Duration {
	ttl := c.ep.Endpoint.CacheTTL
	if ttl == nil || c.ep.Endpoint.Writes || c.req.Fields != nil || c.req.Trace {
		return 0
	}
	return ttl.Std()
}

// cacheKey names the call's answer: organization, integration,
// environment, function, the integration's generation and a hash of the
// canonical parameters (JSON with sorted keys), so no value appears in it.
func (e *Executor) cacheKey(ctx context.Context, c *call) (string, error) {
	scope := respcache.Scope(c.entry.OrgID, c.entry.Slug)
	gen, err := e.cache.Generation(ctx, scope)
	if err != nil {
		return "", err
	}
	params, err := json.Marshal(c.params) // maps marshal with sorted keys
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(params)
	return scope + ":" + strconv.FormatInt(gen, 10) + ":" + c.env + ":" + c.ep.Endpoint.Function + ":" +
		hex.EncodeToString(sum[:]), nil
}

// fromCache answers the call from the cache when it may and there is an
// entry; key is where to store a fresh answer ("" when not cached). A
// cache that fails is logged and bypassed.
func (e *Executor) fromCache(ctx context.Context, c *call) (res *Result, key string) {
	if c.cacheTTL() <= 0 {
		return nil, ""
	}
	key, err := e.cacheKey(ctx, c)
	if err != nil {
		e.log.Warn("executor: response cache unavailable", "integration", c.entry.Slug, "err", err)
		return nil, ""
	}
	b, ok, err := e.cache.Get(ctx, key)
	if err != nil || !ok {
		return nil, key
	}
	var a cachedAnswer
	if err := json.Unmarshal(b, &a); err != nil {
		return nil, key
	}
	return &Result{Function: c.ep.Endpoint.Function, Data: a.Data, UpstreamStatus: a.UpstreamStatus,
		Pages: a.Pages, ID: a.ID, Cached: true}, key
}

// toCache stores a fresh answer under key.
func (e *Executor) toCache(ctx context.Context, c *call, key string, res *Result) {
	b, err := json.Marshal(cachedAnswer{Data: res.Data, UpstreamStatus: res.UpstreamStatus, Pages: res.Pages, ID: res.ID})
	if err == nil {
		err = e.cache.Set(ctx, key, b, c.cacheTTL())
	}
	if err != nil {
		e.log.Warn("executor: response cache not stored", "integration", c.entry.Slug, "err", err)
	}
}

// invalidate drops the cached answers of the call's integration (for its
// organization) after a write reached the upstream.
func (e *Executor) invalidate(ctx context.Context, c *call) {
	if !c.ep.Endpoint.Writes {
		return
	}
	if err := e.cache.Invalidate(context.WithoutCancel(ctx), respcache.Scope(c.entry.OrgID, c.entry.Slug)); err != nil {
		e.log.Warn("executor: response cache not invalidated", "integration", c.entry.Slug, "err", err)
	}
}

// Cache is the response cache the executor keeps answers in, for the
// caches built on top of its answers (reference lists) that must follow
// the same backend and invalidations.
func (e *Executor) Cache() respcache.Cache { return e.cache }
