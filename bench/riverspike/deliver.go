package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"switchboard/apperr"
	"switchboard/integrations/definition"
	"switchboard/models"
)

// delivery is one job's call to the upstream, prepared and made as the
// product's worker does: the reads of planJob (the record's reference, the
// appointment, its patient's reference), one POST, then the outcome.
type delivery struct {
	ext     string
	status  int
	elapsed time.Duration
	request string
	answer  string
}

// call makes the delivery of job j.
func (e *env) call(ctx context.Context, j *models.SyncJob) (*delivery, error) {
	t := e.store.Tenant(j.OrganizationID)
	if _, err := t.ExternalRef(ctx, j.IntegrationID, j.Entity, j.LocalID); err != nil && !apperr.IsNotFound(err) {
		return nil, err
	}
	a, err := t.Appointment(ctx, j.LocalID)
	if err != nil {
		return nil, err
	}
	pref, err := t.ExternalRef(ctx, j.IntegrationID, definition.EntityPatient, a.PatientID)
	if err != nil {
		return nil, err
	}
	body, _ := json.Marshal(map[string]any{"PatNum": pref.ExternalID, "AptDateTime": a.Start.Format("2006-01-02 15:04:05"),
		"ProvNum": a.ProviderRef, "Op": a.OperatoryRef, "Pattern": "//////"})
	start := time.Now()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.upstream+"/appointments", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := e.client.Do(req)
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		return nil, err
	}
	if res.StatusCode != http.StatusCreated {
		return nil, fmt.Errorf("upstream answered %d: %s", res.StatusCode, b)
	}
	var out struct {
		AptNum json.Number `json:"AptNum"`
	}
	if err := json.Unmarshal(b, &out); err != nil || out.AptNum == "" {
		return nil, fmt.Errorf("upstream answer without AptNum: %s", b)
	}
	return &delivery{ext: out.AptNum.String(), status: res.StatusCode, elapsed: time.Since(start),
		request: "POST /appointments\n" + string(body), answer: string(b)}, nil
}

// record writes, inside tx, what a delivered job leaves: its attempt, the
// record's external reference and the job synced (owner "" for a job the
// product's lease never held, as under River).
func record(ctx context.Context, tx *models.Tenant, j *models.SyncJob, d *delivery, owner string) error {
	a := &models.SyncAttempt{JobID: j.ID, Attempt: j.Attempts + 1, OK: true, Sent: true, HTTPStatus: d.status,
		DurationMS: d.elapsed.Milliseconds(), RequestExcerpt: d.request, ResponseExcerpt: d.answer}
	if err := insertAttempt(ctx, tx, a); err != nil {
		return err
	}
	ref := &models.ExternalRef{IntegrationID: j.IntegrationID, Entity: j.Entity, LocalID: j.LocalID, ExternalID: d.ext,
		SyncedVersion: j.RecordVersion}
	if err := tx.SaveExternalRef(ctx, ref); err != nil {
		return err
	}
	return tx.FinishSyncJob(ctx, j.ID, owner, models.SyncJobOutcome{Status: models.JobSynced, Attempts: j.Attempts + 1,
		ExternalID: d.ext, LastHTTPStatus: d.status, RecordVersion: j.RecordVersion})
}

// insertAttempt is models.InsertSyncAttempt, or with knobs.AttemptByJob
// the same numbering read by job_id alone (job ids are global), which
// SQLite answers from sync_attempts_job_idx instead of walking every
// attempt of the organization through sync_attempts_org_idx.
func insertAttempt(ctx context.Context, tx *models.Tenant, a *models.SyncAttempt) error {
	if !knobs.AttemptByJob {
		return tx.InsertSyncAttempt(ctx, a)
	}
	var last int
	if err := tx.DB().NewRaw("SELECT COALESCE(MAX(attempt), 0) FROM sync_attempts WHERE job_id = ?", a.JobID).Scan(ctx, &last); err != nil {
		return err
	}
	now := time.Now().UTC()
	a.OrganizationID, a.Attempt, a.CreatedAt, a.UpdatedAt = tx.OrgID(), last+1, now, now
	_, err := tx.DB().NewInsert().Model(a).Exec(ctx)
	return err
}
