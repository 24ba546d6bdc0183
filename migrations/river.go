package migrations

import (
	"context"
	"fmt"

	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/uptrace/bun/dialect"
)

// RiverVersion is the version of River's schema this release was tested
// with: Up brings River's tables (river_job, river_leader, …) to it on
// PostgreSQL, never further, so that upgrading the River library never
// migrates silently. SQLite installs run the embedded outbox and have no
// River tables.
const RiverVersion = 8

// upRiver applies River's own migrations up to RiverVersion (its
// river_migration table records them, beside bun_migrations) and returns
// how many ran.
func (r *Runner) upRiver(ctx context.Context) (int, error) {
	if r.db.Dialect().Name() != dialect.PG {
		return 0, nil
	}
	m, err := rivermigrate.New(riverdatabasesql.New(r.db.DB), nil)
	if err != nil {
		return 0, fmt.Errorf("migrations: river: %w", err)
	}
	res, err := m.Migrate(ctx, rivermigrate.DirectionUp, &rivermigrate.MigrateOpts{TargetVersion: RiverVersion})
	if err != nil {
		return 0, fmt.Errorf("migrations: river: unable to migrate up: %w", err)
	}
	return len(res.Versions), nil
}
