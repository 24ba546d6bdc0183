package definition

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// authTypes lists the auth types in the order messages name them.
var authTypes = []string{AuthNone, AuthAPIKey, AuthBearer, AuthBasic, AuthOAuth2ClientCredentials, AuthOAuth2RefreshToken, AuthOAuth2AuthorizationCode, AuthXMLBody}

// scope is what the templates of one place may name.
type scope struct {
	creds     map[string]bool
	params    map[string]bool
	function  bool
	paramsXML bool
}

// auth checks the auth block for its type.
func (c *checker) auth() {
	a := c.d.Auth
	if !slices.Contains(authTypes, a.Type) {
		c.add("auth.type", "must be one of %s", strings.Join(authTypes, ", "))
		return
	}
	s := scope{creds: c.creds}
	if a.Type == AuthXMLBody {
		s = scope{creds: c.creds, params: c.allParams, function: true, paramsXML: true}
	}
	c.template("auth.template", a.Template, s)
	c.template("auth.username", a.Username, s)
	c.template("auth.password", a.Password, s)
	if a.Header != "" && !validHeaderName(a.Header) {
		c.add("auth.header", "is not a valid header name")
	}
	if a.AuthURL != "" {
		c.url("auth.auth_url", a.AuthURL)
	}
	for i, sc := range a.Scopes {
		if strings.TrimSpace(sc) == "" {
			c.add(fmt.Sprintf("auth.scopes[%d]", i), "must not be empty")
		}
	}
	switch a.Type {
	case AuthAPIKey:
		c.apiKey(a)
	case AuthBearer:
		if a.Template == "" {
			c.add("auth.template", `bearer needs a template, e.g. "{{token}}"`)
		}
	case AuthBasic:
		if a.Username == "" {
			c.add("auth.username", `basic needs a username template, e.g. "{{username}}"`)
		}
	case AuthOAuth2ClientCredentials:
		c.oauth2(a, "client_id", "client_secret")
	case AuthOAuth2RefreshToken:
		c.oauth2(a, "client_id", "client_secret", "refresh_token")
	case AuthOAuth2AuthorizationCode:
		c.oauth2(a, "client_id", "client_secret")
		if a.AuthorizeURL == "" {
			c.add("auth.authorize_url", "oauth2_authorization_code needs an authorize_url (the provider's consent page)")
		} else {
			c.url("auth.authorize_url", a.AuthorizeURL)
		}
		if a.RevokeURL != "" {
			c.url("auth.revoke_url", a.RevokeURL)
		}
	case AuthXMLBody:
		c.xmlBody(a)
	}
}

// apiKey checks an api_key auth.
func (c *checker) apiKey(a Auth) {
	switch {
	case a.Header == "" && a.QueryParam == "":
		c.add("auth.header", "api_key needs a header or a query_param")
	case a.Header != "" && a.QueryParam != "":
		c.add("auth.query_param", "give a header or a query_param, not both")
	}
	if a.Template == "" {
		c.add("auth.template", `api_key needs a template, e.g. "{{api_key}}"`)
	}
}

// oauth2 checks an OAuth2 auth: a token URL and the credential fields the
// token exchange sends.
func (c *checker) oauth2(a Auth, fields ...string) {
	if a.TokenURL == "" {
		c.add("auth.token_url", "%s needs a token_url", a.Type)
	} else {
		c.url("auth.token_url", a.TokenURL)
	}
	var missing []string
	for _, f := range fields {
		if !c.creds[f] {
			missing = append(missing, f)
		}
	}
	if len(missing) > 0 {
		c.add("credential_fields", "%s needs %s", a.Type, strings.Join(missing, ", "))
	}
}

// xmlBody checks an xml_body auth: the credentials travel in an XML body
// built from a template — the integration's (body_template, or
// auth.template) or each endpoint's own body_template. Every endpoint's
// body must place every credential field; the refusal names the endpoint
// whose body does not.
func (c *checker) xmlBody(a Auth) {
	if c.d.RequestFormat != FormatXML {
		c.add("request_format", "xml_body auth needs request_format xml")
	}
	shared, field := c.d.BodyTemplate, "body_template"
	if shared == "" {
		shared, field = a.Template, "auth.template"
	}
	if len(c.d.Endpoints) == 0 {
		if shared == "" {
			c.add("auth.template", "xml_body needs a template or a body_template that places the credentials")
		}
		return
	}
	for i := range c.d.Endpoints {
		e := &c.d.Endpoints[i]
		body, at := shared, field
		if e.BodyTemplate != "" {
			body, at = e.BodyTemplate, fmt.Sprintf("endpoints[%d].body_template", i)
		}
		if body == "" {
			c.add(fmt.Sprintf("endpoints[%d].body_template", i),
				"%s: xml_body needs a body_template here, or one for the whole integration, that places the credentials", e.Function)
			continue
		}
		if missing := c.unplaced(body); len(missing) > 0 {
			c.add(at, "%s: the XML body does not place the credential field(s) %s", e.Function, strings.Join(missing, ", "))
		}
	}
}

// unplaced lists the credential fields a template does not render (in
// declaration order); a template that does not parse is reported by the
// template check and places nothing here.
func (c *checker) unplaced(src string) []string {
	t, err := ParseTemplate(src)
	if err != nil {
		return nil
	}
	placed := map[string]bool{}
	for _, r := range t.Refs() {
		if r.Kind == RefCredential || r.Kind == RefBare {
			placed[r.Name] = true
		}
	}
	var missing []string
	for _, f := range c.d.CredentialNames() {
		if !placed[f] {
			missing = append(missing, f)
		}
	}
	return missing
}

// template parses a template and checks that it names only what s knows.
func (c *checker) template(field, src string, s scope) {
	if src == "" {
		return
	}
	t, err := ParseTemplate(src)
	if err != nil {
		c.add(field, "%s", err)
		return
	}
	for _, ref := range t.Refs() {
		if msg := s.check(ref); msg != "" {
			c.add(field, "%s", msg)
		}
	}
}

// check says what is wrong with ref in this scope, or "".
func (s scope) check(ref Ref) string {
	switch ref.Kind {
	case RefBare:
		if !s.creds[ref.Name] && !s.params[ref.Name] {
			return fmt.Sprintf("unknown name %q", ref.Name)
		}
	case RefCredential:
		if !s.creds[ref.Name] {
			return fmt.Sprintf("unknown credential field %q", ref.Name)
		}
	case RefParam:
		if !s.params[ref.Name] {
			return fmt.Sprintf("unknown parameter %q", ref.Name)
		}
	case RefFunction:
		if !s.function {
			return "{{function}} cannot be used here"
		}
	case RefParamsXML:
		if !s.paramsXML {
			return "{{params_xml}} cannot be used here"
		}
	}
	return ""
}

// headers checks header names and their value templates.
func (c *checker) headers(prefix string, headers map[string]string, s scope) {
	for _, name := range slices.Sorted(maps.Keys(headers)) {
		field := prefix + "." + name
		if !validHeaderName(name) {
			c.add(field, "is not a valid header name")
			continue
		}
		c.template(field, headers[name], s)
	}
}
