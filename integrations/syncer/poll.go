package syncer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"

	"switchboard/apperr"
	"switchboard/integrations/definition"
	"switchboard/integrations/executor"
	"switchboard/models"
)

// PollOnce polls every enabled from_external or bidirectional
// configuration whose poll interval has passed: it calls the sync
// mapping's list_changed function with the stored bookmark, applies each
// changed record and stores the next bookmark read from the raw answer.
// The due time is kept on the configuration (next_poll_at), so that one
// process polls each configuration once per interval, across restarts.
func (m *Manager) PollOnce(ctx context.Context) error {
	cfgs, err := m.ClaimDuePolls(ctx)
	var errs []error
	if err != nil {
		errs = append(errs, err)
	}
	for i := range cfgs {
		cfg := &cfgs[i]
		t := m.store.Tenant(cfg.OrganizationID)
		if err := m.pollConfig(ctx, t, cfg); err != nil {
			errs = append(errs, fmt.Errorf("syncer: poll integration %d: %w", cfg.IntegrationID, err))
			_ = m.setStatus(ctx, t, cfg.IntegrationID, "error", errorText(err))
			continue
		}
		_ = m.setStatus(ctx, t, cfg.IntegrationID, "ok", "")
	}
	return errors.Join(errs...)
}

// pollConfig polls each entity of one configuration.
func (m *Manager) pollConfig(ctx context.Context, t *models.Tenant, cfg *models.SyncConfig) error {
	bookmarks := map[string]string{}
	if cfg.Bookmarks != "" {
		_ = json.Unmarshal([]byte(cfg.Bookmarks), &bookmarks)
	}
	var errs []error
	// Patients first: appointments name their patient.
	entities := cfg.EntityList()
	slices.Sort(entities)
	slices.Reverse(entities)
	for _, entity := range entities {
		next, err := m.pollEntity(ctx, t, cfg, entity, bookmarks[entity])
		if err != nil {
			errs = append(errs, err)
		}
		if next != "" {
			bookmarks[entity] = next
		}
	}
	b, _ := json.Marshal(bookmarks)
	if string(b) != cfg.Bookmarks {
		if err := t.SetSyncBookmarks(ctx, cfg.ID, string(b)); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// pollEntity reads one entity's changes since bookmark and applies them;
// it returns the next bookmark ("" to keep the old one). A bookmark the
// upstream no longer takes (410 Gone: Google Calendar's expired syncToken)
// is dropped and the entity is listed in full once more, which brings
// every record back in step (records already known are updated, not
// duplicated).
func (m *Manager) pollEntity(ctx context.Context, t *models.Tenant, cfg *models.SyncConfig, entity, bookmark string) (string, error) {
	tg, err := m.target(ctx, t.OrgID(), cfg, entity)
	if err != nil {
		return "", err
	}
	if tg.mapping.ListChanged == "" {
		return "", nil
	}
	res, err := m.listChanged(ctx, t, tg, bookmark)
	if bookmark != "" && upstreamGone(err) {
		m.log.Info("syncer: bookmark expired; listing everything again", "integration", tg.entry.Slug, "entity", entity)
		res.Release()
		res, err = m.listChanged(ctx, t, tg, "")
	}
	defer res.Release()
	if err != nil {
		return "", err
	}
	errs := m.applyListed(ctx, t, tg, entity, res.Data)
	next := ""
	if tg.mapping.BookmarkPath != "" {
		if v, ok := executor.Lookup(res.Raw, tg.mapping.BookmarkPath); ok {
			next = text(v)
		}
	}
	return next, errors.Join(errs...)
}

// listChanged calls the mapping's list_changed function with the
// configuration's defaults that it takes (Google Calendar's calendarId)
// and the bookmark.
func (m *Manager) listChanged(ctx context.Context, t *models.Tenant, tg *target, bookmark string) (*executor.Result, error) {
	fn := tg.mapping.ListChanged
	params := map[string]any{}
	if ce := tg.entry.Compiled.Endpoints[fn]; ce != nil {
		params = forEndpoint(ce, tg.withDefaults(nil))
	}
	if bookmark != "" && tg.mapping.BookmarkParam != "" {
		params[tg.mapping.BookmarkParam] = bookmark
	}
	return m.exec.Execute(ctx, executor.Request{OrgID: t.OrgID(), Provider: tg.entry.Slug, Function: fn,
		Params: params, Environment: tg.cfg.DeliveryEnvironment(), Zone: tg.zone, Caller: callerPoll, IDsAreExternal: true})
}

// upstreamGone reports an upstream's 410 Gone.
func upstreamGone(err error) bool {
	e, ok := apperr.As(err)
	return ok && e.UpstreamStatus() == http.StatusGone
}

// applyListed applies each record of a list_changed answer. An
// appointment without a start (an all-day calendar event) is no
// appointment and is passed over; a cancelled one is a deletion (an
// unknown cancelled one is not brought in).
func (m *Manager) applyListed(ctx context.Context, t *models.Tenant, tg *target, entity string, data any) []error {
	idKey := lastSegment(tg.idPath(tg.entry.Compiled.Endpoints[tg.mapping.Create]))
	var errs []error
	for _, item := range items(data) {
		ext := scalar(item[idKey])
		if ext == "" {
			continue
		}
		c := &Change{Entity: entity, ExternalID: ext, Data: item, UpdatedAt: text(item["updated_at"])}
		if c.UpdatedAt == "" {
			c.UpdatedAt = text(item["DateTStamp"])
		}
		if entity == definition.EntityAppointment {
			c.Deleted = text(item["status"]) == models.StatusCancelled
			if text(item["start"]) == "" && !c.Deleted {
				continue
			}
		}
		if err := m.applyChange(ctx, t, tg.cfg, c); err != nil {
			errs = append(errs, fmt.Errorf("%s %s: %w", entity, ext, err))
		}
	}
	return errs
}

// items returns the records of a list answer.
func items(data any) []map[string]any {
	switch v := data.(type) {
	case []any:
		out := make([]map[string]any, 0, len(v))
		for _, x := range v {
			if m, ok := x.(map[string]any); ok {
				out = append(out, m)
			}
		}
		return out
	case map[string]any:
		return []map[string]any{v}
	}
	return nil
}
