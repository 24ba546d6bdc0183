// Package testsupport holds the helpers every test suite shares: a migrated
// database of its own per test (SQLite file, or a PostgreSQL schema when
// SWITCHBOARD_TEST_POSTGRES_DSN is set), the real app on a loopback server,
// and an HTTP client that keeps cookies.
package testsupport

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"switchboard/database"
	"switchboard/migrations"
)

// PostgresDSNEnv names the variable that turns on the PostgreSQL suites.
const PostgresDSNEnv = "SWITCHBOARD_TEST_POSTGRES_DSN"

// Backend is one database engine a suite runs against.
type Backend struct {
	Name string
	// URL returns a fresh, empty, isolated database URL for t.
	URL func(t testing.TB) string
}

// Backends lists SQLite, plus PostgreSQL when SWITCHBOARD_TEST_POSTGRES_DSN
// is set. Suites loop over it so the same tests run on both.
func Backends() []Backend {
	bs := []Backend{{Name: "sqlite", URL: SQLiteURL}}
	if os.Getenv(PostgresDSNEnv) != "" {
		bs = append(bs, Backend{Name: "postgres", URL: PostgresURL})
	}
	return bs
}

// SQLiteURL returns the URL of a new SQLite file in t's temp folder.
func SQLiteURL(t testing.TB) string {
	t.Helper()
	return "sqlite://" + filepath.Join(t.TempDir(), "switchboard.db")
}

// PostgresURL creates a schema of its own for t (dropped at cleanup) and
// returns a URL whose search_path points at it. It skips t when no
// PostgreSQL DSN is configured.
func PostgresURL(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv(PostgresDSNEnv)
	if dsn == "" {
		t.Skipf("PostgreSQL suite skipped: %s is not set", PostgresDSNEnv)
	}
	// Schema names are at most 63 bytes; the random suffix takes 13, and
	// River's notification channels (<schema>.river_leadership) must fit
	// in 63 too.
	prefix := "t_" + strings.ToLower(sanitize(t.Name()))
	if len(prefix) > 30 {
		prefix = prefix[:30]
	}
	u, drop, err := database.NewSchema(context.Background(), dsn, prefix)
	if err != nil {
		t.Fatalf("testsupport: %v", err)
	}
	t.Cleanup(drop)
	return u
}

func sanitize(s string) string {
	var b strings.Builder
	for _, r := range s {
		if (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}

// OpenDB opens a migrated database at url and closes it at cleanup.
func OpenDB(t testing.TB, url string) *bun.DB {
	t.Helper()
	ctx := context.Background()
	db, err := database.Open(ctx, url)
	if err != nil {
		t.Fatalf("testsupport: open %s: %v", database.Redact(url), err)
	}
	t.Cleanup(func() { db.Close() })
	r, err := migrations.New(db)
	if err != nil {
		t.Fatalf("testsupport: migrations: %v", err)
	}
	if _, err := r.Up(ctx); err != nil {
		t.Fatalf("testsupport: migrate up: %v", err)
	}
	return db
}

// ForEachBackend runs fn as a subtest on every backend with a fresh,
// migrated database URL.
func ForEachBackend(t *testing.T, fn func(t *testing.T, url string)) {
	t.Helper()
	for _, b := range Backends() {
		t.Run(b.Name, func(t *testing.T) { fn(t, b.URL(t)) })
	}
}
