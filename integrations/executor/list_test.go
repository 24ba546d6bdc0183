package executor

import (
	"encoding/json"
	"net/http"
	"testing"

	"switchboard/integrations/definition"
)

// TestListExtractAlwaysAnswersArrays: an endpoint declaring list: true
// answers an array for an XML element present none, one or many times;
// without it a lone element stays an object, as before.
func TestListExtractAlwaysAnswersArrays(t *testing.T) {
	h := newHarness(t)
	xmlOf := map[string]string{
		"none": `<R><Records></Records></R>`,
		"one":  `<R><Records><Record><Id>1</Id></Record></Records></R>`,
		"many": `<R><Records><Record><Id>1</Id></Record><Record><Id>2</Id></Record></Records></R>`,
	}
	up := newUpstream(t, func(w http.ResponseWriter, r *http.Request, _ string) {
		w.Header().Set("Content-Type", "application/xml")
		_, _ = w.Write([]byte(xmlOf[r.URL.Query().Get("n")]))
	})
	n := definition.Param{Name: "n", In: definition.InQuery, Type: definition.TypeString, Required: true}
	list := get("Find", "/find", n)
	list.Extract, list.List = "R.Records.Record", true
	single := get("Get", "/find", n)
	single.Extract = "R.Records.Record"
	slug := h.add(newDoc(up.URL, list, single))
	answer := func(fn, count string) string {
		t.Helper()
		res, err := h.run(slug, fn, map[string]any{"n": count})
		ok(t)(res, err)
		defer res.Release()
		b, err := json.Marshal(res.Data)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	for count, want := range map[string]string{"none": `[]`, "one": `[{"Id":"1"}]`, "many": `[{"Id":"1"},{"Id":"2"}]`} {
		if got := answer("Find", count); got != want {
			t.Errorf("list: true with %s = %s, want %s", count, got, want)
		}
	}
	if got := answer("Get", "one"); got != `{"Id":"1"}` {
		t.Errorf("without list: true, one element = %s, want the object", got)
	}
}
