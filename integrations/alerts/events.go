package alerts

import (
	"context"

	"switchboard/apperr"
	"switchboard/models"
)

func errNoWebhook() error {
	return apperr.Validation(apperr.FieldError{Field: "alert_webhook_url",
		Message: "is not set: enter the address that should receive alerts, save, then send a test alert"})
}

// Unhealthy raises integration.unhealthy for an integration whose health
// turned bad (its circuit opened after repeated failures, or the provider
// refused its OAuth refresh token), once until it recovers. It implements
// executor.HealthObserver: a failure is logged, never returned, since the
// call that saw it has its own answer.
func (s *Service) Unhealthy(ctx context.Context, orgID, integrationID int64, env, reason string) {
	ctx = context.WithoutCancel(ctx)
	if err := s.unhealthy(ctx, orgID, integrationID, env, reason); err != nil {
		s.log.Error("alerts: unable to raise integration.unhealthy", "org", orgID, "integration", integrationID, "err", err)
	}
}

func (s *Service) unhealthy(ctx context.Context, orgID, integrationID int64, env, reason string) error {
	t := s.store.Tenant(orgID)
	fresh, err := t.MarkUnhealthy(ctx, integrationID, reason)
	if err != nil || !fresh {
		return err
	}
	org, in, err := s.subject(ctx, t, integrationID)
	if err != nil {
		return err
	}
	_, err = s.raise(ctx, org, Event{Event: EventUnhealthy, Integration: in, Environment: env, Reason: reason})
	return err
}

// Recovered raises integration.recovered for an integration that alerts
// held unhealthy (its circuit closed again, or it was connected again);
// nothing when it was not.
func (s *Service) Recovered(ctx context.Context, orgID, integrationID int64, env string) {
	ctx = context.WithoutCancel(ctx)
	if err := s.recovered(ctx, orgID, integrationID, env); err != nil {
		s.log.Error("alerts: unable to raise integration.recovered", "org", orgID, "integration", integrationID, "err", err)
	}
}

func (s *Service) recovered(ctx context.Context, orgID, integrationID int64, env string) error {
	t := s.store.Tenant(orgID)
	was, err := t.MarkRecovered(ctx, integrationID)
	if err != nil || !was {
		return err
	}
	org, in, err := s.subject(ctx, t, integrationID)
	if err != nil {
		return err
	}
	_, err = s.raise(ctx, org, Event{Event: EventRecovered, Integration: in, Environment: env})
	return err
}

// Parked raises sync.job_parked for a sync job that stopped retrying and
// waits in the sync error log.
func (s *Service) Parked(ctx context.Context, j *models.SyncJob) {
	ctx = context.WithoutCancel(ctx)
	t := s.store.Tenant(j.OrganizationID)
	org, in, err := s.subject(ctx, t, j.IntegrationID)
	if err == nil {
		_, err = s.raise(ctx, org, Event{Event: EventParked, Integration: in, Reason: j.LastError,
			SyncJob: &SyncJob{ID: j.ID, Entity: j.Entity, LocalID: j.LocalID, Operation: j.Operation, Attempts: j.Attempts, LastError: j.LastError}})
	}
	if err != nil {
		s.log.Error("alerts: unable to raise sync.job_parked", "org", j.OrganizationID, "job", j.ID, "err", err)
	}
}

// subject reads the organization and the integration an alert is about.
func (s *Service) subject(ctx context.Context, t *models.Tenant, integrationID int64) (*models.Organization, *Integration, error) {
	org, err := t.Organization(ctx)
	if err != nil {
		return nil, nil, err
	}
	in, err := t.Integration(ctx, integrationID)
	if err != nil {
		return nil, nil, err
	}
	return org, &Integration{ID: in.ID, Slug: in.Slug, Name: in.Name}, nil
}
