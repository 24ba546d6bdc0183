package handlers

import (
	"fmt"
	"time"

	"github.com/a-h/templ"

	"switchboard/clock"
	"switchboard/integrations/traces"
	"switchboard/models"
	"switchboard/views/components"
	"switchboard/views/pages"
)

// pageTime is how the trace pages show an instant: practice time.
const pageTime = "Mon 2 Jan, 15:04"

func dollars(v float64) string { return fmt.Sprintf("$%.4f", v) }

func seconds(ms int64) string { return fmt.Sprintf("%.2f s", float64(ms)/1000) }

func traceRow(t models.AgentTrace, zone clock.Zone) pages.TraceRow {
	return pages.TraceRow{ID: t.TraceID, Name: t.Name, Session: t.SessionID, User: t.UserID,
		Start: zone.In(t.StartedAt).Format(pageTime), Latency: seconds(t.LatencyMS), Cost: dollars(t.CostUSD), Tags: traces.Tags(t)}
}

// tracesPage is the view model of /agent-traces.
func tracesPage(ov *traces.Overview, q AgentTracesQuery, bad map[string]string, zone clock.Zone) templ.Component {
	p := pages.AgentTracesPage{Filter: pages.TraceFilterForm{Day: q.Day, Session: q.Session, User: q.User, Tag: q.Tag,
		MinCost: q.MinCost, Errors: bad}, CanImport: true, LastError: ov.LastError, LastImport: "Not imported yet."}
	if ov.LastRun != nil {
		p.LastImport = "Last import: " + zone.In(*ov.LastRun).Format(pageTime) + "."
	}
	var topCost float64
	var topLat int64
	for _, d := range ov.Days {
		day, _ := time.Parse(time.DateOnly, d.Date)
		p.Days = append(p.Days, components.DailyPoint{Label: day.Format("Jan 2"), Bar: d.CostUSD, BarText: dollars(d.CostUSD),
			Line: float64(d.AvgLatencyMS), LineText: seconds(d.AvgLatencyMS) + fmt.Sprintf(" (%d traces)", d.Traces)})
		topCost, topLat = max(topCost, d.CostUSD), max(topLat, d.AvgLatencyMS)
	}
	p.CostTop, p.LatTop = dollars(topCost), seconds(topLat)
	for _, t := range ov.Traces {
		p.Traces = append(p.Traces, traceRow(t, zone))
	}
	for _, s := range ov.Sessions {
		p.Sessions = append(p.Sessions, pages.SessionRow{ID: s.SessionID, User: s.UserID, First: zone.In(s.FirstAt).Format(pageTime),
			Last: zone.In(s.LastAt).Format(pageTime), Traces: s.Traces, Latency: seconds(s.LatencyMS), Cost: dollars(s.CostUSD)})
	}
	return pages.AgentTraces(p)
}

// tracePage is the view model of one trace's page.
func tracePage(d *traces.Detail, zone clock.Zone) templ.Component {
	p := pages.AgentTracePage{Trace: traceRow(d.Trace, zone), Input: d.Trace.InputExcerpt, Output: d.Trace.OutputExcerpt}
	for _, c := range d.Calls {
		outcome := "ok"
		if !c.OK {
			outcome = c.ErrorCode
		}
		p.Calls = append(p.Calls, pages.TraceCallRow{When: zone.In(c.CreatedAt).Format(pageTime), Provider: c.Provider,
			Function: c.Function, Outcome: outcome, OK: c.OK, Duration: fmt.Sprintf("%d ms", c.DurationMS), Caller: c.Caller})
	}
	return pages.AgentTrace(p)
}
