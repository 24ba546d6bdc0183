package models

import (
	"context"
	"encoding/binary"
	"hash/fnv"
	"slices"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"

	"switchboard/apperr"
)

// MaxAppointmentSpan is the longest an appointment lasts (records
// validate 1 to 1440 minutes; inbound changes are held to it too), so the
// overlap query reads only appointments starting less than this before
// the interval instead of every earlier one.
const MaxAppointmentSpan = 24 * time.Hour

// OverlappingAppointments lists the organization's appointments that are
// not cancelled, overlap the interval [start, end) and have the provider
// or the operatory given (an empty one matches nothing), earliest first.
// excludeID (0 for none) is left out: an appointment never overlaps itself.
func (t *Tenant) OverlappingAppointments(ctx context.Context, start, end time.Time, provider, operatory string, excludeID int64) ([]Appointment, error) {
	if provider == "" && operatory == "" {
		return nil, nil
	}
	var as []Appointment
	q := t.selectQ(&as).Where("ap.status <> ?", StatusCancelled).
		Where("ap.start_at < ?", end.UTC()).Where("ap.start_at > ?", start.Add(-MaxAppointmentSpan).UTC()).
		Where("ap.end_at > ?", start.UTC()).
		WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			if provider != "" {
				q = q.WhereOr("ap.provider_ref = ?", provider)
			}
			if operatory != "" {
				q = q.WhereOr("ap.operatory_ref = ?", operatory)
			}
			return q
		})
	if excludeID > 0 {
		q = q.Where("ap.id <> ?", excludeID)
	}
	err := q.OrderExpr("ap.start_at ASC, ap.id ASC").Scan(ctx)
	return as, wrap("list overlapping appointments", err)
}

// ClaimSlot makes sure that a, about to be created or moved, overlaps no
// other appointment of its provider or operatory; otherwise it answers
// slot_taken naming the appointment in the way. A cancelled appointment
// holds no slot, and the organization's allow_overlaps turns the check off.
//
// Called in the write's transaction before the write, the check and the
// write are one step under concurrency: on PostgreSQL the transaction
// first takes a lock per provider and per operatory (held until it ends),
// so a second booking of the slot waits and then sees the first; SQLite
// runs one write transaction at a time (it takes the write lock at BEGIN).
// Outside a transaction it only checks.
func (t *Tenant) ClaimSlot(ctx context.Context, a *Appointment) error {
	if a.Status == StatusCancelled || (a.ProviderRef == "" && a.OperatoryRef == "") {
		return nil
	}
	org, err := t.Organization(ctx)
	if err != nil || org.AllowOverlaps {
		return err
	}
	if err := t.lockSlots(ctx, a.ProviderRef, a.OperatoryRef); err != nil {
		return err
	}
	busy, err := t.OverlappingAppointments(ctx, a.Start, a.End, a.ProviderRef, a.OperatoryRef, a.ID)
	if err != nil || len(busy) == 0 {
		return err
	}
	b := busy[0]
	what := "operatory " + a.OperatoryRef
	if a.ProviderRef != "" && b.ProviderRef == a.ProviderRef {
		what = "provider " + a.ProviderRef
	}
	z := org.Zone()
	return apperr.SlotTaken(b.ID, "appointment %d of %s is booked from %s to %s", b.ID, what,
		z.FormatPage(b.Start), z.In(b.End).Format("15:04 MST"))
}

// lockSlots takes, on PostgreSQL inside a transaction, the transaction's
// advisory locks of the organization's provider and operatory (the empty
// ones are not locked), in the order of their keys so that two
// transactions never wait on each other crosswise.
func (t *Tenant) lockSlots(ctx context.Context, provider, operatory string) error {
	if _, inTx := t.db.(bun.Tx); !inTx || t.db.Dialect().Name() != dialect.PG {
		return nil
	}
	var keys []int64
	if provider != "" {
		keys = append(keys, slotLockKey(t.orgID, "provider", provider))
	}
	if operatory != "" {
		keys = append(keys, slotLockKey(t.orgID, "operatory", operatory))
	}
	slices.Sort(keys)
	for _, k := range slices.Compact(keys) {
		if _, err := t.db.ExecContext(ctx, "SELECT pg_advisory_xact_lock(?)", k); err != nil {
			return wrap("lock the slot", err)
		}
	}
	return nil
}

// slotLockKey is the advisory lock key of one provider's or operatory's
// slots in an organization: a 64-bit hash (two that collide only queue
// behind each other).
func slotLockKey(orgID int64, kind, ref string) int64 {
	h := fnv.New64a()
	var org [8]byte
	binary.BigEndian.PutUint64(org[:], uint64(orgID))
	h.Write([]byte("switchboard.slot\x00"))
	h.Write(org[:])
	h.Write([]byte(kind + "\x00" + ref))
	return int64(h.Sum64())
}
