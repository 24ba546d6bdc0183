package connect

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"switchboard/apperr"
	"switchboard/integrations/definition"
	"switchboard/integrations/outbound"
)

// tokens is a token endpoint's answer to the code exchange.
type tokens struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	IDToken      string `json:"id_token"`
	Error        string `json:"error"`
	Description  string `json:"error_description"`
}

// account is the email the ID token names, if any (read, not verified:
// the ID token came straight from the token endpoint over the guarded
// client, and it is only shown).
func (t *tokens) account() string {
	parts := strings.Split(t.IDToken, ".")
	if len(parts) != 3 {
		return ""
	}
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return ""
	}
	var claims struct {
		Email string `json:"email"`
	}
	if json.Unmarshal(b, &claims) != nil {
		return ""
	}
	return claims.Email
}

// exchange posts a token request with the client's credentials and reads
// the answer; a refused one names the provider's error.
func (s *Service) exchange(ctx context.Context, doc *definition.Document, fields map[string]string, form url.Values) (*tokens, error) {
	form.Set("client_id", fields["client_id"])
	form.Set("client_secret", fields["client_secret"])
	raw, status, err := s.post(ctx, doc.Auth.TokenURL, form)
	if err != nil {
		return nil, err
	}
	var tok tokens
	_ = json.Unmarshal(raw, &tok)
	if status < 200 || status > 299 || tok.AccessToken == "" {
		msg := "the token endpoint of " + doc.Slug + " refused the authorization (" + strconv.Itoa(status) + ")"
		if tok.Error != "" {
			msg += ": " + tok.Error
		}
		return nil, apperr.New(apperr.CodeUpstreamError, "%s", msg)
	}
	if tok.RefreshToken == "" {
		return nil, apperr.New(apperr.CodeUpstreamError, "%s gave no refresh token, so the connection could not outlive the hour; "+
			"remove Switchboard's access in the account's security settings and connect again", doc.Slug)
	}
	return &tok, nil
}

// revoke asks the provider to revoke a token (RFC 7009).
func (s *Service) revoke(ctx context.Context, doc *definition.Document, fields map[string]string, token string) error {
	form := url.Values{"token": {token}, "client_id": {fields["client_id"]}, "client_secret": {fields["client_secret"]}}
	_, status, err := s.post(ctx, doc.Auth.RevokeURL, form)
	if err == nil && (status < 200 || status > 299) {
		err = apperr.New(apperr.CodeUpstreamError, "the revoke endpoint of %s answered %d", doc.Slug, status)
	}
	return err
}

// post sends a form through the guarded client; the form holds secrets,
// which must not follow a redirect to another origin.
func (s *Service) post(ctx context.Context, target string, form url.Values) ([]byte, int, error) {
	ctx = outbound.WithCredentials(ctx, outbound.Credentials{Body: true})
	r, err := http.NewRequestWithContext(ctx, http.MethodPost, target, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, 0, apperr.Wrap(err, apperr.CodeInvalidRequest, "the OAuth URL %q is not valid", target)
	}
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("Accept", "application/json")
	resp, err := s.cfg.Client.Do(r)
	if err != nil {
		return nil, 0, apperr.Wrap(err, apperr.CodeUpstreamUnreachable, "the OAuth provider could not be reached")
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, resp.StatusCode, apperr.Wrap(err, apperr.CodeUpstreamUnreachable, "the OAuth provider's answer was cut off")
	}
	return raw, resp.StatusCode, nil
}
