package models_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"switchboard/models"
)

// TestFieldTablesCoverTheRecords keeps the field tables and the models in
// step: every column a client can set has its row, and only those.
func TestFieldTablesCoverTheRecords(t *testing.T) {
	bookkeeping := []string{"id", "-", "version", "deleted_at", "created_at", "updated_at", "warnings"}
	check := func(name string, model any, fields []string) {
		var columns []string
		for f := range reflect.TypeOf(model).NumField() {
			field := reflect.TypeOf(model).Field(f)
			tag, _, _ := strings.Cut(field.Tag.Get("json"), ",")
			// Answer-only fields (bun:"-", such as warnings) are no column.
			if tag != "" && !slices.Contains(bookkeeping, tag) && field.Tag.Get("bun") != "-" {
				columns = append(columns, tag)
			}
		}
		if !slices.Equal(columns, fields) {
			t.Errorf("%s: model fields %v, table %v", name, columns, fields)
		}
	}
	check("patient", models.Patient{}, names(t, models.PatientFields))
	check("appointment", models.Appointment{}, names(t, models.AppointmentFields))
}

func names[R any](t *testing.T, fields []models.Field[R]) []string {
	out := make([]string, 0, len(fields))
	for _, f := range fields {
		out = append(out, f.Name)
		if (f.Text == nil) == (f.Time == nil && f.Int == nil && f.ID == nil) {
			t.Errorf("%s must point at exactly one value", f.Name)
		}
	}
	return out
}
