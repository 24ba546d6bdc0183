package agent

import (
	"context"
	"strconv"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"switchboard/clock"
	"switchboard/integrations/syncer"
	"switchboard/models"
	"switchboard/records"
)

// AppointmentIn is what create_appointment takes.
type AppointmentIn struct {
	PatientID       ID     `json:"patient_id" jsonschema:"Switchboard's patient id (from find_patients or create_patient), not a practice system's patient number"`
	Start           string `json:"start" jsonschema:"the start: RFC 3339 with an offset (2026-12-15T10:30:00-06:00) or the practice's local time without one (2026-12-15T10:30)"`
	DurationMinutes int    `json:"duration_minutes,omitempty" jsonschema:"length in minutes (1 to 1440); default 30"`
	ProviderRef     string `json:"provider_ref,omitempty" jsonschema:"the practice system's provider id (from find_open_slots)"`
	OperatoryRef    string `json:"operatory_ref,omitempty" jsonschema:"the practice system's operatory (chair) id (from find_open_slots)"`
	LocationRef     string `json:"location_ref,omitempty" jsonschema:"the practice system's location id, where it has several"`
	AppointmentType string `json:"appointment_type,omitempty" jsonschema:"the practice system's appointment type"`
	Notes           string `json:"notes,omitempty" jsonschema:"a note for the practice"`
}

// RescheduleIn is what reschedule_appointment takes.
type RescheduleIn struct {
	ID              ID     `json:"id" jsonschema:"Switchboard's appointment id"`
	Start           string `json:"start" jsonschema:"the new start: RFC 3339 with an offset or the practice's local time without one"`
	DurationMinutes int    `json:"duration_minutes,omitempty" jsonschema:"the new length in minutes; the current one when left out"`
	ProviderRef     string `json:"provider_ref,omitempty" jsonschema:"a new provider; the current one when left out"`
	OperatoryRef    string `json:"operatory_ref,omitempty" jsonschema:"a new operatory; the current one when left out"`
}

// IDIn names one appointment.
type IDIn struct {
	ID ID `json:"id" jsonschema:"Switchboard's appointment id"`
}

// AppointmentOut is an appointment as tools answer it: times with the
// practice's offset, and its sync state per practice system.
type AppointmentOut struct {
	ID              int64          `json:"id"`
	PatientID       int64          `json:"patient_id"`
	Start           string         `json:"start"`
	End             string         `json:"end"`
	DurationMinutes int            `json:"duration_minutes"`
	ProviderRef     string         `json:"provider_ref"`
	OperatoryRef    string         `json:"operatory_ref"`
	LocationRef     string         `json:"location_ref"`
	AppointmentType string         `json:"appointment_type"`
	Status          string         `json:"status"`
	Notes           string         `json:"notes"`
	Sync            []syncer.State `json:"sync"`
}

func appointmentOut(a *models.Appointment, states []syncer.State, z clock.Zone) AppointmentOut {
	if states == nil {
		states = []syncer.State{}
	}
	return AppointmentOut{ID: a.ID, PatientID: a.PatientID, Start: z.Format(a.Start), End: z.Format(a.End),
		DurationMinutes: a.DurationMinutes, ProviderRef: a.ProviderRef, OperatoryRef: a.OperatoryRef, LocationRef: a.LocationRef,
		AppointmentType: a.AppointmentType, Status: a.Status, Notes: a.Notes, Sync: states}
}

// values are the record values of the fields given (empty ones left out).
func values(pairs ...string) records.Values {
	v := records.Values{}
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] != "" {
			v[pairs[i]] = pairs[i+1]
		}
	}
	return v
}

func minutes(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

func (s *Server) addAppointmentTools(srv *mcp.Server, c *Caller) {
	s.addCreateAppointment(srv, c)
	s.addAppointmentChanges(srv, c)
}

// addCreateAppointment adds create_appointment.
func (s *Server) addCreateAppointment(srv *mcp.Server, c *Caller) {
	org, z := c.Org, c.Org.Zone()
	addTool(srv, c, toolSpec{name: "create_appointment", title: "Book an appointment", scope: models.ScopeRecordsWrite,
		description: "Book an appointment. It is saved locally and written to the practice system (dual-write); a slot already taken by the " +
			"provider or operatory is refused (slot_taken), and so is a start in the past or outside opening hours, a provider or operatory " +
			"the practice system does not list, and what the practice system would refuse."},
		func(ctx context.Context, _ *mcp.CallToolRequest, in AppointmentIn) (*mcp.CallToolResult, AppointmentOut, error) {
			if err := c.allow(models.ScopeRecordsWrite); err != nil {
				return nil, AppointmentOut{}, toolError(err)
			}
			d := in.DurationMinutes
			if d == 0 {
				d = 30
			}
			a, states, err := s.records.CreateAppointment(ctx, org.ID, values("patient_id", strconv.FormatInt(int64(in.PatientID), 10),
				"start", in.Start, "duration_minutes", minutes(d), "provider_ref", in.ProviderRef, "operatory_ref", in.OperatoryRef,
				"location_ref", in.LocationRef, "appointment_type", in.AppointmentType, "notes", in.Notes), nil)
			if err != nil {
				return nil, AppointmentOut{}, toolError(err)
			}
			return nil, appointmentOut(a, states, z), nil
		})
}

// addAppointmentChanges adds get_appointment, reschedule_appointment and
// cancel_appointment.
func (s *Server) addAppointmentChanges(srv *mcp.Server, c *Caller) {
	org, z := c.Org, c.Org.Zone()
	addTool(srv, c, toolSpec{name: "get_appointment", title: "Read an appointment", scope: models.ScopeRecordsRead, readOnly: true, idempotent: true,
		description: "Read one appointment (by Switchboard's appointment id) with its sync state."},
		func(ctx context.Context, _ *mcp.CallToolRequest, in IDIn) (*mcp.CallToolResult, AppointmentOut, error) {
			if err := c.allow(models.ScopeRecordsRead); err != nil {
				return nil, AppointmentOut{}, toolError(err)
			}
			a, err := s.records.Appointment(ctx, org.ID, int64(in.ID))
			if err != nil {
				return nil, AppointmentOut{}, toolError(err)
			}
			states, err := s.records.AppointmentStates(ctx, org.ID, a.ID)
			return nil, appointmentOut(a, states, z), toolError(err)
		})
	addTool(srv, c, toolSpec{name: "reschedule_appointment", title: "Move an appointment", scope: models.ScopeRecordsWrite, destructive: true, idempotent: true,
		description: "Move an appointment to a new start (and optionally a new length, provider or operatory); the new slot is checked like a " +
			"booking. A cancelled appointment cannot be moved (appointment_cancelled): book a new one."},
		func(ctx context.Context, _ *mcp.CallToolRequest, in RescheduleIn) (*mcp.CallToolResult, AppointmentOut, error) {
			if err := c.allow(models.ScopeRecordsWrite); err != nil {
				return nil, AppointmentOut{}, toolError(err)
			}
			v := values("start", in.Start, "duration_minutes", minutes(in.DurationMinutes), "provider_ref", in.ProviderRef, "operatory_ref", in.OperatoryRef)
			if in.DurationMinutes == 0 {
				if cur, err := s.records.Appointment(ctx, org.ID, int64(in.ID)); err == nil {
					v["duration_minutes"] = strconv.Itoa(cur.DurationMinutes) // keep the length, not the end
				}
			}
			a, states, err := s.records.UpdateAppointment(ctx, org.ID, int64(in.ID), v, nil)
			if err != nil {
				return nil, AppointmentOut{}, toolError(err)
			}
			return nil, appointmentOut(a, states, z), nil
		})
	addTool(srv, c, toolSpec{name: "cancel_appointment", title: "Cancel an appointment", scope: models.ScopeRecordsWrite, destructive: true, idempotent: true,
		description: "Cancel an appointment (here and in the practice system); its slot becomes free. Cancelling it again changes nothing."},
		func(ctx context.Context, _ *mcp.CallToolRequest, in IDIn) (*mcp.CallToolResult, AppointmentOut, error) {
			if err := c.allow(models.ScopeRecordsWrite); err != nil {
				return nil, AppointmentOut{}, toolError(err)
			}
			a, states, err := s.records.CancelAppointment(ctx, org.ID, int64(in.ID), nil)
			if err != nil {
				return nil, AppointmentOut{}, toolError(err)
			}
			return nil, appointmentOut(a, states, z), nil
		})
}
