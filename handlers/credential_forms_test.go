package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"switchboard/testsupport"
)

// TestCredentialFormsExplainEachField: the Credentials tab labels each
// field, says where the vendor shows it, masks the secret ones (type
// password, never pre-filled) and types the others in the clear; the API
// answers the same schema and the OpenAPI document describes both shapes
// of credential_fields.
func TestCredentialFormsExplainEachField(t *testing.T) {
	srv := startIdentity(t, testsupport.SQLiteURL(t))
	testsupport.Seed(t, srv.App.Store, "acme", "owner@acme.test", "owner")
	c := srv.NewClient(t)
	c.Login("owner@acme.test", testsupport.Password)
	tok := c.CSRF("/integrations")
	r := c.PostForm("/integrations/from-catalog", url.Values{"_csrf": {tok}, "catalog": {"twilio"}})
	loc := r.Header.Get("Location")
	if r.StatusCode != http.StatusSeeOther || !strings.HasSuffix(loc, "/credentials") {
		t.Fatalf("from-catalog = %d %s", r.StatusCode, loc)
	}
	page := c.Get(loc).Body
	for _, want := range []string{
		`>Account SID`, `Twilio Console → Account Info (home page).`,
		`name="field_account_sid" type="text"`, `>Auth token`, `name="field_auth_token" type="password"`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the credentials tab lacks %q", want)
		}
	}
	if strings.Contains(page, `>account_sid`) {
		t.Error("the form still shows the raw key name as the label")
	}
	save := c.PostForm(strings.TrimSuffix(loc, "/credentials")+"/credentials/production", url.Values{"_csrf": {c.CSRF(loc)},
		"field_account_sid": {"AC0123456789abcdef"}, "field_auth_token": {"tok-secret-value-42"}})
	if save.StatusCode != http.StatusSeeOther {
		t.Fatalf("save = %d", save.StatusCode)
	}
	if again := c.Get(loc).Body; strings.Contains(again, "tok-secret-value-42") || strings.Contains(again, `value="AC0123456789abcdef"`) {
		t.Error("a saved value is echoed on the form")
	}

	var org int64
	srv.App.DB.NewRaw("SELECT id FROM organizations WHERE slug = 'acme'").Scan(t.Context(), &org)
	key := srv.KeyClient(t, org, "admin")
	var list struct {
		Items []struct {
			Fields map[string]string `json:"fields"`
			Schema []struct {
				Name, Label, Help string
				Secret            bool
			} `json:"schema"`
		} `json:"items"`
	}
	key.Get("/api/admin/api-credentials").JSON(t, &list)
	if len(list.Items) != 1 || len(list.Items[0].Schema) != 2 {
		t.Fatalf("credentials = %+v", list.Items)
	}
	sid, auth := list.Items[0].Schema[0], list.Items[0].Schema[1]
	if sid.Name != "account_sid" || sid.Label != "Account SID" || sid.Secret || !strings.Contains(sid.Help, "Account Info") || auth.Name != "auth_token" || !auth.Secret {
		t.Fatalf("schema = %+v", list.Items[0].Schema)
	}
	if strings.Contains(list.Items[0].Fields["auth_token"], "secret-value") {
		t.Fatalf("the API echoes the secret: %q", list.Items[0].Fields["auth_token"])
	}

	doc := loadDocument(t, srv)
	create := doc.Paths.Find("/api/admin/integrations").Post.RequestBody.Value.Content.Get("application/json").Schema.Value
	item := create.Properties["credential_fields"].Value.Items.Value
	if len(item.OneOf) != 2 || !item.OneOf[0].Value.Type.Is("string") || item.OneOf[1].Value.Properties["help"] == nil {
		t.Fatalf("credential_fields items = %+v, want oneOf a name or {name, label, help, secret}", item)
	}
	answer := doc.Paths.Find("/api/admin/api-credentials/{id}").Get.Responses.Status(200).Value.Content.Get("application/json").Schema.Value
	schema := answer.Properties["schema"].Value.Items.Value
	if schema.Properties["label"] == nil || schema.Properties["secret"] == nil {
		t.Fatalf("the credential answer's schema = %+v", schema)
	}
}
