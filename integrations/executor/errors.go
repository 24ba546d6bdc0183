package executor

import (
	"context"
	"errors"
	"net"

	"switchboard/apperr"
	"switchboard/clock"
	"switchboard/integrations/outbound"
)

// errNoToken reports a token answer without an access token.
var errNoToken = errors.New("executor: the token answer has no access_token")

// upstreamError is an upstream_error with the upstream's status and a
// redacted excerpt of its answer.
func upstreamError(status int, message, excerpt string) *apperr.Error {
	return apperr.New(apperr.CodeUpstreamError, "%s", message).WithUpstream(status, excerpt)
}

// cancelled words the end of the caller's context.
func cancelled(ctx context.Context) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return apperr.Wrap(ctx.Err(), apperr.CodeUpstreamTimeout, "the call ran out of time")
	}
	return apperr.Wrap(ctx.Err(), apperr.CodeUnavailable, "the call was cancelled")
}

// transportError classifies a failed exchange: a refused destination, the
// caller's context ending, a timeout, or an unreachable upstream. The
// cause is kept redacted (a URL in it may carry an API key).
func (c *call) transportError(ctx context.Context, err error) (*apperr.Error, health) {
	cause := errors.New(c.redactor().text(err.Error()))
	slug := c.entry.Slug
	switch {
	case outbound.IsBlocked(err):
		return apperr.Wrap(cause, apperr.CodeDestinationBlocked,
			"the destination of %s is a loopback, private, link-local or metadata address; allow it with SWITCHBOARD_ALLOW_DESTINATIONS", slug), healthNeutral
	case outbound.IsTooManyRedirects(err):
		return apperr.Wrap(cause, apperr.CodeUpstreamError,
			"%s redirected more than %d times, so the call was stopped; check its base URL", slug, outbound.MaxRedirects), healthUnhealthy
	case ctx.Err() != nil:
		e, _ := apperr.As(cancelled(ctx))
		return e, healthNeutral
	case isTimeout(err):
		return apperr.Wrap(cause, apperr.CodeUpstreamTimeout, "%s did not answer within %s", slug, clock.Words(c.timeout)), healthUnhealthy
	}
	return apperr.Wrap(cause, apperr.CodeUpstreamUnreachable, "%s cannot be reached", slug), healthUnhealthy
}

// isTimeout reports a per-attempt timeout.
func isTimeout(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// retryableTransport reports whether a transport error may be retried.
func retryableTransport(ctx context.Context, e *apperr.Error) bool {
	return ctx.Err() == nil && (e.Code == apperr.CodeUpstreamTimeout || e.Code == apperr.CodeUpstreamUnreachable)
}

// note records what an exchange says about the upstream's health; the last
// exchange decides.
func (c *call) note(h health) { c.health = h }
