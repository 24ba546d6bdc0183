package api_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"switchboard/api"
	"switchboard/models"
)

// TestRecordRequestsMatchTheFieldTables keeps the documented JSON bodies
// of the records API in step with the field tables they are read through.
func TestRecordRequestsMatchTheFieldTables(t *testing.T) {
	check := func(name string, req reflect.Type, want []string) {
		var got []string
		for i := range req.NumField() {
			tag, _, _ := strings.Cut(req.Field(i).Tag.Get("json"), ",")
			got = append(got, tag)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: request fields %v, table %v", name, got, want)
		}
	}
	var patients, appointments []string
	for _, f := range models.PatientFields {
		patients = append(patients, f.Name)
	}
	for _, f := range models.AppointmentFields {
		appointments = append(appointments, f.Name)
	}
	check("PatientRequest", reflect.TypeFor[api.PatientRequest](), patients)
	// allow_outside_hours is an instruction to the guard, not a field.
	check("AppointmentRequest", reflect.TypeFor[api.AppointmentRequest](), append(appointments, "allow_outside_hours"))
	requiredCheck(t, reflect.TypeFor[api.PatientRequest](), models.PatientFields)
	requiredCheck(t, reflect.TypeFor[api.AppointmentRequest](), models.AppointmentFields)
}

// requiredCheck keeps the request's required:"create" tags (what the
// OpenAPI document's create bodies require) in step with the table's
// Required fields, which validation refuses when missing.
func requiredCheck[R any](t *testing.T, req reflect.Type, fields []models.Field[R]) {
	t.Helper()
	for _, f := range fields {
		sf, _ := req.FieldByNameFunc(func(n string) bool {
			fd, _ := req.FieldByName(n)
			name, _, _ := strings.Cut(fd.Tag.Get("json"), ",")
			return name == f.Name
		})
		if got := sf.Tag.Get("required") == "create"; got != f.Required {
			t.Errorf("%s.%s: required:\"create\" tag %v, table Required %v", req.Name(), f.Name, got, f.Required)
		}
	}
}
