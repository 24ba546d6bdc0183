// Package api is the JSON API's wire contract: the request bodies, the
// query structs and the answers that handlers decode and answer, and the
// presenters that turn the services' values into answers. The route table
// hands these types to the OpenAPI generator, so the document describes
// exactly what is read and written; a Go client (the tests among them) can
// use them too. No HTTP in here: handlers do the decoding and answering.
package api
