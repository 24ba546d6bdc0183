package models

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"switchboard/clock"
)

// Appointment statuses, the values of Appointment.Status.
const (
	StatusScheduled = "scheduled"
	StatusConfirmed = "confirmed"
	StatusCancelled = "cancelled"
	StatusCompleted = "completed"
	StatusNoShow    = "no_show"
)

// Patient is a local patient record.
type Patient struct {
	bun.BaseModel `bun:"table:patients,alias:pt"`

	ID             int64  `bun:"id,pk,autoincrement" json:"id" doc:"The patient's id (Switchboard's), not a practice system's patient number (Open Dental's PatNum is external_id in sync)."`
	OrganizationID int64  `bun:"organization_id,notnull" json:"-"`
	FirstName      string `bun:"first_name,notnull" json:"first_name" doc:"First name."`
	LastName       string `bun:"last_name,notnull" json:"last_name" doc:"Last name."`
	Birthdate      string `bun:"birthdate,notnull" json:"birthdate" doc:"Date of birth, YYYY-MM-DD (empty when unknown)."`
	Phone          string `bun:"phone,notnull" json:"phone" doc:"Phone number as entered."`
	// PhoneDigits is Phone's digits (PhoneDigits), what a search by phone
	// compares.
	PhoneDigits string     `bun:"phone_digits,notnull" json:"-"`
	Email       string     `bun:"email,notnull" json:"email" doc:"E-mail address."`
	Gender      string     `bun:"gender,notnull" json:"gender" doc:"Gender as the practice records it."`
	AddressLine string     `bun:"address_line,notnull" json:"address_line" doc:"Street address."`
	City        string     `bun:"city,notnull" json:"city" doc:"City."`
	State       string     `bun:"state,notnull" json:"state" doc:"State or region."`
	PostalCode  string     `bun:"postal_code,notnull" json:"postal_code" doc:"Postal code."`
	Version     int64      `bun:"version,notnull" json:"version" doc:"Starts at 1 and is raised by every change (a sync job names the version it delivers)."`
	DeletedAt   *time.Time `bun:"deleted_at" json:"deleted_at,omitempty" doc:"When the patient was deleted; absent for a live record."`
	CreatedAt   time.Time  `bun:"created_at,notnull" json:"created_at" doc:"When the record was created, RFC 3339 with the practice's UTC offset."`
	UpdatedAt   time.Time  `bun:"updated_at,notnull" json:"updated_at" doc:"When the record last changed, RFC 3339 with the practice's UTC offset."`
}

// Appointment is a local appointment record.
type Appointment struct {
	bun.BaseModel `bun:"table:appointments,alias:ap"`

	ID              int64     `bun:"id,pk,autoincrement" json:"id" doc:"The appointment's id (Switchboard's), not a practice system's appointment number."`
	OrganizationID  int64     `bun:"organization_id,notnull" json:"-"`
	PatientID       int64     `bun:"patient_id,notnull" json:"patient_id" doc:"Switchboard's patient id, not a practice system's patient number."`
	Start           time.Time `bun:"start_at,notnull" json:"start" doc:"Start, RFC 3339 with the practice's UTC offset at that instant (practice time)."`
	End             time.Time `bun:"end_at,notnull" json:"end" doc:"End, RFC 3339 with the practice's UTC offset (practice time)."`
	DurationMinutes int       `bun:"duration_minutes,notnull" json:"duration_minutes" doc:"Length in minutes."`
	ProviderRef     string    `bun:"provider_ref,notnull" json:"provider_ref" doc:"The practice system's provider id (its label: GET /api/reference/providers)."`
	OperatoryRef    string    `bun:"operatory_ref,notnull" json:"operatory_ref" doc:"The practice system's operatory (chair) id."`
	LocationRef     string    `bun:"location_ref,notnull" json:"location_ref" doc:"The practice system's location id."`
	AppointmentType string    `bun:"appointment_type,notnull" json:"appointment_type" doc:"The practice system's appointment type id (its label: GET /api/reference/appointment_types)."`
	Status          string    `bun:"status,notnull" json:"status" doc:"The appointment's status." enum:"scheduled,confirmed,cancelled,completed,no_show"`
	Notes           string    `bun:"notes,notnull" json:"notes" doc:"A note for the practice."`
	Version         int64     `bun:"version,notnull" json:"version" doc:"Starts at 1 and is raised by every change (a sync job names the version it delivers)."`
	CreatedAt       time.Time `bun:"created_at,notnull" json:"created_at" doc:"When the record was created, RFC 3339 with the practice's UTC offset."`
	UpdatedAt       time.Time `bun:"updated_at,notnull" json:"updated_at" doc:"When the record last changed, RFC 3339 with the practice's UTC offset."`
	// Warnings say what the write could not check or chose on its own
	// (a reference list the practice system did not answer, an operatory
	// picked); never stored.
	Warnings []string `bun:"-" json:"warnings,omitempty" doc:"What the write could not check or chose on its own (a reference list the practice system did not answer, an operatory picked); never stored."`
}

// CreatePatient inserts a patient.
func (t *Tenant) CreatePatient(ctx context.Context, p *Patient) error {
	now := t.now()
	p.ID, p.OrganizationID, p.Version, p.CreatedAt, p.UpdatedAt = 0, t.orgID, 1, now, now
	p.PhoneDigits = PhoneDigits(p.Phone)
	_, err := t.db.NewInsert().Model(p).Exec(ctx)
	return wrap("create patient", err)
}

// Patient returns one (not deleted) patient. Under a read memo
// (WithReadMemo) it is read once per request.
func (t *Tenant) Patient(ctx context.Context, id int64) (*Patient, error) {
	memo := memoOf(ctx)
	if memo != nil {
		if p, ok := memo.patient(t.orgID, id); ok {
			return p, nil
		}
	}
	p := new(Patient)
	err := t.oneByID(ctx, "patient", p, id, "pt.deleted_at IS NULL")
	if err == nil && memo != nil {
		memo.setPatient(t.orgID, p)
	}
	return p, wrap("fetch patient", notFound(err, "patient"))
}

// PatientFilter narrows the patient list.
type PatientFilter struct {
	Search  string
	Phone   string
	AfterID int64
	Limit   int
}

// Patients lists patients by id, after AfterID (cursor paging).
func (t *Tenant) Patients(ctx context.Context, f PatientFilter) ([]Patient, error) {
	var ps []Patient
	q := t.selectQ(&ps).Where("pt.deleted_at IS NULL").OrderExpr("pt.id ASC")
	if f.Search != "" {
		like := "%" + escapeLike(f.Search) + "%"
		digits := searchDigits(f.Search)
		q = q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			q = q.Where("LOWER(pt.last_name) LIKE ?", like).WhereOr("LOWER(pt.first_name) LIKE ?", like).WhereOr("LOWER(pt.email) LIKE ?", like).
				WhereOr("LOWER(pt.first_name || ' ' || pt.last_name) LIKE ?", like).WhereOr("pt.phone LIKE ?", like)
			if digits != "" {
				q = q.WhereOr("pt.phone_digits LIKE ?", "%"+digits+"%")
			}
			return q
		})
	}
	if f.Phone != "" {
		// A "phone" without digits matches no one, not everyone without one.
		q = q.Where("pt.phone_digits = ?", PhoneDigits(f.Phone)).Where("pt.phone_digits <> ''")
	}
	if f.AfterID > 0 {
		q = q.Where("pt.id > ?", f.AfterID)
	}
	err := q.Limit(int64(pageLimit(f.Limit))).Scan(ctx)
	return ps, wrap("list patients", err)
}

// UpdatePatient saves p and bumps its version.
func (t *Tenant) UpdatePatient(ctx context.Context, p *Patient) error {
	memoOf(ctx).forgetPatient(t.orgID, p.ID)
	p.UpdatedAt, p.PhoneDigits = t.now(), PhoneDigits(p.Phone)
	res, err := t.updateQ(p).Set("first_name = ?first_name").Set("last_name = ?last_name").Set("birthdate = ?birthdate").
		Set("phone = ?phone").Set("phone_digits = ?phone_digits").Set("email = ?email").Set("gender = ?gender").Set("address_line = ?address_line").
		Set("city = ?city").Set("state = ?state").Set("postal_code = ?postal_code").Set("updated_at = ?updated_at").
		Set("version = version + 1").Where("pt.id = ?", p.ID).Where("pt.deleted_at IS NULL").Returning("version").Exec(ctx, &p.Version)
	return wrap("update patient", mustAffect(res, err, "patient"))
}

// DeletePatient marks a patient deleted (its appointments keep it).
func (t *Tenant) DeletePatient(ctx context.Context, id int64) error {
	memoOf(ctx).forgetPatient(t.orgID, id)
	now := t.now()
	res, err := t.updateQ((*Patient)(nil)).Set("deleted_at = ?", now).Set("updated_at = ?", now).Set("version = version + 1").
		Where("pt.id = ?", id).Where("pt.deleted_at IS NULL").Exec(ctx)
	return wrap("delete patient", mustAffect(res, err, "patient"))
}

// CreateAppointment inserts an appointment.
func (t *Tenant) CreateAppointment(ctx context.Context, a *Appointment) error {
	now := t.now()
	a.ID, a.OrganizationID, a.Version, a.CreatedAt, a.UpdatedAt = 0, t.orgID, 1, now, now
	a.Start, a.End = a.Start.UTC(), a.End.UTC()
	if t.prep != nil {
		return wrap("create appointment", t.insertAppointmentPrepared(ctx, a))
	}
	_, err := t.db.NewInsert().Model(a).Exec(ctx)
	return wrap("create appointment", err)
}

// Appointment returns one appointment.
func (t *Tenant) Appointment(ctx context.Context, id int64) (*Appointment, error) {
	a := new(Appointment)
	err := t.oneByID(ctx, "appointment", a, id)
	return a, wrap("fetch appointment", notFound(err, "appointment"))
}

// AppointmentFilter narrows the appointment list.
type AppointmentFilter struct {
	From, To  time.Time
	PatientID int64
	Status    string
	AfterID   int64
	Limit     int
	// Order is OrderByID (cursor paging by AfterID), OrderByStart or
	// OrderByStartDesc.
	Order string
}

// Orders of the appointment list.
const (
	OrderByID        = ""
	OrderByStart     = "start"
	OrderByStartDesc = "start_desc"
)

// Appointments lists appointments by id (cursor paging) or by start.
func (t *Tenant) Appointments(ctx context.Context, f AppointmentFilter) ([]Appointment, error) {
	var as []Appointment
	q := t.selectQ(&as)
	switch f.Order {
	case OrderByStart:
		q = q.OrderExpr("ap.start_at ASC, ap.id ASC")
	case OrderByStartDesc:
		q = q.OrderExpr("ap.start_at DESC, ap.id DESC")
	default:
		q = q.OrderExpr("ap.id ASC")
	}
	if !f.From.IsZero() {
		q = q.Where("ap.start_at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		q = q.Where("ap.start_at < ?", f.To.UTC())
	}
	if f.PatientID > 0 {
		q = q.Where("ap.patient_id = ?", f.PatientID)
	}
	if f.Status != "" {
		q = q.Where("ap.status = ?", f.Status)
	}
	if f.AfterID > 0 {
		q = q.Where("ap.id > ?", f.AfterID)
	}
	err := q.Limit(int64(pageLimit(f.Limit))).Scan(ctx)
	return as, wrap("list appointments", err)
}

// UpdateAppointment saves a and bumps its version.
func (t *Tenant) UpdateAppointment(ctx context.Context, a *Appointment) error {
	a.UpdatedAt, a.Start, a.End = t.now(), a.Start.UTC(), a.End.UTC()
	res, err := t.updateQ(a).Set("patient_id = ?patient_id").Set("start_at = ?start_at").Set("end_at = ?end_at").
		Set("duration_minutes = ?duration_minutes").Set("provider_ref = ?provider_ref").Set("operatory_ref = ?operatory_ref").
		Set("location_ref = ?location_ref").Set("appointment_type = ?appointment_type").Set("status = ?status").
		Set("notes = ?notes").Set("updated_at = ?updated_at").Set("version = version + 1").
		Where("ap.id = ?", a.ID).Returning("version").Exec(ctx, &a.Version)
	return wrap("update appointment", mustAffect(res, err, "appointment"))
}

func pageLimit(n int) int {
	if n <= 0 || n > 200 {
		return 50
	}
	return n
}

// In returns a copy of the patient whose times are in the zone: the same
// instants, shown with the practice's offset when encoded.
func (p Patient) In(z clock.Zone) *Patient {
	p.CreatedAt, p.UpdatedAt = z.In(p.CreatedAt), z.In(p.UpdatedAt)
	if p.DeletedAt != nil {
		d := z.In(*p.DeletedAt)
		p.DeletedAt = &d
	}
	return &p
}

// In returns a copy of the appointment whose times are in the zone: the
// same instants, shown with the practice's offset when encoded.
func (a Appointment) In(z clock.Zone) *Appointment {
	a.Start, a.End = z.In(a.Start), z.In(a.End)
	a.CreatedAt, a.UpdatedAt = z.In(a.CreatedAt), z.In(a.UpdatedAt)
	return &a
}

// AppointmentsBetween returns the non-cancelled appointments that overlap
// [from, to) and have the provider or the operatory given ("" for either
// means that side is not asked; both "" means every appointment), in one
// query, ordered by start.
func (t *Tenant) AppointmentsBetween(ctx context.Context, from, to time.Time, providerRef, operatoryRef string) ([]Appointment, error) {
	var as []Appointment
	q := t.selectQ(&as).Column("ap.id", "ap.start_at", "ap.end_at", "ap.provider_ref", "ap.operatory_ref").
		Where("ap.end_at > ?", from.UTC()).Where("ap.start_at < ?", to.UTC()).
		Where("ap.status <> ?", StatusCancelled).OrderExpr("ap.start_at ASC")
	if providerRef != "" || operatoryRef != "" {
		q = q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			if providerRef != "" {
				q = q.WhereOr("ap.provider_ref = ?", providerRef)
			}
			if operatoryRef != "" {
				q = q.WhereOr("ap.operatory_ref = ?", operatoryRef)
			}
			return q
		})
	}
	err := q.Scan(ctx)
	return as, wrap("list appointments between", err)
}
