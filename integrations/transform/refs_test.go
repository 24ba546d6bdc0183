package transform_test

import (
	"testing"

	"switchboard/integrations/transform"
)

// TestExternalRefCompiles: external_ref needs its entity (patient or
// appointment), says in tool schemas that it takes Switchboard's id, and
// leaves an id alone without a translator (the syncer's calls, which
// carry the upstream's ids already). The translation itself runs against
// the database in handlers' TestOneMeaningPerID.
func TestExternalRefCompiles(t *testing.T) {
	c, err := transform.Compile("external_ref:patient")
	if err != nil {
		t.Fatal(err)
	}
	if v, err := c.ApplyIn(transform.Env{}, "7"); err != nil || v != "7" {
		t.Errorf("without a translator: %v %v, want 7 unchanged", v, err)
	}
	if in := c.Input(); in.Type != "integer" || in.Note == "" {
		t.Errorf("input = %+v", in)
	}
	for _, bad := range []string{"external_ref", "external_ref:provider"} {
		if _, err := transform.Compile(bad); err == nil {
			t.Errorf("%s compiled", bad)
		}
	}
}
