package sandbox

import (
	"net/http"
	"testing"
)

// TestODTables creates, lists, reads, updates and deletes a row of a
// front-desk table, and reads the family insurance and the ASAP list.
func TestODTables(t *testing.T) {
	f := newFixture(t)
	a := f.od(t, "POST", "/commlogs", map[string]any{"PatNum": 1, "Note": "called"})
	if a.status != http.StatusCreated {
		t.Fatalf("create commlog = %d %s", a.status, a.body)
	}
	var c map[string]any
	a.decode(t, &c)
	num := int(c["CommlogNum"].(float64))
	if num != 3 {
		t.Fatalf("CommlogNum = %d, want 3 after the two seeded", num)
	}
	var list []map[string]any
	f.od(t, "GET", "/commlogs?PatNum=1", nil).decode(t, &list)
	if len(list) != 2 {
		t.Fatalf("commlogs of patient 1 = %v", list)
	}
	if a := f.od(t, "PUT", "/commlogs/3", map[string]any{"Note": "called back"}); a.status != 200 {
		t.Fatalf("update = %d %s", a.status, a.body)
	}
	f.od(t, "GET", "/commlogs/3", nil).decode(t, &c)
	if c["Note"] != "called back" || c["PatNum"].(float64) != 1 {
		t.Fatalf("after the update = %v", c)
	}
	if a := f.od(t, "POST", "/commlogs", map[string]any{"Note": "x"}); a.status != 400 || a.message(t) != "PatNum is required." {
		t.Fatalf("create without PatNum = %d %s", a.status, a.body)
	}
	if a := f.od(t, "DELETE", "/commlogs/3", nil); a.status != 200 {
		t.Fatalf("delete = %d", a.status)
	}
	if a := f.od(t, "GET", "/commlogs/3", nil); a.status != 404 {
		t.Fatalf("get after delete = %d", a.status)
	}
	if a := f.od(t, "GET", "/nosuchtable", nil); a.status != 404 {
		t.Fatalf("unknown table = %d", a.status)
	}
	var ins []map[string]any
	f.od(t, "GET", "/familymodules/1/Insurance", nil).decode(t, &ins)
	if len(ins) != 1 || ins[0]["CarrierName"] != "Delta Dental" {
		t.Fatalf("family insurance = %v", ins)
	}
	if a := f.od(t, "PUT", "/appointments/1/Note", map[string]any{"Note": "bring x-rays"}); a.status != 200 {
		t.Fatalf("append note = %d %s", a.status, a.body)
	}
	var asap []map[string]any
	f.od(t, "GET", "/appointments/ASAP", nil).decode(t, &asap)
	if len(asap) != 0 {
		t.Fatalf("ASAP list = %v, want none seeded", asap)
	}
}
