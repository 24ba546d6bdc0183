package handlers_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"switchboard/testsupport"
)

// TestExecutePassesTheUpstreamsJSONThrough: an agent's call of a function
// whose definition reads nothing in the answer gets the upstream's JSON as
// it came (keys in its order, a long number as written) inside the usual
// envelope; a function with a response map still gets its answer mapped.
func TestExecutePassesTheUpstreamsJSONThrough(t *testing.T) {
	const body = `{"zeta":1,"alpha":{"big":12345678901234567890123,"s":"x"}}`
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(up.Close)
	s := testsupport.StartServer(t, testsupport.Config(t, testsupport.SQLiteURL(t)))
	org, _ := testsupport.Seed(t, s.App.Store, "acme", "owner@acme.test", "owner")
	c := s.KeyClient(t, org.ID, "admin")
	for _, doc := range []string{
		`{"slug":"plain","name":"Plain","base_url":{"production":"` + up.URL + `"},"endpoints":[{"function":"Get","method":"GET","path":"/thing"}]}`,
		`{"slug":"mapped","name":"Mapped","base_url":{"production":"` + up.URL + `"},"endpoints":[{"function":"Get","method":"GET","path":"/thing"}],` +
			`"parameter_maps":[{"internal":"z","external":"zeta","direction":"response"}]}`,
	} {
		if r := c.Do("POST", "/api/admin/integrations", strings.NewReader(doc), http.Header{"Content-Type": {"application/json"}}); r.StatusCode != 201 {
			t.Fatalf("create integration = %d %s", r.StatusCode, r.Body)
		}
	}
	r := c.SendJSON("POST", "/api/integrations/plain", map[string]any{"function": "Get"})
	if r.StatusCode != 200 || !strings.Contains(r.Body, `"data":`+body) {
		t.Fatalf("= %d %s, want the upstream's JSON as data: %s", r.StatusCode, r.Body, body)
	}
	r = c.SendJSON("POST", "/api/integrations/mapped", map[string]any{"function": "Get"})
	if r.StatusCode != 200 || !strings.Contains(r.Body, `"z":1`) || strings.Contains(r.Body, `"zeta"`) {
		t.Fatalf("mapped = %d %s, want zeta answered as z", r.StatusCode, r.Body)
	}
}
