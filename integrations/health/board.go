package health

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"switchboard/clock"
	"switchboard/urls"
)

// Board is the dashboard as people read it: its numbers, each with the
// link to the filtered list behind it, its two charts (calls and sync
// deliveries per hour, oldest hour first, in practice time) and the health
// of each integration.
type Board struct {
	Stats     []Stat
	SyncStats []Stat
	Calls     []Bar
	Sync      []Bar
	Rows      []Row
}

// Stat is one number of the dashboard.
type Stat struct {
	Label string
	Value string
	Hint  string
	Href  string
	Tone  string
}

// Bar is one hour of a chart: a total and how many of it failed.
type Bar struct {
	Label  string
	Total  int
	Failed int
}

// Row is one integration's health on the dashboard.
type Row struct {
	ID             int64
	Name           string
	Slug           string
	Enabled        bool
	State          string
	Calls          int
	Errors         int
	OpenSyncErrors int
	LastCall       string
	CallsHref      string
	ErrorsHref     string
	SyncHref       string
}

// Board assembles the dashboard of the hours hours up to now, times in
// the practice's zone z and links made with u.
func (s *Service) Board(ctx context.Context, orgID int64, z clock.Zone, u urls.URLs, now time.Time, hours int) (*Board, error) {
	o, err := s.Dashboard(ctx, orgID, now, hours)
	if err != nil {
		return nil, err
	}
	since := z.FormatInput(o.Since)
	b := &Board{Stats: callStats(o, u, since), SyncStats: syncStats(o, u, z, now, since)}
	for i := range o.Hours {
		label := z.In(o.Since.Add(time.Duration(i) * time.Hour)).Format("15:04")
		b.Calls = append(b.Calls, Bar{Label: label, Total: o.Hours[i].Calls, Failed: o.Hours[i].Errors})
		b.Sync = append(b.Sync, Bar{Label: label, Total: o.Sync[i].Calls, Failed: o.Sync[i].Errors})
	}
	for _, in := range o.Integrations {
		r := Row{ID: in.ID, Name: in.Name, Slug: in.Slug, Enabled: in.Enabled, State: in.State, Calls: in.Count.Calls,
			Errors: in.Count.Errors, OpenSyncErrors: in.OpenSyncErrors,
			CallsHref:  urls.Filtered(u.Calls(), "integration", in.Slug, "from", since),
			ErrorsHref: urls.Filtered(u.Calls(), "integration", in.Slug, "status", "failed", "from", since),
			SyncHref:   urls.Filtered(u.SyncErrors(), "integration", in.Slug)}
		if !in.LastCall.IsZero() {
			r.LastCall = z.FormatPage(in.LastCall)
		}
		b.Rows = append(b.Rows, r)
	}
	return b, nil
}

// callStats are the numbers of the calls and the open sync errors.
func callStats(o *Overview, u urls.URLs, since string) []Stat {
	n := strconv.Itoa
	return []Stat{
		{Label: "Open sync errors", Value: n(o.OpenErrors), Hint: "retrying, failed or in conflict", Href: u.SyncErrors(), Tone: tone(o.OpenErrors > 0, "red", "green")},
		{Label: "Calls 24h", Value: n(o.Calls), Hint: "every door, sync included", Href: urls.Filtered(u.Calls(), "from", since)},
		{Label: "Failed calls 24h", Value: n(o.Failed), Hint: "calls that did not succeed", Href: urls.Filtered(u.Calls(), "status", "failed", "from", since), Tone: tone(o.Failed > 0, "red", "")},
		{Label: "Rate limited 24h", Value: n(o.RateLimited), Hint: "the rate-limit log", Href: urls.Filtered(u.Calls(), "code", "rate_limited", "from", since), Tone: tone(o.RateLimited > 0, "amber", "")},
	}
}

// syncStats are the numbers of the sync: deliveries, the queue, the lag.
func syncStats(o *Overview, u urls.URLs, z clock.Zone, now time.Time, since string) []Stat {
	n := strconv.Itoa
	waiting := urls.Filtered(u.SyncErrors(), "status", "pending,retrying")
	oldest, oldestHint := "none", "nothing waits"
	if o.Queue.Oldest != nil {
		oldest, oldestHint = Words(now.Sub(*o.Queue.Oldest)), "since "+z.FormatPage(*o.Queue.Oldest)
	}
	lagHint := fmt.Sprintf("over %d deliveries", o.LagJobs)
	synced := urls.Filtered(u.SyncErrors(), "status", "synced", "from", since)
	return []Stat{
		{Label: "Sync deliveries 24h", Value: n(o.Deliveries), Hint: "attempts to write to external systems", Href: urls.Filtered(u.Calls(), "caller", "sync", "from", since)},
		{Label: "Delivery failures 24h", Value: n(o.DeliveryFailed), Hint: "attempts that failed", Href: urls.Filtered(u.Calls(), "caller", "sync", "status", "failed", "from", since), Tone: tone(o.DeliveryFailed > 0, "red", "")},
		{Label: "Queue depth", Value: n(o.Queue.Depth), Hint: "writes waiting to be delivered", Href: waiting, Tone: tone(o.Queue.Depth > 0, "amber", "")},
		{Label: "Oldest waiting", Value: oldest, Hint: oldestHint, Href: waiting},
		{Label: "Sync lag p50", Value: lagWords(o.LagJobs, o.LagP50), Hint: lagHint, Href: synced},
		{Label: "Sync lag p95", Value: lagWords(o.LagJobs, o.LagP95), Hint: lagHint, Href: synced},
	}
}

func tone(cond bool, yes, no string) string {
	if cond {
		return yes
	}
	return no
}

func lagWords(jobs int, d time.Duration) string {
	if jobs == 0 {
		return "no deliveries"
	}
	return Words(d)
}

// Words writes a duration for people: "under a second", "15 seconds",
// "3 minutes", "2 hours 5 minutes", "2 days".
func Words(d time.Duration) string {
	plural := func(n int64, unit string) string {
		if n == 1 {
			return "1 " + unit
		}
		return strconv.FormatInt(n, 10) + " " + unit + "s"
	}
	switch {
	case d < time.Second:
		return "under a second"
	case d < time.Minute:
		return plural(int64(d/time.Second), "second")
	case d < time.Hour:
		return plural(int64(d/time.Minute), "minute")
	case d < 48*time.Hour:
		h, m := int64(d/time.Hour), int64(d%time.Hour/time.Minute)
		if m == 0 {
			return plural(h, "hour")
		}
		return plural(h, "hour") + " " + plural(m, "minute")
	}
	return plural(int64(d/(24*time.Hour)), "day")
}
