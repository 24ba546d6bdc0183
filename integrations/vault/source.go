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
	store *models.Store
	vault *Vault

	mu    sync.RWMutex
	cache map[sourceKey]cachedFields
}

type sourceKey struct {
	org, integration int64
	env              string
}

type cachedFields struct {
	id     int64
	fields map[string]string
}

// NewSource returns a Source over store and v.
func NewSource(store *models.Store, v *Vault) *Source {
	return &Source{store: store, vault: v, cache: map[sourceKey]cachedFields{}}
}

// Fields returns the credential fields of an integration in an environment,
// or a missing_credentials error when none are saved.
func (s *Source) Fields(ctx context.Context, orgID, integrationID int64, env string) (map[string]string, error) {
	k := sourceKey{orgID, integrationID, env}
	s.mu.RLock()
	c, ok := s.cache[k]
	s.mu.RUnlock()
	if ok {
		return c.fields, nil
	}
	cred, err := s.store.Tenant(orgID).CredentialFor(ctx, integrationID, env)
	if apperr.IsNotFound(err) {
		return nil, apperr.New(apperr.CodeMissingCredentials, "no %s credentials are saved for this integration: add them on its Credentials page", env)
	}
	if err != nil {
		return nil, err
	}
	fields, err := s.vault.Open(cred)
	if err != nil {
		return nil, apperr.Wrap(err, apperr.CodeInternal, "the stored credentials cannot be decrypted")
	}
	s.mu.Lock()
	s.cache[k] = cachedFields{id: cred.ID, fields: fields}
	s.mu.Unlock()
	return fields, nil
}

// CredentialID returns the id of the cached credential row, if loaded.
func (s *Source) CredentialID(orgID, integrationID int64, env string) (int64, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c, ok := s.cache[sourceKey{orgID, integrationID, env}]
	return c.id, ok
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
