package testsupport

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// FakeCalendar is a loopback Google Calendar API v3 served behind a
// FakeOAuth's bearer check (set it with Serve): events insert, patch,
// delete and list, incremental listing by syncToken (a deleted event is
// listed as cancelled; a token older than ExpireSyncTokens answers 410
// Gone, as Google does), cursor pages of PageSize events, freeBusy over
// the stored events and the calendar list. Every request is kept (Calls).
type FakeCalendar struct {
	// PageSize is the events per page of a listing (default 250).
	PageSize int

	mu      sync.Mutex
	events  map[string]*FakeEvent
	order   []string
	seq     int // change counter: a sync token names the last change seen
	minSync int // tokens older than this answer 410 Gone
	n       int
	calls   []CalendarCall
}

// FakeEvent is one stored event.
type FakeEvent struct {
	ID, Calendar, Summary, Description, Status string
	Start, End                                 string // RFC 3339 dateTime
	Attendees                                  []string
	// AllDay is the date of an all-day event (Start and End unset).
	AllDay  string
	changed int
	updated time.Time
}

// CalendarCall is one request the fake got (the body decoded).
type CalendarCall struct {
	Method, Path string
	Query        map[string]string
	Body         map[string]any
	Status       int
}

// NewFakeCalendar returns an empty calendar.
func NewFakeCalendar() *FakeCalendar {
	return &FakeCalendar{PageSize: 250, events: map[string]*FakeEvent{}}
}

// Serve answers the /api/ requests of a FakeOAuth (fake.API = cal.Serve).
func (f *FakeCalendar) Serve(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	var body map[string]any
	_ = json.Unmarshal(b, &body)
	q := map[string]string{}
	for k, v := range r.URL.Query() {
		q[k] = v[0]
	}
	path := strings.TrimPrefix(r.URL.Path, "/api")
	f.mu.Lock()
	status, answer := f.route(r.Method, path, q, body)
	f.calls = append(f.calls, CalendarCall{Method: r.Method, Path: r.URL.Path, Query: q, Body: body, Status: status})
	f.mu.Unlock()
	if status == http.StatusNoContent {
		w.WriteHeader(status)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(answer)
}

// route serves one request under f.mu.
func (f *FakeCalendar) route(method, path string, q map[string]string, body map[string]any) (int, any) {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	switch {
	case method == http.MethodPost && path == "/freeBusy":
		return http.StatusOK, f.freeBusy(body)
	case method == http.MethodGet && path == "/users/me/calendarList":
		return http.StatusOK, map[string]any{"items": []any{map[string]any{"id": "primary", "summary": "Practice"},
			map[string]any{"id": "clinic@group.calendar.google.com", "summary": "Front desk"}}}
	case len(parts) == 3 && parts[0] == "calendars" && parts[2] == "events":
		if method == http.MethodPost {
			return http.StatusOK, f.insert(parts[1], body)
		}
		return f.list(parts[1], q)
	case len(parts) == 4 && parts[0] == "calendars" && parts[2] == "events":
		return f.one(method, parts[3], body)
	}
	return http.StatusNotFound, map[string]any{"error": map[string]any{"code": 404, "message": "Not Found"}}
}

func (f *FakeCalendar) insert(calendar string, body map[string]any) map[string]any {
	f.n++
	e := &FakeEvent{ID: "evt" + strconv.Itoa(f.n), Calendar: calendar, Status: "confirmed"}
	f.events[e.ID] = e
	f.order = append(f.order, e.ID)
	f.patch(e, body)
	return e.json()
}

func (f *FakeCalendar) one(method, id string, body map[string]any) (int, any) {
	e := f.events[id]
	if e == nil || (e.Status == "cancelled" && method != http.MethodGet) {
		return http.StatusGone, map[string]any{"error": map[string]any{"code": 410, "message": "Resource has been deleted"}}
	}
	switch method {
	case http.MethodPatch, http.MethodPut:
		f.patch(e, body)
	case http.MethodDelete:
		e.Status = "cancelled"
		f.touch(e)
		return http.StatusNoContent, nil
	}
	return http.StatusOK, e.json()
}

// patch applies an insert's or patch's body.
func (f *FakeCalendar) patch(e *FakeEvent, body map[string]any) {
	if v, ok := body["summary"].(string); ok {
		e.Summary = v
	}
	if v, ok := body["description"].(string); ok {
		e.Description = v
	}
	if v, ok := body["status"].(string); ok {
		e.Status = v
	}
	if v, ok := body["start"].(map[string]any); ok {
		e.Start, _ = v["dateTime"].(string)
	}
	if v, ok := body["end"].(map[string]any); ok {
		e.End, _ = v["dateTime"].(string)
	}
	f.touch(e)
}

func (f *FakeCalendar) touch(e *FakeEvent) {
	f.seq++
	e.changed, e.updated = f.seq, time.Now().UTC()
}

func (e *FakeEvent) json() map[string]any {
	out := map[string]any{"kind": "calendar#event", "id": e.ID, "status": e.Status,
		"updated": e.updated.Format("2006-01-02T15:04:05.000Z")}
	if e.Status == "cancelled" {
		return out // Google lists a deleted event by its id and status only
	}
	out["summary"], out["description"] = e.Summary, e.Description
	out["start"] = map[string]any{"dateTime": e.Start, "timeZone": "America/Chicago"}
	out["end"] = map[string]any{"dateTime": e.End, "timeZone": "America/Chicago"}
	if e.AllDay != "" {
		out["start"], out["end"] = map[string]any{"date": e.AllDay}, map[string]any{"date": e.AllDay}
	}
	if len(e.Attendees) > 0 {
		var as []any
		for _, a := range e.Attendees {
			as = append(as, map[string]any{"email": a, "responseStatus": "needsAction"})
		}
		out["attendees"] = as
	}
	return out
}

// list answers an events listing: with a syncToken the events changed
// since it (410 when it has expired), else every event (cancelled ones
// only with showDeleted); pageToken pages; the last page carries
// nextSyncToken.
func (f *FakeCalendar) list(calendar string, q map[string]string) (int, any) {
	since := 0
	if tok := q["syncToken"]; tok != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(tok, "sync-"))
		if err != nil || n < f.minSync {
			return http.StatusGone, map[string]any{"error": map[string]any{"code": 410, "message": "Sync token is no longer valid, a full sync is required.",
				"errors": []any{map[string]any{"domain": "calendar", "reason": "fullSyncRequired"}}}}
		}
		since = n
	}
	var items []any
	for _, id := range f.order {
		e := f.events[id]
		if e.Calendar != calendar || e.changed <= since || (since == 0 && e.Status == "cancelled" && q["showDeleted"] != "true") {
			continue
		}
		items = append(items, e.json())
	}
	offset, _ := strconv.Atoi(strings.TrimPrefix(q["pageToken"], "page-"))
	size := f.PageSize
	if size <= 0 {
		size = 250
	}
	out := map[string]any{"kind": "calendar#events"}
	end := min(offset+size, len(items))
	out["items"] = append([]any{}, items[min(offset, len(items)):end]...)
	if end < len(items) {
		out["nextPageToken"] = "page-" + strconv.Itoa(end)
	} else {
		out["nextSyncToken"] = "sync-" + strconv.Itoa(f.seq)
	}
	return http.StatusOK, out
}

// freeBusy answers the busy times of the asked calendars between timeMin
// and timeMax from the stored events.
func (f *FakeCalendar) freeBusy(body map[string]any) map[string]any {
	from, _ := time.Parse(time.RFC3339, fmt.Sprint(body["timeMin"]))
	to, _ := time.Parse(time.RFC3339, fmt.Sprint(body["timeMax"]))
	cals := map[string]any{}
	items, _ := body["items"].([]any)
	for _, it := range items {
		id, _ := it.(map[string]any)["id"].(string)
		busy := []any{}
		for _, eid := range f.order {
			e := f.events[eid]
			s, err1 := time.Parse(time.RFC3339, e.Start)
			en, err2 := time.Parse(time.RFC3339, e.End)
			if e.Calendar != id || e.Status == "cancelled" || err1 != nil || err2 != nil || !s.Before(to) || !en.After(from) {
				continue
			}
			busy = append(busy, map[string]any{"start": s.UTC().Format(time.RFC3339), "end": en.UTC().Format(time.RFC3339)})
		}
		cals[id] = map[string]any{"busy": busy}
	}
	return map[string]any{"kind": "calendar#freeBusy", "calendars": cals}
}

// Add stores an event as if made in Google Calendar itself and returns
// its id.
func (f *FakeCalendar) Add(calendar, summary, start, end string, attendees ...string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	e := f.insert(calendar, map[string]any{"summary": summary, "start": map[string]any{"dateTime": start}, "end": map[string]any{"dateTime": end}})
	f.events[e["id"].(string)].Attendees = attendees
	return e["id"].(string)
}

// AddAllDay stores an all-day event on date (2006-01-02).
func (f *FakeCalendar) AddAllDay(calendar, summary, date string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	e := f.insert(calendar, map[string]any{"summary": summary})
	f.events[e["id"].(string)].AllDay = date
	return e["id"].(string)
}

// Move changes an event's times as a person would in the calendar.
func (f *FakeCalendar) Move(id, start, end string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.patch(f.events[id], map[string]any{"start": map[string]any{"dateTime": start}, "end": map[string]any{"dateTime": end}})
}

// Delete deletes an event in the calendar (it is listed as cancelled).
func (f *FakeCalendar) Delete(id string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.events[id].Status = "cancelled"
	f.touch(f.events[id])
}

// ExpireSyncTokens makes every sync token given so far answer 410 Gone.
func (f *FakeCalendar) ExpireSyncTokens() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.minSync = f.seq + 1
}

// Event returns a copy of a stored event (nil when unknown).
func (f *FakeCalendar) Event(id string) *FakeEvent {
	f.mu.Lock()
	defer f.mu.Unlock()
	if e := f.events[id]; e != nil {
		c := *e
		return &c
	}
	return nil
}

// Events returns copies of the stored events, in the order made.
func (f *FakeCalendar) Events() []FakeEvent {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]FakeEvent, 0, len(f.order))
	for _, id := range f.order {
		out = append(out, *f.events[id])
	}
	return out
}

// Calls returns the requests served so far.
func (f *FakeCalendar) Calls() []CalendarCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]CalendarCall(nil), f.calls...)
}

// Listings returns the events listings served so far, in order.
func (f *FakeCalendar) Listings() []CalendarCall {
	var out []CalendarCall
	for _, c := range f.Calls() {
		if c.Method == http.MethodGet && strings.HasSuffix(c.Path, "/events") {
			out = append(out, c)
		}
	}
	return out
}
