package models

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/uptrace/bun"
)

// Credential is the sealed secret fields of one integration in one
// environment. Sealed is AES-GCM ciphertext; FieldNames (comma-separated)
// says which fields are set without revealing them.
type Credential struct {
	bun.BaseModel `bun:"table:api_credentials,alias:c"`

	ID              int64      `bun:"id,pk,autoincrement"`
	OrganizationID  int64      `bun:"organization_id,notnull"`
	IntegrationID   int64      `bun:"integration_id,notnull"`
	Environment     string     `bun:"environment,notnull"`
	Sealed          string     `bun:"sealed,notnull"`
	FieldNames      string     `bun:"field_names,notnull"`
	LastUsedAt      *time.Time `bun:"last_used_at"`
	LastTestedAt    *time.Time `bun:"last_tested_at"`
	LastTestOK      *bool      `bun:"last_test_ok"`
	LastTestMessage string     `bun:"last_test_message,notnull"`
	// NeedsReauth is set when the provider refused the stored refresh
	// token for good (invalid_grant); OAuthAccount is the account an
	// oauth2_authorization_code credential is connected as.
	NeedsReauth  bool      `bun:"needs_reauth,notnull"`
	OAuthAccount string    `bun:"oauth_account,notnull"`
	CreatedAt    time.Time `bun:"created_at,notnull"`
	UpdatedAt    time.Time `bun:"updated_at,notnull"`
}

// Credentials lists the organization's credentials.
func (t *Tenant) Credentials(ctx context.Context) ([]Credential, error) {
	var cs []Credential
	err := t.selectQ(&cs).OrderExpr("c.integration_id ASC, c.environment ASC").Scan(ctx)
	return cs, wrap("list credentials", err)
}

// Credential returns one credential.
func (t *Tenant) Credential(ctx context.Context, id int64) (*Credential, error) {
	c := new(Credential)
	if err := t.selectQ(c).Where("c.id = ?", id).Scan(ctx); err != nil {
		return nil, wrap("fetch credential", notFound(err, "credential"))
	}
	return c, nil
}

// CredentialFor returns the credential of an integration and environment.
func (t *Tenant) CredentialFor(ctx context.Context, integrationID int64, env string) (*Credential, error) {
	c := new(Credential)
	// nil when there is none: a zero credential would pass for a saved
	// one (Test Connection recorded its outcome on id 0 and answered 404).
	if err := t.selectQ(c).Where("c.integration_id = ?", integrationID).Where("c.environment = ?", env).Scan(ctx); err != nil {
		return nil, wrap("fetch credential", notFound(err, "credential"))
	}
	return c, nil
}

// SaveCredential inserts a credential, or replaces the sealed fields of an
// existing one (c.ID set).
func (t *Tenant) SaveCredential(ctx context.Context, c *Credential) error {
	now := t.now()
	c.OrganizationID, c.UpdatedAt = t.orgID, now
	if c.ID == 0 {
		c.CreatedAt = now
		_, err := t.db.NewInsert().Model(c).Exec(ctx)
		return wrap("save credential", conflictOr(err, "credentials for that integration and environment exist already; update them instead"))
	}
	res, err := t.updateQ((*Credential)(nil)).Set("sealed = ?", c.Sealed).Set("field_names = ?", c.FieldNames).
		Set("updated_at = ?", now).Where("c.id = ?", c.ID).Exec(ctx)
	return wrap("save credential", mustAffect(res, err, "credential"))
}

// SetCredentialConnection records what Connect or Disconnect left: the
// account the credential is connected as ("" once disconnected), and
// clears needs_reauth.
func (t *Tenant) SetCredentialConnection(ctx context.Context, id int64, account string) error {
	res, err := t.updateQ((*Credential)(nil)).Set("oauth_account = ?", truncate(account, 320)).Set("needs_reauth = ?", false).
		Set("updated_at = ?", t.now()).Where("c.id = ?", id).Exec(ctx)
	return wrap("save credential connection", mustAffect(res, err, "credential"))
}

// MarkCredentialNeedsReauth flags the credential of an integration and
// environment whose refresh token the provider refused, with the reason as
// its last test message.
func (t *Tenant) MarkCredentialNeedsReauth(ctx context.Context, integrationID int64, env, reason string) error {
	_, err := t.updateQ((*Credential)(nil)).Set("needs_reauth = ?", true).Set("last_test_ok = ?", false).
		Set("last_test_message = ?", truncate(reason, 1000)).Where("c.integration_id = ? AND c.environment = ?", integrationID, env).Exec(ctx)
	return wrap("mark credential for reauthorization", err)
}

// DeleteCredential removes a credential.
func (t *Tenant) DeleteCredential(ctx context.Context, id int64) error {
	res, err := t.deleteQ((*Credential)(nil)).Where("c.id = ?", id).Exec(ctx)
	return wrap("delete credential", mustAffect(res, err, "credential"))
}

// RecordCredentialTest stores the outcome of a Test Connection.
func (t *Tenant) RecordCredentialTest(ctx context.Context, id int64, ok bool, msg string) error {
	now := t.now()
	res, err := t.updateQ((*Credential)(nil)).Set("last_tested_at = ?", now).Set("last_used_at = ?", now).
		Set("last_test_ok = ?", ok).Set("last_test_message = ?", truncate(msg, 1000)).Where("c.id = ?", id).Exec(ctx)
	return wrap("record credential test", mustAffect(res, err, "credential"))
}

// CredentialUse names one credential of one organization, the key of a
// batch of uses.
type CredentialUse struct {
	OrgID, CredentialID int64
}

// TouchCredentials records the last use of credentials by executions, in
// one statement per credential (each scoped by its organization), only
// moving last_used_at forward.
func (s *Store) TouchCredentials(ctx context.Context, used map[CredentialUse]time.Time) error {
	for k, at := range used {
		if _, err := s.db.NewUpdate().Model((*Credential)(nil)).Set("last_used_at = ?", at.UTC()).
			Where("organization_id = ? AND id = ?", k.OrgID, k.CredentialID).
			Where("last_used_at IS NULL OR last_used_at < ?", at.UTC()).Exec(ctx); err != nil {
			return wrap("record credential use", err)
		}
	}
	return nil
}

// AllCredentials lists every credential of every organization, for
// re-encryption under a new key.
func (s *Store) AllCredentials(ctx context.Context) ([]Credential, error) {
	var cs []Credential
	err := s.db.NewSelect().Model(&cs).OrderExpr("c.id ASC").Scan(ctx)
	return cs, wrap("list credentials", err)
}

// ResealCredential replaces the ciphertext of one credential.
func (s *Store) ResealCredential(ctx context.Context, id int64, sealed string) error {
	res, err := s.db.NewUpdate().Model((*Credential)(nil)).Set("sealed = ?", sealed).Where("id = ?", id).Exec(ctx)
	return wrap("reseal credential", mustAffect(res, err, "credential"))
}

// appSetting is one process-wide setting row.
type appSetting struct {
	bun.BaseModel `bun:"table:app_settings,alias:st"`

	Key       string    `bun:"key,pk"`
	Value     string    `bun:"value,notnull"`
	CreatedAt time.Time `bun:"created_at,notnull"`
	UpdatedAt time.Time `bun:"updated_at,notnull"`
}

// Setting returns a process-wide setting ("" and false when unset).
func (s *Store) Setting(ctx context.Context, key string) (string, bool, error) {
	st := new(appSetting)
	err := s.db.NewSelect().Model(st).Where("st.key = ?", key).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, wrap("read setting", err)
	}
	return st.Value, true, nil
}

// SetSetting writes a process-wide setting.
func (s *Store) SetSetting(ctx context.Context, key, value string) error {
	now := s.now()
	st := &appSetting{Key: key, Value: value, CreatedAt: now, UpdatedAt: now}
	_, err := s.db.NewInsert().Model(st).On("CONFLICT (key) DO UPDATE").
		Set("value = EXCLUDED.value").Set("updated_at = EXCLUDED.updated_at").Exec(ctx)
	return wrap("write setting", err)
}
