package syncer

import (
	"context"
	"strings"
	"time"

	"switchboard/clock"
	"switchboard/integrations/definition"
)

// SlotQuery is what availability asks the practice systems: the days
// (practice time, to inclusive), the length and the provider and operatory.
type SlotQuery struct {
	From, To        string
	DurationMinutes int
	ProviderRef     string
	OperatoryRef    string
}

// SystemSlots asks every enabled sync configuration whose definition names
// sync.appointment.slots for its free slots. asked is false when none
// does; otherwise the spans are each system's slots (a free time must lie
// inside a slot of every system asked, so the lists are returned per
// system).
func (m *Manager) SystemSlots(ctx context.Context, orgID int64, q SlotQuery) (perSystem [][]clock.Span, asked bool, err error) {
	cfgs, err := m.store.Tenant(orgID).EnabledSyncConfigs(ctx)
	if err != nil {
		return nil, false, err
	}
	for i := range cfgs {
		tg, err := m.target(ctx, orgID, &cfgs[i], definition.EntityAppointment)
		if err != nil {
			return nil, false, err
		}
		if tg.mapping.Slots == "" {
			continue
		}
		spans, err := m.systemSlots(ctx, orgID, tg, q)
		if err != nil {
			return nil, true, err
		}
		perSystem, asked = append(perSystem, spans), true
	}
	return perSystem, asked, nil
}

// systemSlots runs one target's slots function and reads its answer.
func (m *Manager) systemSlots(ctx context.Context, orgID int64, tg *target, q SlotQuery) ([]clock.Span, error) {
	ce, err := tg.endpoint(tg.mapping.Slots)
	if err != nil {
		return nil, err
	}
	params := map[string]any{"from": q.From, "to": q.To, "duration_minutes": q.DurationMinutes}
	if q.ProviderRef != "" {
		params["provider_ref"] = q.ProviderRef
	}
	if q.OperatoryRef != "" {
		params["operatory_ref"] = q.OperatoryRef
	}
	req := tg.request(orgID, tg.mapping.Slots, forEndpoint(ce, params), 0)
	req.Caller = callerSlots
	res, err := m.exec.Execute(ctx, req)
	defer res.Release()
	if err != nil {
		return nil, err
	}
	zone := clock.UTC()
	if z, zerr := clock.LoadZone(tg.entry.Compiled.ZoneFor(tg.zone).String()); zerr == nil {
		zone = z
	}
	var out []clock.Span
	for _, item := range items(res.Data) {
		if !sameRef(item["provider_ref"], q.ProviderRef) || !sameRef(item["operatory_ref"], q.OperatoryRef) {
			continue
		}
		start, ok1 := slotTime(zone, item["start"])
		end, ok2 := slotTime(zone, item["end"])
		if ok1 && ok2 && end.After(start) {
			out = append(out, clock.Span{Start: start, End: end})
		}
	}
	return out, nil
}

// sameRef reports whether an answered reference agrees with the one asked
// for (an answer without one, or a question without one, agrees).
func sameRef(v any, want string) bool {
	got := scalar(v)
	return want == "" || got == "" || got == want
}

// slotTime reads a slot's date-time: RFC 3339, or a local date-time
// (2006-01-02 15:04:05 or with a T) in the upstream's zone.
func slotTime(z clock.Zone, v any) (time.Time, bool) {
	s := strings.TrimSpace(text(v))
	if len(s) > 10 && s[10] == ' ' {
		s = s[:10] + "T" + s[11:]
	}
	t, err := z.Parse(s)
	return t, err == nil
}
