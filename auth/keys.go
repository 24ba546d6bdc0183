package auth

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"time"

	"switchboard/apperr"
	"switchboard/internal/loop"
	"switchboard/models"
)

// KeyAuthenticator checks API keys. Lookups go through a small cache so the
// hot path rarely reads the database; revocation in this process drops the
// cached entry at once, and entries expire after TTL so that a revocation
// made by another process takes effect within it. Last-used times are
// recorded in the background, never on the request path.
type KeyAuthenticator struct {
	store  *models.Store
	logger *slog.Logger
	now    func() time.Time
	// TTL bounds how long a cached key is trusted.
	TTL time.Duration

	mu    sync.Mutex
	cache map[string]cachedKey
	used  map[int64]time.Time
}

type cachedKey struct {
	key     models.APIKey
	org     models.Organization
	expires time.Time
}

// Principal is who an API key acts as.
type KeyPrincipal struct {
	Key models.APIKey
	Org models.Organization
}

// NewKeyAuthenticator returns an authenticator over store.
func NewKeyAuthenticator(store *models.Store, logger *slog.Logger) *KeyAuthenticator {
	return &KeyAuthenticator{store: store, logger: logger, now: time.Now, TTL: 30 * time.Second,
		cache: map[string]cachedKey{}, used: map[int64]time.Time{}}
}

// Authenticate returns the key's principal, or an unauthorized error for a
// missing, unknown or revoked key.
func (a *KeyAuthenticator) Authenticate(ctx context.Context, raw string) (*KeyPrincipal, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, apperr.New(apperr.CodeUnauthorized, "an API key is required: send Authorization: Bearer <key>")
	}
	hash := HashAPIKey(raw)
	now := a.now()
	a.mu.Lock()
	c, ok := a.cache[hash]
	a.mu.Unlock()
	if !ok || now.After(c.expires) {
		k, err := a.store.APIKeyByHash(ctx, hash)
		if apperr.IsNotFound(err) {
			return nil, apperr.New(apperr.CodeUnauthorized, "the API key is not valid")
		}
		if err != nil {
			return nil, err
		}
		org, err := a.store.OrganizationByID(ctx, k.OrganizationID)
		if err != nil {
			return nil, err
		}
		c = cachedKey{key: *k, org: *org, expires: now.Add(a.TTL)}
		a.mu.Lock()
		if len(a.cache) > 10_000 {
			a.cache = map[string]cachedKey{}
		}
		a.cache[hash] = c
		a.mu.Unlock()
	}
	if c.key.RevokedAt != nil {
		return nil, apperr.New(apperr.CodeUnauthorized, "the API key was revoked")
	}
	a.markUsed(c.key.ID, now)
	return &KeyPrincipal{Key: c.key, Org: c.org}, nil
}

// Invalidate drops every cached key so that a revocation is seen at once.
func (a *KeyAuthenticator) Invalidate() {
	a.mu.Lock()
	a.cache = map[string]cachedKey{}
	a.mu.Unlock()
}

func (a *KeyAuthenticator) markUsed(id int64, at time.Time) {
	a.mu.Lock()
	a.used[id] = at
	a.mu.Unlock()
}

// Run writes last-used times every interval until ctx ends, then once more.
func (a *KeyAuthenticator) Run(ctx context.Context, interval time.Duration) {
	loop.Every(ctx, interval, a.Flush)
	a.Flush(context.WithoutCancel(ctx))
}

// Flush writes the pending last-used times now.
func (a *KeyAuthenticator) Flush(ctx context.Context) {
	a.mu.Lock()
	used := a.used
	a.used = map[int64]time.Time{}
	a.mu.Unlock()
	if len(used) == 0 {
		return
	}
	if err := a.store.TouchAPIKeys(ctx, used); err != nil {
		a.logger.WarnContext(ctx, "unable to record API key use", "err", err)
	}
}
