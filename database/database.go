// Package database opens the bun database for a sqlite:// or postgres:// URL
// with the settings each engine needs to be safe under concurrency.
package database

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/dialect/sqlitedialect"
	"github.com/uptrace/bun/driver/sqliteshim"
)

// Open connects to the database named by rawURL and checks that it answers.
func Open(ctx context.Context, rawURL string) (*bun.DB, error) {
	switch {
	case strings.HasPrefix(rawURL, "sqlite://"):
		return openSQLite(ctx, strings.TrimPrefix(rawURL, "sqlite://"))
	case strings.HasPrefix(rawURL, "postgres://"), strings.HasPrefix(rawURL, "postgresql://"):
		return openPostgres(ctx, rawURL)
	}
	return nil, fmt.Errorf("database: unsupported URL %q: use sqlite://PATH or postgres://…", Redact(rawURL))
}

// Redact hides the password of a database URL for logs and errors. A URL
// that does not parse (a stray character in its host, say) still may hold
// one: everything between "://" and the last "@" before the path is
// hidden then.
func Redact(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		scheme, rest, ok := strings.Cut(rawURL, "://")
		authority := rest
		if i := strings.IndexAny(rest, "/?#"); i >= 0 {
			authority = rest[:i]
		}
		if at := strings.LastIndex(authority, "@"); ok && at >= 0 {
			return scheme + "://xxxxx@" + rest[at+1:]
		}
		return rawURL
	}
	if u.User == nil {
		return rawURL
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

func openSQLite(ctx context.Context, path string) (*bun.DB, error) {
	if path == "" {
		return nil, fmt.Errorf("database: sqlite:// needs a file path, e.g. sqlite://./data/switchboard.db")
	}
	path, query, _ := strings.Cut(path, "?")
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("database: unable to create %s: %w", dir, err)
		}
	}
	if err := privateFiles(path); err != nil {
		return nil, err
	}
	// WAL lets readers run beside the writer; busy_timeout makes writers wait
	// instead of failing; _txlock=immediate takes the write lock at BEGIN so
	// two writers never deadlock upgrading a read lock; temp_store(MEMORY)
	// keeps the savepoint journals of group commit (models.writeQueue) in
	// memory instead of temporary files.
	params := url.Values{}
	params.Add("_pragma", "foreign_keys(1)")
	params.Add("_pragma", "journal_mode(WAL)")
	params.Add("_pragma", "busy_timeout(10000)")
	params.Add("_pragma", "synchronous(NORMAL)")
	params.Add("_pragma", "temp_store(MEMORY)")
	params.Set("_txlock", "immediate")
	params.Set("_time_format", "sqlite")
	dsn := "file:" + path + "?" + params.Encode()
	if query != "" {
		dsn += "&" + query
	}
	sqldb, err := sql.Open(sqliteshim.ShimName, dsn)
	if err != nil {
		return nil, fmt.Errorf("database: unable to open sqlite %s: %w", path, err)
	}
	sqldb.SetMaxOpenConns(8)
	sqldb.SetMaxIdleConns(8)
	sqldb.SetConnMaxIdleTime(5 * time.Minute)
	db := bun.NewDB(sqldb, sqlitedialect.New())
	return db, ping(ctx, db)
}

// privateFiles makes the database file, and the WAL and shared-memory
// files beside it, readable by their owner only: they hold patient data.
// The database file is created 0600 before SQLite opens it, because SQLite
// gives the -wal and -shm files it creates the database file's mode;
// files left wider by an earlier version are narrowed.
func privateFiles(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("database: unable to open %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("database: unable to open %s: %w", path, err)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm", path + "-journal"} {
		info, err := os.Stat(p)
		if err != nil || info.Mode().Perm()&0o077 == 0 {
			continue
		}
		if err := os.Chmod(p, 0o600); err != nil {
			return fmt.Errorf("database: unable to make %s private: %w", p, err)
		}
	}
	return nil
}

func openPostgres(ctx context.Context, rawURL string) (*bun.DB, error) {
	cfg, err := pgx.ParseConfig(withExecMode(rawURL))
	if err != nil {
		return nil, fmt.Errorf("database: unable to open postgres %s: %w", Redact(rawURL), err)
	}
	var conn driver.Connector = stdlib.GetConnector(*cfg)
	if !strings.Contains(rawURL, "default_query_exec_mode") {
		conn = fixedTexts{conn}
	}
	sqldb := sql.OpenDB(conn)
	sqldb.SetMaxOpenConns(20)
	sqldb.SetMaxIdleConns(20)
	sqldb.SetConnMaxIdleTime(5 * time.Minute)
	db := bun.NewDB(sqldb, pgdialect.New())
	return db, ping(ctx, db)
}

// withExecMode sets pgx's default query mode to "exec" unless the URL
// names one: bun sends every statement with its values inlined, so under
// pgx's default (cache_statement) each distinct text was prepared on the
// server first, a second round trip and a parse for one use; "exec" sends
// it in one round trip. The statements sent with arguments (models'
// prepared, River's) are fixed texts: fixedTexts has them prepared once
// per connection.
func withExecMode(rawURL string) string {
	if strings.Contains(rawURL, "default_query_exec_mode") {
		return rawURL
	}
	if u, err := url.Parse(rawURL); err == nil && strings.Contains(rawURL, "://") {
		q := u.Query()
		q.Set("default_query_exec_mode", "exec")
		u.RawQuery = q.Encode()
		return u.String()
	}
	return rawURL + " default_query_exec_mode=exec"
}

func ping(ctx context.Context, db *bun.DB) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return fmt.Errorf("database: not reachable: %w", err)
	}
	return nil
}
