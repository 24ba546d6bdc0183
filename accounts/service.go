// Package accounts holds the rules of who may use Switchboard: the first
// run, organizations and their settings, users and memberships,
// invitations, API keys, sign-in and sessions, and the audit log with one
// constant per action. The pages, the JSON API and the CLI all call it;
// none of them touches the store for these. No HTTP in here: a request's
// address comes in as part of its Actor.
package accounts

import (
	"log/slog"
	"sync/atomic"

	"switchboard/auth"
	"switchboard/models"
)

// KeyCache is the API key authenticator's cache, which holds each key and
// its organization: a revoked key or a changed organization drops it.
type KeyCache interface {
	Invalidate()
}

// Config is what a Service is built from.
type Config struct {
	Store *models.Store
	// Keys is dropped when a key is revoked or an organization changes
	// (nil: no cache, as in the CLI).
	Keys KeyCache
	// Throttle slows down failed sign-ins (nil: one over Store).
	Throttle *auth.Throttle
	Logger   *slog.Logger
}

// Service is the accounts service.
type Service struct {
	store    *models.Store
	keys     KeyCache
	throttle *auth.Throttle
	audit    *Audit
	// setupDone caches "a user exists" once it is true.
	setupDone atomic.Bool
}

// New returns the accounts service.
func New(cfg Config) *Service {
	if cfg.Throttle == nil {
		cfg.Throttle = auth.NewStoredThrottle(cfg.Store, nil)
	}
	return &Service{store: cfg.Store, keys: cfg.Keys, throttle: cfg.Throttle, audit: NewAudit(cfg.Store, cfg.Logger)}
}

// Audit is the service's audit writer, which every other change of the app
// records through too.
func (s *Service) Audit() *Audit { return s.audit }

// invalidateKeys drops the API key cache, when there is one.
func (s *Service) invalidateKeys() {
	if s.keys != nil {
		s.keys.Invalidate()
	}
}
