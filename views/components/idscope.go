package components

import (
	"context"
	"io"

	"github.com/a-h/templ"
)

type idScopeKey struct{}

// IDScope renders its children with every field's id (and its label's
// for, and its error's id) prefixed by prefix, so that two forms with the
// same fields on one page (a card per environment or per integration)
// keep their ids unique and each label focuses its own control.
func IDScope(prefix string) templ.Component {
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		children := templ.GetChildren(ctx)
		ctx = templ.ClearChildren(ctx)
		return children.Render(context.WithValue(ctx, idScopeKey{}, prefix), w)
	})
}

// idScope is the prefix of the IDScope ctx is rendered in ("" outside any).
func idScope(ctx context.Context) string {
	s, _ := ctx.Value(idScopeKey{}).(string)
	return s
}

// FieldID is the id of the field named name: f-NAME, or f-PREFIX-NAME
// inside an IDScope.
func FieldID(ctx context.Context, name string) string {
	return "f-" + idScope(ctx) + name
}

// errorID is the id of the field's error message.
func errorID(ctx context.Context, name string) string {
	return "e-" + idScope(ctx) + name
}
