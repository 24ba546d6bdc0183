// Package e2e holds the browser tests: the real app on a loopback listener,
// driven by headless Chromium through chromedp. They skip when no Chromium
// is installed, unless SWITCHBOARD_REQUIRE_BROWSER=1 makes that a failure.
package e2e
