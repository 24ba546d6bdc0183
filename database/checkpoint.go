package database

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"

	"switchboard/internal/loop"
)

// CheckpointInterval is how often a serving process copies SQLite's
// write-ahead log back into the database file (RunCheckpoints).
const CheckpointInterval = 250 * time.Millisecond

// Checkpoint copies the committed pages of SQLite's write-ahead log back
// into the database file (PRAGMA wal_checkpoint(PASSIVE)): it neither
// waits for nor blocks the writer, and stops short of pages a reader still
// needs. It answers the log's frames and how many of them the database
// file holds now; when they are equal, the next commit starts the log from
// its beginning. On PostgreSQL it does nothing.
func Checkpoint(ctx context.Context, db bun.IDB) (frames, checkpointed int, err error) {
	if db.Dialect().Name() != dialect.SQLite {
		return 0, 0, nil
	}
	var busy int
	if err := db.QueryRowContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &frames, &checkpointed); err != nil {
		return 0, 0, fmt.Errorf("database: checkpoint: %w", err)
	}
	return frames, checkpointed, nil
}

// RunCheckpoints checkpoints SQLite's log every interval until ctx ends.
//
// Left to itself, SQLite checkpoints inside the commit that takes the log
// past 1,000 pages: that commit copies them and syncs the file while the
// process's write lock (models.writeQueue) is held, and every booking
// queued behind it waits the tens of milliseconds that takes. Checkpoints
// made here, beside the writer, keep the log short, so the commits rarely
// reach that size (SQLite's own checkpoint stays as the fallback).
func RunCheckpoints(ctx context.Context, db bun.IDB, interval time.Duration, log *slog.Logger) {
	if db.Dialect().Name() != dialect.SQLite {
		return
	}
	loop.Every(ctx, interval, func(ctx context.Context) {
		if _, _, err := Checkpoint(ctx, db); err != nil && ctx.Err() == nil {
			log.Warn("unable to checkpoint the SQLite log", "err", err)
		}
	})
}
