package calllog

import (
	"context"
	"strings"

	"switchboard/models"
)

// Caller kinds of an Entry.
const (
	CallerAPIKey = "api_key"
	CallerUser   = "user"
	CallerSystem = "system"
)

// Log reads the call log for the /calls page and GET /api/admin/calls.
type Log struct {
	store *models.Store
}

// NewLog returns the call log's reader.
func NewLog(store *models.Store) *Log { return &Log{store: store} }

// Entry is one call of the log with its caller named for people: an API
// key by its name, a user by their name (their e-mail when they have
// none), and the system's own callers (sync, reference lists) as they are.
type Entry struct {
	models.APICall
	CallerName string
	CallerKind string
}

// List returns one page of the organization's calls, newest first.
func (l *Log) List(ctx context.Context, orgID int64, f models.CallFilter) ([]Entry, error) {
	t := l.store.Tenant(orgID)
	calls, err := t.APICalls(ctx, f)
	if err != nil {
		return nil, err
	}
	names, err := l.userNames(ctx, t, calls)
	if err != nil {
		return nil, err
	}
	out := make([]Entry, len(calls))
	for i, c := range calls {
		out[i] = entry(c, names)
	}
	return out, nil
}

// Get returns one call with its redacted exchange.
func (l *Log) Get(ctx context.Context, orgID, id int64) (*Entry, error) {
	t := l.store.Tenant(orgID)
	c, err := t.APICallByID(ctx, id)
	if err != nil {
		return nil, err
	}
	names, err := l.userNames(ctx, t, []models.APICall{*c})
	if err != nil {
		return nil, err
	}
	e := entry(*c, names)
	return &e, nil
}

// userNames maps the e-mail of each member of the organization to their
// name, when any call was made by a user.
func (l *Log) userNames(ctx context.Context, t *models.Tenant, calls []models.APICall) (map[string]string, error) {
	need := false
	for _, c := range calls {
		need = need || strings.Contains(c.Caller, "@")
	}
	if !need {
		return nil, nil
	}
	ms, err := t.Members(ctx)
	if err != nil {
		return nil, err
	}
	names := make(map[string]string, len(ms))
	for _, m := range ms {
		if m.User != nil && m.User.Name != "" {
			names[strings.ToLower(m.User.Email)] = m.User.Name
		}
	}
	return names, nil
}

// entry names a call's caller.
func entry(c models.APICall, names map[string]string) Entry {
	e := Entry{APICall: c, CallerName: c.Caller, CallerKind: CallerSystem}
	switch {
	case strings.HasPrefix(c.Caller, "api key "):
		e.CallerKind = CallerAPIKey
		name := strings.TrimPrefix(c.Caller, "api key ")
		if i := strings.LastIndex(name, " ("); i > 0 {
			name = name[:i]
		}
		e.CallerName = name
	case strings.Contains(c.Caller, "@"):
		e.CallerKind = CallerUser
		if n := names[strings.ToLower(c.Caller)]; n != "" {
			e.CallerName = n
		}
	default:
		if w, ok := systemCallers[c.Caller]; ok {
			e.CallerName = w
		}
	}
	return e
}

// systemCallers name Switchboard's own callers for people.
var systemCallers = map[string]string{
	"sync":            "Sync delivery",
	"sync poll":       "Sync poll",
	"reference lists": "Reference lists",
	"availability":    "Availability check",
}
