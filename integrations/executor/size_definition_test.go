package executor

import (
	"testing"
)

func TestMaxResponseBytesLowersTheCap(t *testing.T) {
	h := newHarness(t)
	up := newUpstream(t, sized("application/json", jsonOfSize(1500), false))
	xmlUp := newUpstream(t, sized("text/xml; charset=utf-8", xmlOfSize(1500), true))
	for _, tc := range []struct {
		name        string
		base        string
		integration *int64
		endpoint    *int64
		wantLimit   int64 // 0: the call succeeds
	}{
		{"IntegrationLowersIt", up.URL, new(int64(1000)), nil, 1000},
		{"EndpointLowersIt", up.URL, nil, new(int64(1499)), 1499},
		{"EndpointOverridesTheIntegration", up.URL, new(int64(1000)), new(int64(2000)), 0},
		{"JustEnough", up.URL, new(int64(1500)), nil, 0},
		{"XMLIntegrationLowersIt", xmlUp.URL, new(int64(1000)), nil, 1000},
		{"XMLJustEnough", xmlUp.URL, nil, new(int64(1500)), 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ep := get("List", "/list")
			ep.MaxResponseBytes = tc.endpoint
			doc := newDoc(tc.base, ep)
			doc.MaxResponseBytes = tc.integration
			slug := h.add(doc)
			res, err := h.run(slug, "List", nil)
			if tc.wantLimit > 0 {
				wantTooLarge(t, err, tc.wantLimit)
				return
			}
			ok(t)(res, err)
			defer res.Release()
			if res.Data == nil {
				t.Errorf("no data from a %d-byte answer", 1500)
			}
		})
	}
}

func TestMaxResponseBytesNeverRaisesTheExecutorsCap(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.MaxResponseBytes = 1000 })
	up := newUpstream(t, sized("application/json", jsonOfSize(1500), false))
	ep := get("List", "/list")
	ep.MaxResponseBytes = new(int64(1 << 40))
	slug := h.add(newDoc(up.URL, ep))
	_, err := h.run(slug, "List", nil)
	wantTooLarge(t, err, 1000)
}
