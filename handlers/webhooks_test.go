package handlers_test

import (
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"

	"switchboard/integrations/syncer"
	"switchboard/testsupport"
)

// refusal is what a webhook answer shows a sender, minus what differs per
// request (the request id, and Date, which may tick between requests).
func refusal(r *testsupport.Response) string {
	body := regexp.MustCompile(`"request_id":"[0-9a-f]+"`).ReplaceAllString(r.Body, `"request_id":"…"`)
	var names []string
	for k := range r.Header {
		if k != "X-Request-Id" && k != "Date" {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString(r.Status + "\n")
	for _, k := range names {
		b.WriteString(k + ": " + strings.Join(r.Header[k], ", ") + "\n")
	}
	return b.String() + "\n" + body
}

func TestWebhookRefusalsAreIndistinguishable(t *testing.T) {
	srv, _, admin := demoAdmin(t)
	r := admin.SendJSON("POST", "/api/admin/integration-settings", map[string]any{"integration": "opendental", "enabled": true,
		"direction": "from_external", "entities": []string{"patient"}})
	var cfg struct {
		Secret string `json:"webhook_secret"`
	}
	r.JSON(t, &cfg)
	body := `{"entity":"patient","external_id":"9002","data":{"first_name":"Web","last_name":"Hook"}}`
	good := syncer.Sign(cfg.Secret, []byte(body))
	c := srv.NewClient(t)
	post := func(path, sig string) *testsupport.Response {
		return c.Do("POST", path, strings.NewReader(body), http.Header{"Content-Type": {"application/json"}, "X-Switchboard-Signature": {sig}})
	}
	cases := []struct{ name, path, sig string }{
		{"UnknownOrganization", "/webhooks/no-such-practice/opendental", good},
		{"UnknownProvider", "/webhooks/demo/no-such-provider", good},
		{"NoSyncConfiguration", "/webhooks/demo/cloud9", good},
		{"BadSignature", "/webhooks/demo/opendental", syncer.Sign("wrong-secret", []byte(body))},
	}
	want := ""
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := post(tc.path, tc.sig)
			if r.StatusCode != http.StatusUnauthorized {
				t.Fatalf("status = %d, want 401: %s", r.StatusCode, r.Body)
			}
			got := refusal(r)
			if want == "" {
				want = got
				return
			}
			if got != want {
				t.Errorf("answer differs from the first refusal:\n got: %s\nwant: %s", got, want)
			}
		})
	}
	if r := post("/webhooks/demo/opendental", good); r.StatusCode != http.StatusAccepted {
		t.Fatalf("good signature = %d %s", r.StatusCode, r.Body)
	}
	nul := `{"entity":"patient","external_id":"9003","data":{"first_name":"N\u0000l","last_name":"Hook"}}`
	r = c.Do("POST", "/webhooks/demo/opendental", strings.NewReader(nul), http.Header{"X-Switchboard-Signature": {syncer.Sign(cfg.Secret, []byte(nul))}})
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `"field":"data.first_name"`) {
		t.Fatalf("signed change with a NUL byte = %d %s, want 422 naming data.first_name", r.StatusCode, r.Body)
	}
}
