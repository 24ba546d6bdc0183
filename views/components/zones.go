package components

import (
	"slices"
	"time"

	"switchboard/clock"
)

// ZoneOptions are the choices of a time zone picker, each with its offset
// at now: a blank "choose" first, the current zone when the common list
// lacks it (one set through the API), then the common zones, America
// first. A current zone that does not load is left out (the form's field
// error says why).
func ZoneOptions(current string, now time.Time) []SelectOption {
	opts := []SelectOption{{Value: "", Label: "Choose the practice's time zone…"}}
	names := clock.CommonZones()
	if current != "" && !slices.Contains(names, current) {
		names = append([]string{current}, names...)
	}
	for _, name := range names {
		z, err := clock.LoadZone(name)
		if err != nil {
			continue
		}
		opts = append(opts, SelectOption{Value: name, Label: name + " (" + z.Offset(now) + ")"})
	}
	return opts
}
