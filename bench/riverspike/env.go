package main

import (
	"context"
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"

	"switchboard/database"
	"switchboard/integrations/definition"
	"switchboard/integrations/registry"
	"switchboard/migrations"
	"switchboard/models"
)

// env is one database prepared like the product's: opened by
// database.Open (the product's pool settings and pragmas), migrated by the
// product's migrations, with one organization, one integration and one
// patient to book for.
type env struct {
	db      *bun.DB
	store   *models.Store
	orgID   int64
	integID int64
	patient int64
	// upstream is the loopback base URL deliveries POST to.
	upstream string
	client   *http.Client
	// group, when set, commits creates in groups (knobs.Group).
	group *groupCommitter
}

// openEnv opens and migrates dbURL; with seed it creates the organization,
// integration and patient, otherwise it finds the ones a parent seeded.
func openEnv(ctx context.Context, dbURL, upstream string, seed bool) (*env, error) {
	var db *bun.DB
	var err error
	if path, ok := strings.CutPrefix(dbURL, "sqlite://"); ok && knobs.Gate {
		db, err = openGatedSQLite(ctx, path)
	} else {
		db, err = database.Open(ctx, dbURL)
	}
	if err != nil {
		return nil, err
	}
	e := &env{db: db, store: models.NewStore(db), upstream: upstream, client: newHTTPClient()}
	if !seed {
		return e, e.find(ctx)
	}
	r, err := migrations.New(db)
	if err != nil {
		return nil, err
	}
	if _, err := r.Up(ctx); err != nil {
		return nil, err
	}
	return e, e.seed(ctx)
}

func newHTTPClient() *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 128
	return &http.Client{Transport: tr, Timeout: 10 * time.Second}
}

// seed creates what every write needs.
func (e *env) seed(ctx context.Context) error {
	org, err := e.store.CreateOrganization(ctx, "spike", "Spike Dental")
	if err != nil {
		return fmt.Errorf("seed organization: %w", err)
	}
	e.orgID = org.ID
	doc := &definition.Document{Slug: "spike", Name: "Spike upstream",
		BaseURL:   map[string]string{definition.EnvProduction: "http://127.0.0.1:1"},
		Endpoints: []definition.Endpoint{{Function: "CreateAppointment", Method: http.MethodPost, Path: "/appointments"}}}
	in, err := registry.New(e.store).Create(ctx, org.ID, doc, "")
	if err != nil {
		return fmt.Errorf("seed integration: %w", err)
	}
	e.integID = in.ID
	p := &models.Patient{FirstName: "Ada", LastName: "Spike", Phone: "(503) 555-0100"}
	if err := e.store.Tenant(org.ID).CreatePatient(ctx, p); err != nil {
		return fmt.Errorf("seed patient: %w", err)
	}
	e.patient = p.ID
	// The patient is already in the upstream, so no appointment job waits.
	ref := &models.ExternalRef{IntegrationID: in.ID, Entity: definition.EntityPatient, LocalID: p.ID, ExternalID: "1", SyncedVersion: 1}
	return e.store.Tenant(org.ID).SaveExternalRef(ctx, ref)
}

// find reads the seeded ids (a child process on the parent's database).
func (e *env) find(ctx context.Context) error {
	err := e.db.NewRaw("SELECT o.id, i.id, p.id FROM organizations o JOIN external_integrations i ON i.organization_id = o.id JOIN patients p ON p.organization_id = o.id WHERE o.slug = 'spike'").
		Scan(ctx, &e.orgID, &e.integID, &e.patient)
	return err
}

// day0 is the first slot booked; booking n takes the n-th half hour after.
var day0 = time.Date(2027, 1, 4, 8, 0, 0, 0, time.UTC)

// appointment is the n-th booking: one provider and one operatory, every
// booking in its own half hour, so the slot claim always finds it free
// after reading the neighbours.
func (e *env) appointment(n int64) *models.Appointment {
	start := day0.Add(time.Duration(n) * 30 * time.Minute)
	ref := strconv.FormatInt(n%int64(max(knobs.Providers, 1))+1, 10)
	return &models.Appointment{PatientID: e.patient, Start: start, End: start.Add(30 * time.Minute), DurationMinutes: 30,
		ProviderRef: ref, OperatoryRef: ref, AppointmentType: "Cleaning", Status: models.StatusScheduled}
}

// slotLockKeys are models.slotLockKey's keys (fnv-64a of the
// organization, kind and reference), sorted.
func slotLockKeys(orgID int64, provider, operatory string) []int64 {
	key := func(kind, ref string) int64 {
		h := fnv.New64a()
		var org [8]byte
		binary.BigEndian.PutUint64(org[:], uint64(orgID))
		h.Write([]byte("switchboard.slot\x00"))
		h.Write(org[:])
		h.Write([]byte(kind + "\x00" + ref))
		return int64(h.Sum64())
	}
	ks := []int64{key("provider", provider), key("operatory", operatory)}
	slices.Sort(ks)
	return ks
}

// enqueue is what an engine adds to the write's transaction for the job
// (River: InsertTx); nil adds nothing.
type enqueue func(ctx context.Context, tx bun.Tx, j *models.SyncJob) error

// create is one dual-write create as the product makes it: in ONE write
// transaction the slot claim (the organization read and the overlap query),
// the appointment, its sync job, its idempotency entry and, when given,
// the engine's own job row. With knobs.Group it is handed to the group
// committer instead, which runs it in a savepoint of a shared transaction.
func (e *env) create(ctx context.Context, n int64, enq enqueue) (*models.SyncJob, error) {
	if e.group != nil {
		return e.group.create(n, enq)
	}
	var job *models.SyncJob
	err := e.store.Tenant(e.orgID).InTx(ctx, func(tx *models.Tenant) error {
		var err error
		job, err = e.createIn(ctx, tx, n, enq)
		return err
	})
	return job, err
}

// createIn writes one create inside tx.
func (e *env) createIn(ctx context.Context, tx *models.Tenant, n int64, enq enqueue) (*models.SyncJob, error) {
	if knobs.Prepared {
		return e.createPrepared(ctx, tx, n, enq)
	}
	a := e.appointment(n)
	if err := claimSlot(ctx, tx, a); err != nil {
		return nil, err
	}
	if err := tx.CreateAppointment(ctx, a); err != nil {
		return nil, err
	}
	job := &models.SyncJob{IntegrationID: e.integID, Entity: definition.EntityAppointment, LocalID: a.ID,
		Operation: models.OpCreate, MaxAttempts: 6, RecordVersion: a.Version}
	if err := tx.InsertSyncJob(ctx, job); err != nil {
		return nil, err
	}
	key := "spike-" + strconv.FormatInt(n, 10)
	body := `{"id":` + strconv.FormatInt(a.ID, 10) + `,"sync":[{"integration":"spike","status":"pending"}]}`
	if err := tx.InsertIdempotentAnswer(ctx, key, fmt.Sprintf("%064d", n), 24*time.Hour, http.StatusCreated, body); err != nil {
		return nil, err
	}
	if enq != nil {
		return job, enq(ctx, tx.DB().(bun.Tx), job)
	}
	return job, nil
}

// close releases the database.
func (e *env) close() { _ = e.db.Close() }

// knobs are the spike's switches for what the product might change.
var knobs struct {
	// Gate opens SQLite through the write gate (gate.go).
	Gate bool
	// Providers spreads the bookings over this many providers (and as
	// many operatories); 1 books everything for provider 1, as the
	// product's benchmark does, so that every PostgreSQL write queues on
	// one advisory lock.
	Providers int
	// Group commits up to this many creates in one SQLite transaction,
	// each in a savepoint of its own (0: one transaction per create).
	Group int
	// AttemptByJob numbers a delivery's attempt by job_id alone
	// (deliver.go insertAttempt).
	AttemptByJob bool
	// Prepared writes the create with prepared statements (prepared.go).
	Prepared bool
	// BoundedSlot claims the slot with the overlap query bounded below by
	// the longest appointment (24 h), so it reads one day of the
	// provider's bookings instead of every earlier one.
	BoundedSlot bool
}

// claimSlot is the product's ClaimSlot, or with knobs.BoundedSlot the same
// reads (the organization, then the overlapping bookings) with the bounded
// query.
func claimSlot(ctx context.Context, tx *models.Tenant, a *models.Appointment) error {
	if !knobs.BoundedSlot {
		return tx.ClaimSlot(ctx, a)
	}
	org, err := tx.Organization(ctx)
	if err != nil || org.AllowOverlaps {
		return err
	}
	if tx.DB().Dialect().Name() == dialect.PG { // the product's per-provider and per-operatory locks
		for _, k := range slotLockKeys(tx.OrgID(), a.ProviderRef, a.OperatoryRef) {
			if _, err := tx.DB().ExecContext(ctx, "SELECT pg_advisory_xact_lock(?)", k); err != nil {
				return err
			}
		}
	}
	var ids []int64
	err = tx.DB().NewRaw(`SELECT id FROM appointments AS ap WHERE ap.organization_id = ? AND ap.status <> 'cancelled'
 AND ap.start_at < ? AND ap.start_at > ? AND ap.end_at > ? AND (ap.provider_ref = ? OR ap.operatory_ref = ?)
 ORDER BY ap.start_at, ap.id LIMIT 1`, tx.OrgID(), a.End.UTC(), a.Start.UTC().Add(-24*time.Hour), a.Start.UTC(),
		a.ProviderRef, a.OperatoryRef).Scan(ctx, &ids)
	if err != nil {
		return err
	}
	if len(ids) > 0 {
		return fmt.Errorf("slot taken by %d", ids[0])
	}
	return nil
}
