package records

import (
	"context"
	"slices"
	"strconv"

	"switchboard/accounts"
	"switchboard/clock"
	"switchboard/integrations/syncer"
	"switchboard/models"
)

// The audit log's target types of records.
const (
	TargetPatient     = "patient"
	TargetAppointment = "appointment"
)

// UseAudit makes the service audit every record change (create, move,
// cancel, edit, delete) with who did it and through which door, as the
// request's context names them (accounts.WithActor).
func (s *Service) UseAudit(a *accounts.Audit) { s.audit = a }

// audited returns steps and, when the service audits, one more last step
// that writes the audit entry of the change inside the change's own
// transaction (so a change is never saved without its entry, and no second
// commit is paid for it): the actor of ctx (or "system" when none, e.g. an
// inbound change), the door, and the changed fields as
// {"changed": [...], field: {"from", "to"}} in words. entry runs in the
// transaction, once the record's id is known; an empty action writes
// nothing (nothing changed).
func (s *Service) audited(ctx context.Context, steps []syncer.LastStep, typ string, entry func() (accounts.Action, int64, map[string]any)) []syncer.LastStep {
	if s.audit == nil {
		return steps
	}
	actor, ok := accounts.ActorFrom(ctx)
	if !ok {
		actor = accounts.Actor{Name: "system"}
	}
	return append(slices.Clip(steps), func(ctx context.Context, tx *models.Tenant, _ []syncer.State) error {
		action, id, details := entry()
		if action == "" {
			return nil
		}
		return s.audit.RecordIn(ctx, tx, actor, action, accounts.TargetOf(typ, id), details)
	})
}

// fieldChanges lists what differs between before and after (before nil:
// every field after sets), in words: times in the practice's zone.
func fieldChanges[R any](fields []models.Field[R], before, after *R, zone clock.Zone) map[string]any {
	var changed []string
	out := map[string]any{}
	for _, f := range fields {
		to := fieldWords(f, after, zone)
		from := ""
		if before != nil {
			from = fieldWords(f, before, zone)
		}
		if from == to {
			continue
		}
		changed = append(changed, f.Name)
		out[f.Name] = map[string]any{"from": from, "to": to}
	}
	if len(changed) == 0 {
		return nil
	}
	out["changed"] = changed
	return out
}

// fieldWords is a field's value as a person reads it.
func fieldWords[R any](f models.Field[R], r *R, zone clock.Zone) string {
	switch {
	case f.Text != nil:
		return *f.Text(r)
	case f.Time != nil:
		t := *f.Time(r)
		if t.IsZero() {
			return ""
		}
		return zone.In(t).Format("2 Jan 2006 15:04")
	case f.Int != nil:
		if *f.Int(r) == 0 {
			return ""
		}
		return strconv.Itoa(*f.Int(r))
	case f.ID != nil:
		if *f.ID(r) == 0 {
			return ""
		}
		return "#" + strconv.FormatInt(*f.ID(r), 10)
	}
	return ""
}

// zoneOf is the organization's zone (UTC when it cannot be read).
func (s *Service) zoneOf(ctx context.Context, orgID int64) clock.Zone {
	org, err := s.store.Tenant(orgID).Organization(ctx)
	if err != nil {
		return clock.UTC()
	}
	return org.Zone()
}

// History is a record's audit entries, newest first.
func (s *Service) History(ctx context.Context, orgID int64, typ string, id int64) ([]models.AuditEntry, error) {
	return s.store.Tenant(orgID).AuditEntries(ctx, models.AuditFilter{TargetType: typ, TargetID: strconv.FormatInt(id, 10), Limit: 100})
}
