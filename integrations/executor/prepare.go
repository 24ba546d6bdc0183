package executor

import (
	"context"
	"log/slog"
	"math"
	"slices"
	"strings"
	"time"

	"switchboard/apperr"
	"switchboard/integrations/definition"
	"switchboard/integrations/registry"
	"switchboard/integrations/transform"
)

// call is one execution in progress: the definition it runs, the validated
// parameters, the credentials and what the sends learn on the way.
type call struct {
	req     Request
	log     *slog.Logger
	entry   *registry.Entry
	doc     *definition.Document
	ep      *definition.CompiledEndpoint
	env     string
	baseURL string
	key     stateKey
	timeout time.Duration
	// tenv is what the transform chains know of the call: the zone the
	// upstream speaks (the definition's time_zone, else the practice's).
	tenv transform.Env

	// params holds the validated parameters by the endpoint's names;
	// origin maps each to the name the caller used.
	params    map[string]any
	origin    map[string]string
	defaulted map[string]bool

	creds map[string]string
	// storedCreds reports credentials read from the CredentialSource (not
	// Test Connection's unsaved fields).
	storedCreds bool
	secrets     []string
	// rd is the redactor over the first rdFor secrets (see redactor).
	rd    *redactor
	rdFor int
	// ownTokens holds the token of a call with unsaved fields, which
	// must not share the cache.
	ownTokens *tokenState
	// invalidGrant is set when the token endpoint answered invalid_grant.
	invalidGrant bool

	// mapWarnings counts response values a transform could not handle.
	mapWarnings int

	// health is what the sends say about the upstream, for the breaker.
	health health

	// last is the last exchange, unredacted, kept (pointers only) so that
	// a failed call can hand the call log its redacted trace (lastTrace).
	last lastExchange

	// resv is the call's part of the response budget and its cap.
	resv *reservation
}

// health is a call's verdict on the upstream's health.
type health int

const (
	healthNeutral   health = iota // nothing learned (4xx, refused locally)
	healthGood                    // the upstream answered
	healthUnhealthy               // network error, timeout or 5xx
)

// prepare runs the pipeline up to the request: environment, access
// window, parameter maps, defaults, validation and credentials.
func (e *Executor) prepare(ctx context.Context, req Request, entry *registry.Entry) (*call, error) {
	c, err := e.locate(entry, req)
	if err != nil {
		return nil, err
	}
	c.log = e.log
	if e.refs != nil && !req.IDsAreExternal {
		c.tenv.Refs = refTranslator{ctx: ctx, src: e.refs, org: entry.OrgID, integ: entry.IntegrationID, slug: entry.Slug}
	}
	if err := e.checkWindow(c); err != nil {
		return nil, err
	}
	if err := c.prepareParams(); err != nil {
		return nil, err
	}
	if err := e.loadCredentials(ctx, c); err != nil {
		return nil, err
	}
	return c, nil
}

// locate finds the endpoint and the environment's base URL.
func (e *Executor) locate(entry *registry.Entry, req Request) (*call, error) {
	doc := entry.Compiled.Doc
	if !entry.Enabled || !doc.IsEnabled() {
		return nil, apperr.New(apperr.CodeIntegrationDisabled, "the integration %q is disabled", entry.Slug)
	}
	ep, ok := entry.Compiled.Endpoint(req.Function)
	if !ok {
		return nil, apperr.New(apperr.CodeUnknownFunction, "%s has no function %q", entry.Slug, req.Function)
	}
	if !ep.Endpoint.IsEnabled() {
		return nil, apperr.New(apperr.CodeIntegrationDisabled, "the function %s of %s is disabled", req.Function, entry.Slug)
	}
	if req.Allow != nil {
		if err := req.Allow(entry.Slug, ep.Endpoint.Writes); err != nil {
			return nil, err
		}
	}
	env := envOrDefault(req.Environment)
	if env != definition.EnvProduction && env != definition.EnvSandbox {
		return nil, &apperr.Error{Code: apperr.CodeInvalidRequest, Message: "environment must be production or sandbox",
			Fields: []apperr.FieldError{{Field: "environment", Message: "must be one of production, sandbox"}}}
	}
	base := strings.TrimSpace(doc.BaseURL[env])
	if base == "" {
		field := "base_url." + env
		return nil, &apperr.Error{Code: apperr.CodeInvalidRequest,
			Message: entry.Slug + " has no base URL for the " + env + " environment",
			Fields:  []apperr.FieldError{{Field: field, Message: "is not set"}}}
	}
	timeout := doc.Timeout.Std()
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	return &call{
		req: req, entry: entry, doc: doc, ep: ep, env: env, baseURL: base, timeout: timeout,
		key:  stateKey{org: entry.OrgID, slug: entry.Slug, env: env},
		tenv: transform.Env{Zone: entry.Compiled.ZoneFor(req.Zone)},
	}, nil
}

// checkWindow refuses a call outside the environment's access windows,
// saying in how many seconds the next one opens.
func (e *Executor) checkWindow(c *call) error {
	now := e.now()
	open, next := c.entry.Compiled.WindowOpen(c.env, now)
	if open {
		return nil
	}
	err := apperr.New(apperr.CodeOutsideWindow, "%s (%s) may only be called inside its access windows (UTC)", c.entry.Slug, c.env)
	if next.IsZero() {
		return err
	}
	err.Message += "; the next opens at " + next.UTC().Format(time.RFC3339)
	return err.WithRetryAfter(ceilSeconds(next.Sub(now)))
}

// prepareParams maps, defaults and validates the parameters, reporting
// every bad one at once.
func (c *call) prepareParams() error {
	params, origin, problems := c.mapRequest(c.req.Params)
	c.applyDefaults(params, origin)
	valid, more := c.validate(params, origin)
	for _, m := range more {
		// A parameter its map already refused is not also "required".
		if !slices.ContainsFunc(problems, func(p apperr.FieldError) bool { return p.Field == m.Field }) {
			problems = append(problems, m)
		}
	}
	if len(problems) > 0 {
		e := apperr.Validation(problems...)
		e.Message = "some parameters of " + c.ep.Endpoint.Function + " are not valid"
		return e
	}
	c.params, c.origin = valid, origin
	return nil
}

// envOrDefault returns env, or production when it is empty.
func envOrDefault(env string) string {
	env = strings.ToLower(strings.TrimSpace(env))
	if env == "" {
		return definition.EnvProduction
	}
	return env
}

// ceilSeconds rounds d up to whole seconds, at least 1.
func ceilSeconds(d time.Duration) int {
	return max(1, int(math.Ceil(d.Seconds())))
}

// asAppErr passes *apperr.Error values through and wraps anything else as
// an internal error.
func asAppErr(err error, format string, args ...any) error {
	if _, ok := apperr.As(err); ok {
		return err
	}
	return apperr.Wrap(err, apperr.CodeInternal, format, args...)
}
