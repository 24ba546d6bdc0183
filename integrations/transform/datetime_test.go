package transform

import (
	"strings"
	"testing"
	"time"
)

func mustLoc(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestFormatDateTime(t *testing.T) {
	const od = "format_datetime:2006-01-02 15:04:05"
	const rfc = "format_datetime:2006-01-02T15:04:05Z07:00"
	cases := []struct {
		name, expr, zone string
		in               any
		want             any
	}{
		{"an offset instant is written in the practice's zone", od, "America/Chicago", "2026-12-12T09:00:00-08:00", "2026-12-12 11:00:00"},
		{"a Z instant is written in the practice's zone", od, "America/Chicago", "2026-12-12T17:00:00Z", "2026-12-12 11:00:00"},
		{"a summer instant takes the summer offset", od, "America/Chicago", "2026-07-15T15:30:00Z", "2026-07-15 10:30:00"},
		{"a time.Time is an instant", od, "America/Chicago", time.Date(2026, 12, 12, 17, 0, 0, 0, time.UTC), "2026-12-12 11:00:00"},
		{"a local date-time is practice time already", od, "America/Chicago", "2026-12-12T09:00", "2026-12-12 09:00:00"},
		{"UTC writes UTC clock time", od, "UTC", "2026-12-12T09:00:00-08:00", "2026-12-12 17:00:00"},
		{"Berlin", od, "Europe/Berlin", "2026-12-12T09:00:00Z", "2026-12-12 10:00:00"},
		{"an upstream local answer becomes an instant with offset", rfc, "America/Chicago", "2026-11-02 09:00:00", "2026-11-02T09:00:00-06:00"},
		{"a summer upstream answer takes the summer offset", rfc, "America/Chicago", "2026-07-15 09:00:00", "2026-07-15T09:00:00-05:00"},
		{"a US answer is read in the zone", rfc, "America/Chicago", "12/12/2026 09:00:00 AM", "2026-12-12T09:00:00-06:00"},
		{"a repeated hour means its first occurrence", rfc, "America/Chicago", "2026-11-01 01:30:00", "2026-11-01T01:30:00-05:00"},
		{"an upstream answer with offset keeps its instant", rfc, "America/Chicago", "2026-12-12T09:00:00-08:00", "2026-12-12T11:00:00-06:00"},
		{"nil stays nil", od, "America/Chicago", nil, nil},
		{"empty stays empty", od, "America/Chicago", "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Compile(tc.expr)
			if err != nil {
				t.Fatal(err)
			}
			got, err := c.ApplyIn(Env{Zone: mustLoc(t, tc.zone)}, tc.in)
			if err != nil {
				t.Fatalf("ApplyIn(%v): %v", tc.in, err)
			}
			if got != tc.want {
				t.Errorf("%q in %s on %#v: got %#v, want %#v", tc.expr, tc.zone, tc.in, got, tc.want)
			}
		})
	}
}

func TestFormatDateTimeWithoutZoneIsUTC(t *testing.T) {
	c, err := Compile("format_datetime:2006-01-02 15:04:05")
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.Apply("2026-12-12T09:00:00-08:00")
	if err != nil || got != "2026-12-12 17:00:00" {
		t.Errorf("Apply: got %#v, %v; want 2026-12-12 17:00:00", got, err)
	}
}

func TestFormatDateTimeErrors(t *testing.T) {
	cases := []struct {
		name, expr string
		in         any
		want       string
	}{
		{"ErrGarbage", "format_datetime:2006-01-02 15:04:05", "soon", `transform: format_datetime: "soon" is not a date-time in a known format`},
		{"ErrNumber", "format_datetime:2006-01-02 15:04:05", 5.0, "transform: format_datetime: 5 is not a date-time"},
		{"ErrSkippedHour", "format_datetime:2006-01-02 15:04:05", "2026-03-08 02:30:00", `transform: format_datetime: "2026-03-08 02:30:00": 2026-03-08T02:30:00 does not exist in America/Chicago`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Compile(tc.expr)
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.ApplyIn(Env{Zone: mustLoc(t, "America/Chicago")}, tc.in)
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("%q on %#v: got %v, want an error starting %q", tc.expr, tc.in, err, tc.want)
			}
		})
	}
}

func TestFormatDateTimeBadLayout(t *testing.T) {
	for _, expr := range []string{"format_datetime", "format_datetime:", "format_datetime:hello", "format_datetime:15:04"} {
		t.Run(expr, func(t *testing.T) {
			_, err := Compile(expr)
			if err == nil || !strings.Contains(err.Error(), "format_datetime") {
				t.Errorf("Compile(%q): got %v, want an error naming format_datetime", expr, err)
			}
		})
	}
}

func TestFormatDateKeepsItsWallClock(t *testing.T) {
	c, err := Compile("format_date:2006-01-02 15:04:05")
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.ApplyIn(Env{Zone: mustLoc(t, "America/Chicago")}, "2026-12-12T09:00:00-08:00")
	if err != nil || got != "2026-12-12 09:00:00" {
		t.Errorf("format_date: got %#v, %v; want the input's own wall clock 2026-12-12 09:00:00", got, err)
	}
}
