package handlers

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"switchboard/clock"
	"switchboard/models"
	"switchboard/records"
	"switchboard/views/pages"
)

// auditWords renders an audit entry's details for people: the changed
// fields as "start: 10 Dec 2026 09:00 → 10 Dec 2026 10:00", other details
// as "key: value", never raw JSON.
func auditWords(raw string) string {
	if raw == "" {
		return ""
	}
	var d map[string]any
	if json.Unmarshal([]byte(raw), &d) != nil {
		return raw
	}
	var parts []string
	if changed, ok := d["changed"].([]any); ok {
		for _, f := range changed {
			name, _ := f.(string)
			parts = append(parts, changeWords(name, d[name]))
			delete(d, name)
		}
		delete(d, "changed")
	}
	keys := make([]string, 0, len(d))
	for k := range d {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		parts = append(parts, strings.ReplaceAll(k, "_", " ")+": "+valueWords(d[k]))
	}
	return strings.Join(parts, "; ")
}

// changeWords is one changed field: "name: from → to", or "name: to" when
// it had no value before.
func changeWords(name string, v any) string {
	label := strings.ReplaceAll(name, "_", " ")
	m, ok := v.(map[string]any)
	if !ok {
		return label + ": " + valueWords(v)
	}
	from, to := valueWords(m["from"]), valueWords(m["to"])
	switch {
	case from == "":
		return label + ": " + to
	case to == "":
		return label + ": " + from + " → (removed)"
	}
	return label + ": " + from + " → " + to
}

// valueWords is a detail's value as text: a stored name such as
// dual_write as dual-write, a list as its items, a change {from, to} as
// "from → to".
func valueWords(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		if identifier.MatchString(x) {
			return strings.ReplaceAll(x, "_", "-")
		}
		return x
	case bool:
		if x {
			return "on"
		}
		return "off"
	case float64:
		return fmt.Sprint(x)
	case []any:
		items := make([]string, len(x))
		for i, it := range x {
			items[i] = valueWords(it)
		}
		return strings.Join(items, ", ")
	case map[string]any:
		if from, to, ok := fromTo(x); ok {
			return valueWords(from) + " → " + valueWords(to)
		}
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// fromTo reads a change stored as {"from": …, "to": …}.
func fromTo(m map[string]any) (from, to any, ok bool) {
	from, hasFrom := m["from"]
	to, hasTo := m["to"]
	return from, to, hasFrom && hasTo && len(m) == 2
}

// identifier is a stored name such as dual_write, shown as dual-write.
var identifier = regexp.MustCompile(`^[a-z]+(_[a-z]+)+$`)

// doorWords names a door for people.
func doorWords(door string) string {
	switch door {
	case "page":
		return "admin pages"
	case "api":
		return "API"
	case "mcp":
		return "MCP (agent)"
	case "booking":
		return "booking API"
	}
	return door
}

// historyRows are a record's audit entries as its page shows them.
func historyRows(ctx context.Context, svc *records.Service, orgID int64, typ string, id int64, zone clock.Zone) ([]pages.AuditRow, error) {
	es, err := svc.History(ctx, orgID, typ, id)
	if err != nil {
		return nil, err
	}
	return auditRows(es, zone), nil
}

// auditRows are audit entries in words.
func auditRows(es []models.AuditEntry, zone clock.Zone) []pages.AuditRow {
	out := make([]pages.AuditRow, 0, len(es))
	for _, e := range es {
		target := e.TargetType
		if e.TargetID != "" {
			target += " #" + e.TargetID
		}
		out = append(out, pages.AuditRow{When: zone.FormatPage(e.CreatedAt), Actor: e.Actor, Action: e.Action, Target: target,
			Details: auditWords(e.Details), IP: e.IP, Door: doorWords(e.Door)})
	}
	return out
}
