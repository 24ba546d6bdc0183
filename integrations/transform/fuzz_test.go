package transform

import (
	"testing"
)

// FuzzCompile checks that no expression makes Compile or Apply panic.
func FuzzCompile(f *testing.F) {
	for _, seed := range []string{
		"", "trim", "trim|format_date:2006-01-02", "map:a=b,c=d", "repeat:X:5",
		"default:", "format_date:15:04|upper", "||", "map:=,=", "repeat:::0", "uper",
	} {
		f.Add(seed, "2026-03-01T09:00:00Z")
	}
	f.Fuzz(func(t *testing.T, expr, value string) {
		c, err := Compile(expr)
		if err != nil {
			return
		}
		if c.String() != expr {
			t.Errorf("String: got %q, want %q", c.String(), expr)
		}
		for _, v := range []any{value, nil, 30.0, true} {
			_, _ = c.Apply(v)
		}
	})
}

// FuzzCleanPhone checks that clean_phone is idempotent.
func FuzzCleanPhone(f *testing.F) {
	for _, seed := range []string{"(555) 123-4567", "+1 555 123 4567", "11234567890", "", "1", "+44 20 7946 0958", "١٢٣"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		once, err := cleanPhone(in)
		if err != nil {
			t.Fatalf("clean_phone(%q): %v", in, err)
		}
		twice, err := cleanPhone(once)
		if err != nil {
			t.Fatalf("clean_phone(%q): %v", once, err)
		}
		if once != twice {
			t.Errorf("clean_phone not idempotent: %q -> %q -> %q", in, once, twice)
		}
	})
}

// FuzzE164 checks that e164 is idempotent on what it accepts.
func FuzzE164(f *testing.F) {
	for _, seed := range []string{"(555) 123-4567", "+1 555 123 4567", "15551234567", "+442079460958", "+0", "+", ""} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		once, err := e164(in)
		if err != nil {
			return
		}
		twice, err := e164(once)
		if err != nil {
			t.Fatalf("e164(%q) = %q, which e164 refuses: %v", in, once, err)
		}
		if once != twice {
			t.Errorf("e164 not idempotent: %q -> %q -> %q", in, once, twice)
		}
	})
}

// roundTripLayouts are output layouts that format_date can read back: the
// input layouts and the usual spellings of them.
var roundTripLayouts = append([]string{
	"2006-01-02 15:04:05",
	"01/02/2006 03:04:05 PM",
	"01/02/2006",
	"01/02/2006 15:04",
	"2006-01-02T15:04:05Z07:00",
}, inputLayouts...)

// FuzzFormatDate checks that format_date never panics and that formatting
// its own output again with the same layout changes nothing.
func FuzzFormatDate(f *testing.F) {
	for i, seed := range []string{
		"2026-03-01T09:30:00-05:00", "2026-03-01", "03/01/2026 02:05:00 PM", "3/1/2026 2:05 pm",
		"20260301T093000Z", "March 1, 2026", "Sun, 01 Mar 2026 09:30:00 +0100", "0000-01-01T00:00:00+17:59",
	} {
		f.Add(seed, uint8(i))
	}
	f.Fuzz(func(t *testing.T, in string, pick uint8) {
		layout := roundTripLayouts[int(pick)%len(roundTripLayouts)]
		once, err := formatDate(in, layout)
		if err != nil {
			return
		}
		twice, err := formatDate(once, layout)
		if err != nil {
			t.Fatalf("format_date:%s of %q gave %q, which it cannot read back: %v", layout, in, once, err)
		}
		if once != twice {
			t.Errorf("format_date:%s not idempotent: %q -> %q -> %q", layout, in, once, twice)
		}
	})
}
