package sandbox

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Where the sandbox mounts its upstreams and its control endpoints.
const (
	// OpenDentalPrefix is the path of the Open Dental base URL.
	OpenDentalPrefix = "/opendental/api/v1"
	// Cloud9Path is the path of the single Cloud9 Ortho endpoint.
	Cloud9Path = "/cloud9/GetData.ashx"
	// ControlPrefix is where faults, statistics and reset are served.
	ControlPrefix = "/_sandbox"
	// Cloud9Namespace is the XML namespace of Cloud9 requests and answers.
	Cloud9Namespace = "http://schemas.practica.ws/cloud9/partners/"
)

// Config holds the credentials the sandbox accepts and its clock. Empty
// credential fields take the values of DefaultConfig, so a zero Config never
// accepts empty credentials.
type Config struct {
	// OpenDentalDeveloperKey and OpenDentalCustomerKey are the two halves of
	// the "ODFHIR {developer}/{customer}" Authorization header.
	OpenDentalDeveloperKey, OpenDentalCustomerKey string
	// Cloud9ClientID, Cloud9UserName and Cloud9Password are the credentials
	// Cloud9 requests carry inside their XML body.
	Cloud9ClientID, Cloud9UserName, Cloud9Password string
	// LangfusePublicKey and LangfuseSecretKey are the basic auth of the
	// fake Langfuse public API.
	LangfusePublicKey, LangfuseSecretKey string
	// NodeRedToken is the bearer token of the fake Node-RED admin API.
	NodeRedToken string
	// IdempotencyHeader names the request header that makes writes run once
	// per key; default "Idempotency-Key".
	IdempotencyHeader string
	// Now is the clock; default time.Now.
	Now func() time.Time
	// Location is the practice's time zone, in which the upstreams' naive
	// datetimes are read and written; default UTC.
	Location *time.Location
}

// DefaultConfig returns the demo credentials printed by `serve --demo`.
func DefaultConfig() Config {
	return Config{
		OpenDentalDeveloperKey: "sandbox-dev-key",
		OpenDentalCustomerKey:  "sandbox-customer-key",
		Cloud9ClientID:         "sandbox-client",
		Cloud9UserName:         "sandbox",
		Cloud9Password:         "sandbox-password",
		LangfusePublicKey:      "pk-lf-sandbox",
		LangfuseSecretKey:      "sk-lf-sandbox",
		NodeRedToken:           "sandbox-nodered-token",
		IdempotencyHeader:      "Idempotency-Key",
		Now:                    time.Now,
		Location:               time.UTC,
	}
}

func (c Config) withDefaults() Config {
	d := DefaultConfig()
	fill := func(v *string, def string) {
		if *v == "" {
			*v = def
		}
	}
	fill(&c.OpenDentalDeveloperKey, d.OpenDentalDeveloperKey)
	fill(&c.OpenDentalCustomerKey, d.OpenDentalCustomerKey)
	fill(&c.Cloud9ClientID, d.Cloud9ClientID)
	fill(&c.Cloud9UserName, d.Cloud9UserName)
	fill(&c.Cloud9Password, d.Cloud9Password)
	fill(&c.LangfusePublicKey, d.LangfusePublicKey)
	fill(&c.LangfuseSecretKey, d.LangfuseSecretKey)
	fill(&c.NodeRedToken, d.NodeRedToken)
	fill(&c.IdempotencyHeader, d.IdempotencyHeader)
	if c.Now == nil {
		c.Now = d.Now
	}
	if c.Location == nil {
		c.Location = d.Location
	}
	return c
}

// Sandbox is the fake practice-management system; see the package doc for
// its HTTP surface. It is safe for concurrent use.
type Sandbox struct {
	cfg    Config
	od     *odState
	c9     *c9State
	lf     *lfState
	nr     *nrState
	odMux  http.Handler
	faults faultSwitch
	stats  *statsRecorder
	idem   *idemStore
}

// New returns a seeded sandbox.
func New(cfg Config) *Sandbox {
	s := &Sandbox{
		cfg:   cfg.withDefaults(),
		od:    &odState{},
		c9:    &c9State{},
		lf:    &lfState{},
		nr:    &nrState{},
		stats: newStatsRecorder(),
		idem:  newIdemStore(),
	}
	s.odMux = http.StripPrefix(OpenDentalPrefix, s.openDentalRoutes())
	s.seed()
	return s
}

// Config returns the configuration in use, defaults filled in.
func (s *Sandbox) Config() Config { return s.cfg }

// Reset reseeds both upstreams and clears idempotency keys, statistics and
// the faults of every tenant.
func (s *Sandbox) Reset() {
	s.seed()
	s.idem.clear()
	s.stats.clear()
	s.faults.clear()
}

func (s *Sandbox) seed() {
	now := s.now()
	s.od.seed(now)
	s.c9.seed(now)
	s.lf.seed(now)
	s.nr.seed()
}

// now is the clock in the practice's time zone, to the second (the
// precision of both upstreams' timestamps).
func (s *Sandbox) now() time.Time {
	return s.cfg.Now().In(s.cfg.Location).Truncate(time.Second)
}

// ServeHTTP routes to the Open Dental API, the Cloud9 endpoint or the
// control endpoints; under TenantPrefix(tenant) it serves that tenant's
// upstreams (with that tenant's faults) and no control endpoints, since
// those carry no credentials.
func (s *Sandbox) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if rest, ok := strings.CutPrefix(r.URL.Path, tenantRoot); ok {
		s.serveTenant(w, r, rest)
		return
	}
	s.route(w, r, true)
}

func (s *Sandbox) serveTenant(w http.ResponseWriter, r *http.Request, rest string) {
	tenant, p, ok := strings.Cut(rest, "/")
	if !ok || tenant == "" {
		http.NotFound(w, r)
		return
	}
	r2 := r.WithContext(context.WithValue(r.Context(), tenantKey{}, tenant))
	u := *r.URL
	u.Path, u.RawPath = "/"+p, ""
	r2.URL = &u
	s.route(w, r2, false)
}

func (s *Sandbox) route(w http.ResponseWriter, r *http.Request, control bool) {
	p := r.URL.Path
	switch {
	case control && (p == ControlPrefix || strings.HasPrefix(p, ControlPrefix+"/")):
		s.serveControl(w, r)
	case strings.HasPrefix(p, OpenDentalPrefix+"/"):
		s.serveOpenDental(w, r)
	case strings.EqualFold(p, Cloud9Path):
		s.serveCloud9(w, r)
	case strings.HasPrefix(p, LangfusePrefix+"/api/public/"):
		s.serveLangfuse(w, r)
	case strings.HasPrefix(p, NodeRedPrefix+"/"):
		s.serveNodeRed(w, r)
	default:
		http.NotFound(w, r)
	}
}

// tenantRoot starts the path of a tenant's upstreams.
const tenantRoot = "/t/"

type tenantKey struct{}

// TenantPrefix is the path prefix of one tenant's upstreams: its Open
// Dental base URL is TenantPrefix(tenant) + OpenDentalPrefix.
func TenantPrefix(tenant string) string { return tenantRoot + url.PathEscape(tenant) }

// OrgTenant names the tenant of an organization, so that the demo wiring
// and the outage switch agree on it.
func OrgTenant(orgID int64) string { return "org-" + strconv.FormatInt(orgID, 10) }

func tenantOf(r *http.Request) string {
	t, _ := r.Context().Value(tenantKey{}).(string)
	return t
}
