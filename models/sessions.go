package models

import (
	"context"
	"time"
)

// CreateSession stores a new signed-in session.
func (s *Store) CreateSession(ctx context.Context, sess *Session) error {
	now := s.now()
	sess.CreatedAt, sess.UpdatedAt = now, now
	_, err := s.db.NewInsert().Model(sess).Exec(ctx)
	return wrap("create session", err)
}

// SessionByTokenHash returns a live (unexpired) session.
func (s *Store) SessionByTokenHash(ctx context.Context, hash string) (*Session, error) {
	sess := new(Session)
	err := s.db.NewSelect().Model(sess).Where("s.token_hash = ?", hash).Where("s.expires_at > ?", s.now()).Scan(ctx)
	return sess, wrap("fetch session", notFound(err, "session"))
}

// DeleteSession ends one session.
func (s *Store) DeleteSession(ctx context.Context, hash string) error {
	_, err := s.db.NewDelete().Model((*Session)(nil)).Where("token_hash = ?", hash).Exec(ctx)
	return wrap("delete session", err)
}

// DeleteUserSessions ends every session of a user except the one whose
// token hash is keep (empty: all of them) and returns how many ended.
func (s *Store) DeleteUserSessions(ctx context.Context, userID int64, keep string) (int64, error) {
	q := s.db.NewDelete().Model((*Session)(nil)).Where("user_id = ?", userID)
	if keep != "" {
		q = q.Where("token_hash <> ?", keep)
	}
	res, err := q.Exec(ctx)
	if err != nil {
		return 0, wrap("delete sessions", err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}

// SetSessionOrganization switches the organization a session acts in.
func (s *Store) SetSessionOrganization(ctx context.Context, sessionID, orgID int64) error {
	res, err := s.db.NewUpdate().Model((*Session)(nil)).
		Set("organization_id = ?", orgID).Set("updated_at = ?", s.now()).
		Where("id = ?", sessionID).Exec(ctx)
	return wrap("switch organization", mustAffect(res, err, "session"))
}

// PurgeExpiredSessions deletes sessions that expired before now.
func (s *Store) PurgeExpiredSessions(ctx context.Context, now time.Time) (int64, error) {
	res, err := s.db.NewDelete().Model((*Session)(nil)).Where("expires_at <= ?", now).Exec(ctx)
	if err != nil {
		return 0, wrap("purge sessions", err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}
