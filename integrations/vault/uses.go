package vault

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"switchboard/internal/loop"
	"switchboard/models"
)

// UseInterval is how often recorded credential uses are written.
const UseInterval = 5 * time.Second

// UseRecorder records when executions last used stored credentials
// without a database write on the request path: Used keeps the latest time
// per credential in memory, and Flush writes them, one statement per
// credential, never moving last_used_at back. Run flushes every
// UseInterval and once more when it stops.
type UseRecorder struct {
	store  *models.Store
	source *Source
	logger *slog.Logger

	mu      sync.Mutex
	pending map[models.CredentialUse]time.Time
}

// NewUseRecorder returns a recorder that finds credential ids in source's
// cache (the executor has just read the fields from it).
func NewUseRecorder(store *models.Store, source *Source, logger *slog.Logger) *UseRecorder {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &UseRecorder{store: store, source: source, logger: logger, pending: map[models.CredentialUse]time.Time{}}
}

// Used implements executor.CredentialUses: the stored credentials of an
// integration in env were sent at at. A credential no longer in the
// source's cache (deleted or saved anew meanwhile) is skipped rather than
// read from the database here.
func (u *UseRecorder) Used(orgID, integrationID int64, env string, at time.Time) {
	id, ok := u.source.CredentialID(orgID, integrationID, env)
	if !ok {
		return
	}
	u.keep(models.CredentialUse{OrgID: orgID, CredentialID: id}, at)
}

// Run flushes every interval until ctx ends, then once more.
func (u *UseRecorder) Run(ctx context.Context, interval time.Duration) {
	loop.Every(ctx, interval, func(ctx context.Context) { _ = u.Flush(ctx) })
	_ = u.Flush(context.WithoutCancel(ctx))
}

// Flush writes the uses recorded so far. Uses it could not write are kept
// for the next flush (unless a later use of the same credential came in).
func (u *UseRecorder) Flush(ctx context.Context) error {
	u.mu.Lock()
	used := u.pending
	u.pending = map[models.CredentialUse]time.Time{}
	u.mu.Unlock()
	if len(used) == 0 {
		return nil
	}
	err := u.store.TouchCredentials(ctx, used)
	if err != nil {
		u.logger.WarnContext(ctx, "unable to record credential use", "count", len(used), "err", err)
		for k, at := range used {
			u.keep(k, at)
		}
	}
	return err
}

// keep holds a use of credential k at at unless a later one is pending.
func (u *UseRecorder) keep(k models.CredentialUse, at time.Time) {
	u.mu.Lock()
	if cur, seen := u.pending[k]; !seen || at.After(cur) {
		u.pending[k] = at
	}
	u.mu.Unlock()
}
