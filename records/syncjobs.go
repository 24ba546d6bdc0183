package records

import (
	"context"
	"time"

	"switchboard/models"
)

// SyncJobView is what an agent may read of one sync job: its state, the
// numbered delivery attempts and the last error.
type SyncJobView struct {
	ID          int64            `json:"id" doc:"The sync job's id (Switchboard's)."`
	Integration string           `json:"integration" doc:"The slug of the integration."`
	Entity      string           `json:"entity" doc:"The kind of record." enum:"patient,appointment"`
	LocalID     int64            `json:"local_id" doc:"The record's id (Switchboard's)."`
	Operation   string           `json:"operation" doc:"The write to deliver." enum:"create,update,delete"`
	Status      string           `json:"status" doc:"The job's status." enum:"pending,retrying,failed,conflict,synced,dismissed"`
	MaxAttempts int              `json:"max_attempts" doc:"After this many attempts the job fails."`
	Attempts    []SyncAttemptRow `json:"attempts" doc:"The delivery attempts, numbered from 1."`
	ExternalID  string           `json:"external_id,omitempty" doc:"The record's id in the integration (the practice system's, not Switchboard's)."`
	LastError   string           `json:"last_error,omitempty" doc:"The last attempt's error."`
	NextAttempt *time.Time       `json:"next_attempt_at,omitempty" doc:"When the next attempt is due (RFC 3339 instant); absent when none is."`
	FinishedAt  *time.Time       `json:"finished_at,omitempty" doc:"When the job finished (RFC 3339 instant); absent while open."`
	CreatedAt   time.Time        `json:"created_at" doc:"When the job was queued (RFC 3339 instant)."`
}

// SyncAttemptRow is one delivery attempt, numbered from 1.
type SyncAttemptRow struct {
	Number int  `json:"number" doc:"The attempt's number, from 1."`
	OK     bool `json:"ok" doc:"Whether the attempt delivered the change."`
	// Sent is false for an attempt refused before its request went out.
	Sent       bool      `json:"sent" doc:"False for an attempt refused before its request went out."`
	HTTPStatus int       `json:"http_status,omitempty" doc:"The upstream's HTTP status; absent when no answer came."`
	DurationMS int64     `json:"duration_ms" doc:"How long it took, in milliseconds."`
	Error      string    `json:"error,omitempty" doc:"What went wrong; empty when it succeeded."`
	At         time.Time `json:"at" doc:"When the attempt started (RFC 3339 instant)."`
}

// SyncJob returns one of the organization's sync jobs with its attempts;
// another organization's job is not found.
func (s *Service) SyncJob(ctx context.Context, orgID, id int64) (*SyncJobView, error) {
	t := s.store.Tenant(orgID)
	j, err := t.SyncJob(ctx, id)
	if err != nil {
		return nil, err
	}
	attempts, err := t.SyncAttempts(ctx, j.ID)
	if err != nil {
		return nil, err
	}
	v := &SyncJobView{ID: j.ID, Entity: j.Entity, LocalID: j.LocalID, Operation: j.Operation, Status: j.Status,
		MaxAttempts: j.MaxAttempts, Attempts: make([]SyncAttemptRow, 0, len(attempts)), ExternalID: j.ExternalID,
		LastError: j.LastError, FinishedAt: j.FinishedAt, CreatedAt: j.CreatedAt}
	if !j.Finished() {
		v.NextAttempt = &j.NextAttemptAt
	}
	if in, err := t.Integration(ctx, j.IntegrationID); err == nil {
		v.Integration = in.Slug
	}
	for i, a := range attempts {
		v.Attempts = append(v.Attempts, syncAttemptRow(i+1, a))
	}
	return v, nil
}

func syncAttemptRow(n int, a models.SyncAttempt) SyncAttemptRow {
	if a.Attempt > 0 {
		n = a.Attempt
	}
	return SyncAttemptRow{Number: n, OK: a.OK, Sent: a.Sent, HTTPStatus: a.HTTPStatus, DurationMS: a.DurationMS, Error: a.Error, At: a.CreatedAt}
}
