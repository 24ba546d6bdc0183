package database

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"switchboard/testsupport/dbhook"
)

// commits writes n rows, one transaction each, pause apart.
func commits(t *testing.T, db *bun.DB, n int, pause time.Duration) {
	t.Helper()
	if _, err := db.Exec("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v TEXT)"); err != nil {
		t.Fatal(err)
	}
	for i := range n {
		if _, err := db.Exec("INSERT INTO t (v) VALUES (?)", fmt.Sprintf("row %d", i)); err != nil {
			t.Fatal(err)
		}
		time.Sleep(pause)
	}
}

// walSize is the size of the database's write-ahead log file.
func walSize(t *testing.T, path string) int64 {
	t.Helper()
	info, err := os.Stat(path + "-wal")
	if err != nil {
		t.Fatal(err)
	}
	return info.Size()
}

// TestCheckpointCopiesTheLogBack: a checkpoint copies every committed
// frame of the log into the database file and says so; on PostgreSQL it
// does nothing.
func TestCheckpointCopiesTheLogBack(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "sb.db")
	db, err := Open(ctx, "sqlite://"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	commits(t, db, 20, 0)
	frames, done, err := Checkpoint(ctx, db)
	if err != nil || frames < 20 || done != frames {
		t.Errorf("checkpoint = %d frames, %d copied, %v; want every one of at least 20 copied", frames, done, err)
	}
	dsn := os.Getenv("SWITCHBOARD_TEST_POSTGRES_DSN")
	if dsn == "" {
		return
	}
	pg, err := Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	if frames, done, err := Checkpoint(ctx, pg); frames != 0 || done != 0 || err != nil {
		t.Errorf("checkpoint on PostgreSQL = %d, %d, %v; want nothing done", frames, done, err)
	}
}

// TestRunCheckpointsKeepsTheLogShort: with checkpoints running beside the
// writer, the log starts over between commits instead of growing until
// the commit that crosses SQLite's own threshold copies it (with the
// process's write lock held). The same 300 commits without them leave a
// log many times larger. The commits go in groups of ten, each group
// after a checkpoint that began once the group before was committed, so
// that how busy the machine is does not decide the outcome.
func TestRunCheckpointsKeepsTheLogShort(t *testing.T) {
	ctx := context.Background()
	size := func(checkpoints bool) int64 {
		path := filepath.Join(t.TempDir(), "sb.db")
		db, err := Open(ctx, "sqlite://"+path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		seen := dbhook.Count(db, func(q string) bool { return strings.Contains(q, "wal_checkpoint") })
		run, stop := context.WithCancel(ctx)
		var wg sync.WaitGroup
		if checkpoints {
			wg.Go(func() { RunCheckpoints(run, db, 5*time.Millisecond, slog.New(slog.DiscardHandler)) })
		}
		for range 30 {
			commits(t, db, 10, 0)
			// Two more finished: one of them began after the commits.
			after := seen.Load() + 2
			for deadline := time.Now().Add(10 * time.Second); checkpoints && seen.Load() < after; time.Sleep(time.Millisecond) {
				if time.Now().After(deadline) {
					t.Fatal("no checkpoint ran in 10 s")
				}
			}
		}
		stop()
		wg.Wait()
		return walSize(t, path)
	}
	without, with := size(false), size(true)
	t.Logf("log after 300 commits: %d bytes with checkpoints, %d without", with, without)
	if with*4 > without {
		t.Errorf("log after 300 commits: %d bytes with checkpoints beside the writer, %d without; want under a quarter", with, without)
	}
}
