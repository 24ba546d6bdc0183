package database

import (
	"context"
	"os"
	"testing"
)

// TestPostgresCachesStatementsWithArguments: on a PostgreSQL URL that
// names no query mode, a statement sent with arguments is prepared once
// on the connection and reused (it shows in pg_prepared_statements after
// running twice, once), while a statement without arguments is not
// prepared; a URL that names a mode (a pooler that cannot keep prepared
// statements) keeps it for every statement.
func TestPostgresCachesStatementsWithArguments(t *testing.T) {
	dsn := os.Getenv("SWITCHBOARD_TEST_POSTGRES_DSN")
	if dsn == "" {
		t.Skip("SWITCHBOARD_TEST_POSTGRES_DSN is not set")
	}
	prepared := func(t *testing.T, rawURL string) (withArgs, withoutArgs int) {
		t.Helper()
		ctx := context.Background()
		db, err := Open(ctx, rawURL)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		conn, err := db.DB.Conn(ctx) // one database/sql connection: prepared statements are per session
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		var n int
		for range 2 {
			if err := conn.QueryRowContext(ctx, "SELECT 40 + $1::int /* with args */", 2).Scan(&n); err != nil || n != 42 {
				t.Fatalf("query with an argument = %d, %v", n, err)
			}
			if err := conn.QueryRowContext(ctx, "SELECT 42 /* without args */").Scan(&n); err != nil || n != 42 {
				t.Fatalf("query without arguments = %d, %v", n, err)
			}
		}
		count := func(like string) int {
			var c int
			if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%"+like+"%' AND statement NOT LIKE '%pg_prepared_statements%'").Scan(&c); err != nil {
				t.Fatal(err)
			}
			return c
		}
		return count("with args"), count("without args")
	}
	if with, without := prepared(t, dsn); with != 1 || without != 0 {
		t.Errorf("default URL: prepared with arguments %d, without %d; want 1 and 0", with, without)
	}
	if with, without := prepared(t, withExecMode(dsn)); with != 0 || without != 0 {
		t.Errorf("URL naming exec mode: prepared with arguments %d, without %d; want none", with, without)
	}
}
