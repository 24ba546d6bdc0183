// Package urls builds the admin app's URLs from the router's route names,
// so that no redirect, link or form action spells a path by hand. The
// router puts itself (its Reverse) into every request's context; handlers
// and views read it back with From and call the typed helpers.
package urls

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
)

// Reverser gives the path of a named route with its parameters filled in,
// in order (echo's Echo.Reverse).
type Reverser interface {
	Reverse(name string, params ...any) string
}

type ctxKey struct{}

// With returns ctx carrying the router's Reverser.
func With(ctx context.Context, r Reverser) context.Context {
	return context.WithValue(ctx, ctxKey{}, r)
}

// URLs are the typed URL helpers of one router.
type URLs struct{ r Reverser }

// Of returns the URLs of router r.
func Of(r Reverser) URLs { return URLs{r: r} }

// From returns the URLs of the router that serves the request of ctx.
func From(ctx context.Context) URLs {
	r, _ := ctx.Value(ctxKey{}).(Reverser)
	return URLs{r: r}
}

// Named returns the path of the named route with params filled in. A name
// the router does not know is a programming error: it panics, so the first
// test that renders the page finds it.
func (u URLs) Named(name string, params ...any) string {
	if u.r == nil {
		panic(fmt.Sprintf("urls: no router in the context (building %q)", name))
	}
	p := u.r.Reverse(name, params...)
	if p == "" {
		panic(fmt.Sprintf("urls: no route named %q", name))
	}
	return p
}

// id renders a numeric path parameter.
func id(n int64) string { return strconv.FormatInt(n, 10) }

// seg escapes a text path parameter.
func seg(s string) string { return url.PathEscape(s) }

// WithQuery appends an encoded query (if any) to a path.
func WithQuery(path string, q url.Values) string {
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}
