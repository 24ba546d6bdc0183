package main

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/sqlitedialect"
	"github.com/uptrace/bun/driver/sqliteshim"
)

// The write gate. SQLite has one writer. The product queues its own write
// transactions on a mutex (models.Store's txMu) so that the lock is handed
// over at once instead of through SQLite's sleeping busy handler; River's
// own writes (the producer's fetch, an UPDATE … RETURNING; the completer's
// transaction; leader election; queue upkeep) do not go through the
// product's store, so they meet the product's writers in the busy
// handler, which sleeps 1, 2, 5, 10 … 100 ms between tries. The gate is the
// same queue one level lower, in the database/sql driver: a write
// transaction holds it from BEGIN to COMMIT/ROLLBACK, a write statement
// outside a transaction for its run. Both River and the product then queue
// in Go. The product would get it from database.Open; the spike builds it
// here with the same DSN as database.openSQLite.
type gate struct{ mu sync.Mutex }

// openGatedSQLite opens path like database.Open does, through the gate.
func openGatedSQLite(ctx context.Context, path string) (*bun.DB, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	dsn := "file:" + path + "?_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)" +
		"&_pragma=synchronous(NORMAL)&_txlock=immediate&_time_format=sqlite"
	sqldb := sql.OpenDB(&gatedConnector{dsn: dsn, d: sqliteshim.Driver(), g: &gate{}})
	sqldb.SetMaxOpenConns(8)
	sqldb.SetMaxIdleConns(8)
	sqldb.SetConnMaxIdleTime(5 * time.Minute)
	db := bun.NewDB(sqldb, sqlitedialect.New())
	if err := db.PingContext(ctx); err != nil {
		return nil, fmt.Errorf("gated sqlite: %w", err)
	}
	return db, nil
}

type gatedConnector struct {
	dsn string
	d   driver.Driver
	g   *gate
}

func (c *gatedConnector) Connect(context.Context) (driver.Conn, error) {
	conn, err := c.d.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	return &gatedConn{Conn: conn, g: c.g}, nil
}

func (c *gatedConnector) Driver() driver.Driver { return c.d }

type gatedConn struct {
	driver.Conn
	g    *gate
	inTx bool
}

func (c *gatedConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	c.g.mu.Lock()
	tx, err := c.Conn.(driver.ConnBeginTx).BeginTx(ctx, opts)
	if err != nil {
		c.g.mu.Unlock()
		return nil, err
	}
	c.inTx = true
	return &gatedTx{Tx: tx, c: c}, nil
}

type gatedTx struct {
	driver.Tx
	c *gatedConn
}

func (t *gatedTx) end(err error) error {
	t.c.inTx = false
	t.c.g.mu.Unlock()
	return err
}

func (t *gatedTx) Commit() error   { return t.end(t.Tx.Commit()) }
func (t *gatedTx) Rollback() error { return t.end(t.Tx.Rollback()) }

// isWrite reports whether a statement writes (sqlc's leading "-- name:"
// comment skipped); WITH counts as a write, to be safe.
func isWrite(q string) bool {
	for {
		q = strings.TrimLeft(q, " \t\r\n")
		if !strings.HasPrefix(q, "--") {
			break
		}
		if i := strings.IndexByte(q, '\n'); i >= 0 {
			q = q[i+1:]
		} else {
			return false
		}
	}
	if len(q) > 7 {
		q = q[:7]
	}
	q = strings.ToUpper(q)
	for _, p := range []string{"INSERT", "UPDATE", "DELETE", "REPLACE", "WITH", "CREATE", "DROP", "ALTER"} {
		if strings.HasPrefix(q, p) {
			return true
		}
	}
	return false
}

func (c *gatedConn) ExecContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Result, error) {
	if !c.inTx && isWrite(q) {
		c.g.mu.Lock()
		defer c.g.mu.Unlock()
	}
	return c.Conn.(driver.ExecerContext).ExecContext(ctx, q, args)
}

func (c *gatedConn) QueryContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Rows, error) {
	if c.inTx || !isWrite(q) {
		return c.Conn.(driver.QueryerContext).QueryContext(ctx, q, args)
	}
	c.g.mu.Lock()
	rows, err := c.Conn.(driver.QueryerContext).QueryContext(ctx, q, args)
	if err != nil {
		c.g.mu.Unlock()
		return nil, err
	}
	return &gatedRows{Rows: rows, unlock: c.g.mu.Unlock}, nil
}

// CheckNamedValue hands argument conversion to the SQLite driver.
func (c *gatedConn) CheckNamedValue(nv *driver.NamedValue) error {
	if ch, ok := c.Conn.(driver.NamedValueChecker); ok {
		return ch.CheckNamedValue(nv)
	}
	return driver.ErrSkip
}

func (c *gatedConn) ResetSession(ctx context.Context) error {
	if r, ok := c.Conn.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

type gatedRows struct {
	driver.Rows
	once   sync.Once
	unlock func()
}

func (r *gatedRows) Close() error {
	err := r.Rows.Close()
	r.once.Do(r.unlock)
	return err
}
