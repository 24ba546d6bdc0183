package agent

import (
	"context"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"switchboard/integrations/syncer"
	"switchboard/models"
)

// FindPatientsIn is what find_patients takes.
type FindPatientsIn struct {
	Query string `json:"query,omitempty" jsonschema:"part of a first or last name, or an e-mail address"`
	Phone string `json:"phone,omitempty" jsonschema:"a phone number in any format: its digits are compared, a leading country code 1 ignored"`
	Limit int    `json:"limit,omitempty" jsonschema:"at most this many (1 to 100, default 20)"`
}

// PatientIn is what create_patient takes.
type PatientIn struct {
	FirstName   string `json:"first_name" jsonschema:"first name"`
	LastName    string `json:"last_name" jsonschema:"last name"`
	Birthdate   string `json:"birthdate,omitempty" jsonschema:"date of birth, 2006-01-02"`
	Phone       string `json:"phone,omitempty" jsonschema:"phone number"`
	Email       string `json:"email,omitempty" jsonschema:"e-mail address"`
	Gender      string `json:"gender,omitempty" jsonschema:"male, female, other or unknown"`
	AddressLine string `json:"address_line,omitempty"`
	City        string `json:"city,omitempty"`
	State       string `json:"state,omitempty"`
	PostalCode  string `json:"postal_code,omitempty"`
}

// PatientOut is a patient as tools answer it.
type PatientOut struct {
	ID        int64          `json:"id"`
	FirstName string         `json:"first_name"`
	LastName  string         `json:"last_name"`
	Birthdate string         `json:"birthdate"`
	Phone     string         `json:"phone"`
	Email     string         `json:"email"`
	Sync      []syncer.State `json:"sync,omitempty"`
}

// PatientsOut is the answer of find_patients.
type PatientsOut struct {
	Items []PatientOut `json:"items"`
}

func patientOut(p *models.Patient, states []syncer.State) PatientOut {
	return PatientOut{ID: p.ID, FirstName: p.FirstName, LastName: p.LastName, Birthdate: p.Birthdate, Phone: p.Phone, Email: p.Email, Sync: states}
}

func (s *Server) addPatientTools(srv *mcp.Server, c *Caller) {
	org := c.Org
	addTool(srv, c, toolSpec{name: "find_patients", title: "Find patients", scope: models.ScopeRecordsRead, readOnly: true, idempotent: true,
		description: "Find the practice's patients by name, e-mail or phone (digits in any format). Their id is Switchboard's patient id, " +
			"the patient_id that create_appointment takes."},
		func(ctx context.Context, _ *mcp.CallToolRequest, in FindPatientsIn) (*mcp.CallToolResult, PatientsOut, error) {
			if err := c.allow(models.ScopeRecordsRead); err != nil {
				return nil, PatientsOut{}, toolError(err)
			}
			limit := in.Limit
			if limit <= 0 || limit > 100 {
				limit = 20
			}
			ps, err := s.records.Patients(ctx, org.ID, models.PatientFilter{Search: in.Query, Phone: in.Phone, Limit: limit})
			if err != nil {
				return nil, PatientsOut{}, toolError(err)
			}
			out := PatientsOut{Items: make([]PatientOut, 0, len(ps))}
			for i := range ps {
				out.Items = append(out.Items, patientOut(&ps[i], nil))
			}
			return nil, out, nil
		})
	addTool(srv, c, toolSpec{name: "create_patient", title: "Add a patient", scope: models.ScopeRecordsWrite,
		description: "Add a patient. It is saved locally and written to the practice system (dual-write); the answer's id is Switchboard's patient id."},
		func(ctx context.Context, _ *mcp.CallToolRequest, in PatientIn) (*mcp.CallToolResult, PatientOut, error) {
			if err := c.allow(models.ScopeRecordsWrite); err != nil {
				return nil, PatientOut{}, toolError(err)
			}
			p, states, err := s.records.CreatePatient(ctx, org.ID, values("first_name", in.FirstName, "last_name", in.LastName,
				"birthdate", in.Birthdate, "phone", in.Phone, "email", in.Email, "gender", in.Gender, "address_line", in.AddressLine,
				"city", in.City, "state", in.State, "postal_code", in.PostalCode), nil)
			if err != nil {
				return nil, PatientOut{}, toolError(err)
			}
			return nil, patientOut(p, states), nil
		})
}

func (s *Server) addRecordTools(srv *mcp.Server, c *Caller) {
	s.addPatientTools(srv, c)
	s.addAppointmentTools(srv, c)
	if s.slots != nil {
		s.addSlotTool(srv, c)
	}
	s.addReferenceTools(srv, c)
}
