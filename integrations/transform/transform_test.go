package transform

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// applyCase is one chain applied to one value.
type applyCase struct {
	name string
	expr string
	in   any
	want any
}

// runApply compiles and applies each case, failing on any error.
func runApply(t *testing.T, cases []applyCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Compile(tc.expr)
			if err != nil {
				t.Fatalf("Compile(%q): %v", tc.expr, err)
			}
			got, err := c.Apply(tc.in)
			if err != nil {
				t.Fatalf("Apply(%#v): %v", tc.in, err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("%q on %#v: got %#v, want %#v", tc.expr, tc.in, got, tc.want)
			}
		})
	}
}

func TestTextTransforms(t *testing.T) {
	runApply(t, []applyCase{
		{"rename keeps the value", "rename", "x", "x"},
		{"rename accepts a new name", "rename:LName", 5, 5},
		{"upper", "upper", "abc Déf", "ABC DÉF"},
		{"upper leaves numbers", "upper", 5.0, 5.0},
		{"lower", "lower", "ABC", "abc"},
		{"title", "title", "mary-jane SMITH", "Mary-Jane Smith"},
		{"title keeps apostrophes inside words", "title", "o'neil don't", "O'neil Don't"},
		{"trim", "trim", "  a b \t\n", "a b"},
		{"trim leaves nil", "trim", nil, nil},
		{"default on nil", "default:Unknown", nil, "Unknown"},
		{"default on empty string", "default:Unknown", "", "Unknown"},
		{"default keeps a value", "default:Unknown", "Female", "Female"},
		{"default keeps zero", "default:1", 0.0, 0.0},
		{"default may be empty", "default:", nil, ""},
		{"map a known value", "map:M=Male,F=Female", "M", "Male"},
		{"map passes unmapped values", "map:M=Male,F=Female", "X", "X"},
		{"map matches numbers by text", "map:1=Male,2=Female", 2.0, "Female"},
		{"map matches booleans by text", "map:true=Yes,false=No", false, "No"},
		{"map trims around pairs", "map: a = Not Called , b=B", "a", "Not Called"},
		{"map of nil stays nil", "map:a=b", nil, nil},
		{"map can map the empty string", "map:=Unknown", "", "Unknown"},
	})
}

func TestConversions(t *testing.T) {
	runApply(t, []applyCase{
		{"to_int of a float", "to_int", 42.0, int64(42)},
		{"to_int of a string", "to_int", " 42 ", int64(42)},
		{"to_int of a whole decimal string", "to_int", "42.0", int64(42)},
		{"to_int of an exponent", "to_int", "1e3", int64(1000)},
		{"to_int of json.Number", "to_int", json.Number("-7"), int64(-7)},
		{"to_int of int", "to_int", 7, int64(7)},
		{"to_int of true", "to_int", true, int64(1)},
		{"to_int of blank is absent", "to_int", " ", nil},
		{"to_string of a float", "to_string", 30.0, "30"},
		{"to_string of a fraction", "to_string", 1.5, "1.5"},
		{"to_string of a big float", "to_string", 1e21, "1000000000000000000000"},
		{"to_string of int64", "to_string", int64(12), "12"},
		{"to_string of bool", "to_string", true, "true"},
		{"to_string of an object", "to_string", map[string]any{"a": 1.0}, `{"a":1}`},
		{"to_string of nil is absent", "to_string", nil, nil},
		{"to_bool of yes", "to_bool", "Yes", true},
		{"to_bool of 0", "to_bool", "0", false},
		{"to_bool of a number", "to_bool", 2.0, true},
		{"to_bool of off", "to_bool", "OFF", false},
		{"to_bool of a bool", "to_bool", false, false},
		{"repeat 30 by 5", "repeat:X:5", 30.0, "XXXXXX"},
		{"repeat a numeric string", "repeat:X:5", "30", "XXXXXX"},
		{"repeat rounds up", "repeat:X:5", 32, "XXXXXXX"},
		{"repeat zero", "repeat:/:10", 0, ""},
		{"repeat a colon", "repeat:::5", 10, "::"},
		{"repeat passes nil", "repeat:X:5", nil, nil},
	})
}

func TestPhones(t *testing.T) {
	runApply(t, []applyCase{
		{"clean_phone punctuation", "clean_phone", "(555) 123-4567", "5551234567"},
		{"clean_phone drops the US code", "clean_phone", "+1 555.123.4567", "5551234567"},
		{"clean_phone keeps 12 digits", "clean_phone", "+44 20 7946 0958", "442079460958"},
		{"clean_phone of a number", "clean_phone", 5551234567.0, "5551234567"},
		{"clean_phone of empty", "clean_phone", "", ""},
		{"e164 of 10 digits", "e164", "(555) 123-4567", "+15551234567"},
		{"e164 of 11 digits", "e164", "1-555-123-4567", "+15551234567"},
		{"e164 keeps a plus number", "e164", "+44 20 7946 0958", "+442079460958"},
		{"e164 of e164", "e164", "+15551234567", "+15551234567"},
		{"e164 passes empty", "e164", "", ""},
	})
}

func TestFormatDate(t *testing.T) {
	const od = "format_date:2006-01-02 15:04:05"
	runApply(t, []applyCase{
		{"RFC 3339 with zone keeps its wall clock", od, "2026-03-01T09:30:00-05:00", "2026-03-01 09:30:00"},
		{"RFC 3339 UTC", od, "2026-03-01T09:30:00Z", "2026-03-01 09:30:00"},
		{"fractional seconds", od, "2026-03-01T09:30:00.123Z", "2026-03-01 09:30:00"},
		{"ISO basic offset", od, "2026-03-01T09:30:00+0100", "2026-03-01 09:30:00"},
		{"ISO without zone", od, "2026-03-01T09:30:00", "2026-03-01 09:30:00"},
		{"ISO without seconds", od, "2026-03-01T09:30", "2026-03-01 09:30:00"},
		{"date only", od, "2026-03-01", "2026-03-01 00:00:00"},
		{"space separated", "format_date:2006-01-02T15:04:05Z07:00", "2026-03-01 09:30:00", "2026-03-01T09:30:00Z"},
		{"US date", "format_date:2006-01-02", "03/01/2026", "2026-03-01"},
		{"US short date", "format_date:2006-01-02", "3/1/2026", "2026-03-01"},
		{"US 12-hour", od, "03/01/2026 02:05:00 PM", "2026-03-01 14:05:00"},
		{"US 12-hour lower case", od, "3/1/2026 2:05 pm", "2026-03-01 14:05:00"},
		{"US 24-hour", od, "03/01/2026 14:05", "2026-03-01 14:05:00"},
		{"month name", "format_date:2006-01-02", "March 1, 2026", "2026-03-01"},
		{"to Cloud9", "format_date:01/02/2006 03:04:05 PM", "2026-03-01T14:05:00Z", "03/01/2026 02:05:00 PM"},
		{"layout with colons", "format_date:15:04", "2026-03-01T14:05:00Z", "14:05"},
		{"a time.Time", "format_date:2006-01-02", time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), "2026-03-01"},
		{"nil passes", od, nil, nil},
		{"empty passes", od, "", ""},
	})
}

func TestChains(t *testing.T) {
	runApply(t, []applyCase{
		{"empty chain is identity", "", "x", "x"},
		{"blank chain is identity", "  ", 5, 5},
		{"trim then format", "trim|format_date:2006-01-02", " 2026-03-01T10:00:00Z ", "2026-03-01"},
		{"spaces around steps", " trim | upper ", " a ", "A"},
		{"default then map", "default:U|map:U=Unknown,M=Male", nil, "Unknown"},
		{"lower then title", "lower|title", "JOHN", "John"},
		{"to_int then repeat", "to_int|repeat:X:5", "15", "XXX"},
		{"clean then e164", "clean_phone|e164", "1 (555) 123 4567", "+15551234567"},
		{"to_string then default", "to_string|default:none", nil, "none"},
	})
}

func TestCompileErrors(t *testing.T) {
	cases := []struct {
		name, expr, want string
	}{
		{"UnknownName", "uper", `transform: unknown transform "uper"`},
		{"UnknownInChain", "trim|uper", `transform: unknown transform "uper"`},
		{"FormatDateWithoutLayout", "format_date", "transform: format_date needs a layout, e.g. format_date:2006-01-02"},
		{"FormatDateEmptyLayout", "format_date:", "transform: format_date needs a layout, e.g. format_date:2006-01-02"},
		{"ArgumentToUpper", "upper:x", "transform: upper takes no argument"},
		{"DefaultWithoutValue", "default", "transform: default needs a value, e.g. default:Unknown"},
		{"MapWithoutPairs", "map", "transform: map needs pairs, e.g. map:M=Male,F=Female"},
		{"MapBadPair", "map:a=b,c", `transform: map pair "c" needs the form key=value`},
		{"MapDuplicateKey", "map:a=b,a=c", `transform: map lists key "a" twice`},
		{"RepeatWithoutUnit", "repeat:X", "transform: repeat needs a character and a unit, e.g. repeat:X:5"},
		{"RepeatBadUnit", "repeat:X:0", `transform: repeat unit "0" must be a whole number of at least 1`},
		{"EmptyStep", "trim||upper", `transform: empty step (two "|" in a row, or a "|" at an end)`},
		{"TrailingPipe", "trim|", `transform: empty step (two "|" in a row, or a "|" at an end)`},
		{"CaseMatters", "Upper", `transform: unknown transform "Upper"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Compile(tc.expr)
			if err == nil {
				t.Fatalf("Compile(%q): got no error, want %q", tc.expr, tc.want)
			}
			if got := err.Error(); got != tc.want {
				t.Errorf("Compile(%q): got %q, want %q", tc.expr, got, tc.want)
			}
		})
	}
}

func TestApplyErrors(t *testing.T) {
	cases := []struct {
		name, expr string
		in         any
		want       string
	}{
		{"ToIntOfWord", "to_int", "abc", `transform: to_int: "abc" is not a number`},
		{"ToIntOfFraction", "to_int", 1.5, "transform: to_int: 1.5 is not a whole number"},
		{"ToIntTooBig", "to_int", 1e19, "transform: to_int: 10000000000000000000 is out of range"},
		{"ToIntOfNaNText", "to_int", "NaN", `transform: to_int: "NaN" is not a number`},
		{"ToBoolOfWord", "to_bool", "maybe", `transform: to_bool: "maybe" is not a boolean`},
		{"FormatDateOfGarbage", "format_date:2006-01-02", "soon", `transform: format_date: "soon" is not a date in a known format (ISO 8601 such as 2006-01-02T15:04:05Z, or US such as 01/02/2006 03:04 PM)`},
		{"FormatDateOfNumber", "format_date:2006-01-02", 5.0, "transform: format_date: 5 is not a date"},
		{"E164OfShortNumber", "e164", "123-4567", `transform: e164: "123-4567" is neither a 10-digit US number nor written with a + and country code`},
		{"CleanPhoneOfBool", "clean_phone", true, "transform: clean_phone: true is not a phone number"},
		{"RepeatNegative", "repeat:X:5", -5.0, "transform: repeat: -5 is negative"},
		{"RepeatTooMany", "repeat:X:1", 1e6, `transform: repeat: 1000000 would repeat "X" more than 10000 times`},
		{"ErrorInSecondStep", "trim|to_int", " x ", `transform: to_int: "x" is not a number`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Compile(tc.expr)
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.Apply(tc.in)
			if err == nil {
				t.Fatalf("%q on %#v: got no error, want %q", tc.expr, tc.in, tc.want)
			}
			if got := err.Error(); got != tc.want {
				t.Errorf("%q on %#v: got %q, want %q", tc.expr, tc.in, got, tc.want)
			}
		})
	}
}

func TestChainAccessors(t *testing.T) {
	c, err := Compile("trim | upper")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.String(), "trim | upper"; got != want {
		t.Errorf("String: got %q, want %q", got, want)
	}
	if c.IsZero() {
		t.Error("IsZero: got true for a two-step chain")
	}
	empty, _ := Compile("")
	if !empty.IsZero() || !(Chain{}).IsZero() {
		t.Error("IsZero: got false for the identity chain")
	}
}

func TestNames(t *testing.T) {
	names := Names()
	if !slices.IsSorted(names) {
		t.Errorf("Names not sorted: %v", names)
	}
	for _, want := range strings.Fields("rename format_date clean_phone e164 upper lower title trim default to_int to_string to_bool map repeat format_datetime wrap") {
		if !slices.Contains(names, want) {
			t.Errorf("Names lacks %q: %v", want, names)
		}
	}
}

func TestWrap(t *testing.T) {
	c, err := Compile("format_datetime:2006-01-02T15:04:05Z07:00|wrap:dateTime")
	if err != nil {
		t.Fatal(err)
	}
	chicago, _ := time.LoadLocation("America/Chicago")
	got, err := c.ApplyIn(Env{Zone: chicago}, "2027-03-15T15:00:00Z")
	if err != nil {
		t.Fatal(err)
	}
	if m, ok := got.(map[string]any); !ok || m["dateTime"] != "2027-03-15T10:00:00-05:00" {
		t.Fatalf("got %#v, want {dateTime: 2027-03-15T10:00:00-05:00}", got)
	}
	if _, err := Compile("wrap"); err == nil {
		t.Fatal("wrap without a key compiled")
	}
}

// TestUnwrap: unwrap reads a key of an object (an event's start), gives
// nil for an object without it (an all-day event's {"date": …}) and
// passes other values.
func TestUnwrap(t *testing.T) {
	c, err := Compile("unwrap:dateTime")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ in, want any }{
		{map[string]any{"dateTime": "2027-03-15T10:00:00-05:00", "timeZone": "America/Chicago"}, "2027-03-15T10:00:00-05:00"},
		{map[string]any{"date": "2027-03-15"}, nil},
		{"2027-03-15T10:00:00Z", "2027-03-15T10:00:00Z"},
	} {
		if got, err := c.Apply(tc.in); err != nil || got != tc.want {
			t.Errorf("unwrap(%v) = %#v, %v; want %#v", tc.in, got, err, tc.want)
		}
	}
	attendee, _ := Compile("first|unwrap:email")
	if got, _ := attendee.Apply([]any{map[string]any{"email": "ada@example.com"}, map[string]any{"email": "b@example.com"}}); got != "ada@example.com" {
		t.Errorf("first|unwrap:email = %#v", got)
	}
	if got, _ := attendee.Apply([]any{}); got != nil {
		t.Errorf("first of [] = %#v, want nil", got)
	}
	if _, err := Compile("unwrap"); err == nil {
		t.Fatal("unwrap without a key compiled")
	}
}
