package transform

import (
	"strings"
)

// Input describes the value a chain takes, as far as its first step says:
// the JSON type a caller should send (Type, "" when the step takes what the
// parameter itself takes), a format ("date-time", "date") and the values it
// knows (Enum, for map). Tool schemas say this instead of the upstream
// field's own type: repeat:X:5 turns minutes (an integer) into a pattern
// string, format_datetime takes an instant.
type Input struct {
	Type   string
	Format string
	Enum   []string
	// Note says in words what the value is.
	Note string
}

// Input describes the value the chain takes.
func (c Chain) Input() Input {
	if len(c.steps) == 0 {
		return Input{}
	}
	first := strings.TrimSpace(strings.Split(c.expr, "|")[0])
	name, arg, _ := strings.Cut(first, ":")
	switch strings.TrimSpace(name) {
	case "repeat":
		n := "the step"
		if parts := strings.Split(arg, ":"); len(parts) == 2 {
			n = strings.TrimSpace(parts[1])
		}
		return Input{Type: "integer", Note: "a number of minutes, a multiple of " + n}
	case "format_datetime":
		return Input{Type: "string", Format: "date-time",
			Note: "a date-time: RFC 3339 with an offset (2026-12-15T10:30:00-06:00) or the practice's local time without one (2026-12-15T10:30)"}
	case "format_date":
		return Input{Type: "string", Format: "date", Note: "a date, 2006-01-02"}
	case "map":
		var keys []string
		for pair := range strings.SplitSeq(arg, ",") {
			if k, _, ok := strings.Cut(pair, "="); ok {
				keys = append(keys, strings.TrimSpace(k))
			}
		}
		return Input{Type: "string", Enum: keys, Note: "one of " + strings.Join(keys, ", ")}
	case "external_ref":
		entity := strings.TrimSpace(arg)
		return Input{Type: "integer", Note: "Switchboard's " + entity + " id (as find_patients, create_appointment and the JSON API answer it), " +
			"not the practice system's own number: it is translated to this system's id of the same " + entity}
	case "clean_phone", "e164":
		return Input{Type: "string", Note: "a phone number"}
	case "to_int":
		return Input{Type: "integer"}
	case "to_bool":
		return Input{Type: "boolean"}
	case "to_string", "upper", "lower", "title", "trim":
		return Input{Type: "string"}
	}
	return Input{}
}
