package flows

import (
	"slices"
	"strings"
	"testing"

	"switchboard/apperr"
)

func TestParseRefusesWhatNodeRedWouldNot(t *testing.T) {
	for _, bad := range []string{``, `{}`, `[1]`, `[{"id":"a"}]`, `[{"id":"a","type":"tab"},{"id":"a","type":"inject"}]`, `not json`} {
		if _, err := Parse([]byte(bad)); apperr.Code(err) != apperr.CodeValidationFailed {
			t.Errorf("Parse(%q) = %v, want validation_failed", bad, err)
		}
	}
	doc, err := Parse([]byte(`{"rev":"3","flows":[{"id":"t","type":"tab","label":"T"},{"id":"n","type":"inject","z":"t"},{"id":"c","type":"mqtt-broker"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	flows, loose := doc.Flows()
	if len(flows) != 1 || flows[0].Nodes != 1 || loose != 1 {
		t.Fatalf("flows = %+v, loose %d", flows, loose)
	}
}

func TestDiffNamesEachFlowsChange(t *testing.T) {
	cur, _ := Parse([]byte(`[{"id":"a","type":"tab","label":"A"},{"id":"n1","type":"inject","z":"a"},{"id":"b","type":"tab","label":"B"},{"id":"c","type":"tab","label":"C"},{"id":"n3","type":"inject","z":"c"}]`))
	next, _ := Parse([]byte(`[{"id":"a","type":"tab","label":"A"},{"id":"n1","type":"inject","z":"a","name":"x"},{"id":"c","type":"tab","label":"C"},{"id":"n3","type":"inject","z":"c"},{"id":"d","type":"tab","label":"D"}]`))
	var got []string
	for _, c := range Diff(cur, next) {
		got = append(got, c.Label+":"+c.Kind)
	}
	want := []string{"A:changed", "C:unchanged", "D:added", "B:removed"}
	if !slices.Equal(got, want) {
		t.Fatalf("diff = %s, want %s", strings.Join(got, " "), strings.Join(want, " "))
	}
}
