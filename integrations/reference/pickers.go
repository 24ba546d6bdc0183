package reference

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"time"

	"switchboard/integrations/definition"
	"switchboard/models"
)

// Picker is the choice list of one appointment field of the booking and
// edit forms: the reference list of the first practice system appointments
// are pushed to that lists the field's kind. Integration is empty when no
// such system lists the kind; Unavailable says why the list is missing
// when a system lists the kind but its list could not be read (the form
// then falls back to a text box).
type Picker struct {
	Field       string
	Kind        string
	Integration string
	Name        string
	Items       []Item
	Unavailable string
}

// HasList reports whether the picker has a list to choose from.
func (p Picker) HasList() bool { return p.Integration != "" && p.Unavailable == "" }

// pickerField is an appointment field that takes a reference id, and its
// kind.
type pickerField struct{ Field, Kind string }

// PickerFields are the appointment fields that take a reference id, with
// their kind, in the order the forms show them.
var PickerFields = []pickerField{
	{"provider_ref", definition.RefProviders},
	{"operatory_ref", definition.RefOperatories},
	{"appointment_type", definition.RefAppointmentTypes},
	{"location_ref", definition.RefLocations},
}

// PickerBudget bounds how long the pickers wait for the practice systems,
// so that a slow or failing upstream only slows the form this much.
const PickerBudget = 3 * time.Second

// Pickers lists the appointment form's pickers for org: for each field,
// the list of the first enabled sync target that pushes appointments and
// whose definition lists the field's kind. The lists are read at once,
// within PickerBudget; a failing upstream is not an error: its picker
// says why it has no list.
func (s *Service) Pickers(ctx context.Context, org *models.Organization) ([]Picker, error) {
	return s.PickersOf(ctx, org)
}

// PickersOf is Pickers for only the fields named (all of PickerFields
// when none is), so that a check of two fields reads two lists.
func (s *Service) PickersOf(ctx context.Context, org *models.Organization, fields ...string) ([]Picker, error) {
	targets, err := s.appointmentTargets(ctx, org.ID)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, PickerBudget)
	defer cancel()
	want := PickerFields
	if len(fields) > 0 {
		want = slices.DeleteFunc(slices.Clone(PickerFields), func(f pickerField) bool { return !slices.Contains(fields, f.Field) })
	}
	out := make([]Picker, len(want))
	var wg sync.WaitGroup
	for i, f := range want {
		out[i] = Picker{Field: f.Field, Kind: f.Kind}
		t := firstListing(targets, f.Kind)
		if t == nil {
			continue
		}
		out[i].Integration, out[i].Name = t.Slug, cmp.Or(t.Compiled.Doc.Name, t.Slug)
		wg.Add(1)
		go func(p *Picker) {
			defer wg.Done()
			list, err := s.Get(ctx, org, p.Kind, p.Integration)
			if err != nil {
				p.Unavailable = p.Name + " did not answer its " + p.Kind + " list (" + err.Error() + ")"
				return
			}
			p.Items = list.Items
		}(&out[i])
	}
	wg.Wait()
	return out, nil
}

// firstListing is the first target whose definition lists kind.
func firstListing(targets []target, kind string) *target {
	for i := range targets {
		if targets[i].Compiled.Doc.Reference[kind] != nil {
			return &targets[i]
		}
	}
	return nil
}

// target is an enabled integration appointments are pushed to.
type target struct {
	Slug     string
	Compiled *definition.Compiled
}

// pushesAppointments reports whether cfg pushes appointments (created or
// updated) to its integration.
func pushesAppointments(cfg *models.SyncConfig) bool {
	return cfg.Pushes(definition.EntityAppointment, models.OpCreate) || cfg.Pushes(definition.EntityAppointment, models.OpUpdate)
}

// appointmentTargets lists the enabled integrations that enabled sync
// configurations push appointments to (created or updated), in the order
// of the configurations.
func (s *Service) appointmentTargets(ctx context.Context, orgID int64) ([]target, error) {
	cfgs, err := s.store.Tenant(orgID).EnabledSyncConfigs(ctx)
	if err != nil {
		return nil, err
	}
	var out []target
	for _, cfg := range cfgs {
		if !pushesAppointments(&cfg) {
			continue
		}
		entry, err := s.registry.LookupID(ctx, orgID, cfg.IntegrationID)
		if err != nil || !entry.Enabled {
			continue
		}
		out = append(out, target{Slug: entry.Slug, Compiled: entry.Compiled})
	}
	return out, nil
}
