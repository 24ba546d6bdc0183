package models

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"switchboard/apperr"
)

// OAuthState is one pending OAuth authorization (a Connect press): the
// hash of its state parameter, the session and organization that started
// it, the sealed PKCE verifier and the redirect URI it was sent with.
type OAuthState struct {
	bun.BaseModel `bun:"table:oauth_states,alias:os"`

	ID             int64     `bun:"id,pk,autoincrement"`
	OrganizationID int64     `bun:"organization_id,notnull"`
	IntegrationID  int64     `bun:"integration_id,notnull"`
	Environment    string    `bun:"environment,notnull"`
	StateHash      string    `bun:"state_hash,notnull"`
	SessionID      int64     `bun:"session_id,notnull"`
	VerifierSealed string    `bun:"verifier_sealed,notnull"`
	RedirectURI    string    `bun:"redirect_uri,notnull"`
	ExpiresAt      time.Time `bun:"expires_at,notnull"`
	CreatedAt      time.Time `bun:"created_at,notnull"`
}

// SaveOAuthState stores a pending authorization and deletes the
// organization's expired ones.
func (t *Tenant) SaveOAuthState(ctx context.Context, s *OAuthState) error {
	now := t.now()
	if _, err := t.deleteQ((*OAuthState)(nil)).Where("os.expires_at < ?", now).Exec(ctx); err != nil {
		return wrap("purge oauth states", err)
	}
	s.ID, s.OrganizationID, s.CreatedAt = 0, t.orgID, now
	_, err := t.db.NewInsert().Model(s).Exec(ctx)
	return wrap("save oauth state", err)
}

// TakeOAuthState returns the pending authorization whose state hashes to
// hash and deletes it, so that it is used once: a second take, an expired
// state or one of another organization is not found.
func (t *Tenant) TakeOAuthState(ctx context.Context, hash string) (*OAuthState, error) {
	s := new(OAuthState)
	if err := t.selectQ(s).Where("os.state_hash = ?", hash).Scan(ctx); err != nil {
		return nil, wrap("fetch oauth state", notFound(err, "authorization"))
	}
	res, err := t.deleteQ((*OAuthState)(nil)).Where("os.id = ?", s.ID).Exec(ctx)
	if err := mustAffect(res, err, "authorization"); err != nil {
		return nil, wrap("take oauth state", err) // taken by a concurrent callback
	}
	if !t.now().Before(s.ExpiresAt) {
		return nil, wrap("take oauth state", apperr.NotFound("authorization"))
	}
	return s, nil
}
