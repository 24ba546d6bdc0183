package handlers_test

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"switchboard/integrations/executor"
	"switchboard/testsupport"
)

func TestExecuteAnswerOverTheCapIsResponseTooLarge(t *testing.T) {
	// 10 MiB and one byte of JSON: over the default cap of one execution.
	big := `{"items":["` + strings.Repeat("x", executor.DefaultMaxResponseBytes+1-len(`{"items":[""]}`)) + `"]}`
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/small" {
			_, _ = w.Write([]byte(`{"items":["ok"]}`))
			return
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(big)))
		_, _ = w.Write([]byte(big))
	}))
	t.Cleanup(up.Close)
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		s := testsupport.StartServer(t, testsupport.Config(t, dbURL))
		org, _ := testsupport.Seed(t, s.App.Store, "acme", "owner@acme.test", "owner")
		c := s.KeyClient(t, org.ID, "admin")
		doc := `{"slug":"big","name":"Big","base_url":{"production":"` + up.URL + `"},"endpoints":[` +
			`{"function":"List","method":"GET","path":"/list","extract":"items"},` +
			`{"function":"Small","method":"GET","path":"/small","extract":"items","max_response_bytes":100}]}`
		if r := c.Do("POST", "/api/admin/integrations", strings.NewReader(doc), http.Header{"Content-Type": {"application/json"}}); r.StatusCode != 201 {
			t.Fatalf("create integration = %d %s", r.StatusCode, r.Body)
		}
		r := c.SendJSON("POST", "/api/integrations/big", map[string]any{"function": "List"})
		var problem struct {
			Code           string `json:"code"`
			Detail         string `json:"detail"`
			UpstreamStatus int    `json:"upstream_status"`
			MaxBytes       int64  `json:"max_response_bytes"`
		}
		r.JSON(t, &problem)
		if r.StatusCode != http.StatusBadGateway || r.Header.Get("Content-Type") != "application/problem+json" ||
			problem.Code != "response_too_large" || problem.UpstreamStatus != 200 || problem.MaxBytes != 10<<20 {
			t.Fatalf("= %d %s %+v, want 502 response_too_large", r.StatusCode, r.Header.Get("Content-Type"), problem)
		}
		if !strings.Contains(problem.Detail, "10 MiB") || strings.Contains(r.Body, "xxxx") {
			t.Fatalf("detail %q should name the limit and quote nothing of the answer", problem.Detail)
		}
		// The definition's own, lower cap: 100 bytes is enough for the small answer.
		if r := c.SendJSON("POST", "/api/integrations/big", map[string]any{"function": "Small"}); r.StatusCode != 200 || !strings.Contains(r.Body, `"data":["ok"]`) {
			t.Fatalf("small answer = %d %s", r.StatusCode, r.Body)
		}
	})
}
