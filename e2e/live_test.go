package e2e

import (
	"context"
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"switchboard/testsupport"
)

// waitTrue waits up to limit for a JavaScript condition to hold in the
// page, and fails with the page's text when it never does.
func waitTrue(t *testing.T, ctx context.Context, expr string, limit time.Duration) {
	t.Helper()
	for deadline := time.Now().Add(limit); ; time.Sleep(100 * time.Millisecond) {
		if ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr)); err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("never true: %s\n%.1500s", expr, eval[string](t, ctx, `document.body.innerText`))
		}
	}
}

// TestSyncBadgeAndMenuCountRefreshWithoutAReload: during an outage a new
// patient's delivery fails and retries; its page shows "retrying" and the
// menu counts one open sync error. When the practice system is back, the
// same page — never reloaded — turns the badge to "synced" and the menu's
// count goes away, by polling while the tab is shown.
func TestSyncBadgeAndMenuCountRefreshWithoutAReload(t *testing.T) {
	srv, login := testsupport.StartDemo(t)
	org := srv.DemoOrg(t)
	staff := srv.NewClient(t)
	staff.Login(login.Email, login.Password)
	outage := func(on bool) {
		r := staff.PostForm("/sync-errors/sandbox-outage", url.Values{"_csrf": {staff.CSRF("/profile")}, "outage": {fmt.Sprint(on)}})
		if r.StatusCode != 303 {
			t.Fatalf("outage switch = %d %.300s", r.StatusCode, r.Body)
		}
	}
	ctx := newBrowser(t)
	signIn(t, ctx, srv.URL, login.Email, login.Password)
	outage(true)
	var created struct {
		ID int64 `json:"id"`
	}
	agent := srv.KeyClient(t, org.ID, "agent")
	r := agent.SendJSON("POST", "/api/patients", map[string]any{"first_name": "Live", "last_name": "Badge"})
	if r.StatusCode != 201 {
		t.Fatalf("create patient = %d %s", r.StatusCode, r.Body)
	}
	r.JSON(t, &created)
	page := fmt.Sprintf("%s/patients/%d", srv.URL, created.ID)
	reloadUntil(t, ctx, page, `[data-testid="sync-opendental-retrying"]`, 20*time.Second)
	// The menu of that page was counted before its badges were read (the
	// first attempt may have failed in between); it polls, so it shows
	// the open error within its next refresh.
	waitTrue(t, ctx, `((document.querySelector('#menu [data-testid="nav-badge"]') || {}).innerText || "").trim() !== ""`, 15*time.Second)
	must(t, ctx, chromedp.Evaluate[chromedp.Void](`window.sbNotReloaded = true`))

	outage(false)
	waitTrue(t, ctx, `!!document.querySelector('[data-testid="sync-opendental-synced"]')`, 40*time.Second)
	waitTrue(t, ctx, `!document.querySelector('#menu [data-testid="nav-badge"]')`, 20*time.Second)
	if !eval[bool](t, ctx, `window.sbNotReloaded === true`) {
		t.Fatal("the page was reloaded; the badge must change in place")
	}
	if eval[bool](t, ctx, `!!document.querySelector('[data-testid="sync-opendental-retrying"]')`) {
		t.Error("the retrying badge is still shown beside the synced one")
	}
}

// TestLivePartsRestWhileTheTabIsHidden: the live parts do not poll while
// the tab is hidden and refresh at once when it is shown again.
func TestLivePartsRestWhileTheTabIsHidden(t *testing.T) {
	srv, login := testsupport.StartDemo(t)
	ctx := newBrowser(t)
	signIn(t, ctx, srv.URL, login.Email, login.Password)
	must(t, ctx, chromedp.Navigate(srv.URL+"/sync-errors"))
	waitTrue(t, ctx, `!!document.querySelector('[data-live]')`, 10*time.Second)
	// Count the live requests that leave the page; hide the tab.
	must(t, ctx, chromedp.Evaluate[chromedp.Void](`window.sbLiveSent = 0;
		document.addEventListener("htmx:beforeSend", function (ev) {
			if (ev.detail.elt && ev.detail.elt.hasAttribute("data-live")) window.sbLiveSent++;
		});
		Object.defineProperty(document, "hidden", {configurable: true, get: function () { return true; }});
		document.dispatchEvent(new Event("visibilitychange"));`))
	time.Sleep(12 * time.Second) // more than two polling periods of 5 s
	if n := eval[int](t, ctx, `window.sbLiveSent`); n != 0 {
		t.Fatalf("the hidden tab polled %d times", n)
	}
	must(t, ctx, chromedp.Evaluate[chromedp.Void](`Object.defineProperty(document, "hidden", {configurable: true, get: function () { return false; }});
		document.dispatchEvent(new Event("visibilitychange"));`))
	waitTrue(t, ctx, `window.sbLiveSent > 0`, 4*time.Second)
}
