package executor

import (
	"context"
	"log/slog"
	"net/http"
	"os"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"switchboard/integrations/outbound"
	"switchboard/integrations/registry"
	"switchboard/integrations/respcache"
)

// Defaults of Config.
const (
	DefaultMaxResponseBytes = 10 << 20
	DefaultBreakerThreshold = 5
	DefaultBreakerCooldown  = 30 * time.Second
	DefaultTimeout          = 15 * time.Second
	DefaultMaxAttempts      = 3
)

// CredentialSource gives the decrypted credential fields of an integration
// in an environment (cached by its implementer; it may answer an
// *apperr.Error with code missing_credentials), and stores rotated OAuth
// tokens: SaveFields receives only the fields that changed, to be merged
// into the stored ones.
type CredentialSource interface {
	Fields(ctx context.Context, orgID, integrationID int64, env string) (map[string]string, error)
	SaveFields(ctx context.Context, orgID, integrationID int64, env string, fields map[string]string) error
}

// Config holds the executor's dependencies and limits.
type Config struct {
	// Registry serves compiled definitions from memory.
	Registry *registry.Registry
	// Credentials gives decrypted credential fields.
	Credentials CredentialSource
	// Client is the guarded outbound client (outbound.NewClient); default
	// one that allows no private destination.
	Client *http.Client
	// Now is the clock of access windows, breakers, limiters and token
	// expiry; default time.Now.
	Now func() time.Time
	// Sleep waits between retries and for the rate limiter; default a
	// timer that honours ctx. Tests inject one that records the waits.
	Sleep func(ctx context.Context, d time.Duration) error
	// MaxResponseBytes caps one execution's answer, all pages together;
	// default 10 MiB. A definition's max_response_bytes may lower it.
	MaxResponseBytes int64
	// ResponseBudget bounds the answer bytes all executions together hold
	// (being parsed, or kept until their Result is released); default
	// DefaultResponseBudget. OrgResponseBudget and
	// IntegrationResponseBudget bound them per organization and per
	// integration (defaults DefaultOrgResponseBudget and
	// DefaultIntegrationResponseBudget). Each is at least MaxResponseBytes
	// and at most the one around it.
	ResponseBudget            int64
	OrgResponseBudget         int64
	IntegrationResponseBudget int64
	// SpillDir holds the spill files of answers that arrive longer than
	// their first room (default the system's temporary folder);
	// MaxSpillBytes bounds them all together, and one organization's to
	// three quarters of it (default DefaultMaxSpillBytes).
	SpillDir      string
	MaxSpillBytes int64
	// BreakerThreshold failed calls open an integration's circuit for
	// BreakerCooldown; defaults 5 and 30s.
	BreakerThreshold int
	BreakerCooldown  time.Duration
	// Logger receives retry and token events; default discards.
	Logger *slog.Logger
	// Cache keeps the answers of functions with a cache_ttl; default an
	// in-process one (respcache.NewMemory).
	Cache respcache.Cache
	// Uses, when set, is told of every execution that sent a request with
	// stored credentials.
	Uses CredentialUses
	// Calls, when set, is told of every execution (see calls.go).
	Calls CallRecorder
	// Refs, when set, lets external_ref parameter maps translate record
	// ids between Switchboard and the integration.
	Refs RefSource
	// Health, when set, is told when an integration's health turns.
	Health HealthObserver
}

// CredentialUses records that an execution sent the stored credentials of
// an integration in an environment at a time. Used runs on the request
// path, so it must not block (no database write).
type CredentialUses interface {
	Used(orgID, integrationID int64, env string, at time.Time)
}

// Executor runs integration functions. It is safe for concurrent use.
type Executor struct {
	reg      *registry.Registry
	creds    CredentialSource
	client   *http.Client
	now      func() time.Time
	sleep    func(ctx context.Context, d time.Duration) error
	maxBytes int64
	budget   *budget
	spill    *spill
	log      *slog.Logger
	cache    respcache.Cache
	uses     CredentialUses
	calls    CallRecorder
	refs     RefSource
	health   HealthObserver

	threshold int
	cooldown  time.Duration

	mu       sync.Mutex
	breakers map[stateKey]*Breaker
	limiters map[stateKey]*rate.Limiter
	tokens   map[stateKey]*tokenState
}

// stateKey names the per-integration, per-environment state.
type stateKey struct {
	org  int64
	slug string
	env  string
}

// New returns an Executor and, when cfg.Registry is set, registers Forget
// with it so that a changed definition starts with fresh breakers, limiters
// and tokens.
func New(cfg Config) *Executor {
	e := &Executor{
		reg:       cfg.Registry,
		creds:     cfg.Credentials,
		client:    cfg.Client,
		now:       cfg.Now,
		sleep:     cfg.Sleep,
		maxBytes:  cfg.MaxResponseBytes,
		log:       cfg.Logger,
		cache:     cfg.Cache,
		uses:      cfg.Uses,
		calls:     cfg.Calls,
		refs:      cfg.Refs,
		health:    cfg.Health,
		threshold: cfg.BreakerThreshold,
		cooldown:  cfg.BreakerCooldown,
		breakers:  map[stateKey]*Breaker{},
		limiters:  map[stateKey]*rate.Limiter{},
		tokens:    map[stateKey]*tokenState{},
	}
	if e.client == nil {
		// Never an unguarded client: without one, nothing private is allowed.
		policy, _ := outbound.NewPolicy(nil) // no entries, no error
		e.client = outbound.NewClient(policy)
	}
	if e.now == nil {
		e.now = time.Now
	}
	if e.sleep == nil {
		e.sleep = sleepContext
	}
	if e.maxBytes <= 0 {
		e.maxBytes = DefaultMaxResponseBytes
	}
	e.budget, e.spill = newLimits(cfg, e.maxBytes)
	if e.log == nil {
		e.log = slog.New(slog.DiscardHandler)
	}
	if e.cache == nil {
		e.cache = respcache.NewMemory(0, nil)
	}
	if e.threshold <= 0 {
		e.threshold = DefaultBreakerThreshold
	}
	if e.cooldown <= 0 {
		e.cooldown = DefaultBreakerCooldown
	}
	if e.reg != nil {
		e.reg.OnChange(e.Forget)
	}
	return e
}

// newLimits builds the response budget and the spill of cfg, defaults
// filled in.
func newLimits(cfg Config, maxBytes int64) (*budget, *spill) {
	orDefault := func(v, d int64) int64 {
		if v <= 0 {
			return d
		}
		return v
	}
	// Every level holds one answer at the cap and no more than the level
	// around it.
	total := max(orDefault(cfg.ResponseBudget, DefaultResponseBudget), maxBytes)
	perOrg := min(max(orDefault(cfg.OrgResponseBudget, DefaultOrgResponseBudget), maxBytes), total)
	perIntegration := min(max(orDefault(cfg.IntegrationResponseBudget, DefaultIntegrationResponseBudget), maxBytes), perOrg)
	b := newBudget(total, perOrg, perIntegration)
	dir := cfg.SpillDir
	if dir == "" {
		dir = os.TempDir()
	}
	return b, &spill{dir: dir, max: orDefault(cfg.MaxSpillBytes, DefaultMaxSpillBytes)}
}

// Request is one function call.
type Request struct {
	OrgID    int64
	Provider string
	Function string
	// Params holds the parameters by internal name (through the parameter
	// maps) or by the endpoint's own names.
	Params map[string]any
	// Environment is production or sandbox; empty is the integration's
	// default_environment.
	Environment string
	// Zone is the practice's time zone (the organization's); nil means
	// UTC. An integration whose time_zone is practice speaks it:
	// format_datetime writes instants in it and reads the upstream's
	// date-times without an offset in it.
	Zone *time.Location
	// Fields, when not nil, are unsaved credential fields (Test
	// Connection): Credentials is not asked, no OAuth token is cached and
	// nothing is saved.
	Fields map[string]string
	// IdempotencyKey, when set, is sent with the request and makes a write
	// safe to retry.
	IdempotencyKey string
	// IdempotencyHeader names the header carrying IdempotencyKey (a sync
	// mapping's idempotency_header); default Idempotency-Key.
	IdempotencyHeader string
	// PassThrough says the caller only writes Data out as JSON: an answer
	// that nothing in the definition reshapes or reads (see
	// call.passThrough) is then handed over as the upstream's JSON text,
	// a json.RawMessage, without parsing it and encoding it again; Raw
	// stays nil. Anything else is parsed as always.
	PassThrough bool
	// Trace asks for Result.Request and Result.Response (the try-it
	// console, sync attempts, Test Connection). Without it they stay empty
	// and the agents' hot path skips redacting a copy of every exchange.
	Trace bool
	// Allow, when set, is asked before anything is sent whether the caller
	// may run a function of this integration that writes or not (an API
	// key's scopes); its error is the answer.
	Allow func(integration string, writes bool) error
	// Caller names who asks, for the call log: an API key, a user, the
	// sync, reference lists.
	Caller string
	// IDsAreExternal says the parameters already carry the integration's
	// own record ids (the syncer translates them itself): external_ref
	// maps leave them, and answers keep the integration's ids.
	IDsAreExternal bool
}

// Trace is a redacted request or answer: credential values are replaced by
// "[redacted]" everywhere (URL, headers, body), authorization and key
// headers are hidden, and the body is cut to 2 KiB.
type Trace struct {
	Method  string
	URL     string
	Headers map[string]string
	Body    string
}

// Result is the outcome of a call. With an error, Execute still returns the
// Result when a request was sent, so callers can log and show it.
type Result struct {
	Function string
	// Data is the answer extracted and mapped to internal names; with
	// pagination, the items of every page in one list; under
	// Request.PassThrough it may be the upstream's JSON text itself (a
	// json.RawMessage).
	Data           any
	UpstreamStatus int
	// Attempts counts the requests sent, retries and pages included.
	Attempts int
	Duration time.Duration
	// Request and Response are the last exchange, redacted; filled when
	// the Request asked for a Trace, and for a call that failed after
	// sending (for the call log).
	Request  Trace
	Response Trace
	// DataTrace is Data as indented JSON with the call's secrets redacted
	// and cut to MaxTraceData; filled only when the Request asked for a
	// Trace.
	DataTrace string
	// Pages is how many pages were read.
	Pages int
	// Raw is the parsed answer of the last page before extraction and
	// response maps: what id_path and bookmark paths read.
	Raw any
	// ID is the value at the endpoint's id_path in Raw, when it has one.
	ID string
	// Header is the last answer's headers (e.g. X-Server-DateTime).
	Header http.Header
	// Cached reports an answer served from the response cache: nothing
	// was sent, and Raw, Header and the traces are empty.
	Cached bool
	// tokenSent records that an OAuth token request was sent.
	tokenSent bool
	// resv is the response budget Data holds until Release.
	resv *reservation
}

// Release gives back the share of the executor's response budget that the
// answer holds; call it once Data has been written out or dropped. A
// Result never released gives it back when it is garbage collected. It is
// safe on nil and more than once.
func (r *Result) Release() {
	if r != nil {
		r.resv.release()
	}
}

// sent reports whether the call reached the point of sending a request.
func (r *Result) sent() bool { return r != nil && (r.Attempts > 0 || r.tokenSent) }

// execute runs one function of entry, or fails with lookupErr (see
// Execute).
func (e *Executor) execute(ctx context.Context, req Request, entry *registry.Entry, lookupErr error) (*Result, error) {
	start := time.Now()
	if lookupErr != nil {
		return nil, lookupErr
	}
	c, err := e.prepare(ctx, req, entry)
	if err != nil {
		return nil, err
	}
	hit, key := e.fromCache(ctx, c)
	if hit != nil {
		hit.Duration = time.Since(start)
		return hit, nil
	}
	res, err := e.run(ctx, c)
	if err != nil {
		err = c.redactor().scrub(err)
	}
	res.Duration = time.Since(start)
	if res.sent() {
		e.invalidate(ctx, c)
		e.used(c)
	}
	if err == nil && key != "" {
		e.toCache(ctx, c, key, res)
	}
	if err != nil {
		if !res.sent() {
			return nil, err
		}
		return res, err
	}
	return res, nil
}

// used records that the call sent its stored credentials.
func (e *Executor) used(c *call) {
	if e.uses != nil && c.storedCreds {
		e.uses.Used(c.entry.OrgID, c.entry.IntegrationID, c.env, e.now().UTC())
	}
}

// BreakerState returns the circuit state of an integration in an
// environment ("" is production): closed, open or half-open.
func (e *Executor) BreakerState(orgID int64, slug, env string) string {
	e.mu.Lock()
	b := e.breakers[stateKey{orgID, slug, envOrDefault(env)}]
	e.mu.Unlock()
	if b == nil {
		return BreakerClosed
	}
	return b.State()
}

// Forget drops the breakers, rate limiters and OAuth tokens of an
// integration in every environment; the registry calls it on every change.
func (e *Executor) Forget(orgID int64, slug string) {
	e.CloseCircuits(orgID, slug)
	e.mu.Lock()
	defer e.mu.Unlock()
	for k := range e.limiters {
		if k.org == orgID && k.slug == slug {
			delete(e.limiters, k)
		}
	}
	for k := range e.tokens {
		if k.org == orgID && k.slug == slug {
			delete(e.tokens, k)
		}
	}
}

// CloseCircuits closes the circuits of an integration in every
// environment: the next call goes through. The demo calls it when its
// sandbox is switched back on, since the sandbox then answers at once.
func (e *Executor) CloseCircuits(orgID int64, slug string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for k := range e.breakers {
		if k.org == orgID && k.slug == slug {
			delete(e.breakers, k)
		}
	}
}

// breaker returns the breaker of k, creating it closed.
func (e *Executor) breaker(k stateKey) *Breaker {
	e.mu.Lock()
	defer e.mu.Unlock()
	b := e.breakers[k]
	if b == nil {
		b = NewBreaker(e.threshold, e.cooldown, e.now)
		e.breakers[k] = b
	}
	return b
}

// sleepContext waits for d or until ctx is done.
func sleepContext(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
