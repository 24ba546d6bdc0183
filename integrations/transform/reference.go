package transform

// Doc describes one transform for the reference in docs/integrations.md,
// with an example that docs/guides_test.go runs: Chain applied to In (in
// UTC) gives Out.
type Doc struct {
	Name, Argument, Does string
	Chain                string
	In, Out              any
}

// Reference documents every transform, in the order of Names. The guide's
// table is generated from it (go test ./docs -run TestTransformReference
// -update), and a transform without an entry fails that test.
var Reference = []Doc{
	{"clean_phone", "", "keeps the digits of a phone number (a leading + stays)", "clean_phone", "(503) 555-0142", "5035550142"},
	{"default", "value", "replaces an empty or missing value", "default:Unknown", "", "Unknown"},
	{"e164", "", "writes a phone number as E.164 (+1 for 10-digit NANP numbers)", "e164", "503-555-0142", "+15035550142"},
	{"external_ref", "patient or appointment", "turns a local record id into the integration's id of the same record, and back in answers (unlinked: refused naming the field); shown without a linked record, so the id stays", "external_ref:patient", "12", "12"},
	{"first", "", "the first item of an array (nothing for an empty one); other values stay", "first", []any{"a", "b"}, "a"},
	{"format_date", "layout", "writes a date in a Go layout", "format_date:01/02/2006", "2026-03-04", "03/04/2026"},
	{"format_datetime", "layout", "writes an instant in the upstream's zone (time_zone) in a Go layout, and reads one back", "format_datetime:2006-01-02 15:04:05", "2026-03-04T15:30:00Z", "2026-03-04 15:30:00"},
	{"list", "", "puts a value in a one-item array (Google Calendar's attendees, calendar ids)", "list", "primary", []any{"primary"}},
	{"lower", "", "lower-cases text", "lower", "Ada@Example.COM", "ada@example.com"},
	{"map", "a=b,c=d", "replaces listed values, passes others", "map:male=Male,female=Female", "female", "Female"},
	{"rename", "new name (optional)", "documents a renaming (the map itself renames)", "rename:LName", "Lovelace", "Lovelace"},
	{"repeat", "text:unit", "repeats text once per unit, rounded up (minutes to a pattern)", "repeat:X:5", 30, "XXXXXX"},
	{"title", "", "capitalizes each word", "title", "ada lovelace", "Ada Lovelace"},
	{"to_bool", "", "reads true/false, yes/no, 1/0", "to_bool", "yes", true},
	{"to_int", "", "reads a whole number", "to_int", "42", 42},
	{"to_string", "", "writes a value as text", "to_string", 42, "42"},
	{"trim", "", "drops surrounding spaces", "trim", "  Ada ", "Ada"},
	{"unwrap", "key", "reads the value of {key: value} (wrap's way back: Google Calendar's {\"dateTime\": …} gives the date-time; an object without the key gives nothing)", "unwrap:dateTime", map[string]any{"dateTime": "2026-03-04T09:30:00-06:00"}, "2026-03-04T09:30:00-06:00"},
	{"upper", "", "upper-cases text", "upper", "or", "OR"},
	{"wrap", "key", "makes a value the object {key: value} (Google Calendar takes a time as {\"dateTime\": …})", "wrap:dateTime", "2026-03-04T09:30:00-06:00", map[string]any{"dateTime": "2026-03-04T09:30:00-06:00"}},
}
