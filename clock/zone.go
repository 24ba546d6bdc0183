// Package clock is the practice's clock: time zones, the record time inputs
// people and agents send, the renderings pages and answers show, and weekly
// opening hours. Instants are kept as time.Time (stored in UTC); a Zone
// turns them into practice wall-clock time at the edges and back.
//
// It knows nothing of HTTP, templates or the database.
package clock

import (
	"fmt"
	"sync"
	"time"
	// Embedded zone data: a deployed binary on a minimal image (no
	// /usr/share/zoneinfo) must still know America/Chicago.
	_ "time/tzdata"
)

// UTCName is the zone an organization has until someone chooses one.
const UTCName = "UTC"

// Zone is an IANA time zone. The zero Zone is UTC.
type Zone struct {
	loc *time.Location
}

// UTC returns the UTC zone.
func UTC() Zone { return Zone{loc: time.UTC} }

// zoneCache keeps loaded locations: time.LoadLocation reads the zone data
// on every call, and record answers render times on every request.
var zoneCache sync.Map // name → *time.Location

// LoadZone returns the zone with the IANA name (America/Chicago, UTC). An
// empty name, "Local" (the server's zone, which means nothing to a
// practice) and names the zone database does not know are refused with an
// *InputError.
func LoadZone(name string) (Zone, error) {
	if cached, ok := zoneCache.Load(name); ok {
		return Zone{loc: cached.(*time.Location)}, nil
	}
	switch {
	case name == "":
		return Zone{}, &InputError{Input: name, Reason: "is required: an IANA time zone such as America/Chicago"}
	case name == "Local" || len(name) > 64:
		return Zone{}, &InputError{Input: name, Reason: fmt.Sprintf("%q is not an IANA time zone (such as America/Chicago)", name)}
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return Zone{}, &InputError{Input: name, Reason: fmt.Sprintf("%q is not a known IANA time zone (such as America/Chicago)", name)}
	}
	zoneCache.Store(name, loc)
	return Zone{loc: loc}, nil
}

// MustZone is LoadZone for names known to be good (constants, tests); it
// panics on a bad name.
func MustZone(name string) Zone {
	z, err := LoadZone(name)
	if err != nil {
		panic(err)
	}
	return z
}

// Location returns the zone as a *time.Location.
func (z Zone) Location() *time.Location {
	if z.loc == nil {
		return time.UTC
	}
	return z.loc
}

// Name is the zone's IANA name.
func (z Zone) Name() string { return z.Location().String() }

// In returns t as wall-clock time in the zone.
func (z Zone) In(t time.Time) time.Time { return t.In(z.Location()) }

// Format renders t as RFC 3339 with the zone's UTC offset at that instant
// (2026-12-15T10:30:00-06:00): what JSON answers carry.
func (z Zone) Format(t time.Time) string { return z.In(t).Format(time.RFC3339) }

// FormatPage renders t for people: "Tue 15 Dec 2026, 10:30 CST".
func (z Zone) FormatPage(t time.Time) string { return z.In(t).Format("Mon 2 Jan 2006, 15:04 MST") }

// FormatInput renders t as the value of an HTML datetime-local input, in
// practice time (2026-12-15T10:30). Parse reads it back.
func (z Zone) FormatInput(t time.Time) string { return z.In(t).Format("2006-01-02T15:04") }

// Offset is the zone's UTC offset at t, as shown beside a zone name
// ("UTC-06:00").
func (z Zone) Offset(t time.Time) string {
	_, off := z.In(t).Zone()
	sign := "+"
	if off < 0 {
		sign, off = "-", -off
	}
	return fmt.Sprintf("UTC%s%02d:%02d", sign, off/3600, off%3600/60)
}

// FormatPageOptional is FormatPage of a time that may be unknown: "" for
// none (nil or zero), so that a page shows nothing.
func (z Zone) FormatPageOptional(t *time.Time) string {
	if t == nil || t.IsZero() {
		return ""
	}
	return z.FormatPage(*t)
}
