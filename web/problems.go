package web

import (
	"switchboard/apperr"
	"switchboard/views/pages"
)

// Problems lists the field problems of a validation error (and of a
// conflict or an invalid request, as one problem of the field document),
// as a form or an editor shows them; nil for any other error.
func Problems(err error) []pages.DocProblem {
	e, ok := apperr.As(err)
	if !ok {
		return nil
	}
	switch e.Code {
	case apperr.CodeValidationFailed:
		out := make([]pages.DocProblem, 0, len(e.Fields))
		for _, f := range e.Fields {
			out = append(out, pages.DocProblem{Field: f.Field, Message: f.Message})
		}
		return out
	case apperr.CodeConflict, apperr.CodeInvalidRequest:
		return []pages.DocProblem{{Field: "document", Message: e.Message}}
	}
	return nil
}

// ProblemMap is problems by field, the first one of each.
func ProblemMap(ps []pages.DocProblem) map[string]string {
	m := map[string]string{}
	for _, p := range ps {
		if m[p.Field] == "" {
			m[p.Field] = p.Message
		}
	}
	return m
}
