package models

import (
	"context"
	"encoding/binary"
	"hash/fnv"
	"slices"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"
	"github.com/uptrace/bun/dialect/pgdialect"

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
// Called in the write's transaction (the write path calls it last, after
// the appointment's row is written: the appointment itself is left out),
// the check and the write are one step under concurrency: on PostgreSQL the
// transaction first takes a lock per provider and per operatory and per
// half hour the appointment covers (held until it ends), so a second
// booking that would overlap it waits and then sees the first; SQLite runs
// one write transaction at a time (it takes the write lock at BEGIN).
// Outside a transaction it only checks.
func (t *Tenant) ClaimSlot(ctx context.Context, a *Appointment) error {
	if a.Status == StatusCancelled || (a.ProviderRef == "" && a.OperatoryRef == "") {
		return nil
	}
	org, err := t.Organization(ctx)
	if err != nil || org.AllowOverlaps {
		return err
	}
	if err := t.lockSlots(ctx, a); err != nil {
		return err
	}
	b, err := t.firstOverlap(ctx, a)
	if err != nil || b == nil {
		return err
	}
	what := "operatory " + a.OperatoryRef
	if a.ProviderRef != "" && b.ProviderRef == a.ProviderRef {
		what = "provider " + a.ProviderRef
	}
	z := org.Zone()
	return apperr.SlotTaken(b.ID, "appointment %d of %s is booked from %s to %s", b.ID, what,
		z.FormatPage(b.Start), z.In(b.End).Format("15:04 MST"))
}

// slotLockSpan is the stretch of time one slot lock covers. Two
// appointments that overlap share an instant, so they share the lock of
// the stretch that holds it and queue behind each other; two bookings of
// one provider at different times take different locks and commit side by
// side (with one lock per provider, every booking of a provider waited for
// the one before to commit, its WAL flush included).
const slotLockSpan = 30 * time.Minute

// lockSlots takes, on PostgreSQL inside a transaction, the transaction's
// advisory locks of a's provider and operatory (the empty ones are not
// locked) for every half hour [a.Start, a.End) touches, in one statement
// and in the order of their keys, so that two transactions never wait on
// each other crosswise.
func (t *Tenant) lockSlots(ctx context.Context, a *Appointment) error {
	if _, inTx := t.db.(bun.Tx); !inTx || t.db.Dialect().Name() != dialect.PG {
		return nil
	}
	keys := slotLockKeys(t.orgID, a)
	if len(keys) == 0 {
		return nil
	}
	const lock = "SELECT pg_advisory_xact_lock(k) FROM (SELECT DISTINCT unnest(?::bigint[]) AS k ORDER BY k) AS ks"
	var err error
	if t.prep != nil {
		_, err = t.prep.exec(ctx, t.db, lock, keys)
	} else {
		_, err = t.db.ExecContext(ctx, lock, pgdialect.Array(keys))
	}
	return wrap("lock the slot", err)
}

// slotLockKeys are the lock keys of a's provider and operatory for each
// stretch of slotLockSpan that [a.Start, a.End) touches (an empty end
// counts as the start's stretch), sorted.
func slotLockKeys(orgID int64, a *Appointment) []int64 {
	first := a.Start.UTC().Truncate(slotLockSpan)
	last := first
	if a.End.After(a.Start) {
		last = a.End.Add(-time.Nanosecond).UTC().Truncate(slotLockSpan)
	}
	var keys []int64
	for at := first; !at.After(last); at = at.Add(slotLockSpan) {
		if a.ProviderRef != "" {
			keys = append(keys, slotLockKey(orgID, "provider", a.ProviderRef, at))
		}
		if a.OperatoryRef != "" {
			keys = append(keys, slotLockKey(orgID, "operatory", a.OperatoryRef, at))
		}
	}
	slices.Sort(keys)
	return slices.Compact(keys)
}

// slotLockKey is the advisory lock key of one provider's or operatory's
// stretch of time starting at from, in an organization: a 64-bit hash (two
// that collide only queue behind each other).
func slotLockKey(orgID int64, kind, ref string, from time.Time) int64 {
	h := fnv.New64a()
	var buf [8]byte
	h.Write([]byte("switchboard.slot\x00"))
	binary.BigEndian.PutUint64(buf[:], uint64(orgID))
	h.Write(buf[:])
	h.Write([]byte(kind + "\x00" + ref + "\x00"))
	binary.BigEndian.PutUint64(buf[:], uint64(from.Unix()))
	h.Write(buf[:])
	return int64(h.Sum64())
}

// firstOverlap is the first appointment in a's way, nil when none.
func (t *Tenant) firstOverlap(ctx context.Context, a *Appointment) (*Appointment, error) {
	if t.prep != nil {
		return t.firstOverlapPrepared(ctx, a)
	}
	busy, err := t.OverlappingAppointments(ctx, a.Start, a.End, a.ProviderRef, a.OperatoryRef, a.ID)
	if err != nil || len(busy) == 0 {
		return nil, err
	}
	return &busy[0], nil
}
