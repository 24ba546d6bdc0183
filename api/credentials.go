package api

import (
	"time"

	"switchboard/integrations/definition"
	"switchboard/integrations/vault"
)

// CredentialCreate is the body of POST /api/admin/api-credentials.
type CredentialCreate struct {
	// Integration is the slug of the integration the fields are for.
	Integration string `json:"integration" validate:"required" doc:"The slug of the integration the fields are for." required:"create"`
	// Environment is production (the default) or sandbox.
	Environment string `json:"environment" validate:"omitempty,oneof=production sandbox" doc:"production (the default) or sandbox." enum:"production,sandbox"`
	// Fields are the values of the definition's credential_fields, by name
	// (a credential's schema gives each one's label, help and whether it is
	// secret).
	Fields map[string]string `json:"fields" doc:"Values of the definition's credential fields, by name (the credential's schema gives each one's label, help and whether it is secret)."`
}

// CredentialUpdate is the body of PUT /api/admin/api-credentials/:id:
// fields sent replace their values, fields left out or blank keep theirs.
type CredentialUpdate struct {
	// Integration and Environment are accepted and ignored: a credential
	// stays with its integration and environment.
	Integration string            `json:"integration" doc:"Accepted and ignored: a credential stays with its integration."`
	Environment string            `json:"environment" doc:"Accepted and ignored: a credential stays with its environment."`
	Fields      map[string]string `json:"fields" doc:"New values by field name; a field left out or blank keeps its value."`
}

// Credential is a credential as the API shows it: masked.
type Credential struct {
	ID            int64             `json:"id" doc:"The credential's id (Switchboard's)."`
	Integration   string            `json:"integration" doc:"The slug of the integration the credential is for."`
	Environment   string            `json:"environment" doc:"The environment the credential is for." enum:"production,sandbox"`
	Fields        map[string]string `json:"fields" doc:"The credential's fields by name; secret values are masked, never shown in clear."`
	MissingFields []string          `json:"missing_fields" doc:"Names of the integration's credential fields that have no value yet."`
	// Schema describes the integration's credential fields, in order.
	Schema          []CredentialFieldSchema `json:"schema" doc:"The integration's credential fields, in order: name, label, help and whether each is secret."`
	LastUsedAt      *time.Time              `json:"last_used_at" doc:"When a call last used the credential (RFC 3339 instant); null when never."`
	LastTestedAt    *time.Time              `json:"last_tested_at" doc:"When the credential was last tested (RFC 3339 instant); null when never."`
	LastTestOK      *bool                   `json:"last_test_ok" doc:"Whether the last Test Connection succeeded; null when never tested."`
	LastTestMessage string                  `json:"last_test_message" doc:"What the last Test Connection said."`
	// NeedsReauth says the provider refused the stored refresh token: press
	// Connect again. OAuthAccount is the account an OAuth connection acts
	// as.
	NeedsReauth  bool      `json:"needs_reauth" doc:"The provider refused the stored refresh token: press Connect again."`
	OAuthAccount string    `json:"oauth_account" doc:"The account an OAuth connection acts as (empty for other auth types)."`
	CreatedAt    time.Time `json:"created_at" doc:"When the credential was saved first (RFC 3339 instant)."`
	UpdatedAt    time.Time `json:"updated_at" doc:"When the credential was last changed (RFC 3339 instant)."`
}

// CredentialFieldSchema is one credential field as a form shows it.
type CredentialFieldSchema struct {
	// Name is the key of the field in fields.
	Name string `json:"name" doc:"The key of the field in fields."`
	// Label is what a form calls the field.
	Label string `json:"label" doc:"What a form calls the field."`
	// Help says what the value is and where the vendor shows it.
	Help string `json:"help" doc:"What the value is and where the vendor shows it."`
	// Secret fields are masked inputs and never shown in clear.
	Secret bool `json:"secret" doc:"Secret fields are masked inputs, never shown in clear."`
}

// CredentialSchemaOf is the credential fields as the API describes them.
func CredentialSchemaOf(fields []definition.CredentialField) []CredentialFieldSchema {
	out := make([]CredentialFieldSchema, 0, len(fields))
	for _, f := range fields {
		out = append(out, CredentialFieldSchema{Name: f.Name, Label: f.Title(), Help: f.Help, Secret: f.IsSecret()})
	}
	return out
}

// CredentialOf is a credential as the API shows it: masked.
func CredentialOf(v *vault.CredentialView) Credential {
	cred := v.Credential
	return Credential{ID: cred.ID, Integration: v.Integration.Slug, Environment: cred.Environment, Fields: v.Masked,
		MissingFields: v.MissingFields, Schema: CredentialSchemaOf(v.Schema), LastUsedAt: cred.LastUsedAt, LastTestedAt: cred.LastTestedAt, LastTestOK: cred.LastTestOK,
		LastTestMessage: cred.LastTestMessage, NeedsReauth: cred.NeedsReauth, OAuthAccount: cred.OAuthAccount, CreatedAt: cred.CreatedAt, UpdatedAt: cred.UpdatedAt}
}

// TestConnectionRequest is the body of POST /api/admin/api-credentials/test:
// a saved credential, or an integration with unsaved fields to try.
type TestConnectionRequest struct {
	// CredentialID is also read as credentialId (the original's name).
	CredentialID int64             `json:"credential_id" alias:"credentialId" doc:"A saved credential to test (Switchboard's id; also read as credentialId)." required:"true,anyof:saved"`
	Integration  string            `json:"integration" doc:"The slug of the integration to test." required:"true,anyof:new"`
	Environment  string            `json:"environment" doc:"production or sandbox."`
	Fields       map[string]string `json:"fields" doc:"Credential values to test before saving them, by field name." required:"true,anyof:new"`
}

// TestConnectionAnswer is the answer of a Test Connection; it answers
// 200 whenever the test ran and ok says how it went.
type TestConnectionAnswer struct {
	OK           bool       `json:"ok" doc:"Whether the test call succeeded."`
	Status       int        `json:"status" doc:"The upstream's HTTP status (0 when no answer came)."`
	Message      string     `json:"message" doc:"What the test found, in words."`
	DurationMS   int64      `json:"duration_ms" doc:"How long the test call took, in milliseconds."`
	Function     string     `json:"function" doc:"The function the test called."`
	CredentialID int64      `json:"credential_id,omitempty" doc:"The credential tested (Switchboard's id), when a saved one was."`
	TestedAt     *time.Time `json:"last_tested_at,omitempty" doc:"When the saved credential was tested (RFC 3339 instant)."`
}

// OAuthCallbackQuery is the query of GET /oauth/callback: what the
// provider sends back (RFC 6749 §4.1.2).
type OAuthCallbackQuery struct {
	// State is the state Connect sent.
	State string `query:"state"`
	// Code is the authorization code to exchange.
	Code string `query:"code"`
	// Error is the provider's refusal (access_denied, …).
	Error string `query:"error"`
}
