package handlers_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"switchboard/testsupport"
)

// TestTryItRedactsMappedData: an upstream that echoes the API-key header
// into its JSON answer must not put the key on the try-it result, neither
// in the raw exchange nor in the mapped data.
func TestTryItRedactsMappedData(t *testing.T) {
	const apiKey = "EchoedKey7Qm2Zt9Lp4Vx8Rk"
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"you_sent": r.Header.Get("X-Api-Key"),
			"echo": map[string]any{"headers": r.Header}})
	}))
	defer upstream.Close()

	srv, key, _ := adminAPI(t, testsupport.SQLiteURL(t))
	doc := `{"slug":"echo","name":"Echo","base_url":{"production":"` + upstream.URL + `"},
		"auth":{"type":"api_key","header":"X-Api-Key","template":"{{api_key}}"},"credential_fields":["api_key"],
		"endpoints":[{"function":"Echo","method":"GET","path":"/echo"}]}`
	if r := key.Do("POST", "/api/admin/integrations", strings.NewReader(doc), http.Header{"Content-Type": {"application/json"}}); r.StatusCode != http.StatusCreated {
		t.Fatalf("create integration = %d %s", r.StatusCode, r.Body)
	}
	if r := key.SendJSON("POST", "/api/admin/api-credentials", map[string]any{"integration": "echo", "environment": "production",
		"fields": map[string]string{"api_key": apiKey}}); r.StatusCode != http.StatusCreated {
		t.Fatalf("save credential = %d %s", r.StatusCode, r.Body)
	}
	var eps struct {
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
	}
	key.Get("/api/admin/integrations/echo/endpoints").JSON(t, &eps)
	if len(eps.Items) != 1 {
		t.Fatalf("endpoints = %+v", eps)
	}

	owner := srv.NewClient(t)
	owner.Login("owner@acme.test", testsupport.Password)
	tok := owner.CSRF("/profile")
	r := owner.PostForm(fmt.Sprintf("/endpoints/%d/try", eps.Items[0].ID), url.Values{"_csrf": {tok}, "environment": {"production"}})
	if r.StatusCode != http.StatusOK || !strings.Contains(r.Body, `data-testid="try-ok"`) || !strings.Contains(r.Body, `data-testid="try-data"`) {
		t.Fatalf("try = %d %.1000s, want a successful result with mapped data", r.StatusCode, r.Body)
	}
	if strings.Contains(r.Body, apiKey) || strings.Contains(r.Body, apiKey[4:16]) {
		t.Fatalf("the try-it result shows the API key: %s", r.Body)
	}
	data := r.Body[strings.Index(r.Body, `data-testid="try-data"`):]
	if !strings.Contains(data, `you_sent`) || !strings.Contains(data, "[redacted]") {
		t.Fatalf("mapped data lost its echoed field instead of redacting it: %.600s", data)
	}
}
