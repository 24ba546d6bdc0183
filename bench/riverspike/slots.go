package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// slotsCommand shows why the slot claim got slower as the table grew: the
// query plan SQLite picks for the product's overlap query
// (models.OverlappingAppointments) and its time per call with n earlier
// bookings of the same provider, beside the same query bounded below by
// the longest appointment (duration_minutes is at most 1440).
func slotsCommand(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("slots", flag.ContinueOnError)
	sizes := fs.String("sizes", "1000,10000,50000", "earlier bookings")
	if err := fs.Parse(args); err != nil {
		return err
	}
	fmt.Println("| earlier bookings | today's query (plan) | per call | bounded by 24 h (plan) | per call |")
	fmt.Println("| --: | --- | --: | --- | --: |")
	for _, s := range strings.Split(*sizes, ",") {
		var n int
		fmt.Sscan(s, &n)
		if err := slotsOnce(ctx, n); err != nil {
			return err
		}
	}
	return nil
}

func slotsOnce(ctx context.Context, n int) error {
	dir, err := os.MkdirTemp("", "riverspike-slots-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	e, err := openEnv(ctx, "sqlite://"+filepath.Join(dir, "s.db"), "", true)
	if err != nil {
		return err
	}
	defer e.close()
	// n earlier half-hour bookings of provider 1, like the benchmark's.
	if _, err := e.db.ExecContext(ctx, fmt.Sprintf(`WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM g WHERE i < %d)
INSERT INTO appointments (organization_id, patient_id, start_at, end_at, duration_minutes, provider_ref, operatory_ref, status)
SELECT %d, %d, datetime('2027-01-04 08:00:00', '+' || (i*30) || ' minutes') || '+00:00',
datetime('2027-01-04 08:30:00', '+' || (i*30) || ' minutes') || '+00:00',
30, '1', '1', 'scheduled' FROM g`, n, e.orgID, e.patient)); err != nil {
		return err
	}
	a := e.appointment(int64(n + 1))
	t := e.store.Tenant(e.orgID)
	today := func(ctx context.Context) error {
		_, err := t.OverlappingAppointments(ctx, a.Start, a.End, "1", "1", 0)
		return err
	}
	const bounded = `SELECT id FROM appointments AS ap WHERE ap.organization_id = ? AND ap.status <> 'cancelled'
 AND ap.start_at < ? AND ap.start_at > ? AND ap.end_at > ? AND (ap.provider_ref = ? OR ap.operatory_ref = ?) ORDER BY ap.start_at, ap.id`
	boundedQ := func(ctx context.Context) error {
		rows, err := e.db.QueryContext(ctx, bounded, e.orgID, a.End, a.Start.Add(-24*time.Hour), a.Start, "1", "1")
		if err != nil {
			return err
		}
		return rows.Close()
	}
	const todaySQL = `SELECT id FROM appointments AS ap WHERE ap.organization_id = ? AND ap.status <> 'cancelled'
 AND ap.start_at < ? AND ap.end_at > ? AND (ap.provider_ref = ? OR ap.operatory_ref = ?) ORDER BY ap.start_at, ap.id`
	p1 := plan(ctx, e, todaySQL, e.orgID, a.End, a.Start, "1", "1")
	p2 := plan(ctx, e, bounded, e.orgID, a.End, a.Start.Add(-24*time.Hour), a.Start, "1", "1")
	fmt.Printf("| %d | %s | %s | %s | %s |\n", n, p1, timeCall(ctx, today), p2, timeCall(ctx, boundedQ))
	return nil
}

func plan(ctx context.Context, e *env, q string, args ...any) string {
	rows, err := e.db.QueryContext(ctx, "EXPLAIN QUERY PLAN "+q, args...)
	if err != nil {
		return err.Error()
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id, parent, notused int
		var detail string
		_ = rows.Scan(&id, &parent, &notused, &detail)
		out = append(out, detail)
	}
	return strings.Join(out, "; ")
}

func timeCall(ctx context.Context, fn func(context.Context) error) string {
	const calls = 50
	t0 := time.Now()
	for range calls {
		if err := fn(ctx); err != nil {
			return err.Error()
		}
	}
	return fmt.Sprintf("%.3f ms", float64(time.Since(t0))/calls/float64(time.Millisecond))
}

// attemptsCommand shows the plan and time of the attempt numbering query
// (models.InsertSyncAttempt's MAX(attempt)) with n earlier attempts of
// other jobs of the organization.
func attemptsCommand(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("attempts", flag.ContinueOnError)
	sizes := fs.String("sizes", "1000,10000,50000", "earlier attempts")
	if err := fs.Parse(args); err != nil {
		return err
	}
	fmt.Println("| earlier attempts | today's query (plan) | per call | by job_id alone (plan) | per call |")
	fmt.Println("| --: | --- | --: | --- | --: |")
	for _, s := range strings.Split(*sizes, ",") {
		var n int
		fmt.Sscan(s, &n)
		dir, err := os.MkdirTemp("", "riverspike-att-")
		if err != nil {
			return err
		}
		e, err := openEnv(ctx, "sqlite://"+filepath.Join(dir, "a.db"), "", true)
		if err != nil {
			return err
		}
		if _, err := e.db.ExecContext(ctx, fmt.Sprintf(`WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM g WHERE i < %d)
INSERT INTO sync_jobs (organization_id, integration_id, entity, local_id, operation, status) SELECT %d, %d, 'appointment', i, 'update', 'synced' FROM g`,
			n, e.orgID, e.integID)); err != nil {
			return err
		}
		if _, err := e.db.ExecContext(ctx, `INSERT INTO sync_attempts (organization_id, job_id, attempt, ok) SELECT organization_id, id, 1, TRUE FROM sync_jobs`); err != nil {
			return err
		}
		const q = `SELECT COALESCE(MAX(attempt), 0) FROM sync_attempts WHERE organization_id = ? AND job_id = ?`
		p := plan(ctx, e, q, e.orgID, n/2)
		t := timeCall(ctx, func(ctx context.Context) error {
			var last int
			return e.db.QueryRowContext(ctx, q, e.orgID, n/2).Scan(&last)
		})
		const q2 = `SELECT COALESCE(MAX(attempt), 0) FROM sync_attempts WHERE job_id = ?`
		p2 := plan(ctx, e, q2, n/2)
		t2 := timeCall(ctx, func(ctx context.Context) error {
			var last int
			return e.db.QueryRowContext(ctx, q2, n/2).Scan(&last)
		})
		fmt.Printf("| %d | %s | %s | %s | %s |\n", n, p, t, p2, t2)
		e.close()
		os.RemoveAll(dir)
	}
	return nil
}
