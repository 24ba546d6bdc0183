package models

import (
	"context"
	"slices"
	"strings"

	"switchboard/apperr"
)

// API key scopes. The admin scopes mean something only on admin keys (an
// agent key never reaches the admin API); credentials:write changes,
// deletes and tests stored credentials (Test Connection sends them
// upstream).
const (
	ScopeExecuteRead      = "execute:read"
	ScopeExecuteWrite     = "execute:write"
	ScopeRecordsRead      = "records:read"
	ScopeRecordsWrite     = "records:write"
	ScopeAdminRead        = "admin:read"
	ScopeAdminWrite       = "admin:write"
	ScopeCredentialsWrite = "credentials:write"
)

// AgentScopes are the scopes of the agent API, the default of an agent key.
var AgentScopes = []string{ScopeExecuteRead, ScopeExecuteWrite, ScopeRecordsRead, ScopeRecordsWrite}

// AdminScopes are the scopes of the admin API.
var AdminScopes = []string{ScopeAdminRead, ScopeAdminWrite, ScopeCredentialsWrite}

// AllScopes are every scope, the default of an admin key.
var AllScopes = append(slices.Clone(AgentScopes), AdminScopes...)

// DefaultScopes are the scopes of a key of role that chose none.
func DefaultScopes(role string) []string {
	if role == KeyRoleAdmin {
		return AllScopes
	}
	return AgentScopes
}

// ScopeList is the key's scopes (its role's default when none were chosen).
func (k *APIKey) ScopeList() []string {
	if k.Scopes == "" {
		return DefaultScopes(k.Role)
	}
	return strings.Split(k.Scopes, ",")
}

// IntegrationList is the integrations the key may execute; nil means all.
func (k *APIKey) IntegrationList() []string {
	if k.Integrations == "" {
		return nil
	}
	return strings.Split(k.Integrations, ",")
}

// HasScope reports whether the key holds scope; execute:write includes
// execute:read, admin:write includes admin:read.
func (k *APIKey) HasScope(scope string) bool {
	have := k.ScopeList()
	return slices.Contains(have, scope) || (scope == ScopeExecuteRead && slices.Contains(have, ScopeExecuteWrite)) ||
		(scope == ScopeAdminRead && slices.Contains(have, ScopeAdminWrite))
}

// AllowsIntegration reports whether the key may execute functions of slug.
func (k *APIKey) AllowsIntegration(slug string) bool {
	list := k.IntegrationList()
	return list == nil || slices.Contains(list, slug)
}

// SetAPIKeyScopes limits a key to scopes and integrations (empty: all).
// An unknown scope is refused naming the field scopes; every scope of the
// key's role is stored as none chosen (the role's default).
func (t *Tenant) SetAPIKeyScopes(ctx context.Context, id int64, scopes, integrations []string) (*APIKey, error) {
	scopes, integrations = cleanList(scopes), cleanList(integrations)
	for _, s := range scopes {
		if !slices.Contains(AllScopes, s) {
			return nil, apperr.Validation(apperr.FieldError{Field: "scopes", Message: "unknown scope " + s + "; use " + strings.Join(AllScopes, ", ")})
		}
	}
	key, err := t.APIKey(ctx, id)
	if err != nil {
		return nil, err
	}
	if holdsAll(scopes, DefaultScopes(key.Role)) {
		scopes = nil
	}
	res, err := t.updateQ((*APIKey)(nil)).Set("scopes = ?", strings.Join(scopes, ",")).
		Set("integrations = ?", strings.Join(integrations, ",")).Set("updated_at = ?", t.now()).
		Where("k.id = ?", id).Exec(ctx)
	if err := mustAffect(res, err, "API key"); err != nil {
		return nil, wrap("scope api key", err)
	}
	return t.APIKey(ctx, id)
}

// holdsAll reports whether have holds every scope of want.
func holdsAll(have, want []string) bool {
	for _, w := range want {
		if !slices.Contains(have, w) {
			return false
		}
	}
	return true
}

// cleanList trims the items, drops empty ones and duplicates, and sorts.
func cleanList(items []string) []string {
	out := make([]string, 0, len(items))
	for _, it := range items {
		if it = strings.TrimSpace(it); it != "" && !slices.Contains(out, it) {
			out = append(out, it)
		}
	}
	slices.Sort(out)
	return out
}

// FunctionScope is the scope a key needs to run a function of an
// integration: execute:write when it writes, execute:read otherwise.
func FunctionScope(writes bool) string {
	if writes {
		return ScopeExecuteWrite
	}
	return ScopeExecuteRead
}
