package syncer

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"switchboard/apperr"
	"switchboard/integrations/definition"
	"switchboard/models"
	"switchboard/nulbyte"
)

// Change is a change made in an external system, as a webhook delivers it
// (data by internal field names) and as a conflict keeps it.
type Change struct {
	Entity     string         `json:"entity"`
	ExternalID string         `json:"external_id"`
	Data       map[string]any `json:"data"`
	UpdatedAt  string         `json:"updated_at,omitempty"`
	Deleted    bool           `json:"deleted,omitempty"`
}

// updatedAt is when the change was made, now when the sender did not say.
func (c *Change) updatedAt(now time.Time) time.Time {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05"} {
		if t, err := time.Parse(layout, c.UpdatedAt); err == nil {
			return t.UTC()
		}
	}
	return now
}

// errWebhookRefused is the one answer to a webhook whose organization,
// integration or sync configuration does not exist or whose signature does
// not match: a sender without the secret learns nothing about which tenants,
// integrations or configurations exist.
func errWebhookRefused() error {
	return apperr.New(apperr.CodeUnauthorized, "the webhook signature is missing or does not match")
}

// Webhook takes a change pushed by an external system: it checks the
// signature (see verify) with the configuration's webhook secret, then
// applies the change when the configuration takes changes from the
// external system. A delivery is taken once: the same signature again
// within the tolerance is refused with conflict.
func (m *Manager) Webhook(ctx context.Context, orgSlug, provider string, body []byte, signature string) error {
	t, cfg, err := m.webhookConfig(ctx, orgSlug, provider)
	if err != nil {
		return err
	}
	sig, err := m.verify(ctx, cfg, body, signature)
	if err != nil {
		return err
	}
	if !cfg.Enabled || (cfg.Direction != models.DirectionFromExternal && cfg.Direction != models.DirectionBidirectional) {
		return apperr.New(apperr.CodeConflict, "the sync of %s does not take changes from it (direction %s)", provider, cfg.Direction)
	}
	c, err := decodeChange(body)
	if err != nil {
		return err
	}
	if err := refuseNUL(body); err != nil {
		return err
	}
	if !slices.Contains(cfg.EntityList(), c.Entity) {
		return apperr.Validation(apperr.FieldError{Field: "entity", Message: "is not synced with " + provider})
	}
	if c.ExternalID == "" {
		return apperr.Validation(apperr.FieldError{Field: "external_id", Message: "is required"})
	}
	return m.applyOnce(ctx, t, cfg, c, sig)
}

// applyOnce applies a verified delivery unless its signature was taken
// already; a delivery that fails to apply is forgotten, so that its
// sender may send it again.
func (m *Manager) applyOnce(ctx context.Context, t *models.Tenant, cfg *models.SyncConfig, c *Change, sig signed) error {
	fresh, err := t.ClaimWebhook(ctx, cfg.IntegrationID, sig.mac, m.now(), sig.at.Add(WebhookTolerance))
	if err != nil {
		return err
	}
	if !fresh {
		return apperr.New(apperr.CodeConflict, "this delivery was received already (the same signature); it is not applied twice: sign each delivery when it is sent")
	}
	if err := m.applyChange(ctx, t, cfg, c); err != nil {
		if rerr := t.ReleaseWebhook(context.WithoutCancel(ctx), cfg.IntegrationID, sig.mac); rerr != nil {
			m.log.Warn("syncer: webhook receipt not released", "err", rerr)
		}
		return err
	}
	return nil
}

// decodeChange reads a webhook body, numbers kept exact.
func decodeChange(body []byte) (*Change, error) {
	var c Change
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&c); err != nil {
		return nil, apperr.Wrap(err, apperr.CodeInvalidRequest, "the webhook body is not a valid change")
	}
	return &c, nil
}

// refuseNUL refuses a change whose strings or keys hold a NUL byte, which
// no database stores in text, naming the JSON path.
func refuseNUL(body []byte) error {
	var tree any
	if json.Unmarshal(body, &tree) != nil {
		return nil // already decoded once; nothing more to say
	}
	if at, ok := nulbyte.Find(tree); ok {
		return apperr.Validation(apperr.FieldError{Field: at.Dot(), Message: "must not contain a NUL byte"})
	}
	return nil
}

// webhookConfig finds the sync configuration a webhook is addressed to; a
// missing organization, integration or configuration is errWebhookRefused.
func (m *Manager) webhookConfig(ctx context.Context, orgSlug, provider string) (*models.Tenant, *models.SyncConfig, error) {
	org, err := m.store.OrganizationBySlug(ctx, orgSlug)
	if err != nil {
		return nil, nil, refusedIfNotFound(err)
	}
	t := m.store.Tenant(org.ID)
	in, err := t.IntegrationBySlug(ctx, provider)
	if err != nil {
		return nil, nil, refusedIfNotFound(err)
	}
	cfg, err := t.SyncConfigFor(ctx, in.ID)
	if err != nil {
		return nil, nil, refusedIfNotFound(err)
	}
	return t, cfg, nil
}

func refusedIfNotFound(err error) error {
	if apperr.IsNotFound(err) {
		return errWebhookRefused()
	}
	return fmt.Errorf("syncer: webhook: %w", err)
}

// applyChange applies an external change, deciding by the configuration's
// conflict resolution when the local record changed too since it was last
// in step (bidirectional sync).
func (m *Manager) applyChange(ctx context.Context, t *models.Tenant, cfg *models.SyncConfig, c *Change) error {
	ref, err := t.ExternalRefByExternalID(ctx, cfg.IntegrationID, c.Entity, c.ExternalID)
	if apperr.IsNotFound(err) {
		return m.applyExternal(ctx, t, cfg, c, false)
	}
	if err != nil {
		return err
	}
	when := c.updatedAt(m.now())
	if ref.ExternalUpdatedAt != nil && when.Before(*ref.ExternalUpdatedAt) {
		return nil // older than what we already have
	}
	version, localAt, err := m.localVersion(ctx, t, c.Entity, ref.LocalID)
	if apperr.IsNotFound(err) {
		return nil // deleted here; nothing to bring in step
	}
	if err != nil {
		return err
	}
	pending, err := t.HasUnfinishedSyncJob(ctx, cfg.IntegrationID, c.Entity, ref.LocalID)
	if err != nil {
		return err
	}
	localChanged := version > ref.SyncedVersion || pending
	if !localChanged || cfg.Direction == models.DirectionFromExternal {
		return m.applyExternal(ctx, t, cfg, c, false)
	}
	fields, same, err := m.compare(ctx, t, cfg, c, ref.LocalID)
	if err != nil {
		return err
	}
	if same {
		return m.inStep(ctx, t, cfg, c, ref.LocalID)
	}
	switch cfg.ConflictResolution {
	case models.ConflictExternalWins:
		return m.applyExternal(ctx, t, cfg, c, true)
	case models.ConflictNewestWins:
		if when.After(localAt) {
			return m.applyExternal(ctx, t, cfg, c, true)
		}
		return m.keepLocal(ctx, t, cfg, c, ref.LocalID, version, pending)
	case models.ConflictManual:
		return m.raiseConflict(ctx, t, cfg, c, ref.LocalID, version, fields)
	default: // local_wins
		return m.keepLocal(ctx, t, cfg, c, ref.LocalID, version, pending)
	}
}

// inStep takes an external change that carries the local record's own
// data: there is nothing to choose between, so no conflict is raised and
// the conflicts still open on the record are settled.
func (m *Manager) inStep(ctx context.Context, t *models.Tenant, cfg *models.SyncConfig, c *Change, localID int64) error {
	if err := m.applyExternal(ctx, t, cfg, c, false); err != nil {
		return err
	}
	open, err := t.SyncJobs(ctx, models.SyncJobFilter{IntegrationID: cfg.IntegrationID, Entity: c.Entity, LocalID: localID,
		Status: []string{models.JobConflict}})
	if err != nil {
		return err
	}
	for _, j := range open {
		if err := t.SetSyncJobStatus(ctx, j.ID, models.JobSynced, "settled: the external system now holds the local data"); err != nil {
			return err
		}
	}
	return nil
}

// keepLocal ignores an external change and makes sure the local version
// is pushed over it.
func (m *Manager) keepLocal(ctx context.Context, t *models.Tenant, cfg *models.SyncConfig, c *Change, localID, version int64, pending bool) error {
	if pending {
		return nil
	}
	err := t.InsertSyncJob(ctx, &models.SyncJob{IntegrationID: cfg.IntegrationID, Entity: c.Entity, LocalID: localID,
		Operation: models.OpUpdate, MaxAttempts: m.cfg.MaxAttempts, RecordVersion: version})
	if err == nil {
		m.Kick()
	}
	return err
}

// localVersion returns a record's version and last change.
func (m *Manager) localVersion(ctx context.Context, t *models.Tenant, entity string, id int64) (int64, time.Time, error) {
	if entity == definition.EntityPatient {
		p, err := t.Patient(ctx, id)
		if err != nil {
			return 0, time.Time{}, err
		}
		return p.Version, p.UpdatedAt, nil
	}
	a, err := t.Appointment(ctx, id)
	if err != nil {
		return 0, time.Time{}, err
	}
	return a.Version, a.UpdatedAt, nil
}

// applyExternal writes an external change to the local record (creating it
// when unknown) and records that both sides are in step. overridden says
// the external version won a conflict: the local jobs it beat are
// dismissed.
func (m *Manager) applyExternal(ctx context.Context, t *models.Tenant, cfg *models.SyncConfig, c *Change, overridden bool) error {
	when := c.updatedAt(m.now())
	return t.InTx(ctx, func(tx *models.Tenant) error {
		ref, err := tx.ExternalRefByExternalID(ctx, cfg.IntegrationID, c.Entity, c.ExternalID)
		if err != nil && !apperr.IsNotFound(err) {
			return err
		}
		known := err == nil
		if !known && c.Deleted {
			return nil
		}
		var localID, version int64
		switch c.Entity {
		case definition.EntityPatient:
			localID, version, err = m.applyPatient(ctx, tx, c, known, ref)
		case definition.EntityAppointment:
			localID, version, err = m.applyAppointment(ctx, tx, cfg, c, known, ref)
		default:
			return apperr.Validation(apperr.FieldError{Field: "entity", Message: "must be appointment or patient"})
		}
		if errors.Is(err, errGone) {
			return nil
		}
		if err != nil {
			return err
		}
		if overridden {
			if err := tx.DismissRecordJobs(ctx, cfg.IntegrationID, c.Entity, localID, "overridden by a newer change in the external system"); err != nil {
				return err
			}
		}
		return tx.SaveExternalRef(ctx, &models.ExternalRef{IntegrationID: cfg.IntegrationID, Entity: c.Entity, LocalID: localID,
			ExternalID: c.ExternalID, ExternalUpdatedAt: &when, SyncedVersion: version})
	})
}

// errGone says the local record of a change no longer exists.
var errGone = errors.New("syncer: local record gone")
