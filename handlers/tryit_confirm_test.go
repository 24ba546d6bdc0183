package handlers_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"switchboard/accounts"
	"switchboard/models"
	"switchboard/testsupport"
)

// TestTryItAsksBeforeAWriteInProductionAndAuditsIt: running a function
// that writes from its "try it" console in production is refused until
// confirmed (nothing reaches the upstream), runs once confirmed, and every
// write run from the console, in either environment, is in the audit log
// with the function, environment and outcome; a read is neither asked
// about nor audited; a failure is said in a sentence.
func TestTryItAsksBeforeAWriteInProductionAndAuditsIt(t *testing.T) {
	var writes, reads atomic.Int32
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/broken" {
			http.Error(w, "boom", http.StatusBadRequest)
			return
		}
		if r.Method == http.MethodPost {
			writes.Add(1)
		} else {
			reads.Add(1)
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"id": 7}`))
	}))
	defer upstream.Close()

	srv, key, orgID := adminAPI(t, testsupport.SQLiteURL(t))
	doc := `{"slug":"things","name":"Things","base_url":{"production":"` + upstream.URL + `","sandbox":"` + upstream.URL + `"},
		"auth":{"type":"none"},
		"endpoints":[{"function":"CreateThing","method":"POST","path":"/things","writes":true},
		             {"function":"ListThings","method":"GET","path":"/things"},
		             {"function":"Broken","method":"GET","path":"/broken"}]}`
	if r := key.Do("POST", "/api/admin/integrations", strings.NewReader(doc), http.Header{"Content-Type": {"application/json"}}); r.StatusCode != http.StatusCreated {
		t.Fatalf("create integration = %d %s", r.StatusCode, r.Body)
	}
	var eps struct {
		Items []struct {
			ID       int64  `json:"id"`
			Function string `json:"function"`
		} `json:"items"`
	}
	key.Get("/api/admin/integrations/things/endpoints").JSON(t, &eps)
	ids := map[string]int64{}
	for _, e := range eps.Items {
		ids[e.Function] = e.ID
	}
	owner := srv.NewClient(t)
	owner.Login("owner@acme.test", testsupport.Password)
	tok := owner.CSRF("/profile")
	try := func(function, env, confirm string) string {
		t.Helper()
		form := url.Values{"_csrf": {tok}, "environment": {env}}
		if confirm != "" {
			form.Set("confirm", confirm)
		}
		r := owner.PostForm(fmt.Sprintf("/endpoints/%d/try", ids[function]), form)
		if r.StatusCode != http.StatusOK {
			t.Fatalf("try %s in %s = %d %.500s", function, env, r.StatusCode, r.Body)
		}
		return r.Body
	}

	body := try("CreateThing", "production", "")
	if !strings.Contains(body, `data-testid="try-confirm"`) || !strings.Contains(body, "Nothing was sent yet") || strings.Contains(body, `data-testid="try-ok"`) {
		t.Fatalf("an unconfirmed write in production = %.800s, want the confirmation step", body)
	}
	if n := writes.Load(); n != 0 {
		t.Fatalf("the unconfirmed write reached the upstream %d times", n)
	}
	if body = try("CreateThing", "production", "yes"); !strings.Contains(body, `data-testid="try-ok"`) || writes.Load() != 1 {
		t.Fatalf("the confirmed write = %.800s (%d upstream writes)", body, writes.Load())
	}
	if body = try("CreateThing", "sandbox", ""); !strings.Contains(body, `data-testid="try-ok"`) || writes.Load() != 2 {
		t.Fatalf("a write in the sandbox = %.800s (%d upstream writes), want it run without asking", body, writes.Load())
	}
	if body = try("ListThings", "production", ""); !strings.Contains(body, `data-testid="try-ok"`) || reads.Load() != 1 {
		t.Fatalf("a read in production = %.800s, want it run without asking", body)
	}

	// A failure reads as a sentence, with its code beside it.
	if body = try("Broken", "production", ""); !strings.Contains(body, "✗ The practice system answered with an error.") || !strings.Contains(body, "(upstream_error)") {
		t.Errorf("a failed try = %.800s, want the code's sentence", body)
	}

	entries, err := srv.App.Accounts.Audit().Entries(t.Context(), orgID, models.AuditFilter{Action: string(accounts.ActionTryItWrite), Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 {
		t.Fatalf("try-it write audit entries = %+v, want the two writes run", entries)
	}
	for i, env := range []string{"sandbox", "production"} { // newest first
		e := entries[i]
		for _, want := range []string{`"function":"CreateThing"`, `"environment":"` + env + `"`, `"outcome":"ok"`, `"integration":"things"`} {
			if !strings.Contains(e.Details, want) {
				t.Errorf("entry %d details %s lack %s", i, e.Details, want)
			}
		}
		if e.Actor != "owner@acme.test" || e.TargetType != "endpoint" || e.TargetID != fmt.Sprint(ids["CreateThing"]) {
			t.Errorf("entry %d = %+v", i, e)
		}
	}
}
