package database

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// mode is the permission bits of path.
func mode(t *testing.T, path string) os.FileMode {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatalf("stat %s: %v", path, err)
	}
	return info.Mode().Perm()
}

// write opens the database at path and writes to it, so that SQLite has
// its WAL and shared-memory files open.
func write(t *testing.T, path string) func() {
	t.Helper()
	db, err := Open(context.Background(), "sqlite://"+path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("CREATE TABLE IF NOT EXISTS t (v TEXT)"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("INSERT INTO t (v) VALUES ('patient data')"); err != nil {
		t.Fatal(err)
	}
	return func() { db.Close() }
}

// TestSQLiteFilesArePrivate: the database, its WAL and its shared-memory
// file hold patient data, so only their owner may read them (they were
// 0644); files an earlier version left readable are narrowed on open.
func TestSQLiteFilesArePrivate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "switchboard.db")
	closeDB := write(t, path)
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if got := mode(t, p); got != 0o600 {
			t.Errorf("%s has mode %04o, want 0600", filepath.Base(p), got)
		}
	}
	closeDB()
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if _, err := os.Stat(p); err == nil {
			if err := os.Chmod(p, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	defer write(t, path)()
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if got := mode(t, p); got != 0o600 {
			t.Errorf("reopened: %s has mode %04o, want 0600", filepath.Base(p), got)
		}
	}
}
