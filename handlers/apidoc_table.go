package handlers

import (
	"net/http"
)

// apiOp declares one /api route for the OpenAPI document: what it does,
// what it takes and what it answers. The document is built from the route
// table (the route's query struct gives the query parameters); a route
// without one fails TestOpenAPIEveryRoute.
type apiOp struct {
	Summary string
	Tag     string
	// Body is a zero value of the JSON request body's type (nil: none).
	Body any
	// RawBody is a request body that is a document of its own (an import),
	// not JSON of a Go type.
	RawBody bool
	// Answers maps each success status to a zero value of its JSON body's
	// type; a nil value is an answer without a body.
	Answers map[int]any
	// Public routes need no credentials.
	Public bool
	// Idempotent writes accept an Idempotency-Key header.
	Idempotent bool
}

const (
	tagMeta      = "meta"
	tagExecute   = "execution"
	tagRecords   = "records"
	tagReference = "reference"
	tagAdmin     = "admin"
	tagSync      = "sync"
)

func ok(v any) map[int]any      { return map[int]any{http.StatusOK: v} }
func created(v any) map[int]any { return map[int]any{http.StatusCreated: v} }

var noContent = map[int]any{http.StatusNoContent: nil}
