// Package nulbyte finds NUL bytes in decoded input. No database stores them in
// text (PostgreSQL refuses them, SQLite cuts or trips over them), so every
// entrance refuses them up front, naming the place.
package nulbyte

import (
	"slices"
	"strconv"
	"strings"
)

// Path is the place of a value inside a decoded document: object keys
// (string) and list positions (int), from the root.
type Path []any

// Dot writes the path with dots, list positions as numbers ("items.0.name"),
// as the product's dot paths are written; NUL bytes in keys show as \0.
func (p Path) Dot() string {
	parts := make([]string, len(p))
	for i, seg := range p {
		switch s := seg.(type) {
		case int:
			parts[i] = strconv.Itoa(s)
		case string:
			parts[i] = strings.ReplaceAll(s, "\x00", `\0`)
		}
	}
	return strings.Join(parts, ".")
}

// In reports whether s holds a NUL byte.
func In(s string) bool { return strings.IndexByte(s, 0) >= 0 }

// Find walks a value decoded from JSON or YAML into any (objects as
// map[string]any, lists as []any) and returns the path of the first string
// or key holding a NUL byte, keys in sorted order so the answer is stable.
func Find(v any) (Path, bool) {
	return find(nil, v)
}

func find(at Path, v any) (Path, bool) {
	switch t := v.(type) {
	case string:
		return at, In(t)
	case []any:
		for i, item := range t {
			if p, ok := find(append(slices.Clip(at), i), item); ok {
				return p, true
			}
		}
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			here := append(slices.Clip(at), k)
			if In(k) {
				return here, true
			}
			if p, ok := find(here, t[k]); ok {
				return p, true
			}
		}
	}
	return nil, false
}
