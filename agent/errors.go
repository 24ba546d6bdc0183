package agent

import (
	"encoding/json"
	"errors"
	"maps"

	"switchboard/apperr"
)

// toolFailure is a refused tool call as the agent reads it: the same code,
// detail, per-field errors and extra members as the JSON API's problem
// document, as JSON in the tool result's text.
type toolFailure struct {
	err error
	doc map[string]any
}

func (f *toolFailure) Error() string {
	b, _ := json.Marshal(f.doc)
	return string(b)
}

func (f *toolFailure) Unwrap() error { return f.err }

// toolError turns a service error into a tool error (nil stays nil); an
// error without a code is reported as internal, without its details.
func toolError(err error) error {
	if err == nil {
		return nil
	}
	var e *apperr.Error
	if !errors.As(err, &e) {
		return &toolFailure{err: err, doc: map[string]any{"code": apperr.CodeInternal, "detail": "something went wrong; it was logged"}}
	}
	doc := map[string]any{"code": e.Code, "detail": e.Message}
	if e.Code == apperr.CodeInternal {
		doc["detail"] = "something went wrong; it was logged"
	}
	if len(e.Fields) > 0 {
		doc["errors"] = e.Fields
	}
	maps.Copy(doc, e.Extra)
	return &toolFailure{err: err, doc: doc}
}
