package models

import (
	"context"
	"slices"
	"sync"
	"time"
)

// readMemo keeps, for the length of one request, the rows a write reads
// several times: the organization (zone, allow_overlaps: read by the
// records service, the check before accepting, the route and the slot
// claim), the enabled sync configurations (the check, the reference lists'
// environment and the route) and the patients read (the check's
// parameters and the booking's patient check). It lives in the request's
// context only, so nothing is ever stale across requests or processes; a
// patient written under it is forgotten.
type readMemo struct {
	mu   sync.Mutex
	orgs map[int64]Organization
	cfgs map[int64][]SyncConfig
	pats map[patientKey]Patient
}

type patientKey struct{ org, id int64 }

type memoKey struct{}

// WithReadMemo returns ctx with a memo of the organization and its
// enabled sync configurations: Tenant.Organization and
// Tenant.EnabledSyncConfigs read each once under it. A write's entry
// point (the records service) installs it; a ctx that has one keeps it.
func WithReadMemo(ctx context.Context) context.Context {
	if _, ok := ctx.Value(memoKey{}).(*readMemo); ok {
		return ctx
	}
	return context.WithValue(ctx, memoKey{}, &readMemo{orgs: map[int64]Organization{}, cfgs: map[int64][]SyncConfig{}, pats: map[patientKey]Patient{}})
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

// patient returns a copy of a memoized patient.
func (m *readMemo) patient(orgID, id int64) (*Patient, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	p, ok := m.pats[patientKey{orgID, id}]
	return &p, ok
}

func (m *readMemo) setPatient(orgID int64, p *Patient) {
	m.mu.Lock()
	m.pats[patientKey{orgID, p.ID}] = *p
	m.mu.Unlock()
}

// forgetPatient drops a patient written under the memo.
func (m *readMemo) forgetPatient(orgID, id int64) {
	if m == nil {
		return
	}
	m.mu.Lock()
	delete(m.pats, patientKey{orgID, id})
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

// sharedReadTTL is how long a write path trusts the organization and sync
// configurations another request of this process read: changes made in
// this process forget them at once (UpdateOrganization, SaveSyncConfig,
// DeleteSyncConfig, DeleteIntegration, SetIntegrationEnabled); a change
// made by another process sharing the database is seen within it.
const sharedReadTTL = time.Second

// sharedReads are the rows a write path read lately, shared by the
// requests of the process (only through a read memo, so only the write
// paths of the records service use them).
type sharedReads struct {
	mu   sync.Mutex
	orgs map[int64]sharedOrg
	cfgs map[int64]sharedCfgs
	// forgot is when an organization's rows last changed here: a read
	// that began before is not kept.
	forgot map[int64]time.Time
}

type sharedOrg struct {
	o  Organization
	at time.Time
}

type sharedCfgs struct {
	cs []SyncConfig
	at time.Time
}

func newSharedReads() *sharedReads {
	return &sharedReads{orgs: map[int64]sharedOrg{}, cfgs: map[int64]sharedCfgs{}, forgot: map[int64]time.Time{}}
}

func (r *sharedReads) org(id int64) (Organization, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	e, ok := r.orgs[id]
	return e.o, ok && time.Since(e.at) < sharedReadTTL
}

func (r *sharedReads) setOrg(o *Organization, at time.Time) {
	r.mu.Lock()
	if at.After(r.forgot[o.ID]) {
		r.orgs[o.ID] = sharedOrg{o: *o, at: at}
	}
	r.mu.Unlock()
}

func (r *sharedReads) configs(orgID int64) ([]SyncConfig, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	e, ok := r.cfgs[orgID]
	return slices.Clone(e.cs), ok && time.Since(e.at) < sharedReadTTL
}

func (r *sharedReads) setConfigs(orgID int64, cs []SyncConfig, at time.Time) {
	r.mu.Lock()
	if at.After(r.forgot[orgID]) {
		r.cfgs[orgID] = sharedCfgs{cs: slices.Clone(cs), at: at}
	}
	r.mu.Unlock()
}

// forget drops what is kept of an organization.
func (r *sharedReads) forget(orgID int64) {
	if r == nil {
		return
	}
	r.mu.Lock()
	delete(r.orgs, orgID)
	delete(r.cfgs, orgID)
	r.forgot[orgID] = time.Now()
	r.mu.Unlock()
}

// forgetReads drops what the request's memo and the process keep of the
// tenant's organization and sync configurations (they changed).
func (t *Tenant) forgetReads(ctx context.Context) {
	memoOf(ctx).forget(t.orgID)
	t.reads.forget(t.orgID)
}
