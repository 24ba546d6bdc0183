package syncer

import (
	"context"
	"encoding/json"
	"strconv"
	"time"

	"switchboard/apperr"
	"switchboard/integrations/definition"
	"switchboard/models"
)

// ConflictDetail is what a manual conflict keeps: the external change held
// back, and both versions of the record field by field as they stood when
// the conflict was raised.
type ConflictDetail struct {
	Change Change          `json:"change"`
	Fields []ConflictField `json:"fields"`
}

// ConflictField is one field of a conflicting record: the local value and
// the one the external system sent.
type ConflictField struct {
	Name     string `json:"name"`
	Label    string `json:"label"`
	Local    string `json:"local"`
	External string `json:"external"`
	Differs  bool   `json:"differs"`
}

// ReadConflict reads a conflict job's detail. A detail stored before both
// versions were kept holds the bare change; it is read as such, without
// fields.
func ReadConflict(raw string) (*ConflictDetail, error) {
	d := new(ConflictDetail)
	if err := json.Unmarshal([]byte(raw), d); err != nil {
		return nil, apperr.Wrap(err, apperr.CodeInternal, "the conflict's versions cannot be read")
	}
	if d.Change.ExternalID == "" {
		if err := json.Unmarshal([]byte(raw), &d.Change); err != nil {
			return nil, apperr.Wrap(err, apperr.CodeInternal, "the conflict's versions cannot be read")
		}
	}
	return d, nil
}

// compare lays the local record next to the record the change would make
// of it, field by field; same says whether they hold the same data.
func (m *Manager) compare(ctx context.Context, t *models.Tenant, cfg *models.SyncConfig, c *Change, localID int64) ([]ConflictField, bool, error) {
	if c.Entity == definition.EntityPatient {
		p, err := t.Patient(ctx, localID)
		if err != nil {
			return nil, false, err
		}
		ext := *p
		if err := setPatient(&ext, c.Data); err != nil {
			return nil, false, err
		}
		return fieldsOf(models.PatientFields, p, &ext), models.SameFields(models.PatientFields, p, &ext), nil
	}
	a, err := t.Appointment(ctx, localID)
	if err != nil {
		return nil, false, err
	}
	ext := *a
	if err := m.setAppointment(ctx, t, cfg, &ext, c.Data); err != nil {
		return nil, false, err
	}
	if c.Deleted {
		ext.Status = models.StatusCancelled
	}
	return fieldsOf(models.AppointmentFields, a, &ext), models.SameFields(models.AppointmentFields, a, &ext), nil
}

// fieldsOf renders every field of local and external side by side.
func fieldsOf[R any](fields []models.Field[R], local, external *R) []ConflictField {
	out := make([]ConflictField, 0, len(fields))
	for _, f := range fields {
		l, e := fieldText(f, local), fieldText(f, external)
		out = append(out, ConflictField{Name: f.Name, Label: f.Label, Local: l, External: e, Differs: l != e})
	}
	return out
}

// fieldText is a field's value as text; instants in UTC (RFC 3339).
func fieldText[R any](f models.Field[R], r *R) string {
	switch {
	case f.Text != nil:
		return *f.Text(r)
	case f.Time != nil && f.Time(r).IsZero():
		return ""
	case f.Time != nil:
		return f.Time(r).UTC().Format(time.RFC3339)
	case f.Int != nil:
		return strconv.Itoa(*f.Int(r))
	case f.ID != nil:
		return strconv.FormatInt(*f.ID(r), 10)
	}
	return ""
}

// raiseConflict holds an external change back for a person to choose,
// unless an open conflict of the record already holds the same change.
// The local pushes wait for the choice: keeping the local version queues
// the conflict job itself as the push.
func (m *Manager) raiseConflict(ctx context.Context, t *models.Tenant, cfg *models.SyncConfig, c *Change, localID, version int64, fields []ConflictField) error {
	open, err := t.SyncJobs(ctx, models.SyncJobFilter{IntegrationID: cfg.IntegrationID, Entity: c.Entity, LocalID: localID,
		Status: []string{models.JobConflict}})
	if err != nil {
		return err
	}
	for _, j := range open {
		if d, err := ReadConflict(j.ConflictDetail); err == nil && sameChange(d, c, fields) {
			return nil // the same change, delivered again
		}
	}
	if err := t.DismissRecordJobs(ctx, cfg.IntegrationID, c.Entity, localID, heldBack); err != nil {
		return err
	}
	detail, _ := json.Marshal(ConflictDetail{Change: *c, Fields: fields})
	return t.InsertSyncJob(ctx, &models.SyncJob{IntegrationID: cfg.IntegrationID, Entity: c.Entity, LocalID: localID,
		Operation: models.OpUpdate, Status: models.JobConflict, MaxAttempts: m.cfg.MaxAttempts, RecordVersion: version,
		ExternalID: c.ExternalID, ConflictDetail: string(detail),
		LastError: "the record changed both here and in the external system; choose which version to keep"})
}

// heldBack is why a push waiting on a conflict was dismissed.
const heldBack = "held back by a conflict with the external system"

// heldByConflict reports whether j is an update of a record with an open
// conflict. Such a push waits for a person's choice, as raiseConflict
// dismisses the pushes queued when it is raised; this catches the one a
// worker had already claimed then, and those queued since. Keeping the
// local version sends the conflict job itself, with the record as it is.
func (m *Manager) heldByConflict(ctx context.Context, j *models.SyncJob) (bool, error) {
	if j.Operation != models.OpUpdate || j.ConflictDetail != "" {
		return false, nil // a conflict job sent on a person's choice goes
	}
	open, err := m.store.Tenant(j.OrganizationID).SyncJobs(ctx, models.SyncJobFilter{IntegrationID: j.IntegrationID,
		Entity: j.Entity, LocalID: j.LocalID, Status: []string{models.JobConflict}, Limit: 1})
	return len(open) > 0, err
}

// sameChange reports whether an open conflict already holds the change c
// would make of the record. The record the change makes is compared field
// by field, not the raw data: an external system's answer also carries
// what differs between two reads of the same record (Open Dental's
// serverDateTime, the time of the answer). A detail stored without fields
// is compared by its data.
func sameChange(open *ConflictDetail, c *Change, fields []ConflictField) bool {
	a := &open.Change
	if a.ExternalID != c.ExternalID || a.Deleted != c.Deleted {
		return false
	}
	if len(open.Fields) == 0 {
		x, _ := json.Marshal(a.Data)
		y, _ := json.Marshal(c.Data)
		return string(x) == string(y)
	}
	held := make(map[string]string, len(open.Fields))
	for _, f := range open.Fields {
		held[f.Name] = f.External
	}
	if len(held) != len(fields) {
		return false
	}
	for _, f := range fields {
		if v, ok := held[f.Name]; !ok || v != f.External {
			return false
		}
	}
	return true
}
