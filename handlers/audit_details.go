package handlers

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// identifier is a stored name such as dual_write, shown as dual-write.
var identifier = regexp.MustCompile(`^[a-z]+(_[a-z]+)+$`)

// auditDetails says an audit entry's details (stored as JSON) in words:
// "direction: dual-write → bidirectional; fields changed: email, phone",
// not the raw JSON. Details that are not an object are shown as stored.
func auditDetails(raw string) string {
	var m map[string]any
	if raw == "" || json.Unmarshal([]byte(raw), &m) != nil {
		return raw
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, strings.ReplaceAll(k, "_", " ")+": "+detailValue(m[k]))
	}
	return strings.Join(parts, "; ")
}

// detailValue says one value: a change {from, to} as "from → to", a list
// as its items, a name like dual_write as dual-write.
func detailValue(v any) string {
	switch v := v.(type) {
	case string:
		if identifier.MatchString(v) {
			return strings.ReplaceAll(v, "_", "-")
		}
		return v
	case []any:
		items := make([]string, len(v))
		for i, it := range v {
			items[i] = detailValue(it)
		}
		return strings.Join(items, ", ")
	case map[string]any:
		from, hasFrom := v["from"]
		to, hasTo := v["to"]
		if hasFrom && hasTo && len(v) == 2 {
			return detailValue(from) + " → " + detailValue(to)
		}
		b, _ := json.Marshal(v)
		return string(b)
	case nil:
		return "none"
	case float64:
		return fmt.Sprint(v)
	}
	return fmt.Sprint(v)
}
