package sandbox

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"sync"
)

// Tenants are one Sandbox per tenant (an organization of the demo), each
// with its own patients, appointments, faults and statistics, so that one
// organization never reads another's sandbox data. It serves only the
// tenants' upstreams, under TenantPrefix(tenant); the control endpoints
// are ServeControl's, for the app to put behind a sign-in.
type Tenants struct {
	cfg    Config
	secret []byte
	mu     sync.Mutex
	m      map[string]*Sandbox
}

// NewTenants returns an empty set; a tenant's sandbox is made and seeded
// on first use.
func NewTenants(cfg Config) *Tenants {
	secret := make([]byte, 32)
	_, _ = rand.Read(secret)
	return &Tenants{cfg: cfg, secret: secret, m: map[string]*Sandbox{}}
}

// ConfigFor is the configuration of tenant's sandbox: cfg with secret
// halves of its credentials of its own (derived from a random key of this
// process), so that one organization's stored credentials open no other
// organization's sandbox.
func (ts *Tenants) ConfigFor(tenant string) Config {
	c := ts.cfg.withDefaults()
	mac := hmac.New(sha256.New, ts.secret)
	mac.Write([]byte(tenant))
	sum := hex.EncodeToString(mac.Sum(nil))
	c.OpenDentalCustomerKey = c.OpenDentalCustomerKey + "-" + sum[:20]
	c.Cloud9Password = c.Cloud9Password + "-" + sum[20:40]
	c.LangfuseSecretKey = c.LangfuseSecretKey + "-" + sum[40:52]
	c.NodeRedToken = c.NodeRedToken + "-" + sum[52:64]
	return c
}

// For is the sandbox of tenant.
func (ts *Tenants) For(tenant string) *Sandbox {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	s := ts.m[tenant]
	if s == nil {
		s = New(ts.ConfigFor(tenant))
		ts.m[tenant] = s
	}
	return s
}

// ServeHTTP serves TenantPrefix(tenant) + an upstream path from that
// tenant's sandbox; anything else (the control endpoints included) is 404.
func (ts *Tenants) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.Path, tenantRoot)
	tenant, p, cut := strings.Cut(rest, "/")
	if !ok || !cut || tenant == "" {
		http.NotFound(w, r)
		return
	}
	u := *r.URL
	u.Path, u.RawPath = "/"+p, ""
	r2 := r.Clone(r.Context())
	r2.URL = &u
	ts.For(tenant).route(w, r2, false)
}

// ServeControl answers a control request (path ControlPrefix…) for
// tenant's sandbox: its faults, statistics and reset.
func (ts *Tenants) ServeControl(tenant string, w http.ResponseWriter, r *http.Request) {
	ts.For(tenant).serveControl(w, r)
}
