package records

import (
	"context"
	"time"

	"switchboard/models"
)

// SyncJobView is what an agent may read of one sync job: its state, the
// numbered delivery attempts and the last error.
type SyncJobView struct {
	ID          int64            `json:"id"`
	Integration string           `json:"integration"`
	Entity      string           `json:"entity"`
	LocalID     int64            `json:"local_id"`
	Operation   string           `json:"operation"`
	Status      string           `json:"status"`
	MaxAttempts int              `json:"max_attempts"`
	Attempts    []SyncAttemptRow `json:"attempts"`
	ExternalID  string           `json:"external_id,omitempty"`
	LastError   string           `json:"last_error,omitempty"`
	NextAttempt *time.Time       `json:"next_attempt_at,omitempty"`
	FinishedAt  *time.Time       `json:"finished_at,omitempty"`
	CreatedAt   time.Time        `json:"created_at"`
}

// SyncAttemptRow is one delivery attempt, numbered from 1.
type SyncAttemptRow struct {
	Number int  `json:"number"`
	OK     bool `json:"ok"`
	// Sent is false for an attempt refused before its request went out.
	Sent       bool      `json:"sent"`
	HTTPStatus int       `json:"http_status,omitempty"`
	DurationMS int64     `json:"duration_ms"`
	Error      string    `json:"error,omitempty"`
	At         time.Time `json:"at"`
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
