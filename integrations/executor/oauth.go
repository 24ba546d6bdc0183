package executor

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"switchboard/apperr"
	"switchboard/integrations/definition"
	"switchboard/integrations/outbound"
)

// Token cache policy.
const (
	// tokenEarly is how long before its expiry a token is replaced.
	tokenEarly = 60 * time.Second
	// tokenDefaultLife is assumed when a token answer gives no expires_in.
	tokenDefaultLife = time.Hour
	// maxTokenAnswer caps a token endpoint's answer.
	maxTokenAnswer = 1 << 20
)

// Client authentication styles of the client-credentials grant.
const (
	styleUnknown = iota // try HTTP Basic, then the form
	styleBasic
	styleForm
)

// tokenState is the cached OAuth2 token of one integration and
// environment. lock is a one-slot channel: a mutex that a waiting caller
// can abandon when its context ends. Holding it while fetching makes
// concurrent calls share one fetch.
type tokenState struct {
	lock        chan struct{}
	token       string
	refreshAt   time.Time
	fingerprint string
	// rotated is the refresh token the provider last issued, and
	// rotatedFrom the stored one it replaced: until the store catches up,
	// rotated is used in its place.
	rotated, rotatedFrom string
	style                int
}

// newTokenState returns an empty, unlocked state.
func newTokenState() *tokenState { return &tokenState{lock: make(chan struct{}, 1)} }

// tokenStateFor returns the shared state of k.
func (e *Executor) tokenStateFor(k stateKey) *tokenState {
	e.mu.Lock()
	defer e.mu.Unlock()
	st := e.tokens[k]
	if st == nil {
		st = newTokenState()
		e.tokens[k] = st
	}
	return st
}

// token returns a valid access token for the call. stale, when set, is a
// token the upstream refused: it is dropped (unless another call has
// already replaced it) and a new one fetched. Calls with unsaved fields
// (Test Connection) keep their token to themselves.
func (e *Executor) token(ctx context.Context, c *call, res *Result, stale string) (string, error) {
	st := c.ownTokens
	if c.req.Fields == nil {
		st = e.tokenStateFor(c.key)
	} else if st == nil {
		st = newTokenState()
		c.ownTokens = st
	}
	select {
	case st.lock <- struct{}{}:
	case <-ctx.Done():
		return "", cancelled(ctx)
	}
	defer func() { <-st.lock }()
	fp := c.tokenFingerprint()
	if stale != "" && st.token == stale {
		st.token = ""
	}
	if st.token != "" && st.fingerprint == fp && e.now().Before(st.refreshAt) {
		c.addSecret(st.token)
		return st.token, nil
	}
	tok, err := e.fetchToken(ctx, c, st, res)
	if err != nil {
		return "", err
	}
	st.token, st.fingerprint = tok.AccessToken, fp
	st.refreshAt = refreshTime(e.now(), tok.life())
	c.addSecret(tok.AccessToken)
	return tok.AccessToken, nil
}

// tokenFingerprint identifies the client a cached token belongs to, so
// that new client credentials are not served an old client's token.
func (c *call) tokenFingerprint() string {
	h := sha256.Sum256([]byte(c.doc.Auth.TokenURL + "\x00" + c.creds[fieldClientID] + "\x00" +
		c.creds[fieldClientSecret] + "\x00" + strings.Join(c.doc.Auth.Scopes, " ")))
	return hex.EncodeToString(h[:])
}

// refreshTime is when a token obtained at now and valid for life is
// replaced: a minute before it expires, or half-way for short-lived ones.
func refreshTime(now time.Time, life time.Duration) time.Time {
	if life > 2*tokenEarly {
		return now.Add(life - tokenEarly)
	}
	return now.Add(life / 2)
}

// tokenAnswer is a token endpoint's answer (RFC 6749 §5.1).
type tokenAnswer struct {
	AccessToken  string      `json:"access_token"`
	TokenType    string      `json:"token_type"`
	ExpiresIn    json.Number `json:"expires_in"`
	RefreshToken string      `json:"refresh_token"`
}

// life returns how long the token is valid.
func (t tokenAnswer) life() time.Duration {
	secs, err := strconv.ParseFloat(string(t.ExpiresIn), 64)
	if err != nil || secs <= 0 {
		return tokenDefaultLife
	}
	return time.Duration(secs * float64(time.Second))
}

// fetchToken runs the integration's grant against its token URL.
func (e *Executor) fetchToken(ctx context.Context, c *call, st *tokenState, res *Result) (tokenAnswer, error) {
	form := url.Values{}
	basic := false
	switch c.doc.Auth.Type {
	case definition.AuthOAuth2RefreshToken, definition.AuthOAuth2AuthorizationCode:
		rt := c.creds[fieldRefreshToken]
		if st.rotated != "" && rt == st.rotatedFrom {
			rt = st.rotated
		}
		form.Set("grant_type", "refresh_token")
		form.Set("refresh_token", rt)
		form.Set("client_id", c.creds[fieldClientID])
		form.Set("client_secret", c.creds[fieldClientSecret])
	default:
		form.Set("grant_type", "client_credentials")
		if len(c.doc.Auth.Scopes) > 0 {
			form.Set("scope", strings.Join(c.doc.Auth.Scopes, " "))
		}
		basic = st.style != styleForm
	}
	tok, status, err := e.tokenRequest(ctx, c, form, basic, res)
	if err != nil && basic && st.style == styleUnknown && (status == http.StatusBadRequest || status == http.StatusUnauthorized) {
		// Some providers want the client credentials in the form
		// instead of HTTP Basic (RFC 6749 §2.3.1 allows both).
		if tok2, _, err2 := e.tokenRequest(ctx, c, form, false, res); err2 == nil {
			st.style = styleForm
			return e.rotate(ctx, c, st, tok2), nil
		}
	}
	if err != nil {
		if c.invalidGrant && refreshes(c.doc.Auth.Type) {
			e.needsReauth(ctx, c)
		}
		return tok, err
	}
	if basic {
		st.style = styleBasic
	}
	return e.rotate(ctx, c, st, tok), nil
}

// rotate keeps a new refresh token the provider issued and stores it
// (unless the fields are unsaved Test Connection ones).
func (e *Executor) rotate(ctx context.Context, c *call, st *tokenState, tok tokenAnswer) tokenAnswer {
	if !refreshes(c.doc.Auth.Type) || tok.RefreshToken == "" {
		return tok
	}
	current := c.creds[fieldRefreshToken]
	if tok.RefreshToken == current || tok.RefreshToken == st.rotated {
		return tok
	}
	c.addSecret(tok.RefreshToken)
	st.rotated, st.rotatedFrom = tok.RefreshToken, current
	if c.req.Fields != nil || e.creds == nil {
		return tok
	}
	err := e.creds.SaveFields(ctx, c.entry.OrgID, c.entry.IntegrationID, c.env, map[string]string{fieldRefreshToken: tok.RefreshToken})
	if err != nil {
		e.log.Error("executor: unable to save a rotated refresh token", "integration", c.entry.Slug, "env", c.env, "err", err)
	}
	return tok
}

// tokenForm is the token request's form: the client's credentials go in
// it unless they travel as HTTP Basic.
func (c *call) tokenForm(form url.Values, basic bool) url.Values {
	body := url.Values{}
	for k, v := range form {
		body[k] = v
	}
	if basic {
		body.Del("client_id")
		body.Del("client_secret")
	} else if c.doc.Auth.Type == definition.AuthOAuth2ClientCredentials {
		body.Set("client_id", c.creds[fieldClientID])
		body.Set("client_secret", c.creds[fieldClientSecret])
	}
	return body
}

// tokenRequest posts one token request and reads the answer.
func (e *Executor) tokenRequest(ctx context.Context, c *call, form url.Values, basic bool, res *Result) (tokenAnswer, int, error) {
	var tok tokenAnswer
	body := c.tokenForm(form, basic)
	// The form holds the client secret or refresh token: a redirect to
	// another origin must not carry it there.
	actx, cancel := context.WithTimeout(outbound.WithCredentials(ctx, outbound.Credentials{Headers: []string{"Authorization"}, Body: true}), c.timeout)
	defer cancel()
	encoded := body.Encode()
	r, err := http.NewRequestWithContext(actx, http.MethodPost, c.doc.Auth.TokenURL, strings.NewReader(encoded))
	if err != nil {
		return tok, 0, apperr.Wrap(err, apperr.CodeInvalidRequest, "the token URL of %s is not valid", c.entry.Slug)
	}
	r.Header.Set("Content-Type", contentForm)
	r.Header.Set("Accept", "application/json")
	if basic {
		r.SetBasicAuth(url.QueryEscape(c.creds[fieldClientID]), url.QueryEscape(c.creds[fieldClientSecret]))
	}
	rd := c.redactor()
	res.tokenSent = true
	if c.req.Trace {
		res.Request = rd.trace(r, []byte(encoded))
	}
	resp, err := e.client.Do(r)
	if err != nil {
		aerr, h := c.transportError(ctx, err)
		c.note(h)
		return tok, 0, aerr
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxTokenAnswer))
	if err != nil {
		aerr, h := c.transportError(ctx, err)
		c.note(h)
		return tok, 0, aerr
	}
	res.UpstreamStatus = resp.StatusCode
	if c.req.Trace {
		res.Response = rd.answerTrace(resp, raw)
	}
	if resp.StatusCode >= 500 {
		c.note(healthUnhealthy)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		c.invalidGrant = tokenErrorCode(raw) == "invalid_grant"
		return tok, resp.StatusCode, upstreamError(resp.StatusCode, "the token endpoint of "+c.entry.Slug+
			" refused the credentials ("+strconv.Itoa(resp.StatusCode)+")"+tokenErrorText(raw, rd), rd.excerpt(raw))
	}
	tok, err = parseTokenAnswer(resp.Header.Get("Content-Type"), raw)
	if err != nil {
		return tok, resp.StatusCode, upstreamError(resp.StatusCode, "the token endpoint of "+c.entry.Slug+" gave no access token", rd.excerpt(raw))
	}
	return tok, resp.StatusCode, nil
}

// parseTokenAnswer reads a JSON (or, from some providers, form-encoded)
// token answer.
func parseTokenAnswer(contentType string, raw []byte) (tokenAnswer, error) {
	var tok tokenAnswer
	mt, _, _ := mime.ParseMediaType(contentType)
	if mt == contentForm || mt == "text/plain" && !strings.HasPrefix(strings.TrimSpace(string(raw)), "{") {
		v, err := url.ParseQuery(string(raw))
		if err != nil {
			return tok, err
		}
		tok = tokenAnswer{AccessToken: v.Get("access_token"), TokenType: v.Get("token_type"),
			ExpiresIn: json.Number(v.Get("expires_in")), RefreshToken: v.Get("refresh_token")}
	} else {
		var loose struct {
			tokenAnswer
			ExpiresIn any `json:"expires_in"`
		}
		if err := json.Unmarshal(raw, &loose); err != nil {
			return tok, err
		}
		tok = loose.tokenAnswer
		tok.ExpiresIn = json.Number(valueText(loose.ExpiresIn))
	}
	if tok.AccessToken == "" {
		return tok, errNoToken
	}
	return tok, nil
}

// tokenErrorText quotes an RFC 6749 §5.2 error answer, redacted.
func tokenErrorText(raw []byte, rd *redactor) string {
	var e struct {
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	if json.Unmarshal(raw, &e) != nil || e.Error == "" {
		return ""
	}
	text := ": " + e.Error
	if e.Description != "" {
		text += " (" + e.Description + ")"
	}
	return rd.text(text)
}

// tokenErrorCode is the error code of an RFC 6749 §5.2 error answer.
func tokenErrorCode(raw []byte) string {
	var e struct {
		Error string `json:"error"`
	}
	if json.Unmarshal(raw, &e) != nil {
		return ""
	}
	return e.Error
}

// ReauthMarker is implemented by a CredentialSource that records a
// refresh token the provider refused for good (invalid_grant): the
// credential needs the practice to connect again.
type ReauthMarker interface {
	NeedsReauth(ctx context.Context, orgID, integrationID int64, env, reason string) error
}

// needsReauth tells the credential store that the stored refresh token
// was refused (not for unsaved Test Connection fields).
func (e *Executor) needsReauth(ctx context.Context, c *call) {
	m, ok := e.creds.(ReauthMarker)
	if !ok || !c.storedCreds {
		return
	}
	reason := "the provider refused the refresh token (invalid_grant): connect again"
	if err := m.NeedsReauth(context.WithoutCancel(ctx), c.entry.OrgID, c.entry.IntegrationID, c.env, reason); err != nil {
		e.log.Error("executor: unable to mark a credential for reauthorization", "integration", c.entry.Slug, "env", c.env, "err", err)
	}
	if e.health != nil {
		e.health.Unhealthy(ctx, c.entry.OrgID, c.entry.IntegrationID, c.env,
			"the provider refused the stored OAuth refresh token ("+c.entry.Slug+", "+c.env+"): press Connect on the integration's Credentials tab again")
	}
}
