package models

import (
	"context"
	"slices"
	"strings"

	"switchboard/apperr"
)

// API key scopes.
const (
	ScopeExecuteRead  = "execute:read"
	ScopeExecuteWrite = "execute:write"
	ScopeRecordsRead  = "records:read"
	ScopeRecordsWrite = "records:write"
)

// AllScopes are every scope, the default of a new key.
var AllScopes = []string{ScopeExecuteRead, ScopeExecuteWrite, ScopeRecordsRead, ScopeRecordsWrite}

// ScopeList is the key's scopes (all of them when none were chosen).
func (k *APIKey) ScopeList() []string {
	if k.Scopes == "" {
		return AllScopes
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
// execute:read.
func (k *APIKey) HasScope(scope string) bool {
	have := k.ScopeList()
	return slices.Contains(have, scope) || (scope == ScopeExecuteRead && slices.Contains(have, ScopeExecuteWrite))
}

// AllowsIntegration reports whether the key may execute functions of slug.
func (k *APIKey) AllowsIntegration(slug string) bool {
	list := k.IntegrationList()
	return list == nil || slices.Contains(list, slug)
}

// SetAPIKeyScopes limits a key to scopes and integrations (empty: all).
// An unknown scope is refused naming the field scopes.
func (t *Tenant) SetAPIKeyScopes(ctx context.Context, id int64, scopes, integrations []string) (*APIKey, error) {
	scopes, integrations = cleanList(scopes), cleanList(integrations)
	for _, s := range scopes {
		if !slices.Contains(AllScopes, s) {
			return nil, apperr.Validation(apperr.FieldError{Field: "scopes", Message: "unknown scope " + s + "; use " + strings.Join(AllScopes, ", ")})
		}
	}
	res, err := t.updateQ((*APIKey)(nil)).Set("scopes = ?", strings.Join(scopes, ",")).
		Set("integrations = ?", strings.Join(integrations, ",")).Set("updated_at = ?", t.now()).
		Where("k.id = ?", id).Exec(ctx)
	if err := mustAffect(res, err, "API key"); err != nil {
		return nil, wrap("scope api key", err)
	}
	return t.APIKey(ctx, id)
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
