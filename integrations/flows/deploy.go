package flows

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"switchboard/apperr"
	"switchboard/integrations/executor"
	"switchboard/models"
)

// Runtime is one environment's flows as the tab shows them.
type Runtime struct {
	Environment string
	Flows       []Flow
	// Loose counts the nodes outside any flow.
	Loose int
	// Err says why the flows could not be read ("" when they were).
	Err     string
	Backups []models.FlowBackup
}

// checkEnv refuses an environment that is not production or sandbox.
func checkEnv(field, env string) error {
	if !slices.Contains(Environments, env) {
		return apperr.Validation(apperr.FieldError{Field: field, Message: "must be production or sandbox"})
	}
	return nil
}

// Read is an environment's current flows document.
func (s *Service) Read(ctx context.Context, orgID int64, in *models.Integration, env string) (Document, error) {
	if err := checkEnv("environment", env); err != nil {
		return nil, err
	}
	res, err := s.exec.Execute(ctx, executor.Request{OrgID: orgID, Provider: in.Slug, Function: "ListFlows",
		Environment: env, Caller: "Flows tab", IDsAreExternal: true})
	if err != nil {
		return nil, err
	}
	defer res.Release()
	b, err := json.Marshal(res.Raw)
	if err != nil {
		return nil, apperr.Wrap(err, apperr.CodeUpstreamError, "Node-RED answered flows Switchboard cannot read")
	}
	doc, err := Parse(b)
	if err != nil {
		return nil, apperr.Wrap(err, apperr.CodeUpstreamError, "Node-RED answered flows Switchboard cannot read")
	}
	return doc, nil
}

// Runtimes are both environments' flows and backups; an environment that
// cannot be read says why instead.
func (s *Service) Runtimes(ctx context.Context, orgID int64, in *models.Integration) ([]Runtime, error) {
	out := make([]Runtime, 0, len(Environments))
	for _, env := range Environments {
		rt := Runtime{Environment: env}
		doc, err := s.Read(ctx, orgID, in, env)
		if err != nil {
			rt.Err = "The flows could not be read."
			if e, ok := apperr.As(err); ok {
				rt.Err = e.Message
			}
		} else {
			rt.Flows, rt.Loose = doc.Flows()
		}
		if rt.Backups, err = s.store.Tenant(orgID).FlowBackups(ctx, in.ID, env); err != nil {
			return nil, err
		}
		out = append(out, rt)
	}
	return out, nil
}

// Preview is what deploying doc to env would change.
func (s *Service) Preview(ctx context.Context, orgID int64, in *models.Integration, env string, doc Document) ([]Change, error) {
	current, err := s.Read(ctx, orgID, in, env)
	if err != nil {
		return nil, err
	}
	return Diff(current, doc), nil
}

// Deploy stores a backup of env's current flows, then deploys doc there
// in full. The backup is kept even when the deploy fails (it is what the
// runtime had); it answers the backup.
func (s *Service) Deploy(ctx context.Context, orgID int64, in *models.Integration, env string, doc Document, actor, reason string) (*models.FlowBackup, error) {
	current, err := s.Read(ctx, orgID, in, env)
	if err != nil {
		return nil, err
	}
	raw, err := json.Marshal(current)
	if err != nil {
		return nil, err
	}
	flows, loose := current.Flows()
	nodes := loose
	for _, f := range flows {
		nodes += f.Nodes
	}
	b := &models.FlowBackup{IntegrationID: in.ID, Environment: env, Reason: reason, Actor: actor,
		Flows: string(raw), FlowCount: len(flows), NodeCount: nodes}
	if err := s.store.Tenant(orgID).SaveFlowBackup(ctx, b, Keep); err != nil {
		return nil, err
	}
	items := make([]any, len(doc))
	for i, n := range doc {
		items[i] = n
	}
	res, err := s.exec.Execute(ctx, executor.Request{OrgID: orgID, Provider: in.Slug, Function: "DeployFlows",
		Environment: env, Params: map[string]any{"flows": items}, Caller: "Flows tab: " + actor, IDsAreExternal: true})
	if err != nil {
		return b, err
	}
	res.Release()
	return b, nil
}

// Copy deploys the flows of one environment to the other (a backup of the
// target first).
func (s *Service) Copy(ctx context.Context, orgID int64, in *models.Integration, from, to, actor string) (*models.FlowBackup, error) {
	if err := checkEnv("from", from); err != nil {
		return nil, err
	}
	if err := checkEnv("to", to); err != nil {
		return nil, err
	}
	if from == to {
		return nil, apperr.Validation(apperr.FieldError{Field: "to", Message: "must be the other environment"})
	}
	doc, err := s.Read(ctx, orgID, in, from)
	if err != nil {
		return nil, err
	}
	return s.Deploy(ctx, orgID, in, to, doc, actor, fmt.Sprintf("copy %s → %s", from, to))
}

// Backup is one backup of the integration, with its document.
func (s *Service) Backup(ctx context.Context, orgID, integrationID, id int64) (*models.FlowBackup, error) {
	return s.store.Tenant(orgID).FlowBackup(ctx, integrationID, id)
}

// Restore deploys a backup to the environment it was taken from (itself
// backed up first).
func (s *Service) Restore(ctx context.Context, orgID int64, in *models.Integration, id int64, actor string) (*models.FlowBackup, error) {
	b, err := s.Backup(ctx, orgID, in.ID, id)
	if err != nil {
		return nil, err
	}
	doc, err := Parse([]byte(b.Flows))
	if err != nil {
		return nil, err
	}
	return s.Deploy(ctx, orgID, in, b.Environment, doc, actor, fmt.Sprintf("restore of backup #%d", b.ID))
}

// Integration is one integration of the organization.
func (s *Service) Integration(ctx context.Context, orgID, id int64) (*models.Integration, error) {
	return s.store.Tenant(orgID).Integration(ctx, id)
}
