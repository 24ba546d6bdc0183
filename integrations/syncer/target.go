package syncer

import (
	"context"
	"fmt"
	"strings"
	"time"

	"switchboard/apperr"
	"switchboard/integrations/definition"
	"switchboard/integrations/executor"
	"switchboard/integrations/registry"
	"switchboard/models"
)

// target is what syncing one entity with one integration needs: the
// organization's settings, the compiled definition and its sync mapping.
type target struct {
	cfg     *models.SyncConfig
	entry   *registry.Entry
	mapping *definition.SyncEntity
	// zone is the practice's time zone, which the executor needs to write
	// and read an upstream's local date-times.
	zone *time.Location
}

// target loads the sync settings and mapping of an integration for entity.
func (m *Manager) target(ctx context.Context, orgID int64, cfg *models.SyncConfig, entity string) (*target, error) {
	entry, err := m.reg.LookupID(ctx, orgID, cfg.IntegrationID)
	if err != nil {
		return nil, err
	}
	mapping := entry.Compiled.Doc.Sync[entity]
	if mapping == nil {
		mapping = &definition.SyncEntity{}
	}
	org, err := m.store.Tenant(orgID).Organization(ctx)
	if err != nil {
		return nil, fmt.Errorf("syncer: the practice's time zone: %w", err)
	}
	return &target{cfg: cfg, entry: entry, mapping: mapping, zone: org.Zone().Location()}, nil
}

// targetFor loads the target of a job's integration.
func (m *Manager) targetFor(ctx context.Context, orgID, integrationID int64, entity string) (*target, error) {
	cfg, err := m.store.Tenant(orgID).SyncConfigFor(ctx, integrationID)
	if apperr.IsNotFound(err) {
		// The settings were removed after the job was queued: deliver
		// with the defaults rather than lose the job.
		cfg, err = &models.SyncConfig{IntegrationID: integrationID, Environment: definition.EnvProduction, EnvironmentDefault: true,
			Direction: models.DirectionDualWrite}, nil
	}
	if err != nil {
		return nil, err
	}
	return m.target(ctx, orgID, cfg, entity)
}

// function returns the mapping's function for an operation ("" for none).
func (tg *target) function(op string) string {
	switch op {
	case models.OpCreate:
		return tg.mapping.Create
	case models.OpUpdate:
		return tg.mapping.Update
	case models.OpDelete:
		return tg.mapping.Delete
	}
	return ""
}

// endpoint returns the compiled endpoint of fn.
func (tg *target) endpoint(fn string) (*definition.CompiledEndpoint, error) {
	ce := tg.entry.Compiled.Endpoints[fn]
	if ce == nil {
		return nil, apperr.New(apperr.CodeUnknownFunction, "%s has no function %q (named by its sync mapping)", tg.entry.Slug, fn)
	}
	return ce, nil
}

// idParam is the parameter that carries the external id to an update or
// delete: the function's path parameter, else the id path's last segment.
func (tg *target) idParam(ce *definition.CompiledEndpoint) string {
	for _, p := range ce.Endpoint.Params {
		if p.In == definition.InPath {
			return p.Name
		}
	}
	return lastSegment(tg.idPath(ce))
}

// idPath is where a created record's id is in the raw answer.
func (tg *target) idPath(ce *definition.CompiledEndpoint) string {
	if tg.mapping.IDPath != "" {
		return tg.mapping.IDPath
	}
	if ce != nil {
		return ce.Endpoint.IDPath
	}
	return ""
}

// externalID reads the id of a written record from an answer.
func (tg *target) externalID(ce *definition.CompiledEndpoint, res *executor.Result) string {
	if res == nil {
		return ""
	}
	if p := tg.idPath(ce); p != "" {
		if v, ok := executor.Lookup(res.Raw, p); ok {
			if s := scalar(v); s != "" {
				return s
			}
		}
		if data, ok := res.Data.(map[string]any); ok {
			if s := scalar(data[lastSegment(p)]); s != "" {
				return s
			}
		}
	}
	return res.ID
}

// request builds the executor request of a sync write.
func (tg *target) request(orgID int64, fn string, params map[string]any, jobID int64) executor.Request {
	req := executor.Request{OrgID: orgID, Provider: tg.entry.Slug, Function: fn, Params: params, Environment: tg.cfg.DeliveryEnvironment(), Trace: true, Zone: tg.zone,
		Caller: callerSync, IDsAreExternal: true}
	if tg.mapping.IdempotencyHeader != "" && jobID > 0 {
		req.IdempotencyKey = fmt.Sprintf("sync-job-%d", jobID)
		req.IdempotencyHeader = tg.mapping.IdempotencyHeader
	}
	return req
}

// The names the call log gives the syncer's executions.
const (
	callerSync  = "sync"
	callerPoll  = "sync poll"
	callerSlots = "availability"
)

func lastSegment(path string) string {
	if i := strings.LastIndexByte(path, '.'); i >= 0 {
		return path[i+1:]
	}
	return path
}

// scalar renders an id-like value as text ("" for none).
func scalar(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		if x == float64(int64(x)) {
			return fmt.Sprintf("%d", int64(x))
		}
		return fmt.Sprint(x)
	case map[string]any, []any:
		return ""
	default:
		return fmt.Sprint(x)
	}
}
