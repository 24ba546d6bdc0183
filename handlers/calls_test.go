package handlers_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"switchboard/apperr"
	"testing"
	"time"

	"switchboard/testsupport"
)

// callOut is one call as GET /api/admin/calls answers it.
type callOut struct {
	ID             int64  `json:"id"`
	Integration    string `json:"integration"`
	Function       string `json:"function"`
	Status         string `json:"status"`
	Code           string `json:"code"`
	Caller         string `json:"caller"`
	CallerKind     string `json:"caller_kind"`
	UpstreamStatus int    `json:"upstream_status"`
	Attempts       int    `json:"attempts"`
	CreatedAt      string `json:"created_at"`
	Request        string `json:"request"`
	Response       string `json:"response"`
}

type callList struct {
	Items      []callOut `json:"items"`
	NextCursor string    `json:"next_cursor"`
}

// echoIntegration adds an integration "echo" over a loopback upstream
// whose /fail answers 500 quoting the API key it was sent, with a saved
// credential, and returns the key.
func echoIntegration(t *testing.T, admin *testsupport.Client) string {
	t.Helper()
	const apiKey = "sk-calllog-secret-0123456789"
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/fail" {
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprintf(w, `{"error":"key %s refused"}`, r.Header.Get("X-Api-Key"))
			return
		}
		fmt.Fprint(w, `{"ok":true}`)
	}))
	t.Cleanup(upstream.Close)
	doc := `{"slug":"echo","name":"Echo","base_url":{"production":"` + upstream.URL + `"},
		"auth":{"type":"api_key","header":"X-Api-Key","template":"{{api_key}}"},"credential_fields":["api_key"],"test_function":"Ping",
		"endpoints":[{"function":"Ping","method":"GET","path":"/ok"},{"function":"Fail","method":"GET","path":"/fail"}]}`
	if r := admin.Do("POST", "/api/admin/integrations", strings.NewReader(doc), http.Header{"Content-Type": {"application/json"}}); r.StatusCode != http.StatusCreated {
		t.Fatalf("create integration = %d %s", r.StatusCode, r.Body)
	}
	if r := admin.SendJSON("POST", "/api/admin/api-credentials", map[string]any{"integration": "echo", "environment": "production",
		"fields": map[string]string{"api_key": apiKey}}); r.StatusCode != http.StatusCreated {
		t.Fatalf("save credential = %d %s", r.StatusCode, r.Body)
	}
	return apiKey
}

// TestCallLogListsFiltersAndKeepsTheFailedExchange: the call log lists
// the calls of the agents' API, try-it and Test Connection with their
// callers named for people (a key by its name, a user by theirs), filters
// by integration, function, status, code, caller and time (practice time),
// pages with a cursor, and keeps a failed call's exchange with the
// credential redacted; the page shows the same, and code=rate_limited is
// the rate-limit log.
func TestCallLogListsFiltersAndKeepsTheFailedExchange(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		srv, admin, orgID := adminAPI(t, dbURL)
		apiKey := echoIntegration(t, admin)
		if _, err := srv.App.DB.NewRaw("UPDATE users SET name = 'Olive Owner' WHERE email = 'owner@acme.test'").Exec(t.Context()); err != nil {
			t.Fatal(err)
		}
		agent := srv.KeyClient(t, orgID, "agent")
		for range 2 {
			agent.SendJSON("POST", "/api/integrations/echo", map[string]any{"function": "Ping"})
		}
		if r := agent.SendJSON("POST", "/api/integrations/echo", map[string]any{"function": "Fail"}); r.StatusCode < 400 {
			t.Fatalf("Fail = %d, want an error", r.StatusCode)
		}
		if r := admin.SendJSON("POST", "/api/admin/api-credentials/test", map[string]any{"integration": "echo"}); r.StatusCode != http.StatusOK {
			t.Fatalf("Test Connection = %d %s", r.StatusCode, r.Body)
		}
		owner := srv.NewClient(t)
		owner.Login("owner@acme.test", testsupport.Password)
		var eps struct {
			Items []struct {
				ID       int64  `json:"id"`
				Function string `json:"function"`
			} `json:"items"`
		}
		admin.Get("/api/admin/integrations/echo/endpoints").JSON(t, &eps)
		for _, ep := range eps.Items {
			if ep.Function == "Ping" {
				owner.PostForm(fmt.Sprintf("/endpoints/%d/try", ep.ID), url.Values{"_csrf": {owner.CSRF("/profile")}, "environment": {"production"}})
			}
		}
		if err := srv.App.Calls.Flush(t.Context()); err != nil {
			t.Fatal(err)
		}

		var all callList
		admin.Get("/api/admin/calls?integration=echo").JSON(t, &all)
		callers := map[string]string{}
		for _, c := range all.Items {
			callers[c.Caller] = c.CallerKind
		}
		if callers["test agent"] != "api_key" || callers["Olive Owner"] != "user" || callers["test admin"] != "api_key" {
			t.Errorf("callers = %v, want the agent key, the admin key (Test Connection) and Olive Owner (try-it) by name", callers)
		}
		var failed callList
		admin.Get("/api/admin/calls?status=failed&function=Fail&caller=agent").JSON(t, &failed)
		if len(failed.Items) != 1 || failed.Items[0].Code == "" || failed.Items[0].UpstreamStatus != 400 {
			t.Fatalf("failed calls = %+v", failed.Items)
		}
		var byCode callList
		admin.Get("/api/admin/calls?code="+failed.Items[0].Code).JSON(t, &byCode)
		if len(byCode.Items) != 1 || byCode.Items[0].ID != failed.Items[0].ID {
			t.Errorf("code filter = %+v", byCode.Items)
		}
		var d callOut
		admin.Get(fmt.Sprintf("/api/admin/calls/%d", failed.Items[0].ID)).JSON(t, &d)
		if !strings.HasPrefix(d.Request, "GET ") || !strings.Contains(d.Request, "X-Api-Key: [redacted]") ||
			!strings.HasPrefix(d.Response, "HTTP 400") || !strings.Contains(d.Response, "[redacted]") {
			t.Errorf("the failed call's exchange = %q / %q", d.Request, d.Response)
		}
		if strings.Contains(d.Request+d.Response, apiKey) || strings.Contains(d.Request+d.Response, apiKey[3:15]) {
			t.Errorf("the exchange shows the credential: %q %q", d.Request, d.Response)
		}
		var okOne callList
		admin.Get("/api/admin/calls?status=ok&function=Ping&caller=test+agent").JSON(t, &okOne)
		if len(okOne.Items) != 2 {
			t.Fatalf("ok Ping calls of the agent = %+v", okOne.Items)
		}
		var ok callOut
		admin.Get(fmt.Sprintf("/api/admin/calls/%d", okOne.Items[0].ID)).JSON(t, &ok)
		if ok.Request != "" || ok.Response != "" {
			t.Errorf("a successful call kept an exchange: %+v", ok)
		}

		var page1, page2 callList
		admin.Get("/api/admin/calls?integration=echo&limit=1").JSON(t, &page1)
		admin.Get("/api/admin/calls?integration=echo&limit=1&cursor="+page1.NextCursor).JSON(t, &page2)
		if len(page1.Items) != 1 || page1.NextCursor == "" || len(page2.Items) != 1 || page2.Items[0].ID >= page1.Items[0].ID {
			t.Errorf("pages = %+v then %+v", page1, page2)
		}
		tomorrow := time.Now().Add(48 * time.Hour).Format(time.DateOnly)
		var none callList
		admin.Get("/api/admin/calls?from="+tomorrow).JSON(t, &none)
		if len(none.Items) != 0 {
			t.Errorf("calls from %s = %+v, want none", tomorrow, none.Items)
		}
		if r := admin.Get("/api/admin/calls?status=maybe"); r.StatusCode != http.StatusBadRequest || !strings.Contains(r.Body, "status") {
			t.Errorf("status=maybe = %d %s", r.StatusCode, r.Body)
		}

		page := owner.Get("/calls?integration=echo&status=failed")
		if page.StatusCode != 200 || !strings.Contains(page.Body, fmt.Sprintf(`data-testid="call-%d"`, failed.Items[0].ID)) ||
			!strings.Contains(page.Body, "test agent") || strings.Contains(page.Body, "Olive Owner") {
			t.Errorf("/calls?status=failed = %d %.2000s", page.StatusCode, page.Body)
		}
		if want := `data-testid="call-explanation">` + apperr.Explain(failed.Items[0].Code) + "<"; !strings.Contains(page.Body, want) {
			t.Errorf("the failed call's code %q is not said in a sentence on /calls", failed.Items[0].Code)
		}
		detail := owner.Get(fmt.Sprintf("/calls/%d", failed.Items[0].ID))
		if !strings.Contains(detail.Body, `data-testid="call-request"`) || !strings.Contains(detail.Body, "[redacted]") || strings.Contains(detail.Body, apiKey) {
			t.Errorf("/calls/%d = %.2000s", failed.Items[0].ID, detail.Body)
		}
		if rl := owner.Get("/calls?code=rate_limited"); !strings.Contains(rl.Body, "Rate-limit log") || !strings.Contains(rl.Body, "No calls") {
			t.Errorf("the rate-limit log = %.1500s", rl.Body)
		}
	})
}
