package e2e

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"switchboard/accounts"
	"switchboard/records"
	"switchboard/testsupport"
)

// layoutWidths are the viewport widths every page must fit: a laptop and a
// phone.
var layoutWidths = []int64{1280, 390}

// skipPath are the links of a page that are not pages of the app shell.
var skipPath = regexp.MustCompile(`^/(api|static|metrics|healthz|readyz|oauth|webhooks|logout)(/|$)|\.[a-z]+$`)

// digits turns a path into its route's shape: /integrations/1/maps and
// /integrations/2/maps are the same page.
var digits = regexp.MustCompile(`/[0-9]+`)

// pageFault is what the tour found wrong on one page.
type pageFault struct {
	Width     int64    `json:"width"`
	Scroll    int64    `json:"scroll"`
	Inner     int64    `json:"inner"`
	Culprits  []string `json:"culprits"`
	Duplicate []string `json:"duplicate"`
}

// measureJS measures the page at the current viewport: its scroll width,
// the viewport's width, the innermost elements reaching past its right
// edge, and the ids used more than once.
const measureJS = `(() => {
  const inner = window.innerWidth;
  const clipped = el => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible' && a.getBoundingClientRect().right <= inner + 1) return true;
    }
    return false;
  };
  const wide = [...document.body.querySelectorAll('*')].filter(el => {
    const r = el.getBoundingClientRect();
    if (r.width === 0) return false;
    const spills = getComputedStyle(el).overflowX === 'visible' && el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0 && r.right + el.scrollWidth - el.clientWidth > inner + 1;
    return (r.right > inner + 1 || spills) && !clipped(el);
  });
  const culprits = wide.filter(el => !wide.some(o => o !== el && el.contains(o))).slice(0, 5).map(el => {
    const tid = el.getAttribute('data-testid');
    return el.tagName.toLowerCase() + (tid ? '[' + tid + ']' : '') + '.' +
      String(el.className).split(/\s+/).slice(0, 4).join('.') + ' right=' + Math.round(el.getBoundingClientRect().right) +
      ' "' + (el.innerText || '').slice(0, 40) + '"';
  });
  const seen = {}, duplicate = [];
  for (const el of document.querySelectorAll('[id]')) {
    if (seen[el.id] && !duplicate.includes(el.id)) duplicate.push(el.id);
    seen[el.id] = true;
  }
  return {width: 0, scroll: document.documentElement.scrollWidth, inner, culprits, duplicate};
})()`

// linksJS lists the same-origin links of the menu, or of the page when the
// menu has been read.
const linksJS = `[...document.querySelectorAll(%q)]
  .filter(a => a.origin === location.origin)
  .map(a => a.pathname)`

// TestEveryPageFitsTheScreenAndHasUniqueIDs tours, as the demo owner with
// data present (50 audit entries, a long endpoint tried from its page,
// patients and appointments), every page the menu reaches and every page
// those pages link to (an integration's tabs, a record's page), at 1280 and
// 390 pixels wide: no page scrolls sideways and no page repeats an id.
func TestEveryPageFitsTheScreenAndHasUniqueIDs(t *testing.T) {
	srv, login := testsupport.StartDemo(t)
	wide := seedLayoutData(t, srv)
	ctx := newBrowser(t)
	signIn(t, ctx, srv.URL, login.Email, login.Password)
	wide = append(wide, tryLongEndpoint(t, ctx, srv))

	must(t, ctx, chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="nav"]`)))
	menu := eval[[]string](t, ctx, fmt.Sprintf(linksJS, `[data-testid="nav"] nav a[href]`))
	if len(menu) < 10 {
		t.Fatalf("the menu has %d links: %v", len(menu), menu)
	}
	visited := tourPages(t, ctx, srv.URL, menu, wide)
	for _, want := range []string{"/integrations/N", "/integrations/N/endpoints", "/integrations/N/maps",
		"/integrations/N/credentials", "/patients/N", "/appointments/N", "/endpoints/N", "/audit", "/sync-settings"} {
		if visited[want] == 0 {
			t.Errorf("the tour never reached a page like %s (visited %v)", want, visited)
		}
	}
}

// tourPages visits the menu's pages, then the pages they link to, then the
// pages those link to (at most two of each shape), and the pages seeded
// with wide data, checking each at every width; it returns how many pages
// of each shape it visited.
func tourPages(t *testing.T, ctx context.Context, base string, menu, wide []string) map[string]int {
	t.Helper()
	type page struct {
		path  string
		depth int
	}
	queue := []page{}
	seen := map[string]bool{}
	shapes := map[string]int{}
	add := func(path string, depth int) {
		shape := digits.ReplaceAllString(path, "/N")
		if seen[path] || skipPath.MatchString(path) || (shapes[shape] >= 2 && depth <= 2) {
			return
		}
		seen[path] = true
		shapes[shape]++
		queue = append(queue, page{path, depth})
	}
	for _, p := range menu {
		add(p, 0)
	}
	for _, p := range wide {
		add(p, 3)
	}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		links := checkPage(t, ctx, base+p.path)
		if p.depth < 2 || p.depth == 3 {
			for _, l := range links {
				add(l, min(p.depth+1, 2))
			}
		}
	}
	return shapes
}

// checkPage loads one page and checks it at every width; it returns the
// page's links (outside the menu).
func checkPage(t *testing.T, ctx context.Context, pageURL string) []string {
	t.Helper()
	resp, err := chromedp.RunResponse(ctx, chromedp.EmulateViewport(layoutWidths[0], 900), chromedp.Navigate(pageURL))
	if err != nil {
		t.Fatalf("open %s: %v", pageURL, err)
	}
	u, err := url.Parse(pageURL)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status >= http.StatusBadRequest {
		t.Errorf("%s answers %d", u.Path, resp.Status)
	}
	checkShown(t, ctx, u.Path)
	return eval[[]string](t, ctx, fmt.Sprintf(linksJS, `main a[href]`))
}

// checkShown checks the page as shown now at every width, and leaves the
// viewport at the first.
func checkShown(t *testing.T, ctx context.Context, path string) {
	t.Helper()
	for _, w := range layoutWidths {
		must(t, ctx, chromedp.EmulateViewport(w, 900))
		m := eval[pageFault](t, ctx, measureJS)
		if m.Scroll > m.Inner {
			t.Errorf("%s at %d px scrolls sideways: %d px wide; past the edge: %s", path, w, m.Scroll, strings.Join(m.Culprits, " | "))
		}
		if len(m.Duplicate) > 0 && w == layoutWidths[0] {
			t.Errorf("%s repeats the ids %v", path, m.Duplicate)
		}
	}
	must(t, ctx, chromedp.EmulateViewport(layoutWidths[0], 900))
}

// seedLayoutData gives the demo practice what makes pages wide: 50 audit
// entries with long details, a patient with long values and appointments,
// and an endpoint with a long path.
func seedLayoutData(t *testing.T, srv *testsupport.Server) []string {
	t.Helper()
	ctx := t.Context()
	org := srv.DemoOrg(t)
	audit := srv.App.Accounts.Audit()
	for i := range 50 {
		audit.Record(ctx, accounts.Actor{OrgID: org.ID, Name: "owner-with-a-long-address@demo-dental-practice.example.com",
			IP: "2001:0db8:85a3:0000:0000:8a2e:0370:7334", UserAgent: strings.Repeat("Mozilla/5.0 ", 10)},
			accounts.ActionSyncSettingsUpdated, accounts.TargetOf("integration", int64(i+1)),
			map[string]any{"direction": map[string]any{"from": "dual-write", "to": "bidirectional"},
				"note": strings.Repeat("averyveryverylongwordwithoutanyspaces", 3)})
	}
	recs := records.New(srv.App.Store, srv.App.Sync)
	p, _, err := recs.CreatePatient(ctx, org.ID, records.Values{"first_name": "Maximiliana-Theodora", "last_name": "Featherstonehaugh-Cholmondeley",
		"email": "maximiliana.theodora.featherstonehaugh@a-very-long-domain-name.example.com", "phone": "+13125550199",
		"address_line": strings.Repeat("Longstreetname", 5) + " 1", "birthdate": "1990-01-02"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	wide := []string{fmt.Sprintf("/patients/%d", p.ID)}
	for i, start := range []string{"2030-03-04T09:30:00-05:00", "2030-03-05T10:00:00-05:00"} {
		a, _, err := recs.CreateAppointment(ctx, org.ID, records.Values{"patient_id": fmt.Sprint(p.ID), "start": start,
			"duration_minutes": "30", "provider_ref": "1", "operatory_ref": "2",
			"notes": fmt.Sprintf("visit %d %s", i, strings.Repeat("averyveryverylongnotewithoutspaces", 3))}, nil)
		if err != nil {
			t.Fatal(err)
		}
		wide = append(wide, fmt.Sprintf("/appointments/%d", a.ID))
	}
	return wide
}

// longPath is the path of the endpoint tried on the tour.
var longPath = "/patients/{PatNum}/" + strings.Repeat("averyveryverylongsegment/", 6) + "end"

// tryLongEndpoint adds an endpoint with a long path to Open Dental and runs
// it from its page, so the endpoints list and the endpoint page show it and
// its last answer.
func tryLongEndpoint(t *testing.T, ctx context.Context, srv *testsupport.Server) string {
	t.Helper()
	org := srv.DemoOrg(t)
	od, err := srv.App.Store.Tenant(org.ID).IntegrationBySlug(t.Context(), "opendental")
	if err != nil {
		t.Fatal(err)
	}
	admin := srv.KeyClient(t, org.ID, "admin")
	res := admin.SendJSON(http.MethodPost, fmt.Sprintf("/api/admin/integrations/%d/endpoints", od.ID), map[string]any{
		"function": "GetPatientWithAVeryLongFunctionNameForTheLayoutTour", "method": "GET", "path": longPath,
		"description": strings.Repeat("Reads a patient the long way. ", 8),
		"params":      []map[string]any{{"name": "PatNum", "in": "path", "type": "integer", "required": true}},
	})
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("add the long endpoint: %d %s", res.StatusCode, res.Body)
	}
	var ep struct{ ID int64 }
	res.JSON(t, &ep)
	must(t, ctx,
		chromedp.Navigate(fmt.Sprintf("%s/endpoints/%d", srv.URL, ep.ID)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="try-it"]`)),
		chromedp.SendKeys(chromedp.CSS(`#f-p_PatNum`), "1"),
		chromedp.Click(chromedp.CSS(`[data-testid="try-execute"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="try-result"]`)),
	)
	path := fmt.Sprintf("/endpoints/%d", ep.ID)
	checkShown(t, ctx, path+" (after try it)")
	return path
}
