package definition

import (
	"maps"
	"slices"
	"strings"
)

// The kinds of reference data a definition may list: the practice's own
// ids that records carry (provider_ref, operatory_ref, location_ref,
// appointment_type_ref).
const (
	RefProviders        = "providers"
	RefOperatories      = "operatories"
	RefLocations        = "locations"
	RefAppointmentTypes = "appointment_types"
)

// ReferenceKinds lists the kinds, in the order pages show them.
var ReferenceKinds = []string{RefProviders, RefOperatories, RefLocations, RefAppointmentTypes}

// ReferenceList names the read function that lists one kind of reference
// data, where each item's id is (IDPath, a dot path into the item) and how
// a person sees it (LabelTemplate, e.g. "{{first_name}} {{last_name}}",
// whose bare names are the item's fields). Both read the function's answer
// as executions return it: after extract and the response parameter maps.
type ReferenceList struct {
	Function      string `json:"function" doc:"The read function that lists the kind." required:"true"`
	IDPath        string `json:"id_path" doc:"Dot path of each item's id (the practice system's)." required:"true"`
	LabelTemplate string `json:"label_template,omitempty" doc:"How a person sees an item, e.g. {{first_name}} {{last_name}}."`
}

// reference checks the reference section: known kinds, a function that
// exists and does not write, an id path and a label template that parses.
func (c *checker) reference() {
	for _, kind := range slices.Sorted(maps.Keys(c.d.Reference)) {
		prefix := "reference." + kind
		if !slices.Contains(ReferenceKinds, kind) {
			c.add(prefix, "unknown kind (want %s)", strings.Join(ReferenceKinds, ", "))
			continue
		}
		c.referenceList(prefix, c.d.Reference[kind])
	}
	for _, param := range slices.Sorted(maps.Keys(c.d.DefaultPickers)) {
		c.referenceList("default_pickers."+param, c.d.DefaultPickers[param])
	}
}

// referenceList checks one list: a function that exists and does not
// write, an id path and a label template that parses.
func (c *checker) referenceList(prefix string, r *ReferenceList) {
	if r == nil {
		c.add(prefix, "needs a function and an id_path")
		return
	}
	switch e, ok := c.functions[r.Function]; {
	case r.Function == "":
		c.add(prefix+".function", "is required")
	case !ok:
		c.add(prefix+".function", "no endpoint has the function %q", r.Function)
	case e.Writes:
		c.add(prefix+".function", "%s writes; reference data is read with a function that does not", r.Function)
	}
	if r.IDPath == "" {
		c.add(prefix+".id_path", "is required")
	}
	c.dotPath(prefix+".id_path", r.IDPath)
	if r.LabelTemplate != "" {
		if _, err := ParseTemplate(r.LabelTemplate); err != nil {
			c.add(prefix+".label_template", "%s", err)
		}
	}
}
