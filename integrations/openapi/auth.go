package openapi

import (
	"maps"
	"net/url"
	"slices"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"switchboard/integrations/definition"
)

// Credential field names of the suggested auth settings (the OAuth2 ones
// are fixed: client_id, client_secret, refresh_token).
const (
	fieldAPIKey       = "api_key"
	fieldToken        = "token"
	fieldUsername     = "username"
	fieldPassword     = "password"
	fieldClientID     = "client_id"
	fieldClientSecret = "client_secret"
	fieldRefreshToken = "refresh_token"
)

// suggestAuth turns the document's security schemes into a suggested auth
// setting and its credential fields. Schemes are tried in order of
// importance: those the document requires globally, then those its
// operations require most often, then the rest by name; the first that
// maps to a supported auth type wins. Unsupported schemes are named in
// warnings. With no usable scheme the suggestion is nil (no auth).
func (x *extractor) suggestAuth(baseURL string) (*definition.Auth, []string) {
	schemes := x.securitySchemes()
	if len(schemes) == 0 {
		return nil, nil
	}
	scopes := x.requiredScopes()
	for _, name := range x.schemeOrder(schemes) {
		ref := schemes[name]
		if ref == nil || ref.Value == nil {
			continue
		}
		auth, fields, why := mapScheme(ref.Value, scopes[name], baseURL)
		if auth != nil {
			if len(schemes) > 1 {
				x.warn("the suggested auth comes from the security scheme %q", name)
			}
			return auth, fields
		}
		x.warn("security scheme %q is not used: %s", name, why)
	}
	return nil, nil
}

// securitySchemes returns the document's security schemes.
func (x *extractor) securitySchemes() openapi3.SecuritySchemes {
	if x.doc.Components == nil {
		return nil
	}
	return x.doc.Components.SecuritySchemes
}

// schemeOrder lists scheme names by importance.
func (x *extractor) schemeOrder(schemes openapi3.SecuritySchemes) []string {
	var order []string
	add := func(name string) {
		if _, ok := schemes[name]; ok && !slices.Contains(order, name) {
			order = append(order, name)
		}
	}
	for _, req := range x.doc.Security {
		for _, name := range slices.Sorted(maps.Keys(req)) {
			add(name)
		}
	}
	uses := x.uses
	byUse := slices.Sorted(maps.Keys(uses))
	sort.SliceStable(byUse, func(i, j int) bool { return uses[byUse[i]] > uses[byUse[j]] })
	for _, name := range byUse {
		add(name)
	}
	for _, name := range slices.Sorted(maps.Keys(schemes)) {
		add(name)
	}
	return order
}

// requiredScopes collects, per scheme, the scopes that the document's
// security requirements ask for.
func (x *extractor) requiredScopes() map[string][]string {
	out := map[string][]string{}
	add := func(name string, scopes []string) {
		for _, s := range scopes {
			if s = strings.TrimSpace(s); s != "" && !slices.Contains(out[name], s) {
				out[name] = append(out[name], s)
			}
		}
	}
	for _, req := range x.doc.Security {
		for name, scopes := range req {
			add(name, scopes)
		}
	}
	for name, scopes := range x.scopes {
		add(name, scopes)
	}
	for name := range out {
		sort.Strings(out[name])
	}
	return out
}

// countSecurity notes the schemes and scopes an operation requires.
func (x *extractor) countSecurity(op *openapi3.Operation) {
	if op.Security == nil {
		return
	}
	for _, req := range *op.Security {
		for name, scopes := range req {
			x.uses[name]++
			x.scopes[name] = append(x.scopes[name], scopes...)
		}
	}
}

// mapScheme maps one security scheme to an auth setting, or says why it
// cannot.
func mapScheme(s *openapi3.SecurityScheme, scopes []string, baseURL string) (*definition.Auth, []string, string) {
	switch strings.ToLower(s.Type) {
	case "apikey":
		return apiKeyAuth(s)
	case "http":
		switch strings.ToLower(s.Scheme) {
		case "bearer":
			return &definition.Auth{Type: definition.AuthBearer, Template: "{{" + fieldToken + "}}"}, []string{fieldToken}, ""
		case "basic":
			return &definition.Auth{Type: definition.AuthBasic, Username: "{{" + fieldUsername + "}}", Password: "{{" + fieldPassword + "}}"},
				[]string{fieldUsername, fieldPassword}, ""
		}
		return nil, nil, "HTTP scheme " + s.Scheme + " is not supported (bearer and basic are)"
	case "oauth2":
		return oauth2Auth(s, scopes, baseURL)
	}
	return nil, nil, "type " + s.Type + " is not supported (apiKey, http bearer or basic, and oauth2 are)"
}

// apiKeyAuth maps an apiKey scheme in a header or query parameter.
func apiKeyAuth(s *openapi3.SecurityScheme) (*definition.Auth, []string, string) {
	a := &definition.Auth{Type: definition.AuthAPIKey, Template: "{{" + fieldAPIKey + "}}"}
	switch {
	case strings.TrimSpace(s.Name) == "":
		return nil, nil, "the API key has no name"
	case s.In == "header" && !isToken(s.Name):
		return nil, nil, "the API key header " + s.Name + " is not a valid header name"
	case s.In == "header":
		a.Header = s.Name
	case s.In == "query":
		a.QueryParam = s.Name
	default:
		return nil, nil, "API keys in " + s.In + " are not supported (header and query are)"
	}
	return a, []string{fieldAPIKey}, ""
}

// oauth2Auth maps the client credentials flow, else the authorization
// code flow (its refresh token is what the integration keeps).
func oauth2Auth(s *openapi3.SecurityScheme, scopes []string, baseURL string) (*definition.Auth, []string, string) {
	if s.Flows == nil {
		return nil, nil, "the OAuth2 scheme has no flows"
	}
	if f := s.Flows.ClientCredentials; f != nil {
		if token, ok := absolute(f.TokenURL, baseURL); ok {
			return &definition.Auth{Type: definition.AuthOAuth2ClientCredentials, TokenURL: token, Scopes: flowScopes(f, scopes)},
				[]string{fieldClientID, fieldClientSecret}, ""
		}
	}
	if f := s.Flows.AuthorizationCode; f != nil {
		if token, ok := absolute(f.TokenURL, baseURL); ok {
			a := &definition.Auth{Type: definition.AuthOAuth2RefreshToken, TokenURL: token, Scopes: flowScopes(f, scopes)}
			if authURL, ok := absolute(f.AuthorizationURL, baseURL); ok {
				a.AuthURL = authURL
			}
			return a, []string{fieldClientID, fieldClientSecret, fieldRefreshToken}, ""
		}
	}
	return nil, nil, "OAuth2 is supported with the clientCredentials or authorizationCode flow and an absolute token URL"
}

// flowScopes returns the scopes the document requires of the scheme, else
// all the flow defines.
func flowScopes(f *openapi3.OAuthFlow, required []string) []string {
	if len(required) > 0 {
		return required
	}
	return slices.Sorted(maps.Keys(f.Scopes))
}

// absolute resolves a URL against the base URL; ok is false when no
// absolute http(s) URL results.
func absolute(raw, baseURL string) (string, bool) {
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	if raw == "" || err != nil {
		return "", false
	}
	if !u.IsAbs() {
		base, err := url.Parse(baseURL)
		if err != nil || !base.IsAbs() {
			return "", false
		}
		u = base.ResolveReference(u)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.Fragment != "" {
		return "", false
	}
	return u.String(), true
}

// isToken reports whether s is an HTTP token (a valid header name).
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isAlnum(c) && !strings.ContainsRune("!#$%&'*+-.^_`|~", rune(c)) {
			return false
		}
	}
	return true
}
