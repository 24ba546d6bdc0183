package handlers_test

import (
	"html"
	"strings"
	"testing"

	"switchboard/buildinfo"
	"switchboard/testsupport"
)

// TestPagesShowTheVersion: every signed-in page's footer names the build
// (version and commit), as the MCP server and "switchboard version" do.
func TestPagesShowTheVersion(t *testing.T) {
	srv := startIdentity(t, testsupport.SQLiteURL(t))
	testsupport.Seed(t, srv.App.Store, "acme", "owner@acme.test", "owner")
	c := srv.NewClient(t)
	c.Login("owner@acme.test", testsupport.Password)
	for _, path := range []string{"/", "/patients", "/settings"} {
		r := c.Get(path)
		want := `data-testid="version">Switchboard ` + html.EscapeString(buildinfo.Get().Short()) + `</footer>`
		if r.StatusCode != 200 || !strings.Contains(r.Body, want) {
			t.Errorf("GET %s = %d without %s", path, r.StatusCode, want)
		}
	}
}
