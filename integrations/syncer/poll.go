package syncer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"switchboard/integrations/executor"
	"switchboard/models"
)

// PollOnce polls every enabled from_external or bidirectional
// configuration whose poll interval has passed: it calls the sync
// mapping's list_changed function with the stored bookmark, applies each
// changed record and stores the next bookmark read from the raw answer.
func (m *Manager) PollOnce(ctx context.Context) error {
	cfgs, err := m.store.PollableSyncConfigs(ctx)
	if err != nil {
		return err
	}
	var errs []error
	for i := range cfgs {
		cfg := &cfgs[i]
		if !m.duePoll(cfg) {
			continue
		}
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

// duePoll reports whether cfg's poll interval has passed, and if so
// starts a new interval.
func (m *Manager) duePoll(cfg *models.SyncConfig) bool {
	m.pollMu.Lock()
	defer m.pollMu.Unlock()
	now := m.now()
	every := time.Duration(max(cfg.PollIntervalSeconds, 1)) * time.Second
	if last, ok := m.lastPoll[cfg.ID]; ok && now.Sub(last) < every {
		return false
	}
	m.lastPoll[cfg.ID] = now
	return true
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
// it returns the next bookmark ("" to keep the old one).
func (m *Manager) pollEntity(ctx context.Context, t *models.Tenant, cfg *models.SyncConfig, entity, bookmark string) (string, error) {
	tg, err := m.target(ctx, t.OrgID(), cfg, entity)
	if err != nil {
		return "", err
	}
	fn := tg.mapping.ListChanged
	if fn == "" {
		return "", nil
	}
	params := map[string]any{}
	if bookmark != "" && tg.mapping.BookmarkParam != "" {
		params[tg.mapping.BookmarkParam] = bookmark
	}
	res, err := m.exec.Execute(ctx, executor.Request{OrgID: t.OrgID(), Provider: tg.entry.Slug, Function: fn,
		Params: params, Environment: cfg.Environment, Zone: tg.zone, Caller: callerPoll, IDsAreExternal: true})
	defer res.Release()
	if err != nil {
		return "", err
	}
	idKey := lastSegment(tg.idPath(tg.entry.Compiled.Endpoints[tg.mapping.Create]))
	var errs []error
	for _, item := range items(res.Data) {
		ext := scalar(item[idKey])
		if ext == "" {
			continue
		}
		c := &Change{Entity: entity, ExternalID: ext, Data: item, UpdatedAt: text(item["updated_at"])}
		if c.UpdatedAt == "" {
			c.UpdatedAt = text(item["DateTStamp"])
		}
		if err := m.applyChange(ctx, t, cfg, c); err != nil {
			errs = append(errs, fmt.Errorf("%s %s: %w", entity, ext, err))
		}
	}
	next := ""
	if tg.mapping.BookmarkPath != "" {
		if v, ok := executor.Lookup(res.Raw, tg.mapping.BookmarkPath); ok {
			next = text(v)
		}
	}
	return next, errors.Join(errs...)
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
