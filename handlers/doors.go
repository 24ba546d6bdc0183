package handlers

import (
	"github.com/labstack/echo/v4"
	"switchboard/urls"

	"switchboard/accounts"

	"switchboard/models"
	"switchboard/web"
	"switchboard/web/middleware"
	"switchboard/web/session"
)

// door is who may call a route: each door is a middleware stack, from the
// outside in.
type door int

const (
	// public routes need no session: probes, assets, webhooks (signed).
	public door = iota
	// visitor pages load the cookie session, signed in or not.
	visitor
	// staff pages need a signed-in user of any role.
	staff
	// admin pages need an owner or an admin.
	admin
	// owner pages need an owner.
	owner
	// apiAny routes take an API key, or a signed-in session (CSRF-checked).
	apiAny
	// apiAdmin routes take admin keys and owner or admin sessions.
	apiAdmin
	// apiExec is the execution API: any key with execute:read, owner and
	// admin sessions.
	apiExec
	// apiRead reads records: records:read.
	apiRead
	// apiWrite writes records: records:write, Idempotency-Key.
	apiWrite
	// apiBooking is the original system's booking surface (records:read
	// declared on its row), Idempotency-Key (its writes check records:write themselves).
	apiBooking
)

// stacks are the middleware of each door.
func (w Web) stacks() map[door][]echo.MiddlewareFunc {
	pages := []echo.MiddlewareFunc{w.Sessions.Load, session.CSRF, w.Sessions.RequireSetup}
	signedIn := with(pages, session.RequireUser)
	return map[door][]echo.MiddlewareFunc{
		public:  nil,
		visitor: pages,
		staff:   signedIn,
		admin:   with(signedIn, session.RequireRole(models.RoleAdmin)),
		owner:   with(signedIn, session.RequireRole(models.RoleOwner)),
		// The agents' doors note the trace a call is made under.
		apiAny:     {middleware.TraceID, w.Sessions.APIAuth},
		apiAdmin:   {w.Sessions.APIAuth, session.RequireAPIAdmin},
		apiExec:    {middleware.TraceID, w.Sessions.APIAuth, session.RequireExecutor},
		apiRead:    {middleware.TraceID, w.Sessions.APIAuth},
		apiWrite:   {middleware.TraceID, w.Sessions.APIAuth},
		apiBooking: {middleware.TraceID, w.Sessions.APIAuth},
	}
}

// middlewareOf is a route's middleware: its door's stack, then the one
// check of the scope its row declares (and of the integration it names),
// then, for record writes, the Idempotency-Key guard.
func (w Web) middlewareOf(rt route, stacks map[door][]echo.MiddlewareFunc) []echo.MiddlewareFunc {
	out := with([]echo.MiddlewareFunc{web.DeclareQuery(rt.query)}, stacks[rt.door]...)
	if rt.scope != roleOnly && rt.scope != scopePublic {
		out = append(out, session.RequireScope(rt.scope))
	}
	if rt.door == apiWrite || rt.door == apiBooking {
		out = append(out, w.Idempotency)
	}
	if d := doorName(rt); d != "" {
		out = append(out, actorIn(d))
	}
	return out
}

// doorName is the door a route's changes are audited as: a page, the
// JSON API, MCP or the booking API ("" for routes without a principal).
func doorName(rt route) string {
	switch {
	case rt.door == staff || rt.door == admin || rt.door == owner:
		return accounts.DoorPage
	case rt.door == apiBooking:
		return accounts.DoorBooking
	case rt.name == urls.MCPPost || rt.name == urls.MCPGet || rt.name == urls.MCPDelete:
		return accounts.DoorMCP
	case rt.door >= apiAny:
		return accounts.DoorAPI
	}
	return ""
}

// actorIn puts the request's actor, with its door, into the request's
// context, where the services that audit record changes read it.
func actorIn(door string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if session.From(c) != nil {
				a := session.Actor(c)
				a.Door = door
				r := c.Request()
				c.SetRequest(r.WithContext(accounts.WithActor(r.Context(), a)))
			}
			return next(c)
		}
	}
}

// with is stack followed by more, in a slice of its own.
func with(stack []echo.MiddlewareFunc, more ...echo.MiddlewareFunc) []echo.MiddlewareFunc {
	out := make([]echo.MiddlewareFunc, 0, len(stack)+len(more))
	return append(append(out, stack...), more...)
}

// The scopes a row of the route table declares: an API key's scope
// (models.Scope*), or one of these. Every /api route declares one
// (TestEveryAPIRouteDeclaresAScope).
const (
	// roleOnly is a page's: the cookie session's role decides.
	roleOnly = ""
	// scopePublic needs no credentials at all.
	scopePublic = "public"
	// scopeAnyKey takes any signed-in caller, key or session: who-am-I,
	// and MCP, which checks each tool's own scope.
	scopeAnyKey = session.ScopeAny

	execRead         = models.ScopeExecuteRead
	recordsRead      = models.ScopeRecordsRead
	recordsWrite     = models.ScopeRecordsWrite
	adminRead        = models.ScopeAdminRead
	adminWrite       = models.ScopeAdminWrite
	credentialsWrite = models.ScopeCredentialsWrite
)

// route is one row of the route table: method and path, its one name
// (what URLs are built from), the handler, its door, the scope an API key
// needs for it, the struct its query is bound into (nil: it reads none),
// and, for /api routes, what the OpenAPI document says of it.
type route struct {
	method, path, name string
	h                  echo.HandlerFunc
	door               door
	scope              string
	query              any
	doc                *apiOp
}
