package models

import (
	"context"

	"github.com/uptrace/bun"
)

// PatientsByID returns the patients of ids in one query, deleted ones
// included (the sync error log names the records of its jobs, gone or
// not). Ids of no patient are left out.
func (t *Tenant) PatientsByID(ctx context.Context, ids []int64) ([]Patient, error) {
	var ps []Patient
	if len(ids) == 0 {
		return ps, nil
	}
	err := t.selectQ(&ps).Where("pt.id IN (?)", bun.In(ids)).OrderExpr("pt.id ASC").Scan(ctx)
	return ps, wrap("list patients", err)
}

// AppointmentsByID returns the appointments of ids in one query; ids of
// no appointment are left out.
func (t *Tenant) AppointmentsByID(ctx context.Context, ids []int64) ([]Appointment, error) {
	var as []Appointment
	if len(ids) == 0 {
		return as, nil
	}
	err := t.selectQ(&as).Where("ap.id IN (?)", bun.In(ids)).OrderExpr("ap.id ASC").Scan(ctx)
	return as, wrap("list appointments", err)
}
