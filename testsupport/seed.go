package testsupport

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"switchboard/apperr"
	"switchboard/auth"
	"switchboard/models"
)

// Password is the password of every seeded user.
const Password = "correct-horse-battery"

// seedHash is computed once: argon2id is slow on purpose.
var seedHash = func() string {
	h, err := auth.HashPassword(Password)
	if err != nil {
		panic(err)
	}
	return h
}()

// Seed makes sure organization orgSlug exists and that email is a member
// with role; it returns both. The password is Password.
func Seed(t testing.TB, store *models.Store, orgSlug, email, role string) (*models.Organization, *models.User) {
	t.Helper()
	ctx := context.Background()
	org, err := store.OrganizationBySlug(ctx, orgSlug)
	if apperr.IsNotFound(err) {
		org, err = store.CreateOrganization(ctx, orgSlug, strings.ToUpper(orgSlug[:1])+orgSlug[1:]+" Dental")
	}
	if err != nil {
		t.Fatalf("seed organization: %v", err)
	}
	user, err := store.UserByEmail(ctx, email)
	if apperr.IsNotFound(err) {
		user, err = store.CreateUser(ctx, email, "", seedHash)
	}
	if err != nil {
		t.Fatalf("seed user: %v", err)
	}
	if _, err := store.Tenant(org.ID).AddMember(ctx, user.ID, role); err != nil {
		t.Fatalf("seed membership: %v", err)
	}
	return org, user
}

// SeedKey creates an API key for org and returns the plain key.
func SeedKey(t testing.TB, store *models.Store, orgID int64, role string) (string, *models.APIKey) {
	t.Helper()
	key, prefix, hash := auth.NewAPIKey()
	k, err := store.Tenant(orgID).CreateAPIKey(context.Background(), "test "+role, role, prefix, hash, nil)
	if err != nil {
		t.Fatalf("seed api key: %v", err)
	}
	return key, k
}

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// CSRF loads path and returns the CSRF token of its forms.
func (c *Client) CSRF(path string) string {
	c.t.Helper()
	r := c.Get(path)
	m := csrfField.FindStringSubmatch(r.Body)
	if m == nil {
		c.t.Fatalf("no CSRF token on %s (%d): %.300s", path, r.StatusCode, r.Body)
	}
	return m[1]
}

// Login signs in through the real login form and fails the test when it
// does not land on the dashboard.
func (c *Client) Login(email, password string) {
	c.t.Helper()
	tok := c.CSRF("/login")
	r := c.PostForm("/login", url.Values{"_csrf": {tok}, "email": {email}, "password": {password}})
	if r.StatusCode != http.StatusSeeOther {
		c.t.Fatalf("login as %s: %d %.300s", email, r.StatusCode, r.Body)
	}
}

// Cookie returns the value of the named cookie for the server.
func (c *Client) Cookie(name string) string {
	u, _ := url.Parse(c.base)
	for _, ck := range c.HTTP.Jar.Cookies(u) {
		if ck.Name == name {
			return ck.Value
		}
	}
	return ""
}

// Problems returns the field → message map of a validation_failed error,
// failing the test when err is anything else.
func Problems(t testing.TB, err error) map[string]string {
	t.Helper()
	e, ok := apperr.As(err)
	if !ok || e.Code != apperr.CodeValidationFailed {
		t.Fatalf("err = %v, want validation_failed", err)
	}
	m := make(map[string]string, len(e.Fields))
	for _, f := range e.Fields {
		m[f.Field] = f.Message
	}
	return m
}
