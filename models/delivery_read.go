package models

import (
	"context"
	"database/sql"

	"github.com/uptrace/bun"
)

// AppointmentDelivery is what delivering an appointment to an integration
// reads: the appointment, its patient (nil when deleted) and the external
// ids of both in the integration ("" when it has none).
type AppointmentDelivery struct {
	Appointment       *Appointment
	Patient           *Patient
	ExternalID        string
	PatientExternalID string
}

// appointmentDeliveryRow is the one row AppointmentForDelivery reads.
type appointmentDeliveryRow struct {
	Appointment `bun:",extend"`

	Patient           *Patient       `bun:"rel:belongs-to,join:patient_id=id"`
	ExternalID        sql.NullString `bun:"ref_external_id,scanonly"`
	PatientExternalID sql.NullString `bun:"patient_ref_external_id,scanonly"`
}

// refColumn reads the external id of a record of entity (the appointment,
// or its patient when local is ap.patient_id) in the integration given as
// an argument, as name.
func refColumn(entity, local, name string) string {
	return "(SELECT er.external_id FROM external_refs AS er WHERE er.organization_id = ap.organization_id" +
		" AND er.integration_id = ? AND er.entity = '" + entity + "' AND er.local_id = " + local + ") AS " + name
}

// appointmentDeliveryQuery selects the row of the appointment given as
// the last argument; the integration's id comes first, twice, then the
// organization's.
func appointmentDeliveryQuery(db bun.IDB, row *appointmentDeliveryRow, integrationID, orgID, id any) *bun.SelectQuery {
	return db.NewSelect().Model(row).ColumnExpr("ap.*").
		ColumnExpr(refColumn("appointment", "ap.id", "ref_external_id"), integrationID).
		ColumnExpr(refColumn("patient", "ap.patient_id", "patient_ref_external_id"), integrationID).
		Relation("Patient").
		Where("ap.organization_id = ?", orgID).Where("ap.id = ?", id)
}

// AppointmentForDelivery reads the appointment, its patient and both
// references in the integration in one statement (four reads otherwise,
// on every delivery).
func (t *Tenant) AppointmentForDelivery(ctx context.Context, integrationID, id int64) (*AppointmentDelivery, error) {
	row := new(appointmentDeliveryRow)
	var err error
	if t.prep == nil {
		err = appointmentDeliveryQuery(t.db, row, integrationID, t.orgID, id).Scan(ctx)
	} else {
		q := bun.Safe("?")
		err = t.prep.selectOne(ctx, t.db, "appointment-delivery", func() *bun.SelectQuery {
			return appointmentDeliveryQuery(t.db, new(appointmentDeliveryRow), q, q, q)
		}, row, integrationID, integrationID, t.orgID, id)
	}
	if err != nil {
		return nil, wrap("fetch appointment", notFound(err, "appointment"))
	}
	d := &AppointmentDelivery{Appointment: &row.Appointment, ExternalID: row.ExternalID.String, PatientExternalID: row.PatientExternalID.String}
	if p := row.Patient; p != nil && p.ID != 0 && p.OrganizationID == t.orgID && p.DeletedAt == nil {
		d.Patient = row.Patient
	}
	return d, nil
}
