package models_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"switchboard/models"
	"switchboard/testsupport"
)

// TestReferenceReadPlansByLocalIDWithoutStatistics: PostgreSQL caches a
// generic plan of the read of a record's reference (a prepared statement
// per connection). On a table never analyzed (autovacuum off, or not yet
// run) that plan, made once the table holds a few pages, must still look
// the record up by its local id, not walk an index of the organization:
// with external_refs_org_idx (organization_id alone) it took that index
// and read every reference of the organization per delivery.
func TestReferenceReadPlansByLocalIDWithoutStatistics(t *testing.T) {
	dbURL := testsupport.PostgresURL(t)
	ctx := context.Background()
	clock := time.Date(2027, 1, 4, 9, 0, 0, 0, time.UTC)
	store, org, in := syncSetup(t, dbURL, &clock)
	if _, err := store.DB().ExecContext(ctx, `INSERT INTO external_refs (organization_id, integration_id, entity, local_id, external_id)
SELECT ?, ?, 'patient', g, 'X' || g FROM generate_series(1, 600) AS g`,
		org.ID, in.Integration.ID); err != nil {
		t.Fatal(err)
	}
	conn, err := testsupport.OpenDB(t, dbURL).Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	text := models.ExternalRefSQL
	for i := 1; strings.Contains(text, "?"); i++ {
		text = strings.Replace(text, "?", fmt.Sprintf("$%d", i), 1)
	}
	for _, stmt := range []string{"SET plan_cache_mode = force_generic_plan", "PREPARE ref_read AS " + text} {
		if _, err := conn.ExecContext(ctx, stmt); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := conn.QueryContext(ctx, fmt.Sprintf("EXPLAIN EXECUTE ref_read(%d, %d, 'appointment', 5)", org.ID, in.Integration.ID))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, line)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	byLocalID := false
	for _, line := range plan {
		if strings.Contains(line, "Index Cond:") && strings.Contains(line, "local_id = $4") {
			byLocalID = true
		}
	}
	if !byLocalID {
		t.Errorf("generic plan of the reference read:\n%s\nwant an index condition on local_id", strings.Join(plan, "\n"))
	}
}
