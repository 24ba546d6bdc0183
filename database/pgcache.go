package database

import (
	"context"
	"database/sql/driver"

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
// there are none (nothing to reuse) or the caller chose a mode.
func cacheStatement(args []driver.NamedValue) []driver.NamedValue {
	if len(args) == 0 {
		return args
	}
	if _, chosen := args[0].Value.(pgx.QueryExecMode); chosen {
		return args
	}
	return append([]driver.NamedValue{{Value: pgx.QueryExecModeCacheStatement}}, args...)
}
