package executor

import (
	"context"
	"encoding/base64"
	"net/http"
	"slices"
	"sort"
	"strings"

	"switchboard/apperr"
	"switchboard/integrations/definition"
	"switchboard/integrations/outbound"
)

// OAuth2 credential field names, fixed for every definition.
const (
	fieldClientID     = "client_id"
	fieldClientSecret = "client_secret"
	fieldRefreshToken = "refresh_token"
)

// isOAuth reports whether the integration authenticates with OAuth2 tokens.
func (c *call) isOAuth() bool {
	t := c.doc.Auth.Type
	return t == definition.AuthOAuth2ClientCredentials || refreshes(t)
}

// refreshes reports whether an auth type holds a refresh token
// (oauth2_refresh_token, and oauth2_authorization_code once connected).
func refreshes(authType string) bool {
	return authType == definition.AuthOAuth2RefreshToken || authType == definition.AuthOAuth2AuthorizationCode
}

// neededFields lists the credential fields this call uses: those its auth,
// body and header templates name, and the OAuth2 fields.
func (c *call) neededFields() []string {
	set := map[string]bool{}
	add := func(t definition.Template) {
		for _, r := range t.Refs() {
			if r.Kind == definition.RefCredential {
				set[r.Name] = true
			}
		}
	}
	a := c.entry.Compiled.Auth
	switch a.Type {
	case definition.AuthAPIKey, definition.AuthBearer:
		add(a.Template)
	case definition.AuthBasic:
		add(a.Username)
		add(a.Password)
	case definition.AuthOAuth2ClientCredentials:
		set[fieldClientID], set[fieldClientSecret] = true, true
	case definition.AuthOAuth2RefreshToken, definition.AuthOAuth2AuthorizationCode:
		set[fieldClientID], set[fieldClientSecret], set[fieldRefreshToken] = true, true, true
	}
	add(c.ep.Body)
	for _, h := range c.ep.Headers {
		add(h)
	}
	names := make([]string, 0, len(set))
	for n := range set {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// loadCredentials reads the credential fields the call needs (the unsaved
// ones of Test Connection, else from the CredentialSource) and refuses the
// call with missing_credentials when one is absent or empty.
func (e *Executor) loadCredentials(ctx context.Context, c *call) error {
	needed := c.neededFields()
	if len(needed) == 0 {
		c.creds = map[string]string{}
		return nil
	}
	fields := c.req.Fields
	if fields == nil {
		if e.creds == nil {
			return apperr.New(apperr.CodeMissingCredentials, "no credential store is configured")
		}
		var err error
		fields, err = e.creds.Fields(ctx, c.entry.OrgID, c.entry.IntegrationID, c.env)
		if err != nil {
			return asAppErr(err, "executor: unable to read the credentials of %s", c.entry.Slug)
		}
		c.storedCreds = true
	}
	var missing []apperr.FieldError
	for _, name := range needed {
		if strings.TrimSpace(fields[name]) == "" {
			missing = append(missing, apperr.FieldError{Field: name, Message: "is not set"})
		}
	}
	if len(missing) > 0 {
		names := make([]string, len(missing))
		for i, m := range missing {
			names[i] = m.Field
		}
		msg := "the " + c.env + " credentials of " + c.entry.Slug + " lack " + strings.Join(names, ", ")
		if c.doc.Auth.Type == definition.AuthOAuth2AuthorizationCode && slices.Contains(names, fieldRefreshToken) {
			msg += " (not connected: press Connect on its Credentials tab)"
		}
		return &apperr.Error{Code: apperr.CodeMissingCredentials, Fields: missing, Message: msg}
	}
	c.creds = fields
	for _, v := range fields {
		c.addSecret(v)
	}
	return nil
}

// credLookup answers template references from the credentials only.
func (c *call) credLookup(r definition.Ref) (string, bool) {
	if r.Kind != definition.RefCredential {
		return "", false
	}
	v, ok := c.creds[r.Name]
	return v, ok
}

// applyAuth authenticates one outgoing request; token is the OAuth2 access
// token when the integration uses one. xml_body credentials are already in
// the body.
func (c *call) applyAuth(r *http.Request, token string) error {
	a := c.entry.Compiled.Auth
	switch a.Type {
	case definition.AuthAPIKey:
		v, err := c.renderAuth(a.Template)
		if err != nil {
			return err
		}
		if h := c.doc.Auth.Header; h != "" {
			r.Header.Set(h, v)
			return nil
		}
		q := r.URL.Query()
		q.Set(c.doc.Auth.QueryParam, v)
		r.URL.RawQuery = q.Encode()
	case definition.AuthBearer:
		v, err := c.renderAuth(a.Template)
		if err != nil {
			return err
		}
		r.Header.Set("Authorization", "Bearer "+v)
	case definition.AuthBasic:
		user, err := c.renderAuth(a.Username)
		if err != nil {
			return err
		}
		pass, err := c.renderAuth(a.Password)
		if err != nil {
			return err
		}
		c.addSecret(base64.StdEncoding.EncodeToString([]byte(user + ":" + pass)))
		r.SetBasicAuth(user, pass)
	case definition.AuthOAuth2ClientCredentials, definition.AuthOAuth2RefreshToken, definition.AuthOAuth2AuthorizationCode:
		r.Header.Set("Authorization", "Bearer "+token)
	}
	return nil
}

// renderAuth renders an auth template over the credentials; the result is
// a secret too (it may join several fields).
func (c *call) renderAuth(t definition.Template) (string, error) {
	v, err := t.Render(c.credLookup, nil)
	if err != nil {
		return "", apperr.Wrap(err, apperr.CodeMissingCredentials, "the credentials of %s do not fill its auth template", c.entry.Slug)
	}
	if strings.ContainsAny(v, "\r\n") {
		return "", apperr.New(apperr.CodeInvalidRequest, "a credential of %s holds a line break", c.entry.Slug)
	}
	c.addSecret(v)
	return v, nil
}

// credentialParts says where this call's requests carry credentials, so
// that the shared client leaves them behind on a redirect to another
// origin: the auth header or query parameter, every header whose template
// names a credential, and whether the body holds any.
func (c *call) credentialParts() outbound.Credentials {
	var cr outbound.Credentials
	a := c.doc.Auth
	switch a.Type {
	case definition.AuthAPIKey:
		if a.Header != "" {
			cr.Headers = append(cr.Headers, a.Header)
		} else if a.QueryParam != "" {
			cr.Query = append(cr.Query, a.QueryParam)
		}
	case definition.AuthXMLBody:
		cr.Body = true
	default:
		cr.Headers = append(cr.Headers, "Authorization")
	}
	for name, t := range c.ep.Headers {
		if namesCredential(t) {
			cr.Headers = append(cr.Headers, name)
		}
	}
	cr.Body = cr.Body || namesCredential(c.ep.Body)
	return cr
}

// namesCredential reports whether a template renders a credential.
func namesCredential(t definition.Template) bool {
	return slices.ContainsFunc(t.Refs(), func(r definition.Ref) bool { return r.Kind == definition.RefCredential })
}

// addSecret remembers a value to redact from traces and messages.
func (c *call) addSecret(v string) {
	if len(v) >= minSecretLen && !slices.Contains(c.secrets, v) {
		c.secrets = append(c.secrets, v)
	}
}
