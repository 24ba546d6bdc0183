package accounts

import (
	"context"
	"log/slog"
	"strconv"

	"switchboard/models"
)

// Actor is who does something, as the audit log names them: the
// organization acted in (0: none yet, e.g. a failed sign-in), the user (nil
// for an API key or the CLI), a name (an email, "api key NAME (prefix…)",
// "cli"), and the address and user agent of the request, if any.
type Actor struct {
	OrgID     int64
	UserID    *int64
	Name      string
	IP        string
	UserAgent string
	// Door is how the change came in: DoorPage, DoorAPI, DoorMCP or
	// DoorBooking ("" for the CLI and background work).
	Door string
}

// The doors a record change comes through.
const (
	DoorPage    = "page"
	DoorAPI     = "api"
	DoorMCP     = "mcp"
	DoorBooking = "booking"
)

// Doors lists the doors, in the order the audit log's filter offers them.
var Doors = []string{DoorPage, DoorAPI, DoorMCP, DoorBooking}

type actorKey struct{}

// WithActor puts the request's actor into ctx, so that services deep in a
// call (the records service, whatever door called it) audit who did it.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom is the actor WithActor put into ctx (ok false when none).
func ActorFrom(ctx context.Context) (Actor, bool) {
	a, ok := ctx.Value(actorKey{}).(Actor)
	return a, ok
}

// CLI is the actor of the command line in an organization.
func CLI(orgID int64) Actor { return Actor{OrgID: orgID, Name: "cli"} }

// Target is what an audit entry is about: a type and an id.
type Target struct {
	Type string
	ID   string
}

// TargetOf is the target of a numbered row (an id of 0 names none).
func TargetOf(typ string, id int64) Target {
	return Target{Type: typ, ID: strconv.FormatInt(id, 10)}
}

// Audit writes the audit log. A write that fails is logged, never shown:
// the change it records has happened.
type Audit struct {
	store  *models.Store
	logger *slog.Logger
}

// NewAudit returns the audit writer over store.
func NewAudit(store *models.Store, logger *slog.Logger) *Audit {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Audit{store: store, logger: logger}
}

// Record writes one entry: actor did action to target.
func (a *Audit) Record(ctx context.Context, actor Actor, action Action, target Target, details map[string]any) {
	if err := a.write(ctx, actor, action, target, details); err != nil {
		a.logger.ErrorContext(ctx, "unable to write the audit log", "err", err, "action", string(action))
	}
}

// write writes one entry and says whether it could.
func (a *Audit) write(ctx context.Context, actor Actor, action Action, target Target, details map[string]any) error {
	ev := eventOf(actor, action, target, details)
	if actor.OrgID != 0 {
		org := actor.OrgID
		ev.OrganizationID = &org
	}
	return a.store.WriteAudit(ctx, ev)
}

// RecordIn writes one entry of tx's organization inside the transaction
// of the change it records: both commit or neither does.
func (a *Audit) RecordIn(ctx context.Context, tx *models.Tenant, actor Actor, action Action, target Target, details map[string]any) error {
	return tx.WriteAudit(ctx, eventOf(actor, action, target, details))
}

// eventOf is the entry of actor's action on target.
func eventOf(actor Actor, action Action, target Target, details map[string]any) models.AuditEvent {
	return models.AuditEvent{ActorUserID: actor.UserID, Actor: actor.Name, Action: string(action),
		TargetType: target.Type, TargetID: target.ID, Details: details, IP: actor.IP, UserAgent: actor.UserAgent, Door: actor.Door}
}

// Entries lists an organization's audit log, newest first.
func (a *Audit) Entries(ctx context.Context, orgID int64, f models.AuditFilter) ([]models.AuditEntry, error) {
	return a.store.Tenant(orgID).AuditEntries(ctx, f)
}
