package clock_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"switchboard/clock"
)

func instant(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestLoadZone(t *testing.T) {
	for _, name := range []string{"America/Chicago", "UTC", "Europe/Berlin", "Asia/Kathmandu", "Etc/UTC"} {
		t.Run("Accepts"+name, func(t *testing.T) {
			z, err := clock.LoadZone(name)
			if err != nil || z.Name() != name {
				t.Fatalf("LoadZone(%q) = %v, %v", name, z.Name(), err)
			}
		})
	}
	for _, tc := range []struct{ name, want string }{
		{"", "is required"},
		{"Mars/Olympus_Mons", `"Mars/Olympus_Mons" is not a known IANA time zone`},
		{"Local", "is not an IANA time zone"},
		{"../../etc/passwd", "is not a known IANA time zone"},
		{"America/Chicago ", "is not a known IANA time zone"},
		{strings.Repeat("A", 65), "is not an IANA time zone"},
	} {
		t.Run("Refuses"+tc.name, func(t *testing.T) {
			_, err := clock.LoadZone(tc.name)
			var ie *clock.InputError
			if !errors.As(err, &ie) || !strings.Contains(ie.Reason, tc.want) {
				t.Fatalf("LoadZone(%q) error = %v, want an InputError containing %q", tc.name, err, tc.want)
			}
		})
	}
}

func TestZeroZoneIsUTC(t *testing.T) {
	var z clock.Zone
	if got := z.Format(instant(t, "2026-12-15T16:30:00Z")); got != "2026-12-15T16:30:00Z" {
		t.Fatalf("zero zone formats %s", got)
	}
	if z.Name() != "UTC" || clock.UTC().Name() != "UTC" {
		t.Fatalf("zero zone is named %q", z.Name())
	}
}

func TestCommonZonesAllLoadAmericaFirst(t *testing.T) {
	zones := clock.CommonZones()
	if !strings.HasPrefix(zones[0], "America/") || !slices.Contains(zones, "America/Chicago") || !slices.Contains(zones, "UTC") {
		t.Fatalf("common zones start %v", zones[:3])
	}
	seen := map[string]bool{}
	for _, name := range zones {
		if seen[name] {
			t.Errorf("%s is listed twice", name)
		}
		seen[name] = true
		if _, err := clock.LoadZone(name); err != nil {
			t.Errorf("listed zone does not load: %v", err)
		}
	}
}

func TestFormats(t *testing.T) {
	chicago := clock.MustZone("America/Chicago")
	tests := []struct {
		name                  string
		zone                  clock.Zone
		at                    string
		api, page, input, off string
	}{
		{"ChicagoWinter", chicago, "2026-12-15T16:30:00Z", "2026-12-15T10:30:00-06:00", "Tue 15 Dec 2026, 10:30 CST", "2026-12-15T10:30", "UTC-06:00"},
		{"ChicagoSummer", chicago, "2026-07-15T15:30:00Z", "2026-07-15T10:30:00-05:00", "Wed 15 Jul 2026, 10:30 CDT", "2026-07-15T10:30", "UTC-05:00"},
		{"TheIssueExampleInChicago", chicago, "2026-12-12T09:00:00-08:00", "2026-12-12T11:00:00-06:00", "Sat 12 Dec 2026, 11:00 CST", "2026-12-12T11:00", "UTC-06:00"},
		{"TheIssueExampleInLosAngeles", clock.MustZone("America/Los_Angeles"), "2026-12-12T09:00:00-08:00", "2026-12-12T09:00:00-08:00", "Sat 12 Dec 2026, 09:00 PST", "2026-12-12T09:00", "UTC-08:00"},
		{"HalfHourOffset", clock.MustZone("Asia/Kolkata"), "2026-12-15T05:00:00Z", "2026-12-15T10:30:00+05:30", "Tue 15 Dec 2026, 10:30 IST", "2026-12-15T10:30", "UTC+05:30"},
		{"UTC", clock.UTC(), "2026-12-15T10:30:00Z", "2026-12-15T10:30:00Z", "Tue 15 Dec 2026, 10:30 UTC", "2026-12-15T10:30", "UTC+00:00"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			at := instant(t, tc.at)
			if got := tc.zone.Format(at); got != tc.api {
				t.Errorf("Format = %s, want %s", got, tc.api)
			}
			if got := tc.zone.FormatPage(at); got != tc.page {
				t.Errorf("FormatPage = %s, want %s", got, tc.page)
			}
			if got := tc.zone.FormatInput(at); got != tc.input {
				t.Errorf("FormatInput = %s, want %s", got, tc.input)
			}
			if got := tc.zone.Offset(at); got != tc.off {
				t.Errorf("Offset = %s, want %s", got, tc.off)
			}
		})
	}
}
