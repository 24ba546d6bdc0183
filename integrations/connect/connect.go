// Package connect is OAuth Connect for oauth2_authorization_code
// integrations: Start sends the practice to the provider's consent page
// with a state bound to the session and organization (used once, expiring)
// and a PKCE S256 challenge; Finish checks the state, exchanges the code
// and stores the refresh token sealed like every credential field;
// Disconnect revokes the token and deletes it. Refreshing and rotating the
// tokens afterwards is the executor's (as for oauth2_refresh_token), which
// flags the credential needs_reauth when the provider answers
// invalid_grant.
package connect

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"switchboard/apperr"
	"switchboard/integrations/definition"
	"switchboard/integrations/registry"
	"switchboard/integrations/vault"
	"switchboard/models"
	"switchboard/secret"
)

// StateLife is how long a Connect press may take to come back.
const StateLife = 10 * time.Minute

// CallbackPath is the path of the redirect URI every provider is given.
const CallbackPath = "/oauth/callback"

// Forgetter drops an integration's cached tokens (the executor).
type Forgetter interface {
	Forget(orgID int64, slug string)
}

// Config holds the Service's dependencies.
type Config struct {
	Store    *models.Store
	Registry *registry.Registry
	Box      *secret.Box
	Creds    *vault.Source
	// Client sends the token and revoke requests (the guarded outbound
	// client).
	Client *http.Client
	Tokens Forgetter
	Now    func() time.Time
	// Health, when set, is told that a connected integration recovered
	// (an earlier refused refresh raised integration.unhealthy).
	Health Recoverer
}

// Recoverer is told that an integration is healthy again.
type Recoverer interface {
	Recovered(ctx context.Context, orgID, integrationID int64, env string)
}

// Service connects and disconnects oauth2_authorization_code credentials.
type Service struct{ cfg Config }

// New returns the Service.
func New(cfg Config) *Service {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Service{cfg: cfg}
}

// Start records a pending authorization of integration id in env for the
// session and answers the provider's consent URL to send the browser to.
func (s *Service) Start(ctx context.Context, orgID, id int64, env string, sessionID int64, redirectURI string) (string, error) {
	doc, in, err := s.load(ctx, orgID, id)
	if err != nil {
		return "", err
	}
	env = doc.Env(env)
	fields, err := s.cfg.Creds.Fields(ctx, orgID, id, env)
	if err != nil || fields["client_id"] == "" || fields["client_secret"] == "" {
		return "", apperr.Validation(apperr.FieldError{Field: "client_id",
			Message: fmt.Sprintf("save the OAuth client ID and secret of %s (%s) first, then press Connect", in.Name, env)})
	}
	state, verifier := randomToken(), randomToken()
	sealed, err := s.cfg.Box.Seal([]byte(verifier), stateAAD(orgID, id, env))
	if err != nil {
		return "", err
	}
	st := &models.OAuthState{IntegrationID: id, Environment: env, StateHash: hash(state), SessionID: sessionID,
		VerifierSealed: sealed, RedirectURI: redirectURI, ExpiresAt: s.cfg.Now().Add(StateLife)}
	if err := s.cfg.Store.Tenant(orgID).SaveOAuthState(ctx, st); err != nil {
		return "", err
	}
	q := url.Values{"response_type": {"code"}, "client_id": {fields["client_id"]}, "redirect_uri": {redirectURI},
		"state": {state}, "code_challenge": {challenge(verifier)}, "code_challenge_method": {"S256"}}
	if len(doc.Auth.Scopes) > 0 {
		q.Set("scope", strings.Join(doc.Auth.Scopes, " "))
	}
	for k, v := range doc.Auth.AuthorizeParams {
		q.Set(k, v)
	}
	sep := "?"
	if strings.Contains(doc.Auth.AuthorizeURL, "?") {
		sep = "&"
	}
	return doc.Auth.AuthorizeURL + sep + q.Encode(), nil
}

// load reads an oauth2_authorization_code integration's document.
func (s *Service) load(ctx context.Context, orgID, id int64) (*definition.Document, *models.Integration, error) {
	doc, rows, err := s.cfg.Registry.Load(ctx, orgID, id)
	if err != nil {
		return nil, nil, err
	}
	if doc.Auth.Type != definition.AuthOAuth2AuthorizationCode {
		return nil, nil, apperr.New(apperr.CodeInvalidRequest, "%s does not connect with OAuth (its auth type is %s)", doc.Slug, doc.Auth.Type)
	}
	return doc, &rows.Integration, nil
}

// Connected is a finished connection.
type Connected struct {
	IntegrationID int64
	Slug          string
	Environment   string
	// Account is the provider's account the credential acts as (the ID
	// token's email), "" when the provider does not say.
	Account string
}

// errBadState is the answer to a state that is unknown, used, expired, or
// of another session or organization.
func errBadState() *apperr.Error {
	return apperr.New(apperr.CodeInvalidRequest, "this authorization is unknown, was already used or has expired; press Connect again")
}

// Finish completes the authorization that state names, for the session
// that started it: the code is exchanged (with the PKCE verifier) and the
// refresh token stored sealed.
func (s *Service) Finish(ctx context.Context, orgID, sessionID int64, state, code string) (*Connected, error) {
	t := s.cfg.Store.Tenant(orgID)
	st, err := t.TakeOAuthState(ctx, hash(state))
	if apperr.IsNotFound(err) || err == nil && st.SessionID != sessionID {
		return nil, errBadState()
	}
	if err != nil {
		return nil, err
	}
	doc, _, err := s.load(ctx, orgID, st.IntegrationID)
	if err != nil {
		return nil, err
	}
	verifier, err := s.cfg.Box.Open(st.VerifierSealed, stateAAD(orgID, st.IntegrationID, st.Environment))
	if err != nil {
		return nil, errBadState()
	}
	fields, err := s.cfg.Creds.Fields(ctx, orgID, st.IntegrationID, st.Environment)
	if err != nil {
		return nil, err
	}
	tok, err := s.exchange(ctx, doc, fields, url.Values{"grant_type": {"authorization_code"}, "code": {code},
		"redirect_uri": {st.RedirectURI}, "code_verifier": {string(verifier)}})
	if err != nil {
		return nil, err
	}
	if err := s.store(ctx, orgID, st, tok); err != nil {
		return nil, err
	}
	s.cfg.Tokens.Forget(orgID, doc.Slug)
	if s.cfg.Health != nil {
		s.cfg.Health.Recovered(ctx, orgID, st.IntegrationID, st.Environment)
	}
	return &Connected{IntegrationID: st.IntegrationID, Slug: doc.Slug, Environment: st.Environment, Account: tok.account()}, nil
}

// store keeps the refresh token (sealed with the other fields) and the
// account it acts as.
func (s *Service) store(ctx context.Context, orgID int64, st *models.OAuthState, tok *tokens) error {
	if err := s.cfg.Creds.SaveFields(ctx, orgID, st.IntegrationID, st.Environment, map[string]string{"refresh_token": tok.RefreshToken}); err != nil {
		return err
	}
	t := s.cfg.Store.Tenant(orgID)
	cred, err := t.CredentialFor(ctx, st.IntegrationID, st.Environment)
	if err != nil {
		return err
	}
	return t.SetCredentialConnection(ctx, cred.ID, tok.account())
}

// Disconnect revokes the credential's refresh token at the provider (when
// the definition has a revoke_url) and deletes it; revoked reports whether
// the provider confirmed.
func (s *Service) Disconnect(ctx context.Context, orgID, id int64, env string) (revoked bool, err error) {
	doc, _, err := s.load(ctx, orgID, id)
	if err != nil {
		return false, err
	}
	env = doc.Env(env)
	fields, err := s.cfg.Creds.Fields(ctx, orgID, id, env)
	if err != nil {
		return false, err
	}
	if rt := fields["refresh_token"]; rt != "" && doc.Auth.RevokeURL != "" {
		revoked = s.revoke(ctx, doc, fields, rt) == nil
	}
	if err := s.cfg.Creds.RemoveFields(ctx, orgID, id, env, "refresh_token", "access_token"); err != nil {
		return revoked, err
	}
	t := s.cfg.Store.Tenant(orgID)
	cred, err := t.CredentialFor(ctx, id, env)
	if err != nil {
		return revoked, err
	}
	s.cfg.Tokens.Forget(orgID, doc.Slug)
	return revoked, t.SetCredentialConnection(ctx, cred.ID, "")
}

func stateAAD(orgID, id int64, env string) string {
	return fmt.Sprintf("oauth_states:%d:%d:%s", orgID, id, env)
}

// randomToken is 32 random bytes, base64url: a state or a PKCE verifier
// (43 characters, inside RFC 7636's 43–128).
func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// challenge is the S256 code challenge of a verifier (RFC 7636 §4.2).
func challenge(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// hash is what the database keeps of a state: a state read from the
// database cannot be replayed.
func hash(state string) string {
	sum := sha256.Sum256([]byte(state))
	return hex.EncodeToString(sum[:])
}
