package clock

import (
	"fmt"
	"strings"
	"time"
)

// Words says a duration as people do: "15 seconds", "1 minute",
// "1 minute 30 seconds", "2 hours", "250 milliseconds", never Go's
// "15s" or "1m0s". Parts below the two largest are dropped.
func Words(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	if d < time.Second {
		return plural(int64(d/time.Millisecond), "millisecond")
	}
	units := []struct {
		size time.Duration
		name string
	}{{24 * time.Hour, "day"}, {time.Hour, "hour"}, {time.Minute, "minute"}, {time.Second, "second"}}
	var parts []string
	for _, u := range units {
		if n := d / u.size; n > 0 {
			parts = append(parts, plural(int64(n), u.name))
			d -= n * u.size
		} else if len(parts) > 0 {
			break // "1 hour 5 seconds" says too little about the minutes: stop
		}
		if len(parts) == 2 {
			break
		}
	}
	return strings.Join(parts, " ")
}

func plural(n int64, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}
