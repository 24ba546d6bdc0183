package api

import (
	"time"

	"switchboard/integrations/definition"
	"switchboard/integrations/vault"
)

// CredentialCreate is the body of POST /api/admin/api-credentials.
type CredentialCreate struct {
	// Integration is the slug of the integration the fields are for.
	Integration string `json:"integration" validate:"required"`
	// Environment is production (the default) or sandbox.
	Environment string `json:"environment" validate:"omitempty,oneof=production sandbox"`
	// Fields are the values of the definition's credential_fields, by name
	// (a credential's schema gives each one's label, help and whether it is
	// secret).
	Fields map[string]string `json:"fields"`
}

// CredentialUpdate is the body of PUT /api/admin/api-credentials/:id:
// fields sent replace their values, fields left out or blank keep theirs.
type CredentialUpdate struct {
	// Integration and Environment are accepted and ignored: a credential
	// stays with its integration and environment.
	Integration string            `json:"integration"`
	Environment string            `json:"environment"`
	Fields      map[string]string `json:"fields"`
}

// Credential is a credential as the API shows it: masked.
type Credential struct {
	ID            int64             `json:"id"`
	Integration   string            `json:"integration"`
	Environment   string            `json:"environment"`
	Fields        map[string]string `json:"fields"`
	MissingFields []string          `json:"missing_fields"`
	// Schema describes the integration's credential fields, in order.
	Schema          []CredentialFieldSchema `json:"schema"`
	LastUsedAt      *time.Time              `json:"last_used_at"`
	LastTestedAt    *time.Time              `json:"last_tested_at"`
	LastTestOK      *bool                   `json:"last_test_ok"`
	LastTestMessage string                  `json:"last_test_message"`
	// NeedsReauth says the provider refused the stored refresh token: press
	// Connect again. OAuthAccount is the account an OAuth connection acts
	// as.
	NeedsReauth  bool      `json:"needs_reauth"`
	OAuthAccount string    `json:"oauth_account"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// CredentialFieldSchema is one credential field as a form shows it.
type CredentialFieldSchema struct {
	// Name is the key of the field in fields.
	Name string `json:"name"`
	// Label is what a form calls the field.
	Label string `json:"label"`
	// Help says what the value is and where the vendor shows it.
	Help string `json:"help"`
	// Secret fields are masked inputs and never shown in clear.
	Secret bool `json:"secret"`
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
	CredentialID int64             `json:"credential_id" alias:"credentialId"`
	Integration  string            `json:"integration"`
	Environment  string            `json:"environment"`
	Fields       map[string]string `json:"fields"`
}

// TestConnectionAnswer is the answer of a Test Connection; it answers
// 200 whenever the test ran and ok says how it went.
type TestConnectionAnswer struct {
	OK           bool       `json:"ok"`
	Status       int        `json:"status"`
	Message      string     `json:"message"`
	DurationMS   int64      `json:"duration_ms"`
	Function     string     `json:"function"`
	CredentialID int64      `json:"credential_id,omitempty"`
	TestedAt     *time.Time `json:"last_tested_at,omitempty"`
}

// OAuthCallbackQuery is what an OAuth provider sends the browser back to
// GET /oauth/callback with: the code and the state Connect started, or an
// error when the owner refused.
type OAuthCallbackQuery struct {
	State string `query:"state"`
	Code  string `query:"code"`
	Error string `query:"error"`
}
