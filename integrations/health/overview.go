package health

import (
	"context"
	"slices"
	"time"

	"switchboard/apperr"
	"switchboard/models"
)

// Integration health words of IntegrationDay.State.
const (
	StateHealthy     = "healthy"
	StateDisabled    = "disabled"
	StateNeedsReauth = "needs_reauth"
	StateNoCreds     = "no_credentials"
	StateTestFailed  = "test_failed"
	StateSyncFailing = "sync_failing"
	StateFailing     = "calls_failing"
)

// Overview is everything the dashboard shows: the day's calls (Day), the
// sync deliveries and failures per hour, the queue, the sync lag and the
// rate-limited calls.
type Overview struct {
	*Day
	// Sync is the delivery attempts per hour (Calls) and how many failed
	// (Errors), aligned with Day.Hours.
	Sync           []Count
	Deliveries     int
	DeliveryFailed int
	Queue          models.SyncQueue
	// LagP50 and LagP95 are the sync lag (creation to delivery) of the
	// jobs synced in the period; LagJobs how many there were.
	LagP50, LagP95 time.Duration
	LagJobs        int
	RateLimited    int
}

// Dashboard gathers the Overview of the hours hours up to now.
func (s *Service) Dashboard(ctx context.Context, orgID int64, now time.Time, hours int) (*Overview, error) {
	day, err := s.Today(ctx, orgID, now, hours)
	if err != nil {
		return nil, err
	}
	o := &Overview{Day: day, Sync: make([]Count, hours)}
	t := s.store.Tenant(orgID)
	if err := s.addSync(ctx, t, o); err != nil {
		return nil, err
	}
	codes, err := t.CallCodesSince(ctx, day.Since)
	if err != nil {
		return nil, err
	}
	o.RateLimited = codes[apperr.CodeRateLimited]
	return o, s.addStates(ctx, t, o)
}

// addSync counts the deliveries per hour, the queue and the lag.
func (s *Service) addSync(ctx context.Context, t *models.Tenant, o *Overview) error {
	hours, err := t.SyncAttemptsPerHour(ctx, o.Since, len(o.Sync))
	if err != nil {
		return err
	}
	for _, h := range hours {
		o.Deliveries, o.DeliveryFailed = o.Deliveries+h.Attempts, o.DeliveryFailed+h.Failed
		if h.Hour >= 0 && h.Hour < len(o.Sync) {
			o.Sync[h.Hour] = Count{Calls: h.Attempts, Errors: h.Failed}
		}
	}
	if o.Queue, err = t.WaitingSyncJobs(ctx); err != nil {
		return err
	}
	lags, err := t.SyncLags(ctx, o.Since)
	if err != nil {
		return err
	}
	o.LagJobs = len(lags)
	o.LagP50, o.LagP95 = Percentile(lags, 50), Percentile(lags, 95)
	return nil
}

// Percentile is the p-th percentile (nearest rank) of ds, 0 when empty.
func Percentile(ds []time.Duration, p int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	rank := (p*len(s) + 99) / 100
	return s[min(max(rank, 1), len(s))-1]
}

// addStates sets each integration's health from its credentials, its
// sync and its calls.
func (s *Service) addStates(ctx context.Context, t *models.Tenant, o *Overview) error {
	open, err := t.OpenSyncJobsByIntegration(ctx)
	if err != nil {
		return err
	}
	for i := range o.Integrations {
		in := &o.Integrations[i]
		in.OpenSyncErrors = open[in.ID]
		full, err := t.Integration(ctx, in.ID)
		if err != nil {
			return err
		}
		creds, err := s.credentialStatus(ctx, t, full)
		if err != nil {
			return err
		}
		sync, err := syncStatus(ctx, t, in.ID)
		if err != nil {
			return err
		}
		in.State = state(in, full.AuthType, creds, sync)
	}
	return nil
}

// state is one integration's health word, the worst that applies.
func state(in *IntegrationDay, authType string, creds map[string]CredentialStatus, sync *SyncStatus) string {
	cred, hasCred := creds["production"]
	if !hasCred {
		for _, c := range creds {
			cred, hasCred = c, true
		}
	}
	switch {
	case !in.Enabled:
		return StateDisabled
	case cred.NeedsReauth:
		return StateNeedsReauth
	case !hasCred && authType != "" && authType != "none":
		return StateNoCreds
	case cred.LastTestOK != nil && !*cred.LastTestOK:
		return StateTestFailed
	case in.OpenSyncErrors > 0 || (sync != nil && sync.Enabled && sync.LastSyncStatus == "error"):
		return StateSyncFailing
	case in.Count.Calls > 0 && in.Count.Errors*10 > in.Count.Calls:
		return StateFailing
	}
	return StateHealthy
}
