package executor

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"switchboard/apperr"
	"switchboard/integrations/definition"
)

// errTooLarge reports an answer over the size cap.
var errTooLarge = errors.New("executor: response too large")

// answer is one upstream answer, read and parsed.
type answer struct {
	status int
	header http.Header
	// head is the start of the body (headSize bytes at most), for
	// excerpts and traces; size is the length of the whole body.
	head []byte
	size int64
	// found holds the error rules' contains strings that occur in the
	// body.
	found map[string]bool
	// tree is the parsed body (nil when empty); parseErr says why a body
	// that claimed to be JSON or XML could not be read.
	tree     any
	parseErr error
	// raw is the body itself when it goes to the caller as it came (see
	// passThrough); tree is then nil.
	raw []byte
}

// verdictKind is what to do with an answer.
type verdictKind int

const (
	accept  verdictKind = iota // a success
	retry                      // retry if the policy allows, else fail with err
	refresh                    // drop the OAuth token, fetch another, retry once
	reject                     // fail with err
)

// verdict is the judgement of one answer.
type verdict struct {
	kind verdictKind
	err  *apperr.Error
	// wait is the upstream's own wait (Retry-After), when it gave one.
	wait    time.Duration
	hasWait bool
}

// judge applies the error rules (the first that matches decides), then the
// HTTP status, then the success condition.
func (c *call) judge(a *answer, now time.Time) verdict {
	for _, rule := range c.ep.ErrorRules {
		if ruleMatches(rule, a) {
			return c.applyRule(rule, a, now, c.redactor())
		}
	}
	if a.status == http.StatusUnauthorized && c.isOAuth() {
		return verdict{kind: refresh, err: c.statusError(a, c.redactor())}
	}
	if a.status < 200 || a.status > 299 {
		return c.statusVerdict(a, now, c.redactor())
	}
	if a.parseErr != nil {
		return verdict{kind: reject, err: upstreamError(a.status, "the answer of "+c.entry.Slug+" cannot be read: "+
			strings.TrimPrefix(a.parseErr.Error(), "executor: "), c.redactor().excerpt(a.head))}
	}
	if s := c.doc.Success; s != nil {
		v, _ := Lookup(a.tree, s.Path)
		if valueText(v) != s.Equals {
			rd := c.redactor()
			return verdict{kind: reject, err: upstreamError(a.status, c.successMessage(a, rd), rd.excerpt(a.head))}
		}
	}
	return verdict{kind: accept}
}

// ruleMatches reports whether every condition of a rule holds. A path
// without equals matches when the path holds a non-empty value.
func ruleMatches(r definition.ErrorRule, a *answer) bool {
	w := r.When
	if len(w.Status) > 0 && !slices.Contains(w.Status, a.status) {
		return false
	}
	if w.Path != "" {
		v, ok := Lookup(a.tree, w.Path)
		if !ok {
			return false
		}
		text := valueText(v)
		if (w.Equals != "" && text != w.Equals) || (w.Equals == "" && text == "") {
			return false
		}
	}
	return w.Contains == "" || a.found[w.Contains]
}

// applyRule turns a matching rule into a verdict.
func (c *call) applyRule(r definition.ErrorRule, a *answer, now time.Time, rd *redactor) verdict {
	msg := c.ruleMessage(r, a, rd)
	switch r.Action {
	case definition.ActionIgnore:
		return verdict{kind: accept}
	case definition.ActionRetry:
		v := verdict{kind: retry, err: upstreamError(a.status, msg, rd.excerpt(a.head))}
		v.wait, v.hasWait = retryAfter(a.header, "", now)
		return v.withRetryAfter()
	case definition.ActionRateLimited:
		v := verdict{kind: retry, err: rateLimitedUpstream(a.status, msg)}
		v.wait, v.hasWait = retryAfter(a.header, r.WaitHeader, now)
		return v.withRetryAfter()
	case definition.ActionRefreshTokenThenRetry:
		return verdict{kind: refresh, err: upstreamError(a.status, msg, rd.excerpt(a.head))}
	}
	return verdict{kind: reject, err: upstreamError(a.status, msg, rd.excerpt(a.head))}
}

// statusVerdict judges a non-2xx answer no rule matched: 429 and the retry
// statuses are retried, anything else fails.
func (c *call) statusVerdict(a *answer, now time.Time, rd *redactor) verdict {
	v := verdict{kind: reject, err: c.statusError(a, rd)}
	if a.status == http.StatusTooManyRequests {
		v.err = rateLimitedUpstream(a.status, c.entry.Slug+" is limiting the rate of calls (429)")
	}
	if c.retryStatus(a.status) {
		v.kind = retry
		v.wait, v.hasWait = retryAfter(a.header, "", now)
	}
	return v.withRetryAfter()
}

// retryStatus reports the statuses retried: 429, 502, 503, 504 and the
// definition's retry_on.
func (c *call) retryStatus(status int) bool {
	switch status {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return c.doc.Retry != nil && slices.Contains(c.doc.Retry.RetryOn, status)
}

// statusError is the upstream_error of a non-2xx answer, quoting the
// upstream's own short message when it gives one.
func (c *call) statusError(a *answer, rd *redactor) *apperr.Error {
	msg := c.entry.Slug + " answered " + strconv.Itoa(a.status)
	if text := upstreamMessage(a.tree); text != "" {
		msg += ": " + clipText(rd.text(text), 200)
	}
	return upstreamError(a.status, msg, rd.excerpt(a.head))
}

// upstreamMessage finds a short message in an error answer: a bare JSON
// string (as Open Dental answers), or a message/error member.
func upstreamMessage(tree any) string {
	switch t := tree.(type) {
	case string:
		if !strings.HasPrefix(strings.TrimSpace(t), "<") {
			return strings.TrimSpace(t)
		}
	case map[string]any:
		for _, k := range []string{"message", "Message", "error_description", "error", "detail", "title"} {
			if s, ok := t[k].(string); ok && s != "" {
				return s
			}
		}
	}
	return ""
}

// ruleMessage is a rule's message: the value at message_path, else its
// fixed message, else a plain description.
func (c *call) ruleMessage(r definition.ErrorRule, a *answer, rd *redactor) string {
	if r.MessagePath != "" {
		if v, ok := Lookup(a.tree, r.MessagePath); ok {
			if s := strings.TrimSpace(valueText(v)); s != "" {
				return clipText(rd.text(s), 500)
			}
		}
	}
	if r.Message != "" {
		return strings.TrimSpace(r.Message)
	}
	return c.entry.Slug + " reported an error (" + strconv.Itoa(a.status) + ")"
}

// successMessage explains a failed success condition with the message the
// upstream gave at an error rule's message_path, when there is one.
func (c *call) successMessage(a *answer, rd *redactor) string {
	for _, r := range c.ep.ErrorRules {
		if r.MessagePath == "" {
			continue
		}
		if v, ok := Lookup(a.tree, r.MessagePath); ok {
			if s := strings.TrimSpace(valueText(v)); s != "" {
				return clipText(rd.text(s), 500)
			}
		}
	}
	s := c.doc.Success
	got, _ := Lookup(a.tree, s.Path)
	return c.entry.Slug + " did not report success (" + s.Path + " is " + strconv.Quote(clipText(rd.text(valueText(got)), 100)) +
		", want " + strconv.Quote(s.Equals) + ")"
}

// rateLimitedUpstream is the rate_limited error of an upstream's refusal.
func rateLimitedUpstream(status int, msg string) *apperr.Error {
	return apperr.New(apperr.CodeRateLimited, "%s", msg).WithUpstream(status, "")
}

// withRetryAfter adds the upstream's wait to the error, in seconds.
func (v verdict) withRetryAfter() verdict {
	if v.hasWait && v.err != nil {
		v.err = v.err.WithRetryAfter(ceilSeconds(v.wait))
	}
	return v
}

// clipText cuts s to n characters.
func clipText(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
