package vault

import (
	"context"
	"sync"

	"switchboard/apperr"
	"switchboard/models"
)

// Source hands the executor decrypted credential fields, cached in memory
// so that a call reads no database; saving or deleting credentials through
// Invalidate drops the cached copy.
type Source struct {
	store    *models.Store
	vault    *Vault
	platform *Platform

	mu    sync.RWMutex
	cache map[sourceKey]cachedFields
}

type sourceKey struct {
	org, integration int64
	env              string
}

type cachedFields struct {
	id     int64 // 0 when only the platform's fields are in use
	fields map[string]string
}

// NewSource returns a Source over store and v.
func NewSource(store *models.Store, v *Vault) *Source {
	return &Source{store: store, vault: v, cache: map[sourceKey]cachedFields{}}
}

// WithPlatform makes p the platform credentials behind every practice's
// own: a call reads the practice's fields over the platform's.
func (s *Source) WithPlatform(p *Platform) *Source {
	s.platform = p
	return s
}

// Platform is the platform credentials (nil when none were given).
func (s *Source) Platform() *Platform { return s.platform }

// Fields returns the credential fields of an integration in an
// environment: the practice's saved ones over the platform's for the
// integration's catalog entry, or a missing_credentials error when there
// are neither.
func (s *Source) Fields(ctx context.Context, orgID, integrationID int64, env string) (map[string]string, error) {
	k := sourceKey{orgID, integrationID, env}
	s.mu.RLock()
	c, ok := s.cache[k]
	s.mu.RUnlock()
	if ok {
		return c.fields, nil
	}
	t := s.store.Tenant(orgID)
	var practice map[string]string
	var id int64
	cred, err := t.CredentialFor(ctx, integrationID, env)
	switch {
	case err == nil:
		if practice, err = s.vault.Open(cred); err != nil {
			return nil, apperr.Wrap(err, apperr.CodeInternal, "the stored credentials cannot be decrypted")
		}
		id = cred.ID
	case !apperr.IsNotFound(err):
		return nil, err
	}
	platform, err := s.platformFields(ctx, t, integrationID, env)
	if err != nil {
		return nil, err
	}
	if practice == nil && platform == nil {
		return nil, apperr.New(apperr.CodeMissingCredentials, "no %s credentials are saved for this integration: add them on its Credentials page", env)
	}
	fields := practice
	if platform != nil {
		fields = overlay(platform, practice)
	}
	s.mu.Lock()
	s.cache[k] = cachedFields{id: id, fields: fields}
	s.mu.Unlock()
	return fields, nil
}

// platformFields are the platform's fields for the integration's catalog
// entry, nil when it has none (or was not made from the catalog).
func (s *Source) platformFields(ctx context.Context, t *models.Tenant, integrationID int64, env string) (map[string]string, error) {
	if s.platform == nil || len(s.platform.fields) == 0 {
		return nil, nil
	}
	in, err := t.Integration(ctx, integrationID)
	if err != nil {
		return nil, err
	}
	return s.platform.Fields(in.Catalog, env), nil
}

// Origin says whose credential a call of the integration in env uses:
// "practice" (a saved credential), "platform" (the operator's, for its
// catalog entry) or "none". Never a value.
func (s *Source) Origin(ctx context.Context, orgID int64, in *models.Integration, env string) (string, error) {
	_, err := s.store.Tenant(orgID).CredentialFor(ctx, in.ID, env)
	switch {
	case err == nil:
		return SourcePractice, nil
	case !apperr.IsNotFound(err):
		return "", err
	case s.platform.Has(in.Catalog, env):
		return SourcePlatform, nil
	}
	return SourceNone, nil
}

// CredentialID returns the id of the cached credential row, if loaded
// (not when only the platform's fields are in use).
func (s *Source) CredentialID(orgID, integrationID int64, env string) (int64, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c, ok := s.cache[sourceKey{orgID, integrationID, env}]
	return c.id, ok && c.id != 0
}

// SaveFields stores rotated fields (a new OAuth refresh token) sealed.
func (s *Source) SaveFields(ctx context.Context, orgID, integrationID int64, env string, fields map[string]string) error {
	t := s.store.Tenant(orgID)
	cred, err := t.CredentialFor(ctx, integrationID, env)
	if err != nil {
		return err
	}
	current, err := s.vault.Open(cred)
	if err != nil {
		return err
	}
	for k, v := range fields {
		current[k] = v
	}
	sealed, names, err := s.vault.Seal(orgID, integrationID, env, current)
	if err != nil {
		return err
	}
	cred.Sealed, cred.FieldNames = sealed, names
	if err := t.SaveCredential(ctx, cred); err != nil {
		return err
	}
	s.Invalidate(orgID, integrationID)
	return nil
}

// Invalidate drops the cached fields of an integration (every environment).
func (s *Source) Invalidate(orgID, integrationID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k := range s.cache {
		if k.org == orgID && k.integration == integrationID {
			delete(s.cache, k)
		}
	}
}

// RemoveFields deletes fields (a disconnected OAuth token) from an
// integration's credential in env; the other fields stay.
func (s *Source) RemoveFields(ctx context.Context, orgID, integrationID int64, env string, names ...string) error {
	t := s.store.Tenant(orgID)
	cred, err := t.CredentialFor(ctx, integrationID, env)
	if err != nil {
		return err
	}
	current, err := s.vault.Open(cred)
	if err != nil {
		return err
	}
	for _, n := range names {
		delete(current, n)
	}
	if cred.Sealed, cred.FieldNames, err = s.vault.Seal(orgID, integrationID, env, current); err != nil {
		return err
	}
	if err := t.SaveCredential(ctx, cred); err != nil {
		return err
	}
	s.Invalidate(orgID, integrationID)
	return nil
}

// NeedsReauth implements executor.ReauthMarker: the provider refused the
// stored refresh token for good, so the credential is flagged until the
// practice connects again.
func (s *Source) NeedsReauth(ctx context.Context, orgID, integrationID int64, env, reason string) error {
	return s.store.Tenant(orgID).MarkCredentialNeedsReauth(ctx, integrationID, env, reason)
}
