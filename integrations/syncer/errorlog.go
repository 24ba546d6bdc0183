package syncer

import (
	"context"
	"fmt"
	"strings"
	"time"

	"switchboard/apperr"
	"switchboard/integrations/definition"
	"switchboard/internal/loop"
	"switchboard/models"
)

// State is the sync state of a record in one integration: one item of
// the "sync" list the records API answers with.
type State struct {
	Integration string `json:"integration" doc:"The slug of the integration."`
	Mode        string `json:"mode" doc:"The sync configuration's direction."`
	Status      string `json:"status" doc:"The delivery's status." enum:"pending,retrying,failed,conflict,synced,dismissed"`
	ExternalID  string `json:"external_id,omitempty" doc:"The record's id in the integration (the practice system's, not Switchboard's)."`
	Error       string `json:"error,omitempty" doc:"The last error, when the job has not synced."`
	JobID       int64  `json:"job_id,omitempty" doc:"The sync job's id (Switchboard's; see GET /api/sync-jobs/{id})."`

	integrationID int64 // for ordering
}

// States returns a record's state per integration: its newest job, and
// the integrations that hold it without a job (external_only, inbound).
func (m *Manager) States(ctx context.Context, orgID int64, entity string, localID int64) ([]State, error) {
	return m.statesIn(ctx, m.store.Tenant(orgID), entity, localID)
}

// StatesOf returns the states of many records of one kind, by local id,
// in the same few queries as one record's (a list answers with them):
// every id is in the map, with no state as an empty list.
func (m *Manager) StatesOf(ctx context.Context, orgID int64, entity string, localIDs []int64) (map[int64][]State, error) {
	return m.statesOf(ctx, m.store.Tenant(orgID), entity, localIDs)
}

// statesIn is States read through t, which may be a transaction.
func (m *Manager) statesIn(ctx context.Context, t *models.Tenant, entity string, localID int64) ([]State, error) {
	by, err := m.statesOf(ctx, t, entity, []int64{localID})
	return by[localID], err
}

func (m *Manager) statesOf(ctx context.Context, t *models.Tenant, entity string, localIDs []int64) (map[int64][]State, error) {
	jobs, err := t.LatestSyncJobsOf(ctx, entity, localIDs)
	if err != nil {
		return nil, err
	}
	refs, err := t.ExternalRefsOf(ctx, entity, localIDs)
	if err != nil {
		return nil, err
	}
	out := make(map[int64][]State, len(localIDs))
	for _, id := range localIDs {
		out[id] = []State{}
	}
	if len(jobs) == 0 && len(refs) == 0 {
		return out, nil
	}
	names, modes, err := m.labels(ctx, t)
	if err != nil {
		return nil, err
	}
	ext := map[[2]int64]string{}
	for _, r := range refs {
		ext[[2]int64{r.LocalID, r.IntegrationID}] = r.ExternalID
	}
	seen := map[[2]int64]bool{}
	for _, j := range jobs {
		k := [2]int64{j.LocalID, j.IntegrationID}
		seen[k] = true
		s := State{Integration: names[j.IntegrationID], Mode: modes[j.IntegrationID], Status: j.Status,
			ExternalID: ext[k], JobID: j.ID, integrationID: j.IntegrationID}
		if s.ExternalID == "" {
			s.ExternalID = j.ExternalID
		}
		if j.Status != models.JobSynced {
			s.Error = j.LastError
		}
		out[j.LocalID] = append(out[j.LocalID], s)
	}
	for _, r := range refs {
		if !seen[[2]int64{r.LocalID, r.IntegrationID}] {
			out[r.LocalID] = append(out[r.LocalID], State{Integration: names[r.IntegrationID], Mode: modes[r.IntegrationID],
				Status: models.JobSynced, ExternalID: r.ExternalID, integrationID: r.IntegrationID})
		}
	}
	return out, nil
}

// labels returns the slug and sync direction of each integration.
func (m *Manager) labels(ctx context.Context, t *models.Tenant) (map[int64]string, map[int64]string, error) {
	ins, err := t.Integrations(ctx)
	if err != nil {
		return nil, nil, err
	}
	cfgs, err := t.SyncConfigs(ctx)
	if err != nil {
		return nil, nil, err
	}
	names, modes := map[int64]string{}, map[int64]string{}
	for _, in := range ins {
		names[in.ID] = in.Slug
	}
	for _, c := range cfgs {
		modes[c.IntegrationID] = c.Direction
	}
	return names, modes, nil
}

// WaitFirstAttempt waits until each of the record's newest jobs has had
// its first attempt (or is otherwise settled) or d passes, then returns the
// states: the answer of a write sent with ?wait=. Running out of d is no
// error; the caller's context ending or a failed read is.
func (m *Manager) WaitFirstAttempt(ctx context.Context, orgID int64, entity string, localID int64, d time.Duration) ([]State, error) {
	wctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	t := m.store.Tenant(orgID)
	err := loop.Until(wctx, 25*time.Millisecond, func(ctx context.Context) (bool, error) {
		jobs, err := t.LatestSyncJobs(ctx, entity, localID)
		return firstAttempted(jobs), err
	})
	if err != nil && (ctx.Err() != nil || !timeUp(wctx)) {
		return nil, fmt.Errorf("syncer: wait for the first attempt: %w", err)
	}
	return m.States(ctx, orgID, entity, localID)
}

// timeUp reports whether ctx's deadline has passed. A read cut short by
// the deadline (a connection still being dialled) can fail a moment
// before ctx says it is done.
func timeUp(ctx context.Context) bool {
	dl, ok := ctx.Deadline()
	return ctx.Err() != nil || ok && !time.Now().Before(dl)
}

// firstAttempted reports whether none of jobs still waits for its first
// attempt.
func firstAttempted(jobs []models.SyncJob) bool {
	for _, j := range jobs {
		if j.Status == models.JobPending && j.Attempts == 0 {
			return false
		}
	}
	return true
}

// JobFilter narrows the sync error log.
type JobFilter struct {
	IntegrationID int64
	Status        []string
	Entity        string
	From, To      time.Time
	AfterID       int64
	Limit         int
}

// Jobs lists the sync error log, newest first; without a status filter it
// shows the open jobs: retrying, failed, conflicting, and pending ones
// waiting with an error (deferred while their integration is closed).
func (m *Manager) Jobs(ctx context.Context, orgID int64, f JobFilter) ([]models.SyncJob, error) {
	return m.store.Tenant(orgID).SyncJobs(ctx, models.SyncJobFilter{IntegrationID: f.IntegrationID, Status: f.Status, Open: len(f.Status) == 0,
		Entity: f.Entity, From: f.From, To: f.To, AfterID: f.AfterID, Limit: f.Limit})
}

// Job returns one job and its attempts.
func (m *Manager) Job(ctx context.Context, orgID, id int64) (*models.SyncJob, []models.SyncAttempt, error) {
	t := m.store.Tenant(orgID)
	j, err := t.SyncJob(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	as, err := t.SyncAttempts(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	return j, as, nil
}

// Retry queues a failed, retrying or conflicting job again, due now, with
// its attempts reset.
func (m *Manager) Retry(ctx context.Context, orgID, id int64) error {
	if err := m.store.Tenant(orgID).RetrySyncJob(ctx, id); err != nil {
		return err
	}
	m.Kick()
	return nil
}

// Dismiss parks a job for good (later jobs of the record may then run).
func (m *Manager) Dismiss(ctx context.Context, orgID, id int64) error {
	if err := m.store.Tenant(orgID).DismissSyncJob(ctx, id); err != nil {
		return err
	}
	m.Kick()
	return nil
}

// OpenErrors counts retrying, failed and conflicting jobs (dashboard).
func (m *Manager) OpenErrors(ctx context.Context, orgID int64) (int, error) {
	return m.store.Tenant(orgID).CountOpenSyncJobs(ctx)
}

// Resolve settles a manual conflict: keep "local" pushes the local record
// to the external system; keep "external" applies the external change that
// was held back to the local record.
func (m *Manager) Resolve(ctx context.Context, orgID, id int64, keep string) error {
	t := m.store.Tenant(orgID)
	j, err := t.SyncJob(ctx, id)
	if err != nil {
		return err
	}
	if j.Status != models.JobConflict {
		return apperr.New(apperr.CodeConflict, "only a job in conflict can be resolved")
	}
	switch keep {
	case "local":
		return m.Retry(ctx, orgID, id)
	case "external":
	default:
		return apperr.Validation(apperr.FieldError{Field: "keep", Message: `must be "local" or "external"`})
	}
	d, err := ReadConflict(j.ConflictDetail)
	if err != nil {
		return err
	}
	cfg, err := t.SyncConfigFor(ctx, j.IntegrationID)
	if err != nil {
		return err
	}
	if err := m.applyExternal(ctx, t, cfg, &d.Change, true); err != nil {
		return err
	}
	if err := t.SetSyncJobStatus(ctx, id, models.JobSynced, "resolved: kept the external version"); err != nil {
		return err
	}
	m.Kick()
	return nil
}

// RecordKey names one record a job delivers.
type RecordKey struct {
	Entity string
	ID     int64
}

// RecordLabel says which record a job delivers, as the sync error log
// shows it: the patient's name and, for an appointment, its start.
type RecordLabel struct {
	RecordKey
	// Name is the patient's name (an appointment's patient's).
	Name string
	// Start is an appointment's start; zero for a patient.
	Start time.Time
	// Deleted reports a record that is gone: a deleted patient, or an
	// appointment no longer stored.
	Deleted bool
}

// RecordLabels names the records of jobs, with one query per kind of
// record whatever the number of jobs (appointments first, then every
// patient needed).
func (m *Manager) RecordLabels(ctx context.Context, orgID int64, jobs []models.SyncJob) (map[RecordKey]RecordLabel, error) {
	t := m.store.Tenant(orgID)
	out := make(map[RecordKey]RecordLabel, len(jobs))
	var patientIDs, appointmentIDs []int64
	for _, j := range jobs {
		k := RecordKey{Entity: j.Entity, ID: j.LocalID}
		if _, seen := out[k]; seen {
			continue
		}
		out[k] = RecordLabel{RecordKey: k, Deleted: true} // until found
		if j.Entity == definition.EntityAppointment {
			appointmentIDs = append(appointmentIDs, j.LocalID)
		} else {
			patientIDs = append(patientIDs, j.LocalID)
		}
	}
	as, err := t.AppointmentsByID(ctx, appointmentIDs)
	if err != nil {
		return nil, err
	}
	for _, a := range as {
		patientIDs = append(patientIDs, a.PatientID)
	}
	ps, err := t.PatientsByID(ctx, patientIDs)
	if err != nil {
		return nil, err
	}
	names := make(map[int64]string, len(ps))
	for _, p := range ps {
		names[p.ID] = strings.TrimSpace(p.FirstName + " " + p.LastName)
		if k := (RecordKey{Entity: definition.EntityPatient, ID: p.ID}); out[k].ID != 0 {
			out[k] = RecordLabel{RecordKey: k, Name: names[p.ID], Deleted: p.DeletedAt != nil}
		}
	}
	for _, a := range as {
		k := RecordKey{Entity: definition.EntityAppointment, ID: a.ID}
		out[k] = RecordLabel{RecordKey: k, Name: names[a.PatientID], Start: a.Start}
	}
	return out, nil
}
