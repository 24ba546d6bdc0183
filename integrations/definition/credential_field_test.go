package definition

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestCredentialFieldsTakeNamesOrObjects(t *testing.T) {
	doc, err := ParseYAML([]byte(`slug: x
name: X
base_url: {production: "https://x.example.com"}
auth: {type: basic, username: "{{account}}", password: "{{token}}"}
credential_fields:
  - account
  - {name: token, label: Auth token, help: "Console → Tokens", secret: true}
endpoints: [{function: Ping, method: GET, path: /ping}]
`))
	if err != nil {
		t.Fatal(err)
	}
	if err := Validate(doc); err != nil {
		t.Fatalf("validate: %v", err)
	}
	if got := strings.Join(doc.CredentialNames(), ","); got != "account,token" {
		t.Fatalf("names = %s", got)
	}
	acc, tok := doc.CredentialFields[0], doc.CredentialFields[1]
	if acc.Title() != "Account" || !acc.IsSecret() || tok.Title() != "Auth token" || tok.Help != "Console → Tokens" || !tok.IsSecret() {
		t.Fatalf("fields = %+v %+v", acc, tok)
	}
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"credential_fields":["account",{"name":"token","label":"Auth token","help":"Console → Tokens","secret":true}]`) {
		t.Fatalf("export = %s", b)
	}
	t.Run("ErrUnknownKey", func(t *testing.T) {
		_, err := ParseJSON([]byte(`{"slug":"x","name":"X","base_url":{"production":"https://x.example.com"},"credential_fields":[{"name":"a","lable":"A"}]}`))
		if err == nil || !strings.Contains(err.Error(), "credential_fields[0].lable") {
			t.Fatalf("err = %v, want the unknown key named", err)
		}
	})
}
