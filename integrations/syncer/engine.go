package syncer

import (
	"context"
	"errors"
	"fmt"
	"time"

	"switchboard/integrations/background"
	"switchboard/models"
)

// SetEngine names the background engine whose figures QueueStats
// answers (app wires it).
func (m *Manager) SetEngine(e background.Engine) { m.engine = e }

// QueueStats answers GET /api/admin/queue: the engine's jobs of the
// organization per kind and state.
func (m *Manager) QueueStats(ctx context.Context, orgID int64) (background.Stats, error) {
	if m.engine == nil {
		return background.Stats{}, errors.New("syncer: no background engine")
	}
	return m.engine.Stats(ctx, orgID)
}

// DeliverQueued runs sync job id for the background engine (River's
// sync_delivery job): it claims the row under this process's lease as the
// outbox's workers do (so a job River runs twice, say after rescuing it
// from a process that was only slow, is still delivered by one worker at a
// time), delivers it and records the outcome in sync_jobs, which stays the
// record staff see. It answers nil when nothing remains to do and a
// background.Snooze when the row is open but not due: a retry after the
// product's backoff, an older job of the same record first, a lease held
// elsewhere.
func (m *Manager) DeliverQueued(ctx context.Context, id int64) error {
	j, err := m.store.ClaimSyncJob(ctx, id, m.cfg.Owner, m.now().Add(m.cfg.Lease))
	if err != nil {
		return err
	}
	if j != nil {
		_, synced, err := m.run(ctx, j, false)
		if err != nil || synced { // synced: nothing remains, no need to read the row again
			return err
		}
	}
	return m.whenAgain(ctx, id)
}

// whenAgain says when job id must run again: nil when it is finished (or
// gone, or parked for staff), else a snooze until it is due.
func (m *Manager) whenAgain(ctx context.Context, id int64) error {
	j, err := m.store.SyncJobByID(ctx, id)
	if err != nil || j == nil || (j.Status != models.JobPending && j.Status != models.JobRetrying) {
		return err
	}
	now := m.now()
	wait := j.NextAttemptAt.Sub(now)
	if j.LeaseOwner != "" && j.LeaseUntil != nil {
		wait = max(wait, j.LeaseUntil.Sub(now))
	}
	if wait <= 0 { // due and free: an older job of the record goes first
		wait = dependencyWait
	}
	return background.Snooze(wait)
}

// ClaimDuePolls takes the polls due now of every pollable configuration
// (one process wins each interval, see models.Store.ClaimSyncPoll) and
// returns the configurations it took.
func (m *Manager) ClaimDuePolls(ctx context.Context) ([]models.SyncConfig, error) {
	cfgs, err := m.store.PollableSyncConfigs(ctx)
	if err != nil {
		return nil, err
	}
	var due []models.SyncConfig
	for _, cfg := range cfgs {
		every := time.Duration(max(cfg.PollIntervalSeconds, 1)) * time.Second
		ok, err := m.store.ClaimSyncPoll(ctx, cfg.ID, every)
		if err != nil {
			return due, err
		}
		if ok {
			due = append(due, cfg)
		}
	}
	return due, nil
}

// PollConfig polls one configuration taken by ClaimDuePolls and records
// the outcome on its sync status.
func (m *Manager) PollConfig(ctx context.Context, orgID, configID int64) error {
	t := m.store.Tenant(orgID)
	cfg, err := t.SyncConfig(ctx, configID)
	if err != nil {
		return err
	}
	if err := m.pollConfig(ctx, t, cfg); err != nil {
		_ = m.setStatus(ctx, t, cfg.IntegrationID, "error", errorText(err))
		return fmt.Errorf("syncer: poll integration %d: %w", cfg.IntegrationID, err)
	}
	return m.setStatus(ctx, t, cfg.IntegrationID, "ok", "")
}

// DueJobs lists open jobs due now whose lease is free (the engine's
// reconcile queues a delivery for any that lost theirs).
func (m *Manager) DueJobs(ctx context.Context, limit int) ([]models.SyncJob, error) {
	return m.store.DueSyncJobIDs(ctx, m.now(), limit)
}

// SweepStale delivers, in this process, the open jobs the background
// engine left alone (see models.Store.ClaimStaleSyncJob): a job whose
// process was killed mid-delivery is taken again once its lease runs out,
// as the outbox's workers do, instead of waiting for River to rescue its
// job (minutes, and the leader's election first when the leader died);
// stalled are the unleased jobs whose delivery a process took from the
// engine long ago and never began. The lease keeps every delivery single;
// River's job of a row finished this way finds it finished and completes.
func (m *Manager) SweepStale(ctx context.Context, stalled []int64) error {
	for ctx.Err() == nil {
		j, err := m.store.ClaimStaleSyncJob(ctx, m.cfg.Owner, m.now().Add(m.cfg.Lease), stalled)
		if err != nil || j == nil {
			return err
		}
		if _, _, err := m.run(ctx, j, false); err != nil {
			return err
		}
	}
	return nil
}
