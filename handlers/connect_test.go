package handlers_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"switchboard/testsupport"
)

// TestOAuthConnect: Connect sends the owner to the provider's consent page
// with a state and an S256 challenge; the callback stores the refresh
// token sealed and shows "Connected as …"; a replayed, forged, expired or
// other session's state is refused; calls refresh and rotate the token; a
// refused refresh marks the credential needs_reauth; Disconnect revokes
// and deletes the token.
func TestOAuthConnect(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		srv, key, _ := adminAPI(t, dbURL)
		fake := testsupport.NewFakeOAuth(t)
		if r := key.SendJSON("POST", "/api/admin/integrations", fake.Definition("fakecal")); r.StatusCode != http.StatusCreated {
			t.Fatalf("create = %d %s", r.StatusCode, r.Body)
		}
		if r := key.SendJSON("POST", "/api/admin/api-credentials", map[string]any{"integration": "fakecal",
			"fields": map[string]string{"client_id": fake.ClientID, "client_secret": fake.ClientSecret}}); r.StatusCode != http.StatusCreated {
			t.Fatalf("credentials = %d %s", r.StatusCode, r.Body)
		}
		var id int64
		srv.App.DB.NewRaw("SELECT id FROM external_integrations WHERE slug = 'fakecal'").Scan(t.Context(), &id)
		tab := "/integrations/" + itoa(id) + "/credentials"
		owner := srv.NewClient(t)
		owner.Login("owner@acme.test", testsupport.Password)

		connect := func(c *testsupport.Client) string { return pressConnect(t, srv, c, fake, tab) }

		back := connect(owner)
		r := owner.Get(back)
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != tab {
			t.Fatalf("callback = %d to %s %.300s", r.StatusCode, r.Header.Get("Location"), r.Body)
		}
		if page := owner.Get(tab).Body; !strings.Contains(page, "Connected as ada@practice.test") {
			t.Fatalf("the credentials tab does not say whom it is connected as")
		}
		var sealed string
		srv.App.DB.NewRaw("SELECT sealed FROM api_credentials WHERE integration_id = ?", id).Scan(t.Context(), &sealed)
		if strings.Contains(sealed, "refresh-") || sealed == "" {
			t.Fatal("the refresh token is not sealed")
		}

		t.Run("a replayed state is refused", func(t *testing.T) {
			if r := owner.Get(back); r.StatusCode != http.StatusBadRequest || !strings.Contains(r.Body, "already used") {
				t.Fatalf("replay = %d %.300s", r.StatusCode, r.Body)
			}
		})
		t.Run("a forged state is refused", func(t *testing.T) {
			if r := owner.Get("/oauth/callback?state=forged-state-value&code=code-1"); r.StatusCode != http.StatusBadRequest {
				t.Fatalf("forged = %d", r.StatusCode)
			}
		})
		t.Run("another session's state is refused", func(t *testing.T) {
			other := srv.NewClient(t)
			other.Login("owner@acme.test", testsupport.Password)
			link := connect(other)
			if r := owner.Get(link); r.StatusCode != http.StatusBadRequest {
				t.Fatalf("another session's state = %d", r.StatusCode)
			}
		})
		t.Run("an expired state is refused", func(t *testing.T) {
			link := connect(owner)
			srv.App.DB.NewRaw("UPDATE oauth_states SET expires_at = ?", time.Now().Add(-time.Minute)).Exec(t.Context())
			if r := owner.Get(link); r.StatusCode != http.StatusBadRequest {
				t.Fatalf("expired = %d", r.StatusCode)
			}
		})

		t.Run("calls refresh and rotate the token", func(t *testing.T) {
			if r := key.SendJSON("POST", "/api/integrations/fakecal", map[string]any{"function": "ListCalendars"}); r.StatusCode != 200 {
				t.Fatalf("call = %d %s", r.StatusCode, r.Body)
			}
			if n, _ := fake.Counts(); n != 1 {
				t.Fatalf("refreshes = %d, want 1", n)
			}
			srv.App.Executor.Forget(orgOf(t, srv), "fakecal") // the next call refreshes with the rotated token
			if r := key.SendJSON("POST", "/api/integrations/fakecal", map[string]any{"function": "ListCalendars"}); r.StatusCode != 200 {
				t.Fatalf("call with the rotated token = %d %s", r.StatusCode, r.Body)
			}
		})
		t.Run("a refused refresh marks the credential", func(t *testing.T) {
			fake.RetireAll()
			srv.App.Executor.Forget(orgOf(t, srv), "fakecal")
			if r := key.SendJSON("POST", "/api/integrations/fakecal", map[string]any{"function": "ListCalendars"}); r.StatusCode == 200 {
				t.Fatal("a call with a refused refresh token succeeded")
			}
			if page := owner.Get(tab).Body; !strings.Contains(page, `data-testid="needs-reauth-production"`) || !strings.Contains(page, "invalid_grant") {
				t.Fatal("the credentials tab does not say the connection needs reauthorization")
			}
			settings := "/integrations/" + itoa(id)
			if page := owner.Get(settings).Body; !strings.Contains(page, `data-testid="integration-needs-reauth"`) || !strings.Contains(page, `href="`+tab+`"`) {
				t.Fatal("the integration's page does not say to connect again")
			}
			if page := owner.Get("/integrations").Body; !strings.Contains(page, "needs reauthorization") {
				t.Fatal("the integrations list does not say the connection needs reauthorization")
			}
			if r := key.Get("/api/admin/api-credentials"); !strings.Contains(r.Body, `"needs_reauth":true`) {
				t.Fatalf("credentials = %s", r.Body)
			}
			if r := key.Get("/api/integrations/fakecal"); !strings.Contains(r.Body, `"needs_reauth":true`) {
				t.Fatalf("status = %s", r.Body)
			}
		})
		t.Run("connecting again clears it; Disconnect revokes and deletes", func(t *testing.T) {
			if r := owner.Get(connect(owner)); r.StatusCode != http.StatusSeeOther {
				t.Fatalf("reconnect = %d", r.StatusCode)
			}
			if r := key.Get("/api/admin/api-credentials"); !strings.Contains(r.Body, `"needs_reauth":false`) || !strings.Contains(r.Body, `"oauth_account":"ada@practice.test"`) {
				t.Fatalf("after reconnecting: %s", r.Body)
			}
			r := owner.PostForm(tab+"/production/disconnect", url.Values{"_csrf": {owner.CSRF(tab)}})
			if r.StatusCode != http.StatusSeeOther {
				t.Fatalf("disconnect = %d", r.StatusCode)
			}
			if _, revoked := fake.Counts(); len(revoked) != 1 || !strings.HasPrefix(revoked[0], "refresh-") {
				t.Fatalf("revoked = %v", revoked)
			}
			page := owner.Get(tab).Body
			if strings.Contains(page, "Connected as") || !strings.Contains(page, `data-testid="connect-production"`) {
				t.Fatal("the tab still shows a connection after Disconnect")
			}
			fields, err := srv.App.Credentials.Fields(t.Context(), orgOf(t, srv), id, "production")
			if err != nil || fields["refresh_token"] != "" || fields["access_token"] != "" || fields["client_id"] != fake.ClientID {
				t.Fatalf("stored fields after Disconnect = %v (%v), want the tokens deleted and the OAuth app kept", keysOf(fields), err)
			}
			if r := key.SendJSON("POST", "/api/integrations/fakecal", map[string]any{"function": "ListCalendars"}); r.StatusCode != http.StatusConflict || !strings.Contains(r.Body, "press Connect") {
				t.Fatalf("call after Disconnect = %d %s", r.StatusCode, r.Body)
			}
		})
	})
}

func orgOf(t *testing.T, srv *testsupport.Server) int64 {
	t.Helper()
	org, err := srv.App.Store.OrganizationBySlug(t.Context(), "acme")
	if err != nil {
		t.Fatal(err)
	}
	return org.ID
}

// pressConnect presses Connect on the Credentials tab tab, checks the
// consent URL and answers the path of the fake consent page's Allow link.
func pressConnect(t *testing.T, srv *testsupport.Server, c *testsupport.Client, fake *testsupport.FakeOAuth, tab string) string {
	t.Helper()
	r := c.PostForm(tab+"/production/connect", url.Values{"_csrf": {c.CSRF(tab)}})
	to, _ := url.Parse(r.Header.Get("Location"))
	q := to.Query()
	if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), fake.URL+"/authorize?") ||
		q.Get("code_challenge_method") != "S256" || len(q.Get("code_challenge")) != 43 || len(q.Get("state")) < 32 ||
		q.Get("redirect_uri") != srv.URL+"/oauth/callback" || q.Get("client_id") != fake.ClientID {
		t.Fatalf("connect = %d to %s", r.StatusCode, r.Header.Get("Location"))
	}
	consent, err := http.Get(to.String())
	if err != nil {
		t.Fatal(err)
	}
	defer consent.Body.Close()
	buf := new(strings.Builder)
	_, _ = io.Copy(buf, consent.Body)
	return strings.TrimPrefix(testsupport.AllowLink(buf.String()), srv.URL)
}

func keysOf(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
