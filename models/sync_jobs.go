package models

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"

	"switchboard/apperr"
)

// Sync job statuses, as the API and the sync error log show them.
const (
	JobPending   = "pending"
	JobRetrying  = "retrying"
	JobFailed    = "failed"
	JobConflict  = "conflict"
	JobSynced    = "synced"
	JobDismissed = "dismissed"
)

// Sync operations.
const (
	OpCreate = "create"
	OpUpdate = "update"
	OpDelete = "delete"
)

// OpenJobStatuses are the statuses the sync error log lists by default,
// beside the waiting jobs (see whereOpen).
var OpenJobStatuses = []string{JobRetrying, JobFailed, JobConflict}

// whereOpen narrows a query to the open jobs: retrying, failed or
// conflicting, and pending jobs that carry an error — deferred without
// spending an attempt because their integration may not be called now (an
// open circuit during an outage, a rate limit, outside its access window).
// Those have not reached their system either, so staff see them.
func whereOpen(q bun.QueryBuilder) bun.QueryBuilder {
	return q.Where("(sj.status IN (?) OR (sj.status = ? AND sj.last_error <> ''))", bun.In(OpenJobStatuses), JobPending)
}

// SyncJob is one outbox entry: a local write to deliver to an integration.
type SyncJob struct {
	bun.BaseModel `bun:"table:sync_jobs,alias:sj"`

	ID             int64      `bun:"id,pk,autoincrement" json:"id" doc:"The sync job's id (Switchboard's)."`
	OrganizationID int64      `bun:"organization_id,notnull" json:"-"`
	IntegrationID  int64      `bun:"integration_id,notnull" json:"integration_id" doc:"The integration's id (Switchboard's)."`
	Entity         string     `bun:"entity,notnull" json:"entity" doc:"The kind of record." enum:"patient,appointment"`
	LocalID        int64      `bun:"local_id,notnull" json:"local_id" doc:"The record's id (Switchboard's)."`
	Operation      string     `bun:"operation,notnull" json:"operation" doc:"The write to deliver." enum:"create,update,delete"`
	Status         string     `bun:"status,notnull" json:"status" doc:"The job's status." enum:"pending,retrying,failed,conflict,synced,dismissed"`
	Attempts       int        `bun:"attempts,notnull" json:"attempts" doc:"Attempts made so far."`
	MaxAttempts    int        `bun:"max_attempts,notnull" json:"max_attempts" doc:"After this many attempts the job fails."`
	NextAttemptAt  time.Time  `bun:"next_attempt_at,notnull" json:"next_attempt_at" doc:"When the next attempt is due (RFC 3339 instant)."`
	LeaseOwner     string     `bun:"lease_owner,notnull" json:"-"`
	LeaseUntil     *time.Time `bun:"lease_until" json:"-"`
	RecordVersion  int64      `bun:"record_version,notnull" json:"record_version" doc:"The record's version the job delivers."`
	ExternalID     string     `bun:"external_id,notnull" json:"external_id,omitempty" doc:"The record's id in the integration (the practice system's, not Switchboard's)."`
	LastError      string     `bun:"last_error,notnull" json:"last_error,omitempty" doc:"The last attempt's error."`
	LastHTTPStatus int        `bun:"last_http_status,notnull" json:"last_http_status,omitempty" doc:"The upstream's HTTP status in the last attempt."`
	ConflictDetail string     `bun:"conflict_detail,notnull" json:"conflict_detail,omitempty" doc:"What differs, when the job is a conflict."`
	FinishedAt     *time.Time `bun:"finished_at" json:"finished_at,omitempty" doc:"When the job finished (RFC 3339 instant); absent while open."`
	CreatedAt      time.Time  `bun:"created_at,notnull" json:"created_at" doc:"When the job was queued (RFC 3339 instant)."`
	UpdatedAt      time.Time  `bun:"updated_at,notnull" json:"updated_at" doc:"When the job last changed (RFC 3339 instant)."`
}

// Finished reports whether nothing remains to do for the job.
func (j *SyncJob) Finished() bool { return j.Status == JobSynced || j.Status == JobDismissed }

// SyncAttempt is one delivery attempt of a job, with redacted excerpts.
type SyncAttempt struct {
	bun.BaseModel `bun:"table:sync_attempts,alias:sa"`

	ID             int64 `bun:"id,pk,autoincrement" json:"id" doc:"The attempt's id (Switchboard's)."`
	OrganizationID int64 `bun:"organization_id,notnull" json:"-"`
	JobID          int64 `bun:"job_id,notnull" json:"job_id" doc:"The sync job's id (Switchboard's)."`
	Attempt        int   `bun:"attempt,notnull" json:"attempt" doc:"The attempt's number, from 1."`
	OK             bool  `bun:"ok,notnull" json:"ok" doc:"Whether the attempt delivered the change."`
	// Sent reports that the request went out; an attempt refused before
	// sending (validation, credentials, a blocked destination) is not.
	Sent            bool      `bun:"sent,notnull" json:"sent" doc:"Whether the request went out; an attempt refused before sending (validation, credentials, a blocked destination) was not."`
	HTTPStatus      int       `bun:"http_status,notnull" json:"http_status" doc:"The upstream's HTTP status (0 when no answer came)."`
	DurationMS      int64     `bun:"duration_ms,notnull" json:"duration_ms" doc:"How long it took, in milliseconds."`
	Error           string    `bun:"error,notnull" json:"error,omitempty" doc:"What went wrong; empty when it succeeded."`
	RequestExcerpt  string    `bun:"request_excerpt,notnull" json:"request_excerpt,omitempty" doc:"The start of the request sent, secrets redacted."`
	ResponseExcerpt string    `bun:"response_excerpt,notnull" json:"response_excerpt,omitempty" doc:"The start of the answer, secrets redacted."`
	CreatedAt       time.Time `bun:"created_at,notnull" json:"created_at" doc:"When the attempt started (RFC 3339 instant)."`
	UpdatedAt       time.Time `bun:"updated_at,notnull" json:"updated_at" doc:"When the attempt was last written (RFC 3339 instant)."`
}

// ExternalRef links a local record to its id in an integration.
type ExternalRef struct {
	bun.BaseModel `bun:"table:external_refs,alias:er"`

	ID                int64      `bun:"id,pk,autoincrement"`
	OrganizationID    int64      `bun:"organization_id,notnull"`
	IntegrationID     int64      `bun:"integration_id,notnull"`
	Entity            string     `bun:"entity,notnull"`
	LocalID           int64      `bun:"local_id,notnull"`
	ExternalID        string     `bun:"external_id,notnull"`
	ExternalVersion   string     `bun:"external_version,notnull"`
	ExternalUpdatedAt *time.Time `bun:"external_updated_at"`
	SyncedVersion     int64      `bun:"synced_version,notnull"`
	CreatedAt         time.Time  `bun:"created_at,notnull"`
	UpdatedAt         time.Time  `bun:"updated_at,notnull"`
}

// InsertSyncJob adds a job; zero fields get the defaults (pending, due now).
func (t *Tenant) InsertSyncJob(ctx context.Context, j *SyncJob) error {
	now := t.now()
	j.ID, j.OrganizationID, j.CreatedAt, j.UpdatedAt = 0, t.orgID, now, now
	if j.Status == "" {
		j.Status = JobPending
	}
	if j.MaxAttempts <= 0 {
		j.MaxAttempts = 6
	}
	if j.NextAttemptAt.IsZero() {
		j.NextAttemptAt = now
	}
	var err error
	if t.prep != nil && j.LeaseUntil == nil && j.FinishedAt == nil {
		err = t.insertSyncJobPrepared(ctx, j)
	} else {
		_, err = t.db.NewInsert().Model(j).Exec(ctx)
	}
	if err != nil {
		return wrap("create sync job", conflictOr(err, "the %s %d already has an open create job", j.Entity, j.LocalID))
	}
	if j.Status == JobPending || j.Status == JobRetrying {
		return t.syncJobsDue(ctx, j.ID)
	}
	return nil
}

// EnsureCreateJob queues j, a create job, unless the record already has an
// open create job in the integration (the database holds at most one):
// then nothing is added and it answers false. Both engines take the
// statement inside a transaction without aborting it.
func (t *Tenant) EnsureCreateJob(ctx context.Context, j *SyncJob) (bool, error) {
	now := t.now()
	j.ID, j.OrganizationID, j.CreatedAt, j.UpdatedAt = 0, t.orgID, now, now
	j.Operation, j.Status = OpCreate, JobPending
	if j.MaxAttempts <= 0 {
		j.MaxAttempts = 6
	}
	if j.NextAttemptAt.IsZero() {
		j.NextAttemptAt = now
	}
	res, err := t.db.NewInsert().Model(j).On("CONFLICT DO NOTHING").Exec(ctx)
	if err != nil {
		return false, wrap("create sync job", err)
	}
	n, err := res.RowsAffected()
	if err != nil || n == 0 {
		return false, wrap("create sync job", err)
	}
	return true, t.syncJobsDue(ctx, j.ID)
}

// SyncJob returns one job.
func (t *Tenant) SyncJob(ctx context.Context, id int64) (*SyncJob, error) {
	j := new(SyncJob)
	err := t.oneByID(ctx, "sync job", j, id)
	return j, wrap("fetch sync job", notFound(err, "sync job"))
}

// SyncJobFilter narrows the sync error log.
type SyncJobFilter struct {
	IntegrationID int64
	Status        []string
	// Open lists the open jobs (whereOpen) when Status is empty.
	Open     bool
	Entity   string
	LocalID  int64
	From, To time.Time
	AfterID  int64
	Limit    int
}

// SyncJobs lists jobs, newest first (AfterID pages to older ones).
func (t *Tenant) SyncJobs(ctx context.Context, f SyncJobFilter) ([]SyncJob, error) {
	var js []SyncJob
	q := t.selectQ(&js).OrderExpr("sj.id DESC")
	if f.IntegrationID > 0 {
		q = q.Where("sj.integration_id = ?", f.IntegrationID)
	}
	if len(f.Status) > 0 {
		q = q.Where("sj.status IN (?)", bun.In(f.Status))
	} else if f.Open {
		q = q.ApplyQueryBuilder(whereOpen)
	}
	if f.Entity != "" {
		q = q.Where("sj.entity = ?", f.Entity)
	}
	if f.LocalID > 0 {
		q = q.Where("sj.local_id = ?", f.LocalID)
	}
	if !f.From.IsZero() {
		q = q.Where("sj.updated_at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		q = q.Where("sj.updated_at < ?", f.To.UTC())
	}
	if f.AfterID > 0 {
		q = q.Where("sj.id < ?", f.AfterID)
	}
	err := q.Limit(int64(pageLimit(f.Limit))).Scan(ctx)
	return js, wrap("list sync jobs", err)
}

// LatestSyncJobs returns the newest job of a record per integration.
func (t *Tenant) LatestSyncJobs(ctx context.Context, entity string, localID int64) ([]SyncJob, error) {
	return t.LatestSyncJobsOf(ctx, entity, []int64{localID})
}

// LatestSyncJobsOf returns the newest job per integration of each record
// of localIDs, in one query, ordered by record and integration.
func (t *Tenant) LatestSyncJobsOf(ctx context.Context, entity string, localIDs []int64) ([]SyncJob, error) {
	var js []SyncJob
	if len(localIDs) == 0 {
		return js, nil
	}
	err := t.selectQ(&js).Where("sj.entity = ? AND sj.local_id IN (?)", entity, bun.In(localIDs)).
		Where("sj.id = (SELECT MAX(o.id) FROM sync_jobs AS o WHERE o.integration_id = sj.integration_id AND o.entity = sj.entity AND o.local_id = sj.local_id)").
		OrderExpr("sj.local_id ASC, sj.integration_id ASC").Scan(ctx)
	return js, wrap("list sync jobs", err)
}

// LastSyncJob returns the newest job of a record in an integration.
func (t *Tenant) LastSyncJob(ctx context.Context, integrationID int64, entity string, localID int64) (*SyncJob, error) {
	j := new(SyncJob)
	err := t.selectQ(j).Where("sj.integration_id = ? AND sj.entity = ? AND sj.local_id = ?", integrationID, entity, localID).
		OrderExpr("sj.id DESC").Limit(1).Scan(ctx)
	return j, wrap("fetch last sync job", notFound(err, "sync job"))
}

// HasUnfinishedSyncJob reports whether a record has a job in an integration
// that is neither synced nor dismissed.
func (t *Tenant) HasUnfinishedSyncJob(ctx context.Context, integrationID int64, entity string, localID int64) (bool, error) {
	n, err := t.selectQ((*SyncJob)(nil)).Where("sj.integration_id = ? AND sj.entity = ? AND sj.local_id = ?", integrationID, entity, localID).
		Where("sj.status NOT IN (?)", bun.In([]string{JobSynced, JobDismissed})).Count(ctx)
	return n > 0, wrap("count sync jobs", err)
}

// SyncJobOutcome is what a worker writes back after running a job.
type SyncJobOutcome struct {
	Status         string
	Attempts       int
	NextAttemptAt  time.Time
	ExternalID     string
	LastError      string
	LastHTTPStatus int
	ConflictDetail string
	// RecordVersion, when set, is the record version the worker carried
	// out. A job whose row names a newer one (the record was saved while
	// the worker held it) does not take Status: it goes back to pending,
	// due now, to deliver the newer version.
	RecordVersion int64
}

// FinishSyncJob stores the outcome of a job claimed by owner and frees its
// lease. It answers not-found when owner no longer holds the lease.
func (t *Tenant) FinishSyncJob(ctx context.Context, id int64, owner string, o SyncJobOutcome) error {
	_, err := t.FinishSyncJobRequeued(ctx, id, owner, o)
	return err
}

// FinishSyncJobRequeued is FinishSyncJob that also says whether the job
// went back to pending, due now, instead of taking o's status (the record
// was saved again while the worker held it: o.RecordVersion is older).
func (t *Tenant) FinishSyncJobRequeued(ctx context.Context, id int64, owner string, o SyncJobOutcome) (bool, error) {
	if o.RecordVersion == 0 {
		res, err := t.finish(ctx, id, owner, o, "")
		return false, wrap("finish sync job", mustAffect(res, err, "sync job lease"))
	}
	res, err := t.finish(ctx, id, owner, o, "=")
	if n, _ := rowsAffected(res, err); n > 0 || err != nil {
		return false, wrap("finish sync job", err)
	}
	// Saved meanwhile: the job runs again with the newer version.
	again := o
	again.Status, again.NextAttemptAt, again.LastError = JobPending, t.now(), ""
	res, err = t.finish(ctx, id, owner, again, "<>")
	return true, wrap("finish sync job", mustAffect(res, err, "sync job lease"))
}

func rowsAffected(res sql.Result, err error) (int64, error) {
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// finish runs the update FinishSyncJob makes, for the job's record version
// compared with versionOp ("=", "<>"; "" for any). With prepared statements
// it goes with its values as arguments (one text per shape of outcome),
// else through bun.
func (t *Tenant) finish(ctx context.Context, id int64, owner string, o SyncJobOutcome, versionOp string) (sql.Result, error) {
	sets, args := finishSets(o, t.now())
	wheres, wargs := []string{"sj.id = ?", "sj.lease_owner = ?"}, []any{id, owner}
	if versionOp != "" {
		wheres, wargs = append(wheres, "sj.record_version "+versionOp+" ?"), append(wargs, o.RecordVersion)
	}
	if p := t.prep; p != nil {
		text := "UPDATE sync_jobs AS sj SET " + strings.Join(sets, ", ") + " WHERE sj.organization_id = ? AND " + strings.Join(wheres, " AND ")
		all := append(append(args, t.orgID), wargs...)
		for i, v := range all {
			if at, ok := v.(time.Time); ok {
				all[i] = p.ts(at)
			}
		}
		return p.exec(ctx, t.db, text, all...)
	}
	q := t.updateQ((*SyncJob)(nil))
	for _, set := range sets {
		n := strings.Count(set, "?")
		q, args = q.Set(set, args[:n]...), args[n:]
	}
	for i, w := range wheres {
		q = q.Where(w, wargs[i])
	}
	return q.Exec(ctx)
}

// finishSets are the SET clauses of FinishSyncJob's update (each with at
// most one ?) and their values in order.
func finishSets(o SyncJobOutcome, now time.Time) (sets []string, args []any) {
	add := func(set string, v ...any) { sets, args = append(sets, set), append(args, v...) }
	add("status = ?", o.Status)
	add("attempts = ?", o.Attempts)
	add("last_error = ?", o.LastError)
	add("last_http_status = ?", o.LastHTTPStatus)
	add("lease_owner = ''")
	add("lease_until = NULL")
	add("updated_at = ?", now)
	if !o.NextAttemptAt.IsZero() {
		add("next_attempt_at = ?", o.NextAttemptAt.UTC())
	}
	if o.ExternalID != "" {
		add("external_id = ?", o.ExternalID)
	}
	if o.ConflictDetail != "" {
		add("conflict_detail = ?", o.ConflictDetail)
	}
	if o.Status == JobSynced || o.Status == JobDismissed || o.Status == JobFailed {
		add("finished_at = ?", now)
	}
	return sets, args
}

// RequeueCreateJob puts the record's unfinished create job in the
// integration (pending, retrying or failed) back in the queue for version,
// the record's newest: due now, its last error cleared and extra attempts
// more to spend (attempt numbers go on). A job a worker holds keeps its
// status and lease; that worker's finish sees the newer version and queues
// it again (FinishSyncJob). It answers the job's id, or 0 when the record
// has no such job.
func (t *Tenant) RequeueCreateJob(ctx context.Context, integrationID int64, entity string, localID, version int64, extra int) (int64, error) {
	now := t.now()
	var ids []int64
	err := t.updateQ((*SyncJob)(nil)).Set("record_version = ?", version).
		Set("max_attempts = attempts + ? + CASE WHEN lease_owner = '' THEN 0 ELSE 1 END", extra).
		Set("status = CASE WHEN lease_owner = '' THEN ? ELSE status END", JobPending).
		Set("next_attempt_at = ?", now).Set("last_error = ''").Set("finished_at = NULL").Set("updated_at = ?", now).
		Where("sj.integration_id = ? AND sj.entity = ? AND sj.local_id = ?", integrationID, entity, localID).
		Where("sj.operation = ?", OpCreate).Where("sj.status IN (?)", bun.In([]string{JobPending, JobRetrying, JobFailed})).
		Returning("id").Scan(ctx, &ids)
	if err != nil || len(ids) == 0 {
		return 0, wrap("requeue sync job", err)
	}
	return ids[0], t.syncJobsDue(ctx, ids[0])
}

// RetrySyncJob puts a failed, retrying or conflicting job back in the
// queue, due now, with its attempts reset and its last error cleared; a
// job a worker is delivering right now is left to that worker.
func (t *Tenant) RetrySyncJob(ctx context.Context, id int64) error {
	now := t.now()
	res, err := t.updateQ((*SyncJob)(nil)).Set("status = ?", JobPending).Set("attempts = 0").Set("next_attempt_at = ?", now).
		Set("last_error = ''").Set("lease_owner = ''").Set("lease_until = NULL").Set("finished_at = NULL").Set("updated_at = ?", now).
		Where("sj.id = ?", id).ApplyQueryBuilder(whereOpen).
		Where("sj.lease_owner = '' OR sj.lease_until < ?", now.UTC()).Exec(ctx)
	if err := t.jobChange(ctx, res, err, id, "only a failed, retrying or conflicting job that no worker is delivering right now can be retried"); err != nil {
		return wrap("retry sync job", err)
	}
	return t.syncJobsDue(ctx, id)
}

// DismissSyncJob parks a job for good.
func (t *Tenant) DismissSyncJob(ctx context.Context, id int64) error {
	now := t.now()
	res, err := t.updateQ((*SyncJob)(nil)).Set("status = ?", JobDismissed).Set("lease_owner = ''").Set("lease_until = NULL").
		Set("finished_at = ?", now).Set("updated_at = ?", now).
		Where("sj.id = ?", id).Where("sj.status NOT IN (?)", bun.In([]string{JobSynced, JobDismissed})).Exec(ctx)
	return wrap("dismiss sync job", t.jobChange(ctx, res, err, id, "the job is already synced or dismissed"))
}

// SetSyncJobStatus sets a job's status unconditionally (conflict
// resolution), freeing its lease.
func (t *Tenant) SetSyncJobStatus(ctx context.Context, id int64, status, lastError string) error {
	now := t.now()
	q := t.updateQ((*SyncJob)(nil)).Set("status = ?", status).Set("last_error = ?", lastError).
		Set("lease_owner = ''").Set("lease_until = NULL").Set("updated_at = ?", now).Where("sj.id = ?", id)
	if status == JobSynced || status == JobDismissed {
		q = q.Set("finished_at = ?", now)
	}
	res, err := q.Exec(ctx)
	return wrap("update sync job", mustAffect(res, err, "sync job"))
}

// DismissRecordJobs dismisses the unfinished jobs of a record in an
// integration (an external change won over them).
func (t *Tenant) DismissRecordJobs(ctx context.Context, integrationID int64, entity string, localID int64, why string) error {
	now := t.now()
	_, err := t.updateQ((*SyncJob)(nil)).Set("status = ?", JobDismissed).Set("last_error = ?", why).
		Set("finished_at = ?", now).Set("updated_at = ?", now).
		Where("sj.integration_id = ? AND sj.entity = ? AND sj.local_id = ?", integrationID, entity, localID).
		Where("sj.status IN (?)", bun.In([]string{JobPending, JobRetrying, JobFailed})).Where("sj.lease_owner = ''").Exec(ctx)
	return wrap("dismiss sync jobs", err)
}

// jobChange tells a missing job (404) from one in the wrong state (409).
func (t *Tenant) jobChange(ctx context.Context, res interface{ RowsAffected() (int64, error) }, err error, id int64, msg string) error {
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n > 0 {
		return err
	}
	if _, err := t.SyncJob(ctx, id); err != nil {
		return err
	}
	return apperr.New(apperr.CodeConflict, "%s", msg)
}

// CountOpenSyncJobs counts the open jobs (whereOpen).
func (t *Tenant) CountOpenSyncJobs(ctx context.Context) (int, error) {
	n, err := t.selectQ((*SyncJob)(nil)).ApplyQueryBuilder(whereOpen).Count(ctx)
	return int(n), wrap("count sync jobs", err)
}

// InsertSyncAttempt records one attempt, numbered after the job's
// earlier ones (1, 2, 3… across retries: a retry starts a new round of
// attempts but not a new count). A job is leased to one worker at a time,
// so its numbers do not race. The number is read by job_id alone (the
// job's index): with the organization in the condition SQLite walked every
// attempt of the organization.
func (t *Tenant) InsertSyncAttempt(ctx context.Context, a *SyncAttempt) error {
	now := t.now()
	a.ID, a.OrganizationID, a.CreatedAt, a.UpdatedAt = 0, t.orgID, now, now
	// The number is taken in the insert itself (one statement, one round
	// trip): the job's last attempt plus one.
	if p := t.prep; p != nil {
		err := p.scanRow(ctx, t.db, insertSyncAttemptSQL, []any{t.orgID, a.JobID, a.JobID, a.OK, a.Sent, a.HTTPStatus, a.DurationMS,
			a.Error, a.RequestExcerpt, a.ResponseExcerpt, p.ts(now), p.ts(now)}, &a.ID, &a.Attempt)
		return wrap("record sync attempt", err)
	}
	_, err := t.db.NewInsert().Model(a).
		Value("attempt", "(SELECT COALESCE(MAX(prev.attempt), 0) + 1 FROM sync_attempts AS prev WHERE prev.job_id = ?)", a.JobID).
		Returning("id, attempt").Exec(ctx)
	return wrap("record sync attempt", err)
}

// SyncAttempts lists a job's attempts, oldest first.
func (t *Tenant) SyncAttempts(ctx context.Context, jobID int64) ([]SyncAttempt, error) {
	var as []SyncAttempt
	err := t.selectQ(&as).Where("sa.job_id = ?", jobID).OrderExpr("sa.id ASC").Scan(ctx)
	return as, wrap("list sync attempts", err)
}

// ExternalRef returns a record's reference in an integration.
func (t *Tenant) ExternalRef(ctx context.Context, integrationID int64, entity string, localID int64) (*ExternalRef, error) {
	if t.prep != nil {
		r, err := t.externalRefPrepared(ctx, integrationID, entity, localID)
		return r, wrap("fetch external ref", notFound(err, "external reference"))
	}
	r := new(ExternalRef)
	err := t.selectQ(r).Where("er.integration_id = ? AND er.entity = ? AND er.local_id = ?", integrationID, entity, localID).Scan(ctx)
	return r, wrap("fetch external ref", notFound(err, "external reference"))
}

// ExternalRefByExternalID finds the local record of an external id.
func (t *Tenant) ExternalRefByExternalID(ctx context.Context, integrationID int64, entity, externalID string) (*ExternalRef, error) {
	r := new(ExternalRef)
	err := t.selectQ(r).Where("er.integration_id = ? AND er.entity = ? AND er.external_id = ?", integrationID, entity, externalID).
		OrderExpr("er.id ASC").Limit(1).Scan(ctx)
	return r, wrap("fetch external ref", notFound(err, "external reference"))
}

// ExternalRefsOf returns the references of each record of localIDs, in
// one query, ordered by record and integration.
func (t *Tenant) ExternalRefsOf(ctx context.Context, entity string, localIDs []int64) ([]ExternalRef, error) {
	var rs []ExternalRef
	if len(localIDs) == 0 {
		return rs, nil
	}
	err := t.selectQ(&rs).Where("er.entity = ? AND er.local_id IN (?)", entity, bun.In(localIDs)).
		OrderExpr("er.local_id ASC, er.integration_id ASC").Scan(ctx)
	return rs, wrap("list external refs", err)
}

// SaveExternalRef inserts or refreshes the reference of (integration,
// entity, local id).
func (t *Tenant) SaveExternalRef(ctx context.Context, r *ExternalRef) error {
	now := t.now()
	r.ID, r.OrganizationID, r.CreatedAt, r.UpdatedAt = 0, t.orgID, now, now
	// One statement: insert, or update the record's reference in place.
	// A nil ExternalUpdatedAt keeps the stored one (it is the external
	// system's clock, known only from inbound changes).
	if p := t.prep; p != nil {
		var extAt, created any
		if r.ExternalUpdatedAt != nil {
			extAt = p.ts(*r.ExternalUpdatedAt)
		}
		err := p.scanRow(ctx, t.db, saveExternalRefSQL, []any{t.orgID, r.IntegrationID, r.Entity, r.LocalID, r.ExternalID,
			r.ExternalVersion, extAt, r.SyncedVersion, p.ts(now), p.ts(now)}, &r.ID, &created)
		if err == nil {
			r.CreatedAt, err = sqlTimeOf(created)
		}
		return wrap("save external ref", err)
	}
	err := t.db.NewInsert().Model(r).
		On("CONFLICT (integration_id, entity, local_id) DO UPDATE").
		Set("external_id = EXCLUDED.external_id").
		Set("external_version = EXCLUDED.external_version").
		Set("external_updated_at = COALESCE(EXCLUDED.external_updated_at, er.external_updated_at)").
		Set("synced_version = EXCLUDED.synced_version").
		Set("updated_at = EXCLUDED.updated_at").
		Returning("id, created_at").Scan(ctx, &r.ID, &r.CreatedAt)
	return wrap("save external ref", err)
}

// SetSyncStatus records the outcome of the latest sync with an integration
// on its configuration.
func (t *Tenant) SetSyncStatus(ctx context.Context, integrationID int64, status, lastError string) error {
	now := t.now()
	q := t.updateQ((*SyncConfig)(nil)).Set("last_sync_at = ?", now).Set("last_sync_status = ?", status).
		Set("last_error = ?", lastError).Where("sc.integration_id = ?", integrationID)
	if status == "ok" {
		// A busy queue succeeds many times a second: a healthy status is
		// refreshed at most once a second, so that the workers do not
		// queue on this one row.
		q = q.Where("(sc.last_sync_status <> 'ok' OR sc.last_sync_at IS NULL OR sc.last_sync_at <= ?)", now.Add(-time.Second))
	}
	_, err := q.Exec(ctx)
	return wrap("update sync status", err)
}

// SetSyncBookmarks stores a configuration's polling bookmarks (JSON).
func (t *Tenant) SetSyncBookmarks(ctx context.Context, configID int64, bookmarks string) error {
	_, err := t.updateQ((*SyncConfig)(nil)).Set("bookmarks = ?", bookmarks).Where("sc.id = ?", configID).Exec(ctx)
	return wrap("update sync bookmarks", err)
}

// ClaimSyncJobs leases up to limit due jobs to owner until leaseUntil: jobs
// pending or retrying, due, whose lease is free or expired, and with no
// older unfinished job of the same record (jobs of a record run in order).
// It is the only cross-organization query of the queue. On PostgreSQL rows
// locked by another claimer are skipped; on SQLite the single UPDATE runs
// under the database's write lock.
func (s *Store) ClaimSyncJobs(ctx context.Context, owner string, leaseUntil time.Time, limit int) ([]SyncJob, error) {
	now := s.now()
	lock := ""
	if s.db.Dialect().Name() == dialect.PG {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	var js []SyncJob
	err := s.exclusive(func() error {
		// The claim leaves updated_at (and every indexed column) alone, so
		// that PostgreSQL can update the row in place (HOT) without new
		// index entries for the scan of the next claim to step over.
		return s.db.NewRaw(`UPDATE sync_jobs SET lease_owner = ?, lease_until = ?
WHERE id IN (SELECT j.id FROM sync_jobs AS j
  WHERE j.status IN ('pending', 'retrying') AND j.next_attempt_at <= ?
    AND (j.lease_until IS NULL OR j.lease_until < ?)
    AND NOT EXISTS (SELECT 1 FROM sync_jobs AS o WHERE o.integration_id = j.integration_id
      AND o.entity = j.entity AND o.local_id = j.local_id AND o.id < j.id
      AND o.status NOT IN ('synced', 'dismissed'))
  ORDER BY j.next_attempt_at, j.id LIMIT ?`+lock+`)
RETURNING *`, owner, leaseUntil.UTC(), now, now, limit).Scan(ctx, &js)
	})
	return js, wrap("claim sync jobs", err)
}

// DeferSyncJob puts a claimed job back in the queue, due at next, without
// spending an attempt; it answers not-found when the lease is
// lost.
func (s *Store) DeferSyncJob(ctx context.Context, id int64, owner string, next time.Time, lastError string) error {
	var res sql.Result
	err := s.exclusive(func() (err error) {
		res, err = s.db.NewUpdate().Model((*SyncJob)(nil)).Set("next_attempt_at = ?", next.UTC()).Set("last_error = ?", lastError).
			Set("lease_owner = ''").Set("lease_until = NULL").Set("updated_at = ?", s.now()).
			Where("id = ?", id).Where("lease_owner = ?", owner).Exec(ctx)
		return err
	})
	return wrap("defer sync job", mustAffect(res, err, "sync job lease"))
}

// ExtendSyncLease renews the lease owner holds on a running job.
func (s *Store) ExtendSyncLease(ctx context.Context, id int64, owner string, until time.Time) error {
	res, err := s.db.NewUpdate().Model((*SyncJob)(nil)).Set("lease_until = ?", until.UTC()).
		Where("id = ?", id).Where("lease_owner = ?", owner).Exec(ctx)
	return wrap("extend sync lease", mustAffect(res, err, "sync job lease"))
}

// ReleaseSyncLeases frees the leases owner still holds (graceful shutdown).
func (s *Store) ReleaseSyncLeases(ctx context.Context, owner string) error {
	_, err := s.db.NewUpdate().Model((*SyncJob)(nil)).Set("lease_owner = ''").Set("lease_until = NULL").
		Where("lease_owner = ?", owner).Exec(ctx)
	return wrap("release sync leases", err)
}

// PollableSyncConfigs lists enabled configurations that take changes from
// the external system, across organizations (the poller).
func (s *Store) PollableSyncConfigs(ctx context.Context) ([]SyncConfig, error) {
	var cs []SyncConfig
	err := s.db.NewSelect().Model(&cs).Where("sc.enabled = ?", true).
		Where("sc.direction IN (?)", bun.In([]string{DirectionFromExternal, DirectionBidirectional})).
		OrderExpr("sc.id ASC").Scan(ctx)
	return cs, wrap("list sync configs", err)
}

// ClaimSyncJob leases the job id to owner until leaseUntil when it is due
// now: pending or retrying, its next attempt due, its lease free or
// expired, and no older unfinished job of the same record. It answers nil
// when the job is not claimable (see SyncJobState for why).
func (s *Store) ClaimSyncJob(ctx context.Context, id int64, owner string, leaseUntil time.Time) (*SyncJob, error) {
	now := s.now()
	var js []SyncJob
	err := s.exclusive(func() error {
		if p := s.prep; p != nil {
			var j SyncJob
			err := p.queryOne(ctx, s.db, claimSyncJobSQL, &j, owner, p.ts(leaseUntil), id, p.ts(now), p.ts(now))
			if err == nil {
				js = append(js, j)
			}
			return ignoreNoRows(err)
		}
		return s.db.NewRaw(claimSyncJobSQL, owner, leaseUntil.UTC(), id, now, now).Scan(ctx, &js)
	})
	if err != nil || len(js) == 0 {
		return nil, wrap("claim sync job", err)
	}
	return &js[0], nil
}

// ignoreNoRows is err, or nil for sql.ErrNoRows.
func ignoreNoRows(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	return err
}

// SyncJobByID returns a job of any organization (the background engine's
// delivery, which carries the id); nil when there is none.
func (s *Store) SyncJobByID(ctx context.Context, id int64) (*SyncJob, error) {
	if p := s.prep; p != nil {
		j := new(SyncJob)
		err := p.selectOne(ctx, s.db, "syncJobByID", func() *bun.SelectQuery {
			return s.db.NewSelect().Model(j).Where("sj.id = ?", bun.Safe("?"))
		}, j, id)
		if err != nil {
			return nil, wrap("fetch sync job", ignoreNoRows(err))
		}
		return j, nil
	}
	var js []SyncJob
	err := s.db.NewSelect().Model(&js).Where("sj.id = ?", id).Limit(1).Scan(ctx)
	if err != nil || len(js) == 0 {
		return nil, wrap("fetch sync job", err)
	}
	return &js[0], nil
}

// DueSyncJobIDs lists up to limit open jobs (pending or retrying) whose
// lease is free or expired, oldest first, across organizations: the
// background engine's reconcile queues a delivery for each (its unique key
// skips those already queued).
func (s *Store) DueSyncJobIDs(ctx context.Context, before time.Time, limit int) ([]SyncJob, error) {
	var js []SyncJob
	err := s.db.NewSelect().Model(&js).Column("sj.id", "sj.organization_id").
		Where("sj.status IN (?)", bun.In([]string{JobPending, JobRetrying})).Where("sj.next_attempt_at <= ?", before.UTC()).
		Where("sj.lease_until IS NULL OR sj.lease_until < ?", s.now()).
		OrderExpr("sj.next_attempt_at, sj.id").Limit(int64(limit)).Scan(ctx)
	return js, wrap("list due sync jobs", err)
}

// PurgeSyncAttempts deletes the attempts older than before of jobs that
// are finished (synced, dismissed or parked as failed), and says how many.
func (s *Store) PurgeSyncAttempts(ctx context.Context, before time.Time) (int64, error) {
	var res sql.Result
	err := s.exclusive(func() (err error) {
		res, err = s.db.NewDelete().TableExpr("sync_attempts").Where("created_at < ?", before.UTC()).
			Where("job_id IN (SELECT id FROM sync_jobs WHERE finished_at IS NOT NULL)").Exec(ctx)
		return err
	})
	n, err := rowsAffected(res, err)
	return n, wrap("purge sync attempts", err)
}

// ClaimSyncPoll takes configuration id's poll for the interval starting
// now: it moves next_poll_at to now + every when it is due (never set, or
// passed) and answers whether it did. One caller wins each interval, in
// every process sharing the database.
func (s *Store) ClaimSyncPoll(ctx context.Context, id int64, every time.Duration) (bool, error) {
	now := s.now()
	var res sql.Result
	err := s.exclusive(func() (err error) {
		res, err = s.db.NewUpdate().Model((*SyncConfig)(nil)).Set("next_poll_at = ?", now.Add(every)).
			Where("id = ?", id).Where("next_poll_at IS NULL OR next_poll_at <= ?", now).Exec(ctx)
		return err
	})
	n, err := rowsAffected(res, err)
	return n > 0, wrap("claim sync poll", err)
}

// ExternalID is the id of an organization's local record in an
// integration (not found when it is not linked there): what external_ref
// parameter maps translate a local id to.
func (s *Store) ExternalID(ctx context.Context, orgID, integrationID int64, entity string, localID int64) (string, error) {
	r, err := s.Tenant(orgID).ExternalRef(ctx, integrationID, entity, localID)
	if err != nil {
		return "", err
	}
	return r.ExternalID, nil
}

// LocalID is the local record linked to an integration's record (not
// found when none is).
func (s *Store) LocalID(ctx context.Context, orgID, integrationID int64, entity, externalID string) (int64, error) {
	r, err := s.Tenant(orgID).ExternalRefByExternalID(ctx, integrationID, entity, externalID)
	if err != nil {
		return 0, err
	}
	return r.LocalID, nil
}

// ClaimStaleSyncJob leases to owner one open job that the background
// engine has left alone: its lease expired (the process delivering it
// died or stalled), or it is one of stalled, unleased: jobs whose delivery
// a process took from the engine long ago without ever claiming the row
// (it died in between). A job merely waiting in the engine's queue is
// not stale however long the queue: the engine's workers take it in turn.
// Jobs of a record still run in order. It answers nil when there is none.
func (s *Store) ClaimStaleSyncJob(ctx context.Context, owner string, leaseUntil time.Time, stalled []int64) (*SyncJob, error) {
	now := s.now()
	lock := ""
	if s.db.Dialect().Name() == dialect.PG {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	unleased, args := "", []any{owner, leaseUntil.UTC(), now, now}
	if len(stalled) > 0 {
		unleased, args = " OR (j.lease_until IS NULL AND j.id IN (?))", append(args, bun.In(stalled))
	}
	var js []SyncJob
	err := s.exclusive(func() error {
		return s.db.NewRaw(`UPDATE sync_jobs SET lease_owner = ?, lease_until = ?
WHERE id IN (SELECT j.id FROM sync_jobs AS j
  WHERE j.status IN ('pending', 'retrying') AND j.next_attempt_at <= ?
    AND ((j.lease_until IS NOT NULL AND j.lease_until < ?)`+unleased+`)
    AND NOT EXISTS (SELECT 1 FROM sync_jobs AS o WHERE o.integration_id = j.integration_id
      AND o.entity = j.entity AND o.local_id = j.local_id AND o.id < j.id
      AND o.status NOT IN ('synced', 'dismissed'))
  ORDER BY j.next_attempt_at, j.id LIMIT 1`+lock+`)
RETURNING *`, args...).Scan(ctx, &js)
	})
	if err != nil || len(js) == 0 {
		return nil, wrap("claim stale sync job", err)
	}
	return &js[0], nil
}
