package database

import (
	"context"
	"database/sql/driver"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
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

// intList gives its value as PostgreSQL array text, as River's lib/pq
// wrappers do.
type intList []int

func (l intList) Value() (driver.Value, error) {
	parts := make([]string, len(l))
	for i, n := range l {
		parts[i] = strconv.Itoa(n)
	}
	return "{" + strings.Join(parts, ",") + "}", nil
}

// counted gives a number, not text (nil for a nil pointer).
type counted struct{ n int64 }

func (c *counted) Value() (driver.Value, error) {
	if c == nil {
		return nil, nil
	}
	return c.n, nil
}

// TestTextValuesGoAsText: an argument whose driver.Valuer gives text is
// handed to pgx as that text (sent as a text parameter, read by
// PostgreSQL), others are left to pgx, a nil pointer stays NULL; through a
// cached statement the values arrive whole.
func TestTextValuesGoAsText(t *testing.T) {
	var nilCount *counted
	got := cacheStatement([]driver.NamedValue{{Ordinal: 1, Value: intList{1, 2, 3}}, {Ordinal: 2, Value: &counted{7}},
		{Ordinal: 3, Value: nilCount}, {Ordinal: 4, Value: "plain"}})
	if len(got) != 5 || got[0].Value != pgx.QueryExecModeCacheStatement {
		t.Fatalf("args = %+v, want the cached-statement mode first", got)
	}
	if got[1].Value != "{1,2,3}" {
		t.Errorf("text valuer = %#v, want its text", got[1].Value)
	}
	if _, kept := got[2].Value.(*counted); !kept {
		t.Errorf("number valuer = %#v, want it left to pgx", got[2].Value)
	}
	if got[3].Value != nilCount || got[4].Value != "plain" {
		t.Errorf("nil pointer and string = %#v, %#v; want them as given", got[3].Value, got[4].Value)
	}

	dsn := os.Getenv("SWITCHBOARD_TEST_POSTGRES_DSN")
	if dsn == "" {
		t.Skip("SWITCHBOARD_TEST_POSTGRES_DSN is not set")
	}
	ctx := context.Background()
	db, err := Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for range 2 { // prepared, then reused
		var n, sum int
		var null bool
		err := db.DB.QueryRowContext(ctx, "SELECT array_length($1::int[], 1), (SELECT sum(x) FROM unnest($1::int[]) AS x), $2::bigint IS NULL",
			intList{4, 5, 6}, nilCount).Scan(&n, &sum, &null)
		if err != nil || n != 3 || sum != 15 || !null {
			t.Fatalf("array through a cached statement = %d items, sum %d, NULL %v (%v); want 3, 15, true", n, sum, null, err)
		}
	}
}
