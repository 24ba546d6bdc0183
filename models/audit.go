package models

import (
	"context"
	"encoding/json"
	"time"
)

// AuditEvent is what a caller records; the store fills the rest. The
// actions are declared in the accounts package, which writes the log.
type AuditEvent struct {
	OrganizationID *int64
	ActorUserID    *int64
	Actor          string
	Action         string
	TargetType     string
	TargetID       string
	// Details are stored as JSON. Never put secret values here.
	Details   map[string]any
	IP        string
	UserAgent string
	// Door is how a record change came in (page, api, mcp, booking).
	Door string
}

// WriteAudit appends an entry to the audit log.
func (s *Store) WriteAudit(ctx context.Context, ev AuditEvent) error {
	e, err := auditEntryOf(ev, s.now())
	if err != nil {
		return err
	}
	_, err = s.db.NewInsert().Model(e).Exec(ctx)
	return wrap("write audit log", err)
}

// WriteAudit appends an entry of the tenant's organization to the audit
// log on the tenant's connection: inside a write's transaction, so the
// entry commits with the change it records (its values sent as arguments,
// as the booking's other statements: see prepared).
func (t *Tenant) WriteAudit(ctx context.Context, ev AuditEvent) error {
	org := t.orgID
	ev.OrganizationID = &org
	e, err := auditEntryOf(ev, t.now())
	if err != nil {
		return err
	}
	if t.prep == nil {
		_, err = t.db.NewInsert().Model(e).Exec(ctx)
		return wrap("write audit log", err)
	}
	p := t.prep
	_, err = p.exec(ctx, t.db, insertAuditSQL, e.OrganizationID, e.ActorUserID, e.Actor, e.Action, e.TargetType, e.TargetID,
		e.Details, e.IP, e.UserAgent, e.Door, p.ts(e.CreatedAt), p.ts(e.UpdatedAt))
	return wrap("write audit log", err)
}

// auditEntryOf is the row of ev written at now.
func auditEntryOf(ev AuditEvent, now time.Time) (*AuditEntry, error) {
	var details string
	if len(ev.Details) > 0 {
		b, err := json.Marshal(ev.Details)
		if err != nil {
			return nil, wrap("encode audit details", err)
		}
		details = string(b)
	}
	return &AuditEntry{OrganizationID: ev.OrganizationID, ActorUserID: ev.ActorUserID, Actor: truncate(ev.Actor, 300),
		Action: ev.Action, TargetType: ev.TargetType, TargetID: ev.TargetID, Details: details,
		IP: truncate(ev.IP, 64), UserAgent: truncate(ev.UserAgent, 300), Door: truncate(ev.Door, 20), CreatedAt: now, UpdatedAt: now}, nil
}

// AuditFilter narrows the audit log.
type AuditFilter struct {
	Action string
	Actor  string
	// TargetType and TargetID narrow to one kind of record, or one record.
	TargetType string
	TargetID   string
	// Door narrows to changes that came in through one door.
	Door string
	From time.Time
	To   time.Time
	// BeforeID pages backwards: entries older than this id.
	BeforeID int64
	Limit    int
}

// AuditEntries lists the organization's audit log, newest first.
func (t *Tenant) AuditEntries(ctx context.Context, f AuditFilter) ([]AuditEntry, error) {
	var es []AuditEntry
	q := t.selectQ(&es).OrderExpr("a.id DESC")
	if f.Action != "" {
		q = q.Where("a.action = ?", f.Action)
	}
	if f.Actor != "" {
		q = q.Where("LOWER(a.actor) LIKE ?", "%"+escapeLike(f.Actor)+"%")
	}
	if f.TargetType != "" {
		q = q.Where("a.target_type = ?", f.TargetType)
	}
	if f.TargetID != "" {
		q = q.Where("a.target_id = ?", f.TargetID)
	}
	if f.Door != "" {
		q = q.Where("a.door = ?", f.Door)
	}
	if !f.From.IsZero() {
		q = q.Where("a.created_at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		q = q.Where("a.created_at < ?", f.To.UTC())
	}
	if f.BeforeID > 0 {
		q = q.Where("a.id < ?", f.BeforeID)
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	err := q.Limit(int64(limit)).Scan(ctx)
	return es, wrap("list audit log", err)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
