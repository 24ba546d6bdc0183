package nulbyte

import "testing"

func TestFind(t *testing.T) {
	cases := []struct {
		name string
		v    any
		want string
		ok   bool
	}{
		{"a clean document has none", map[string]any{"a": []any{"x", 1.0, map[string]any{"b": "y"}}}, "", false},
		{"a top-level string", map[string]any{"first_name": "Ann\x00"}, "first_name", true},
		{"a nested list item", map[string]any{"params": map[string]any{"ids": []any{"1", "2\x00"}}}, "params.ids.1", true},
		{"a key", map[string]any{"ok": "1", "b\x00d": "2"}, `b\0d`, true},
		{"a bare string", "\x00", "", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, ok := Find(tc.v)
			if ok != tc.ok || p.Dot() != tc.want {
				t.Errorf("Find = %q, %v; want %q, %v", p.Dot(), ok, tc.want, tc.ok)
			}
		})
	}
}
