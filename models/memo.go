package models

import (
	"context"
	"slices"
	"sync"
)

// readMemo keeps, for the length of one request, the rows a write reads
// several times: the organization (zone, allow_overlaps: read by the
// records service, the check before accepting, the route and the slot
// claim) and the enabled sync configurations (the check and the route).
// It lives in the request's context only, so nothing is ever stale across
// requests or processes.
type readMemo struct {
	mu   sync.Mutex
	orgs map[int64]Organization
	cfgs map[int64][]SyncConfig
}

type memoKey struct{}

// WithReadMemo returns ctx with a memo of the organization and its
// enabled sync configurations: Tenant.Organization and
// Tenant.EnabledSyncConfigs read each once under it. A write's entry
// point (the records service) installs it; a ctx that has one keeps it.
func WithReadMemo(ctx context.Context) context.Context {
	if _, ok := ctx.Value(memoKey{}).(*readMemo); ok {
		return ctx
	}
	return context.WithValue(ctx, memoKey{}, &readMemo{orgs: map[int64]Organization{}, cfgs: map[int64][]SyncConfig{}})
}

func memoOf(ctx context.Context) *readMemo {
	m, _ := ctx.Value(memoKey{}).(*readMemo)
	return m
}

// org returns a copy of the memoized organization.
func (m *readMemo) org(id int64) (*Organization, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	o, ok := m.orgs[id]
	return &o, ok
}

func (m *readMemo) setOrg(o *Organization) {
	m.mu.Lock()
	m.orgs[o.ID] = *o
	m.mu.Unlock()
}

// configs returns a copy of the memoized configurations.
func (m *readMemo) configs(orgID int64) ([]SyncConfig, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	cs, ok := m.cfgs[orgID]
	return slices.Clone(cs), ok
}

func (m *readMemo) setConfigs(orgID int64, cs []SyncConfig) {
	m.mu.Lock()
	m.cfgs[orgID] = slices.Clone(cs)
	m.mu.Unlock()
}

// forget drops what the memo holds of an organization (it changed).
func (m *readMemo) forget(orgID int64) {
	if m == nil {
		return
	}
	m.mu.Lock()
	delete(m.orgs, orgID)
	delete(m.cfgs, orgID)
	m.mu.Unlock()
}
