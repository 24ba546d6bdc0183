package executor

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"golang.org/x/time/rate"

	"switchboard/apperr"
	"switchboard/clock"
	"switchboard/integrations/outbound"
)

// Retry limits.
const (
	// minHonouredWait is the longest upstream Retry-After always honoured;
	// a longer one is honoured only up to the retry policy's max_delay,
	// beyond which the call fails at once with retry_after.
	minHonouredWait = 30 * time.Second
)

// exchange sends one built request until an answer is accepted or the
// retry policy gives up: rate limit, token, send, judge, wait, again.
func (e *Executor) exchange(ctx context.Context, c *call, o *outgoing, res *Result) (*answer, error) {
	refreshed := false
	for attempt := 1; ; attempt++ {
		if err := e.waitLimiter(ctx, c); err != nil {
			return nil, err
		}
		token := ""
		if c.isOAuth() {
			t, err := e.token(ctx, c, res, "")
			if err != nil {
				return nil, err
			}
			token = t
		}
		a, err := e.attempt(ctx, c, o, token, res)
		var v verdict
		if err != nil {
			ae, ok := apperr.As(err)
			if !ok || !retryableTransport(ctx, ae) {
				return nil, err
			}
			v = verdict{kind: retry, err: ae}
		} else {
			v = c.judge(a, e.now())
		}
		switch v.kind {
		case accept:
			return a, nil
		case reject:
			return nil, v.err
		case refresh:
			// The upstream refused the token, so nothing was done: one
			// retry with a fresh token, writes included, not counted
			// against max_attempts.
			if !c.isOAuth() || refreshed {
				return nil, v.err
			}
			refreshed = true
			if _, err := e.token(ctx, c, res, token); err != nil {
				return nil, err
			}
			attempt--
			continue
		}
		if attempt >= c.maxAttempts() || !c.mayRetry() {
			return nil, v.err
		}
		wait, ok := c.retryWait(ctx, attempt, v)
		if !ok {
			return nil, v.err
		}
		e.log.Debug("executor: retrying", "integration", c.entry.Slug, "function", c.ep.Endpoint.Function,
			"attempt", attempt, "wait", wait, "code", v.err.Code)
		if err := e.sleep(ctx, wait); err != nil {
			return nil, cancelled(ctx)
		}
	}
}

// attempt sends the request once, within the integration's timeout, and
// reads the answer up to the size cap.
func (e *Executor) attempt(ctx context.Context, c *call, o *outgoing, token string, res *Result) (*answer, error) {
	actx, cancel := context.WithTimeout(outbound.WithCredentials(ctx, c.credentialParts()), c.timeout)
	defer cancel()
	r, err := o.request(actx)
	if err != nil {
		return nil, apperr.Wrap(err, apperr.CodeInvalidRequest, "the request of %s cannot be built", c.ep.Endpoint.Function)
	}
	if err := c.applyAuth(r, token); err != nil {
		return nil, err
	}
	if key := c.req.IdempotencyKey; key != "" {
		r.Header.Set(c.idempotencyHeader(), key)
	}
	res.Attempts++
	c.last = lastExchange{req: r, body: o.body}
	if c.req.Trace {
		res.Request = c.redactor().trace(r, o.body)
	}
	res.UpstreamStatus, res.Response, res.Header = 0, Trace{}, nil
	resp, err := e.client.Do(r)
	if err != nil {
		aerr, h := c.transportError(ctx, err)
		c.note(h)
		return nil, aerr
	}
	defer resp.Body.Close()
	res.UpstreamStatus, res.Header = resp.StatusCode, c.redactor().headerValues(resp.Header)
	a := &answer{status: resp.StatusCode, header: resp.Header}
	err = e.readBody(actx, ctx, c, resp, a)
	c.last.resp, c.last.head = resp, a.head
	if c.req.Trace {
		res.Response = c.redactor().answerTrace(resp, a.head)
	}
	if err != nil {
		return nil, err
	}
	switch {
	case resp.StatusCode >= 500:
		c.note(healthUnhealthy)
	case resp.StatusCode >= 400:
		c.note(healthNeutral)
	default:
		c.note(healthGood)
	}
	return a, nil
}

// readBody reads and parses the answer within the call's cap and the
// response budget: it reserves room for the start of the answer (its
// declared length when shorter) and reads it; an answer longer than that
// goes on to a spill file and reserves its whole length once it has
// arrived, waiting for room at most the integration's timeout. So a slow
// upstream holds at most initialRoom of the budget while it drips, and an
// answer of unknown length waits for room instead of failing.
func (e *Executor) readBody(actx, ctx context.Context, c *call, resp *http.Response, a *answer) error {
	limit := c.resv.remaining()
	if resp.ContentLength > limit {
		c.note(healthGood)
		return c.tooLarge(resp.StatusCode)
	}
	room := min(limit, initialRoom)
	if resp.ContentLength >= 0 {
		room = min(room, resp.ContentLength)
	}
	if err := c.resv.reserve(actx, room); err != nil {
		return budgetError(ctx)
	}
	br := &bodyReader{r: resp.Body, limit: limit, scan: newSubstrings(c.ruleSubstrings())}
	got, err := e.spill.receive(c.entry.OrgID, br, room, func() { _ = c.resv.reserve(ctx, 0) })
	a.size, a.head, a.found = br.n, br.head, br.scan.result()
	if err != nil {
		return c.readError(actx, ctx, resp.StatusCode, err)
	}
	defer got.close()
	if got.file != nil {
		wctx, cancel := context.WithTimeout(ctx, c.timeout)
		err := c.resv.reserve(wctx, got.size)
		cancel()
		if err != nil {
			return budgetError(ctx)
		}
	}
	if err := c.parseAnswer(a, got); err != nil {
		return apperr.Wrap(err, apperr.CodeInternal, "the answer of %s could not be read back", c.entry.Slug)
	}
	return nil
}

// readError classifies a failed read of an answer: over the cap, no room
// to spill it, or the transport failing (a body that stopped coming
// before the attempt's timeout is upstream_timeout, not unreachable).
func (c *call) readError(actx, ctx context.Context, status int, err error) error {
	switch {
	case errors.Is(err, errTooLarge):
		c.note(healthGood)
		return c.tooLarge(status)
	case errors.Is(err, errSpillFull):
		c.note(healthNeutral)
		return budgetError(ctx)
	case ctx.Err() == nil && actx.Err() != nil:
		c.note(healthUnhealthy)
		return apperr.Wrap(errors.New(c.redactor().text(err.Error())), apperr.CodeUpstreamTimeout,
			"%s did not finish its answer within %s", c.entry.Slug, clock.Words(c.timeout))
	}
	aerr, h := c.transportError(ctx, err)
	c.note(h)
	return aerr
}

// tooLarge is the response_too_large error of an answer that took the
// call past its cap.
func (c *call) tooLarge(status int) error {
	what := "the answer of " + c.entry.Slug
	if c.ep.Endpoint.Pagination != nil {
		what += ", all pages together,"
	}
	e := apperr.New(apperr.CodeResponseTooLarge, "%s is over the limit of %s", what, byteSize(c.resv.limit))
	return e.WithUpstream(status, "").With("max_response_bytes", c.resv.limit)
}

// idempotencyHeader names the header that carries the idempotency key.
func (c *call) idempotencyHeader() string {
	if c.req.IdempotencyHeader != "" {
		return c.req.IdempotencyHeader
	}
	return "Idempotency-Key"
}

// maxAttempts is the retry policy's attempt count (default 3).
func (c *call) maxAttempts() int {
	if r := c.doc.Retry; r != nil && r.MaxAttempts > 0 {
		return r.MaxAttempts
	}
	return DefaultMaxAttempts
}

// mayRetry reports whether the call may be sent again: reads always,
// writes only when the endpoint is safe to retry or an idempotency key
// goes with them.
func (c *call) mayRetry() bool {
	ep := c.ep.Endpoint
	return !ep.Writes || ep.RetrySafe || c.req.IdempotencyKey != ""
}

// retryWait is the wait before the next attempt: the upstream's own
// Retry-After when it gave one (refused when too long), else exponential
// backoff with full jitter. A wait that would outlast the caller's deadline
// ends the retries.
func (c *call) retryWait(ctx context.Context, attempt int, v verdict) (time.Duration, bool) {
	var initial, maxDelay time.Duration
	if r := c.doc.Retry; r != nil {
		initial, maxDelay = r.InitialDelay.Std(), r.MaxDelay.Std()
	}
	wait := backoff(attempt, initial, maxDelay)
	if v.hasWait {
		if v.wait > max(maxDelay, minHonouredWait) {
			return 0, false
		}
		wait = v.wait
	}
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
		return 0, false
	}
	return wait, true
}

// waitLimiter takes a token of the integration's rate limit, waiting for
// it when the wait fits the caller's deadline (or, without one, the
// integration's timeout); otherwise the call fails with rate_limited.
func (e *Executor) waitLimiter(ctx context.Context, c *call) error {
	lim := e.limiterFor(c)
	if lim == nil {
		return nil
	}
	now := e.now()
	r := lim.ReserveN(now, 1)
	if !r.OK() {
		return apperr.New(apperr.CodeRateLimited, "calls to %s are over its rate limit", c.entry.Slug)
	}
	d := r.DelayFrom(now)
	if d <= 0 {
		return nil
	}
	budget := c.timeout
	if dl, ok := ctx.Deadline(); ok {
		budget = time.Until(dl)
	}
	if d > budget {
		r.CancelAt(now)
		return apperr.New(apperr.CodeRateLimited, "calls to %s are over its rate limit of %g per second", c.entry.Slug,
			c.doc.RateLimit.PerSecond).WithRetryAfter(ceilSeconds(d))
	}
	if err := e.sleep(ctx, d); err != nil {
		r.CancelAt(e.now())
		return cancelled(ctx)
	}
	return nil
}

// limiterFor returns the token bucket of the call's integration and
// environment, or nil when it has no rate limit.
func (e *Executor) limiterFor(c *call) *rate.Limiter {
	rl := c.doc.RateLimit
	if rl == nil || rl.PerSecond <= 0 {
		return nil
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	lim := e.limiters[c.key]
	if lim == nil {
		lim = rate.NewLimiter(rate.Limit(rl.PerSecond), max(1, rl.Burst))
		e.limiters[c.key] = lim
	}
	return lim
}

// byteSize writes a byte count for messages.
func byteSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return strconv.FormatInt(n>>20, 10) + " MiB"
	case n >= 1<<10 && n%(1<<10) == 0:
		return strconv.FormatInt(n>>10, 10) + " KiB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}
