package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"switchboard/testsupport"
)

const (
	devKey      = "od-developer-key-VERY-SECRET-1111"
	customerKey = "od-customer-key-VERY-SECRET-2222"
)

func TestCredentialsAreSealedAndMasked(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		srv, c, _ := adminAPI(t, dbURL)
		c.SendJSON("POST", "/api/admin/integrations/from-catalog", map[string]string{"catalog": "opendental"})

		r := c.SendJSON("POST", "/api/admin/api-credentials", map[string]any{"integration": "opendental", "environment": "production",
			"fields": map[string]string{"developer_key": devKey, "customer_key": customerKey}})
		if r.StatusCode != 201 {
			t.Fatalf("create = %d %s", r.StatusCode, r.Body)
		}
		var cred struct {
			ID     int64             `json:"id"`
			Fields map[string]string `json:"fields"`
		}
		r.JSON(t, &cred)
		if cred.Fields["developer_key"] != "…1111" {
			t.Fatalf("masked developer_key = %q", cred.Fields["developer_key"])
		}

		// The raw row holds no plaintext.
		var sealed, names string
		if err := srv.App.DB.NewRaw("SELECT sealed, field_names FROM api_credentials WHERE id = ?", cred.ID).Scan(t.Context(), &sealed, &names); err != nil {
			t.Fatal(err)
		}
		for _, secret := range []string{devKey, customerKey, "VERY-SECRET", "1111"} {
			if strings.Contains(sealed, secret) {
				t.Fatalf("the stored row contains %q", secret)
			}
		}

		// Merge: a blank field keeps its value.
		r = c.SendJSON("PUT", fmt.Sprintf("/api/admin/api-credentials/%d", cred.ID), map[string]any{"fields": map[string]string{"developer_key": "", "customer_key": "new-customer-key-3333"}})
		if r.StatusCode != 200 || !strings.Contains(r.Body, "…1111") || !strings.Contains(r.Body, "…3333") {
			t.Fatalf("merge update = %d %s", r.StatusCode, r.Body)
		}
		bad := c.SendJSON("POST", "/api/admin/api-credentials", map[string]any{"integration": "opendental", "environment": "staging", "fields": map[string]string{"api_key": "x"}})
		if bad.StatusCode != 422 || !strings.Contains(bad.Body, "environment") {
			t.Fatalf("bad credential = %d %s", bad.StatusCode, bad.Body)
		}
		unknown := c.SendJSON("POST", "/api/admin/api-credentials", map[string]any{"integration": "opendental", "environment": "sandbox", "fields": map[string]string{"api_key": "x"}})
		if unknown.StatusCode != 422 || !strings.Contains(unknown.Body, "fields.api_key") || !strings.Contains(unknown.Body, "fields.developer_key") {
			t.Fatalf("unknown credential field = %d %s", unknown.StatusCode, unknown.Body)
		}

		// No API answer or page shows a saved secret.
		owner := srv.NewClient(t)
		owner.Login("owner@acme.test", testsupport.Password)
		bodies := []string{
			c.Get("/api/admin/api-credentials").Body,
			c.Get(fmt.Sprintf("/api/admin/api-credentials/%d", cred.ID)).Body,
			c.Get("/api/admin/integrations/opendental").Body,
			owner.Get("/integrations").Body,
			owner.Get("/audit").Body,
		}
		var integrationID int64
		srv.App.DB.NewRaw("SELECT integration_id FROM api_credentials WHERE id = ?", cred.ID).Scan(t.Context(), &integrationID)
		page := owner.Get(fmt.Sprintf("/integrations/%d/credentials", integrationID))
		if page.StatusCode != 200 || !strings.Contains(page.Body, "…1111") {
			t.Fatalf("credentials page = %d, masked value missing", page.StatusCode)
		}
		bodies = append(bodies, page.Body)
		for i, b := range bodies {
			for _, secret := range []string{devKey, customerKey, "new-customer-key-3333"} {
				if strings.Contains(b, secret) {
					t.Fatalf("answer %d contains the secret %q", i, secret)
				}
			}
		}
		if !regexp.MustCompile(`credential_saved`).MatchString(owner.Get("/audit?action=credential_saved").Body) {
			t.Fatal("credential changes are not in the audit log")
		}
	})
}

func TestCredentialsFormKeepsBlankFields(t *testing.T) {
	srv := startIdentity(t, testsupport.SQLiteURL(t))
	testsupport.Seed(t, srv.App.Store, "acme", "owner@acme.test", "owner")
	c := srv.NewClient(t)
	c.Login("owner@acme.test", testsupport.Password)
	tok := c.CSRF("/integrations")
	r := c.PostForm("/integrations/from-catalog", url.Values{"_csrf": {tok}, "catalog": {"opendental"}})
	loc := r.Header.Get("Location")
	if r.StatusCode != http.StatusSeeOther || !strings.HasSuffix(loc, "/credentials") {
		t.Fatalf("add from catalog = %d to %q", r.StatusCode, loc)
	}
	if r := c.PostForm(loc+"/production", url.Values{"_csrf": {tok}, "field_developer_key": {devKey}}); r.StatusCode != 422 || !strings.Contains(r.Body, `data-testid="error-field_customer_key"`) && !strings.Contains(r.Body, "is required") {
		t.Fatalf("missing customer key = %d", r.StatusCode)
	}
	if r := c.PostForm(loc+"/production", url.Values{"_csrf": {tok}, "field_developer_key": {devKey}, "field_customer_key": {customerKey}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("save = %d %.500s", r.StatusCode, r.Body)
	}
	if r := c.PostForm(loc+"/production", url.Values{"_csrf": {tok}, "field_developer_key": {""}, "field_customer_key": {"replaced-customer-9999"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("partial save = %d", r.StatusCode)
	}
	page := c.Get(loc)
	if !strings.Contains(page.Body, "…1111") || !strings.Contains(page.Body, "…9999") || strings.Contains(page.Body, devKey) {
		t.Fatal("the page does not show the kept and replaced values masked")
	}
	if strings.Contains(page.Body, `value="od-`) {
		t.Fatal("a secret input is pre-filled")
	}
}
