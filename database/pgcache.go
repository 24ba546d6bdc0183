package database

import (
	"context"
	"database/sql/driver"
	"reflect"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// fixedTexts is the PostgreSQL connector used when the URL names no
// query mode: a statement sent with arguments has a fixed text (River's
// queries, the models' prepared ones), so each connection prepares it once
// and reuses it (pgx's statement cache); one sent without arguments (bun
// inlines every value) goes in one round trip as it is. River's job insert
// in a booking's transaction was parsed and planned afresh each time
// otherwise, about a quarter of the server's CPU per booking.
type fixedTexts struct{ driver.Connector }

// Connect implements driver.Connector.
func (c fixedTexts) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return fixedTextConn{conn.(*stdlib.Conn)}, nil
}

// fixedTextConn is a pgx connection whose statements with arguments use
// pgx's statement cache.
type fixedTextConn struct{ *stdlib.Conn }

// QueryContext implements driver.QueryerContext.
func (c fixedTextConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	return c.Conn.QueryContext(ctx, query, cacheStatement(args))
}

// ExecContext implements driver.ExecerContext.
func (c fixedTextConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	return c.Conn.ExecContext(ctx, query, cacheStatement(args))
}

// cacheStatement leads args with pgx's cached-statement mode, unless
// there are none (nothing to reuse) or the caller chose a mode. An
// argument that gives its value as text (River's arrays, lib/pq's
// wrappers) is handed over as that text: pgx sends a string as a text
// parameter, which PostgreSQL reads itself, where it would otherwise parse
// the text back into Go values to send them in binary (a sixth of a
// booking's CPU in River's job insert).
func cacheStatement(args []driver.NamedValue) []driver.NamedValue {
	if len(args) == 0 {
		return args
	}
	if _, chosen := args[0].Value.(pgx.QueryExecMode); chosen {
		return args
	}
	out := make([]driver.NamedValue, 0, len(args)+1)
	out = append(out, driver.NamedValue{Value: pgx.QueryExecModeCacheStatement})
	for _, a := range args {
		if text, ok := textValue(a.Value); ok {
			a.Value = text
		}
		out = append(out, a)
	}
	return out
}

// textValue is the text a driver.Valuer gives for v, when it gives text.
func textValue(v any) (string, bool) {
	valuer, ok := v.(driver.Valuer)
	if !ok {
		return "", false
	}
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.Pointer && rv.IsNil() {
		return "", false
	}
	value, err := valuer.Value()
	if err != nil {
		return "", false
	}
	text, ok := value.(string)
	return text, ok
}
