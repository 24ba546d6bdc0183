package syncer

import (
	"context"
	"time"

	"switchboard/clock"
	"switchboard/integrations/definition"
	"switchboard/models"
)

// SystemBusy asks every enabled configuration that pushes appointments and
// whose definition names sync.appointment.busy (a calendar's free/busy)
// for its busy times between from and to.
func (m *Manager) SystemBusy(ctx context.Context, orgID int64, from, to time.Time) ([]clock.Span, error) {
	cfgs, err := m.store.Tenant(orgID).EnabledSyncConfigs(ctx)
	if err != nil {
		return nil, err
	}
	var out []clock.Span
	for i := range cfgs {
		if !cfgs[i].Pushes(definition.EntityAppointment, models.OpCreate) {
			continue
		}
		tg, err := m.target(ctx, orgID, &cfgs[i], definition.EntityAppointment)
		if err != nil {
			return nil, err
		}
		if tg.mapping.Busy == "" {
			continue
		}
		spans, err := m.systemBusy(ctx, orgID, tg, from, to)
		if err != nil {
			return nil, err
		}
		out = append(out, spans...)
	}
	return out, nil
}

// systemBusy runs one target's busy function and collects every
// {start, end} of its answer.
func (m *Manager) systemBusy(ctx context.Context, orgID int64, tg *target, from, to time.Time) ([]clock.Span, error) {
	ce, err := tg.endpoint(tg.mapping.Busy)
	if err != nil {
		return nil, err
	}
	params := tg.withDefaults(map[string]any{"timeMin": from.UTC().Format(time.RFC3339), "timeMax": to.UTC().Format(time.RFC3339)})
	if params["calendarId"] == nil {
		params["calendarId"] = "primary"
	}
	req := tg.request(orgID, tg.mapping.Busy, forEndpoint(ce, params), 0)
	req.Caller = callerSlots
	res, err := m.exec.Execute(ctx, req)
	defer res.Release()
	if err != nil {
		return nil, err
	}
	var out []clock.Span
	collectSpans(res.Data, &out)
	return out, nil
}

// collectSpans walks an answer for objects with RFC 3339 start and end.
func collectSpans(v any, out *[]clock.Span) {
	switch x := v.(type) {
	case map[string]any:
		s, ok1 := x["start"].(string)
		e, ok2 := x["end"].(string)
		if ok1 && ok2 {
			start, err1 := time.Parse(time.RFC3339, s)
			end, err2 := time.Parse(time.RFC3339, e)
			if err1 == nil && err2 == nil && end.After(start) {
				*out = append(*out, clock.Span{Start: start, End: end})
			}
			return
		}
		for _, c := range x {
			collectSpans(c, out)
		}
	case []any:
		for _, c := range x {
			collectSpans(c, out)
		}
	}
}
