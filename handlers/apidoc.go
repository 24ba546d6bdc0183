package handlers

import "switchboard/web/openapi"

// The tags that group the OpenAPI document's operations.
const (
	tagMeta      = "meta"
	tagExecute   = "execution"
	tagRecords   = "records"
	tagReference = "reference"
	tagAdmin     = "admin"
	tagSync      = "sync"
)

// Shorthands of the route table's answers.
var (
	ok        = openapi.OK
	created   = openapi.Created
	noContent = openapi.NoContent
)

// apiOp declares one /api route for the OpenAPI document.
type apiOp = openapi.Op

// apiRoutes are the table's routes as the document sees them; a route
// without a declaration fails TestOpenAPIEveryRoute.
func apiRoutes(table []route) []openapi.Route {
	out := make([]openapi.Route, 0, len(table))
	for _, r := range table {
		out = append(out, openapi.Route{Method: r.method, Path: r.path, Name: r.name, Scope: r.scope, Query: r.query, Op: r.doc})
	}
	return out
}
