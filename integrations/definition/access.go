package definition

import (
	"slices"
	"time"
)

const minutesPerDay = 24 * 60

// clockWindow is a parsed AccessWindow: minutes after UTC midnight, and
// the weekdays it starts on (all when empty).
type clockWindow struct {
	start, end int
	days       []time.Weekday
}

// parseClock reads "HH:MM" as minutes after midnight; "24:00" only when
// allow24.
func parseClock(s string, allow24 bool) (int, bool) {
	if len(s) != 5 || s[2] != ':' {
		return 0, false
	}
	for _, i := range []int{0, 1, 3, 4} {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	h := int(s[0]-'0')*10 + int(s[1]-'0')
	m := int(s[3]-'0')*10 + int(s[4]-'0')
	if allow24 && h == 24 && m == 0 {
		return minutesPerDay, true
	}
	if h > 23 || m > 59 {
		return 0, false
	}
	return h*60 + m, true
}

// compileWindows parses the windows of a validated document.
func compileWindows(windows []AccessWindow) []clockWindow {
	out := make([]clockWindow, 0, len(windows))
	for _, w := range windows {
		start, _ := parseClock(w.Start, false)
		end, _ := parseClock(w.End, true)
		cw := clockWindow{start: start, end: end}
		for _, day := range w.Days {
			cw.days = append(cw.days, time.Weekday((slices.Index(weekdays, day)+1)%7))
		}
		out = append(out, cw)
	}
	return out
}

// on reports whether the window starts on weekday d.
func (w clockWindow) on(d time.Weekday) bool {
	return len(w.days) == 0 || slices.Contains(w.days, d)
}

// contains reports whether the window is open at t (UTC). A window whose
// end is before its start runs past midnight into the next day.
func (w clockWindow) contains(t time.Time) bool {
	m := t.Hour()*60 + t.Minute()
	day := t.Weekday()
	if w.start < w.end {
		return w.on(day) && m >= w.start && m < w.end
	}
	yesterday := (day + 6) % 7
	return (w.on(day) && m >= w.start) || (w.on(yesterday) && m < w.end)
}

// WindowOpen reports whether environment env may be called at now, and
// when it is not, the time its next access window opens (the zero time
// when none ever does). An environment without access windows is always
// open.
func (c *Compiled) WindowOpen(env string, now time.Time) (bool, time.Time) {
	windows := c.windows[env]
	if len(windows) == 0 {
		return true, now
	}
	t := now.UTC()
	var next time.Time
	midnight := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	for _, w := range windows {
		if w.contains(t) {
			return true, now
		}
		for offset := range 8 {
			day := midnight.AddDate(0, 0, offset)
			opens := day.Add(time.Duration(w.start) * time.Minute)
			if opens.After(t) && w.on(day.Weekday()) && (next.IsZero() || opens.Before(next)) {
				next = opens
				break
			}
		}
	}
	return false, next
}
