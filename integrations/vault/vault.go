// Package vault seals and opens the secret fields of integration
// credentials. Values are encrypted with AES-256-GCM (package secret), bound
// to their organization, integration and environment; only masked values
// ever leave it for display.
package vault

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"switchboard/models"
	"switchboard/secret"
)

// Vault seals credential fields with the process key.
type Vault struct {
	box *secret.Box
}

// New returns a Vault over box.
func New(box *secret.Box) *Vault { return &Vault{box: box} }

// Box returns the underlying box (key rotation needs it).
func (v *Vault) Box() *secret.Box { return v.box }

// AAD is the additional data that binds a credential's ciphertext to its
// organization, integration and environment.
func AAD(orgID, integrationID int64, env string) string {
	return fmt.Sprintf("api_credentials:%d:%d:%s", orgID, integrationID, env)
}

// Seal encrypts fields for one credential row and returns the ciphertext
// and the sorted, comma-separated field names.
func (v *Vault) Seal(orgID, integrationID int64, env string, fields map[string]string) (sealed, names string, err error) {
	b, err := json.Marshal(fields)
	if err != nil {
		return "", "", fmt.Errorf("vault: %w", err)
	}
	sealed, err = v.box.Seal(b, AAD(orgID, integrationID, env))
	if err != nil {
		return "", "", err
	}
	return sealed, joinNames(fields), nil
}

// Open decrypts a credential's fields.
func (v *Vault) Open(c *models.Credential) (map[string]string, error) {
	pt, err := v.box.Open(c.Sealed, AAD(c.OrganizationID, c.IntegrationID, c.Environment))
	if err != nil {
		return nil, fmt.Errorf("vault: credential %d: %w", c.ID, err)
	}
	var fields map[string]string
	if err := json.Unmarshal(pt, &fields); err != nil {
		return nil, fmt.Errorf("vault: credential %d: %w", c.ID, err)
	}
	return fields, nil
}

// Masked returns every field of a credential masked for display.
func (v *Vault) Masked(c *models.Credential) (map[string]string, error) {
	fields, err := v.Open(c)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(fields))
	for k, val := range fields {
		out[k] = secret.Mask(val)
	}
	return out, nil
}

func joinNames(fields map[string]string) string {
	names := make([]string, 0, len(fields))
	for k := range fields {
		names = append(names, k)
	}
	sort.Strings(names)
	return strings.Join(names, ",")
}
