package models

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// FlowBackup is the flows document a Node-RED runtime had before a deploy.
type FlowBackup struct {
	bun.BaseModel `bun:"table:flow_backups,alias:fb"`

	ID             int64     `bun:"id,pk,autoincrement"`
	OrganizationID int64     `bun:"organization_id,notnull"`
	IntegrationID  int64     `bun:"integration_id,notnull"`
	Environment    string    `bun:"environment,notnull"`
	Reason         string    `bun:"reason,notnull"`
	Actor          string    `bun:"actor,notnull"`
	Flows          string    `bun:"flows,notnull"`
	FlowCount      int       `bun:"flow_count,notnull"`
	NodeCount      int       `bun:"node_count,notnull"`
	CreatedAt      time.Time `bun:"created_at,notnull"`
}

// SaveFlowBackup stores a backup and drops the environment's oldest
// beyond keep.
func (t *Tenant) SaveFlowBackup(ctx context.Context, b *FlowBackup, keep int) error {
	b.OrganizationID, b.CreatedAt = t.orgID, t.now()
	return t.InTx(ctx, func(tx *Tenant) error {
		if _, err := tx.db.NewInsert().Model(b).Exec(ctx); err != nil {
			return wrap("save flow backup", err)
		}
		var old []int64
		err := tx.selectQ((*FlowBackup)(nil)).Column("fb.id").
			Where("fb.integration_id = ? AND fb.environment = ?", b.IntegrationID, b.Environment).
			OrderExpr("fb.created_at DESC, fb.id DESC").Offset(int64(keep)).Limit(1000).Scan(ctx, &old)
		if err != nil || len(old) == 0 {
			return wrap("list old flow backups", err)
		}
		_, err = tx.deleteQ((*FlowBackup)(nil)).Where("fb.id IN (?)", bun.In(old)).Exec(ctx)
		return wrap("drop old flow backups", err)
	})
}

// FlowBackups lists an integration's backups of one environment, newest
// first, without their documents.
func (t *Tenant) FlowBackups(ctx context.Context, integrationID int64, env string) ([]FlowBackup, error) {
	var out []FlowBackup
	err := t.selectQ(&out).ExcludeColumn("flows").
		Where("fb.integration_id = ? AND fb.environment = ?", integrationID, env).
		OrderExpr("fb.created_at DESC, fb.id DESC").Scan(ctx)
	return out, wrap("list flow backups", err)
}

// FlowBackup is one backup of an integration, with its document.
func (t *Tenant) FlowBackup(ctx context.Context, integrationID, id int64) (*FlowBackup, error) {
	var b FlowBackup
	err := t.selectQ(&b).Where("fb.integration_id = ? AND fb.id = ?", integrationID, id).Scan(ctx)
	if err != nil {
		return nil, wrap("get flow backup", notFound(err, "backup"))
	}
	return &b, nil
}
