package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/riverqueue/river"
)

// pgWorker is one worker process of the drain part: it delivers jobs of
// the database's queue until interrupted, and prints "ready" once started.
func pgWorker(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("pg-worker", flag.ContinueOnError)
	db := fs.String("db", "", "database URL")
	upstream := fs.String("upstream", "", "upstream base URL")
	name := fs.String("engine", "river", "outbox or river")
	id := fs.String("id", "w0", "worker id")
	listener := fs.Bool("listener", true, "River LISTEN connection")
	o := phaseOpts{}
	fs.IntVar(&o.Workers, "workers", 4, "workers")
	fs.DurationVar(&o.FetchCooldown, "fetch-cooldown", 0, "River FetchCooldown")
	fs.DurationVar(&o.FetchPollInterval, "fetch-poll", 0, "River FetchPollInterval")
	fs.BoolVar(&knobs.AttemptByJob, "attempt-fix", false, "number attempts by job_id alone")
	if err := fs.Parse(args); err != nil {
		return err
	}
	e, err := openEnv(ctx, *db, *upstream, false)
	if err != nil {
		return err
	}
	defer e.close()
	if *name == "outbox" {
		ob := newOutbox(e, "spike:"+*id, o.Workers)
		fmt.Println("ready")
		ob.run(ctx)
		return nil
	}
	driver, closeL, err := pgDriver(ctx, e, *db, *listener)
	if err != nil {
		return err
	}
	defer closeL()
	c, err := newRiver(e, driver, riverOpts{Workers: o.Workers, ID: *id, FetchCooldown: o.FetchCooldown, FetchPollInterval: o.FetchPollInterval})
	if err != nil {
		return err
	}
	return serveRiver(ctx, c)
}

// serveRiver starts c, prints "ready" for the parent and works until
// interrupted.
func serveRiver(ctx context.Context, c *river.Client[*sql.Tx]) error {
	if err := c.Start(context.WithoutCancel(ctx)); err != nil {
		return err
	}
	fmt.Println("ready")
	<-ctx.Done()
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return c.Stop(sctx)
}

// PollArgs is the periodic poll of one configuration (the product's
// from_external / bidirectional list_changed call).
type PollArgs struct {
	ConfigID int64 `json:"config_id"`
}

// Kind names the job.
func (PollArgs) Kind() string { return "sync_poll" }

type pollWorker struct {
	river.WorkerDefaults[PollArgs]
	upstream string
	id       string
}

// Work makes the poll's call.
func (w *pollWorker) Work(ctx context.Context, job *river.Job[PollArgs]) error {
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, w.upstream+"/poll", strings.NewReader(w.id))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	return res.Body.Close()
}

// pgPeriodic is one process of the periodic part: a River client with a
// 1 s periodic poll; River's leader election makes one process enqueue it.
func pgPeriodic(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("pg-periodic", flag.ContinueOnError)
	db := fs.String("db", "", "database URL")
	upstream := fs.String("upstream", "", "upstream base URL")
	id := fs.String("id", "p0", "client id")
	every := fs.Duration("every", time.Second, "poll interval")
	if err := fs.Parse(args); err != nil {
		return err
	}
	e, err := openEnv(ctx, *db, *upstream, false)
	if err != nil {
		return err
	}
	defer e.close()
	driver, closeL, err := pgDriver(ctx, e, *db, true)
	if err != nil {
		return err
	}
	defer closeL()
	periodic := []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(*every),
		func() (river.JobArgs, *river.InsertOpts) { return PollArgs{ConfigID: 1}, nil },
		&river.PeriodicJobOpts{ID: "poll-config-1"})}
	c, err := newRiver(e, driver, riverOpts{Workers: 2, ID: *id, Periodic: periodic,
		ExtraWorkers: func(ws *river.Workers) { river.AddWorker(ws, &pollWorker{upstream: *upstream, id: *id}) }})
	if err != nil {
		return err
	}
	return serveRiver(ctx, c)
}

// pgPeriodicTest starts three processes with the same periodic poll and
// counts the polls that reach the upstream each second; halfway the
// leader is killed with SIGKILL.
func pgPeriodicTest(ctx context.Context, o *pgOpts, upstream string) error {
	e, url, done, err := pgSchema(ctx, o, upstream)
	if err != nil {
		return err
	}
	defer done()
	if err := migratePG(ctx, e, url); err != nil {
		return err
	}
	kids := map[string]*child{}
	for _, id := range []string{"p1", "p2", "p3"} {
		k, err := startChild(nil, "pg-periodic", "-db", url, "-upstream", upstream, "-id", id)
		if err != nil {
			return err
		}
		kids[id] = k
	}
	defer func() {
		for _, k := range kids {
			k.stop(false)
		}
	}()
	p0, _ := counter(upstream, "polls")
	const seconds, killAt = 40, 15
	var series []string
	var prev = p0
	killed := ""
	for s := 1; s <= seconds; s++ {
		time.Sleep(time.Second)
		p, _ := counter(upstream, "polls")
		var leader string
		_ = e.db.NewRaw("SELECT leader_id FROM river_leader LIMIT 1").Scan(ctx, &leader)
		series = append(series, fmt.Sprintf("%d:%d(%s)", s, p-prev, leader))
		prev = p
		if s == killAt && kids[leader] != nil {
			kids[leader].stop(true)
			delete(kids, leader)
			killed = leader
		}
	}
	total, _ := counter(upstream, "polls")
	fmt.Printf("periodic: 3 processes, 1 s interval, %d s: %d polls reached the upstream (exactly once per interval = %d); leader %s killed -9 at %d s\n",
		seconds, total-p0, seconds, killed, killAt)
	fmt.Println("per second (polls, leader):", strings.Join(series, " "))
	return nil
}
