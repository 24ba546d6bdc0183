package sandbox

import (
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// LangfusePrefix is the path of the Langfuse base URL: its public API is
// under LangfusePrefix + "/api/public".
const LangfusePrefix = "/langfuse"

// LangfuseTrace is a trace of the fake Langfuse project, in the public
// API's field names.
type LangfuseTrace struct {
	ID        string    `json:"id"`
	Timestamp time.Time `json:"timestamp"`
	Name      string    `json:"name"`
	SessionID string    `json:"sessionId,omitempty"`
	UserID    string    `json:"userId,omitempty"`
	Tags      []string  `json:"tags"`
	Input     any       `json:"input,omitempty"`
	Output    any       `json:"output,omitempty"`
	// Latency is in seconds, TotalCost in US dollars, as Langfuse answers.
	Latency   float64 `json:"latency"`
	TotalCost float64 `json:"totalCost"`
}

// lfObservation is one observation (a generation or a span) of a trace.
type lfObservation struct {
	ID        string    `json:"id"`
	TraceID   string    `json:"traceId"`
	Type      string    `json:"type"`
	Name      string    `json:"name"`
	StartTime time.Time `json:"startTime"`
	EndTime   time.Time `json:"endTime"`
	Model     string    `json:"model,omitempty"`
	Cost      float64   `json:"calculatedTotalCost"`
}

// lfScore is one score given to a trace.
type lfScore struct {
	ID        string    `json:"id"`
	TraceID   string    `json:"traceId"`
	Name      string    `json:"name"`
	Value     float64   `json:"value"`
	Comment   string    `json:"comment,omitempty"`
	Timestamp time.Time `json:"timestamp"`
}

// lfState is the fake Langfuse project.
type lfState struct {
	mu     sync.Mutex
	traces []LangfuseTrace
	obs    []lfObservation
	scores []lfScore
}

// seed fills the project with a week of the booking agent's traces, in four
// sessions of two callers; one trace's input carries a card number and an
// API key, which an import must not keep.
func (l *lfState) seed(now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.traces, l.obs, l.scores = nil, nil, nil
	day := now.UTC().Truncate(time.Hour)
	for i := range 12 {
		at := day.Add(-time.Duration(11-i) * 13 * time.Hour)
		session := fmt.Sprintf("call-%d", 1001+i/3)
		user := []string{"+15125550101", "+15125550142"}[i/3%2]
		t := LangfuseTrace{ID: fmt.Sprintf("trace-%03d", i+1), Timestamp: at, Name: []string{"book-appointment", "find-slots", "answer-question"}[i%3],
			SessionID: session, UserID: user, Tags: []string{"voice", []string{"booking", "faq"}[i%3/2]},
			Input:   map[string]any{"transcript": fmt.Sprintf("Caller asks for a cleaning, turn %d.", i+1)},
			Output:  map[string]any{"reply": "I can offer Tuesday at 10:30."},
			Latency: 0.8 + float64(i%4)*0.35, TotalCost: 0.0021 + float64(i%5)*0.0013}
		if i == 4 {
			t.Input = map[string]any{"transcript": "My card is 4111 1111 1111 1111, charge the copay.", "api_key": "sk-live-abcdef123456"}
		}
		l.add(t)
	}
}

// add stores a trace and its generation (the lock is held).
func (l *lfState) add(t LangfuseTrace) {
	l.traces = append(l.traces, t)
	end := t.Timestamp.Add(time.Duration(t.Latency * float64(time.Second)))
	l.obs = append(l.obs, lfObservation{ID: "obs-" + t.ID, TraceID: t.ID, Type: "GENERATION", Name: "llm",
		StartTime: t.Timestamp, EndTime: end, Model: "gpt-4o-mini", Cost: t.TotalCost})
}

// AddLangfuseTrace adds a trace to the fake project (tests: an import
// after it sees one more).
func (s *Sandbox) AddLangfuseTrace(t LangfuseTrace) {
	s.lf.mu.Lock()
	defer s.lf.mu.Unlock()
	if t.Tags == nil {
		t.Tags = []string{}
	}
	s.lf.add(t)
}

// LangfuseScores is how many scores the fake project holds.
func (s *Sandbox) LangfuseScores() int {
	s.lf.mu.Lock()
	defer s.lf.mu.Unlock()
	return len(s.lf.scores)
}

// serveLangfuse checks the basic auth (public key as user, secret key as
// password) and routes the public API.
func (s *Sandbox) serveLangfuse(w http.ResponseWriter, r *http.Request) {
	user, pass, ok := r.BasicAuth()
	if !ok || subtle.ConstantTimeCompare([]byte(user), []byte(s.cfg.LangfusePublicKey)) != 1 ||
		subtle.ConstantTimeCompare([]byte(pass), []byte(s.cfg.LangfuseSecretKey)) != 1 {
		odJSON(w, http.StatusUnauthorized, map[string]string{"message": "Invalid public or secret key"})
		return
	}
	p := strings.TrimPrefix(r.URL.Path, LangfusePrefix+"/api/public")
	switch {
	case r.Method == http.MethodGet && p == "/traces":
		s.lfListTraces(w, r)
	case r.Method == http.MethodGet && strings.HasPrefix(p, "/traces/"):
		s.lfGetTrace(w, strings.TrimPrefix(p, "/traces/"))
	case r.Method == http.MethodGet && p == "/sessions":
		s.lfListSessions(w, r)
	case r.Method == http.MethodGet && strings.HasPrefix(p, "/sessions/"):
		s.lfGetSession(w, strings.TrimPrefix(p, "/sessions/"))
	case r.Method == http.MethodGet && p == "/observations":
		s.lfListObservations(w, r)
	case r.Method == http.MethodGet && p == "/scores":
		s.lfListScores(w, r)
	case r.Method == http.MethodPost && p == "/scores":
		s.lfCreateScore(w, r)
	default:
		odJSON(w, http.StatusNotFound, map[string]string{"message": "Not found"})
	}
}

// lfPage is a page number and size of a list request (page from 1, limit
// 50 by default, at most 100).
type lfPage struct{ page, limit int }

func lfPageOf(r *http.Request) lfPage {
	q := r.URL.Query()
	p := lfPage{page: 1, limit: 50}
	if n, err := strconv.Atoi(q.Get("page")); err == nil && n > 0 {
		p.page = n
	}
	if n, err := strconv.Atoi(q.Get("limit")); err == nil && n > 0 {
		p.limit = min(n, 100)
	}
	return p
}

// paged answers one page of items with Langfuse's meta block.
func paged[T any](w http.ResponseWriter, items []T, p lfPage) {
	total := len(items)
	from := min((p.page-1)*p.limit, total)
	to := min(from+p.limit, total)
	pages := (total + p.limit - 1) / p.limit
	odJSON(w, http.StatusOK, map[string]any{"data": items[from:to],
		"meta": map[string]int{"page": p.page, "limit": p.limit, "totalItems": total, "totalPages": pages}})
}

// timeParam reads an RFC 3339 query parameter; ok is false when it is
// set and unreadable.
func timeParam(r *http.Request, name string) (time.Time, bool) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return time.Time{}, true
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	return t, err == nil
}

func (s *Sandbox) lfListTraces(w http.ResponseWriter, r *http.Request) {
	from, ok1 := timeParam(r, "fromTimestamp")
	to, ok2 := timeParam(r, "toTimestamp")
	if !ok1 || !ok2 {
		odJSON(w, http.StatusBadRequest, map[string]string{"message": "fromTimestamp and toTimestamp are ISO 8601 date-times"})
		return
	}
	q := r.URL.Query()
	s.lf.mu.Lock()
	var out []LangfuseTrace
	for _, t := range s.lf.traces {
		if (!from.IsZero() && t.Timestamp.Before(from)) || (!to.IsZero() && !t.Timestamp.Before(to)) ||
			(q.Get("sessionId") != "" && t.SessionID != q.Get("sessionId")) ||
			(q.Get("userId") != "" && t.UserID != q.Get("userId")) ||
			(q.Get("name") != "" && t.Name != q.Get("name")) ||
			(q.Get("tags") != "" && !slices.Contains(t.Tags, q.Get("tags"))) {
			continue
		}
		out = append(out, t)
	}
	s.lf.mu.Unlock()
	asc := q.Get("orderBy") == "timestamp.asc"
	slices.SortStableFunc(out, func(a, b LangfuseTrace) int {
		if asc {
			return a.Timestamp.Compare(b.Timestamp)
		}
		return b.Timestamp.Compare(a.Timestamp)
	})
	paged(w, out, lfPageOf(r))
}

func (s *Sandbox) lfGetTrace(w http.ResponseWriter, id string) {
	s.lf.mu.Lock()
	defer s.lf.mu.Unlock()
	for _, t := range s.lf.traces {
		if t.ID == id {
			var obs []lfObservation
			for _, o := range s.lf.obs {
				if o.TraceID == id {
					obs = append(obs, o)
				}
			}
			b, _ := json.Marshal(t)
			var m map[string]any
			_ = json.Unmarshal(b, &m)
			m["observations"] = obs
			odJSON(w, http.StatusOK, m)
			return
		}
	}
	odJSON(w, http.StatusNotFound, map[string]string{"message": "Trace not found within authorized project"})
}

// lfSession is a session as the list answers it.
type lfSession struct {
	ID        string    `json:"id"`
	CreatedAt time.Time `json:"createdAt"`
	ProjectID string    `json:"projectId"`
}

// sessions are the sessions of the project's traces, oldest first (the
// lock is held).
func (l *lfState) sessions() []lfSession {
	seen := map[string]int{}
	var out []lfSession
	for _, t := range l.traces {
		if t.SessionID == "" {
			continue
		}
		if i, ok := seen[t.SessionID]; ok {
			if t.Timestamp.Before(out[i].CreatedAt) {
				out[i].CreatedAt = t.Timestamp
			}
			continue
		}
		seen[t.SessionID] = len(out)
		out = append(out, lfSession{ID: t.SessionID, CreatedAt: t.Timestamp, ProjectID: "sandbox-project"})
	}
	return out
}

func (s *Sandbox) lfListSessions(w http.ResponseWriter, r *http.Request) {
	s.lf.mu.Lock()
	out := s.lf.sessions()
	s.lf.mu.Unlock()
	paged(w, out, lfPageOf(r))
}

func (s *Sandbox) lfGetSession(w http.ResponseWriter, id string) {
	s.lf.mu.Lock()
	defer s.lf.mu.Unlock()
	for _, ss := range s.lf.sessions() {
		if ss.ID != id {
			continue
		}
		var traces []LangfuseTrace
		for _, t := range s.lf.traces {
			if t.SessionID == id {
				traces = append(traces, t)
			}
		}
		odJSON(w, http.StatusOK, map[string]any{"id": ss.ID, "createdAt": ss.CreatedAt, "projectId": ss.ProjectID, "traces": traces})
		return
	}
	odJSON(w, http.StatusNotFound, map[string]string{"message": "Session not found"})
}

func (s *Sandbox) lfListObservations(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	s.lf.mu.Lock()
	var out []lfObservation
	for _, o := range s.lf.obs {
		if (q.Get("traceId") == "" || o.TraceID == q.Get("traceId")) && (q.Get("type") == "" || o.Type == q.Get("type")) {
			out = append(out, o)
		}
	}
	s.lf.mu.Unlock()
	paged(w, out, lfPageOf(r))
}

func (s *Sandbox) lfListScores(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	s.lf.mu.Lock()
	var out []lfScore
	for _, sc := range s.lf.scores {
		if (q.Get("traceId") == "" || sc.TraceID == q.Get("traceId")) && (q.Get("name") == "" || sc.Name == q.Get("name")) {
			out = append(out, sc)
		}
	}
	s.lf.mu.Unlock()
	paged(w, out, lfPageOf(r))
}

func (s *Sandbox) lfCreateScore(w http.ResponseWriter, r *http.Request) {
	var in struct {
		TraceID string   `json:"traceId"`
		Name    string   `json:"name"`
		Value   *float64 `json:"value"`
		Comment string   `json:"comment"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&in); err != nil || in.TraceID == "" || in.Name == "" || in.Value == nil {
		odJSON(w, http.StatusBadRequest, map[string]string{"message": "traceId, name and value are required"})
		return
	}
	s.lf.mu.Lock()
	defer s.lf.mu.Unlock()
	sc := lfScore{ID: fmt.Sprintf("score-%d", len(s.lf.scores)+1), TraceID: in.TraceID, Name: in.Name,
		Value: *in.Value, Comment: in.Comment, Timestamp: s.now().UTC()}
	s.lf.scores = append(s.lf.scores, sc)
	odJSON(w, http.StatusOK, map[string]string{"id": sc.ID})
}
