package web

import (
	"fmt"
	"net/url"
	"reflect"
	"strconv"

	"github.com/labstack/echo/v4"

	"switchboard/apperr"
)

// keyQuery is where DeclareQuery leaves the route's query declaration.
const keyQuery = "sb.query"

// declared is the query struct a route declares (nil type: none).
type declared struct{ t reflect.Type }

// DeclareQuery is the router's middleware that records which struct a
// route's query is bound into (q is a zero value of it, nil for a route
// that reads no query). BindQuery refuses any other struct, so that a
// handler can read no query parameter its route does not declare — and the
// OpenAPI document is generated from the same declaration.
func DeclareQuery(q any) echo.MiddlewareFunc {
	d := declared{}
	if q != nil {
		d.t = reflect.TypeOf(q)
	}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			c.Set(keyQuery, d)
			return next(c)
		}
	}
}

// BindQuery reads the request's query into q, a pointer to the struct the
// route declares (see DeclareQuery; binding another is a programming error,
// answered 500). Each field is named by its `query` tag: a string, a bool
// (only "true" is true), an int or an int64, or a pointer to one (nil when
// the parameter is absent); an embedded struct's fields are the query's
// too. An empty parameter counts as absent. A number that does not parse is
// 400 invalid_request naming the parameter, worded by the field's
// `invalid` tag.
func BindQuery(c echo.Context, q any) error {
	v := reflect.ValueOf(q)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return fmt.Errorf("web: BindQuery takes a pointer to a struct, not %T", q)
	}
	d, _ := c.Get(keyQuery).(declared)
	if d.t != v.Elem().Type() {
		return fmt.Errorf("web: %s %s binds its query into %s but the route table declares %v", c.Request().Method, c.Path(), v.Elem().Type(), d.t)
	}
	return bindValues(c.QueryParams(), v.Elem())
}

// bindValues sets the fields of the struct v from values.
func bindValues(values url.Values, v reflect.Value) error {
	t := v.Type()
	for i := range t.NumField() {
		f, fv := t.Field(i), v.Field(i)
		if f.Anonymous && f.Type.Kind() == reflect.Struct {
			if err := bindValues(values, fv); err != nil {
				return err
			}
			continue
		}
		name := f.Tag.Get("query")
		raw := values.Get(name)
		if name == "" || raw == "" {
			continue
		}
		if err := setValue(fv, raw); err != nil {
			msg := f.Tag.Get("invalid")
			if msg == "" {
				msg = "must be a whole number"
			}
			return FieldError(apperr.CodeInvalidRequest, name, msg)
		}
	}
	return nil
}

// setValue sets v (a string, bool, int or int64, or a pointer to one)
// from raw.
func setValue(v reflect.Value, raw string) error {
	if v.Kind() == reflect.Pointer {
		p := reflect.New(v.Type().Elem())
		if err := setValue(p.Elem(), raw); err != nil {
			return err
		}
		v.Set(p)
		return nil
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(raw)
	case reflect.Bool:
		v.SetBool(raw == "true")
	case reflect.Int, reflect.Int64:
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || v.OverflowInt(n) {
			return fmt.Errorf("web: %q is not a whole number", raw)
		}
		v.SetInt(n)
	default:
		panic(fmt.Sprintf("web: a query field of kind %s", v.Kind()))
	}
	return nil
}

// QueryValues is the inverse of BindQuery: q's fields (a struct or a
// pointer to one) as a query, leaving out the empty ones. Pages build the
// links to their next page with it.
func QueryValues(q any) url.Values {
	out := url.Values{}
	v := reflect.Indirect(reflect.ValueOf(q))
	addValues(out, v)
	return out
}

func addValues(out url.Values, v reflect.Value) {
	t := v.Type()
	for i := range t.NumField() {
		f, fv := t.Field(i), v.Field(i)
		if f.Anonymous && f.Type.Kind() == reflect.Struct {
			addValues(out, fv)
			continue
		}
		name := f.Tag.Get("query")
		if name == "" || fv.IsZero() {
			continue
		}
		fv = reflect.Indirect(fv)
		switch fv.Kind() {
		case reflect.String:
			out.Set(name, fv.String())
		case reflect.Bool:
			out.Set(name, strconv.FormatBool(fv.Bool()))
		case reflect.Int, reflect.Int64:
			out.Set(name, strconv.FormatInt(fv.Int(), 10))
		}
	}
}
