package background

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/uptrace/bun"
)

// stateRow is one (kind, state) group of the queue.
type stateRow struct {
	Kind    string     `bun:"kind"`
	State   string     `bun:"state"`
	N       int        `bun:"n"`
	Oldest  *time.Time `bun:"oldest"`
	LastMin int        `bun:"last_min"`
}

// Stats counts River's jobs of the organization and the system's (org_id
// 0: purges, polls' schedule) per kind and state: what waits, runs,
// retries, the oldest job waiting to run, and what finished in the last
// minute.
func (r *River) Stats(ctx context.Context, orgID int64) (Stats, error) {
	var rows []stateRow
	err := r.cfg.DB.NewRaw(`SELECT kind, state::text AS state, count(*) AS n,
  min(scheduled_at) FILTER (WHERE state = 'available') AS oldest,
  count(*) FILTER (WHERE state = 'completed' AND finalized_at > now() - interval '1 minute') AS last_min
FROM river_job WHERE args @> CAST(? AS jsonb) OR args @> '{"org_id": 0}'::jsonb
GROUP BY kind, state`, fmt.Sprintf(`{"org_id": %d}`, orgID)).Scan(ctx, &rows)
	if err != nil {
		return Stats{}, fmt.Errorf("background: queue stats: %w", err)
	}
	return collect(r.Name(), rows), nil
}

// collect folds the groups into Stats, kinds in name order.
func collect(engine string, rows []stateRow) Stats {
	st := Stats{Engine: engine, Kinds: []KindStats{}}
	byKind := map[string]*KindStats{}
	for _, row := range rows {
		k := byKind[row.Kind]
		if k == nil {
			k = &KindStats{Kind: row.Kind, States: map[string]int{}}
			byKind[row.Kind] = k
		}
		k.States[row.State] += row.N
		st.ThroughputPerMinute += row.LastMin
		if row.Oldest != nil {
			t := row.Oldest.UTC()
			if k.OldestWaiting == nil || t.Before(*k.OldestWaiting) {
				k.OldestWaiting = &t
			}
			if st.OldestWaiting == nil || t.Before(*st.OldestWaiting) {
				st.OldestWaiting = &t
			}
		}
	}
	for _, k := range byKind {
		st.Kinds = append(st.Kinds, *k)
	}
	sort.Slice(st.Kinds, func(i, j int) bool { return st.Kinds[i].Kind < st.Kinds[j].Kind })
	return st
}

// outboxStats counts the organization's sync_jobs per status (the
// outbox's queue): the oldest open job's due time, and the jobs finished
// in the last minute.
func outboxStats(ctx context.Context, db bun.IDB, orgID int64, now time.Time) (Stats, error) {
	var rows []stateRow
	err := db.NewRaw(`SELECT 'sync_delivery' AS kind, status AS state, count(*) AS n,
  min(CASE WHEN status IN ('pending', 'retrying') THEN next_attempt_at END) AS oldest,
  sum(CASE WHEN finished_at > ? THEN 1 ELSE 0 END) AS last_min
FROM sync_jobs WHERE organization_id = ? GROUP BY status`, now.Add(-time.Minute).UTC(), orgID).Scan(ctx, &rows)
	if err != nil {
		return Stats{}, fmt.Errorf("background: queue stats: %w", err)
	}
	return collect("outbox", rows), nil
}
