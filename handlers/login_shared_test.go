package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"switchboard/testsupport"
)

// TestLoginThrottleSharedAcrossProcesses: two app instances on one
// database (SQLite file or PostgreSQL schema) share the login throttle: a
// burst of wrong passwords for one account, split between them, gets the
// account's 5 free guesses checked in all, not 5 per process.
func TestLoginThrottleSharedAcrossProcesses(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		one := startIdentity(t, dbURL)
		two := startIdentity(t, dbURL)
		testsupport.Seed(t, one.App.Store, "acme", "owner@acme.test", "owner")
		type door struct {
			srv   *testsupport.Server
			c     *testsupport.Client
			token string
		}
		var doors []door
		for _, s := range []*testsupport.Server{one, two} {
			s.App.Throttle.SetDelays(time.Hour, time.Hour) // no delay can run out during the burst
			c := s.NewClient(t)
			doors = append(doors, door{s, c, c.CSRF("/login")})
		}
		var mu sync.Mutex
		var wg sync.WaitGroup
		statuses := map[int]int{}
		start := make(chan struct{})
		for i := range 30 {
			d := doors[i%2]
			wg.Add(1)
			go func() {
				defer wg.Done()
				form := url.Values{"_csrf": {d.token}, "email": {"owner@acme.test"}, "password": {"wrong-password"}}.Encode()
				req, _ := http.NewRequest("POST", d.srv.URL+"/login", strings.NewReader(form))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				<-start
				status := -1
				if resp, err := d.c.HTTP.Do(req); err == nil {
					status = resp.StatusCode
					resp.Body.Close()
				}
				mu.Lock()
				statuses[status]++
				mu.Unlock()
			}()
		}
		close(start)
		wg.Wait()
		free := one.App.Throttle.FreeAccount
		if statuses[http.StatusUnprocessableEntity] != free || statuses[http.StatusTooManyRequests] != 30-free {
			t.Fatalf("30 wrong passwords over two processes answered %v; want %d checked (422) and %d refused (429)", statuses, free, 30-free)
		}
		if n := countAudit(t, one, "login_failed"); n != free {
			t.Fatalf("audit log holds %d failed logins, want %d", n, free)
		}
		r := doors[1].c.PostForm("/login", url.Values{"_csrf": {doors[1].token}, "email": {"owner@acme.test"}, "password": {testsupport.Password}})
		if r.StatusCode != http.StatusTooManyRequests {
			t.Fatalf("the right password on the other process while throttled = %d, want 429", r.StatusCode)
		}
	})
}

// TestLoginThrottleClientAddress: behind a proxy listed in
// SWITCHBOARD_TRUSTED_PROXIES the throttle (and the audit log) key on the
// client X-Forwarded-For names, so one client's failures do not lock out
// another behind the same proxy; without the setting the header is
// ignored and the TCP peer is the client, whatever the header claims.
func TestLoginThrottleClientAddress(t *testing.T) {
	for _, trusted := range []bool{true, false} {
		cfg := testsupport.Config(t, testsupport.SQLiteURL(t))
		if trusted {
			cfg.TrustedProxies = []string{"127.0.0.0/8"}
		}
		srv := testsupport.StartServer(t, cfg)
		srv.App.Throttle.SetDelays(time.Hour, time.Hour)
		srv.App.Throttle.FreeAddress = 3
		testsupport.Seed(t, srv.App.Store, "acme", "owner@acme.test", "owner")
		c := srv.NewClient(t)
		tok := c.CSRF("/login")
		login := func(from, email string) int {
			c.Header.Set("X-Forwarded-For", from)
			return c.PostForm("/login", url.Values{"_csrf": {tok}, "email": {email}, "password": {"wrong-password"}}).StatusCode
		}
		for _, email := range []string{"a@acme.test", "b@acme.test", "c@acme.test"} {
			if s := login("203.0.113.7", email); s != http.StatusUnprocessableEntity {
				t.Fatalf("trusted=%v: guess %s = %d, want 422", trusted, email, s)
			}
		}
		if s := login("203.0.113.7", "d@acme.test"); s != http.StatusTooManyRequests {
			t.Fatalf("trusted=%v: the address's 4th guess = %d, want 429", trusted, s)
		}
		other := login("198.51.100.9", "e@acme.test")
		var ip string
		if err := srv.App.DB.NewRaw("SELECT ip FROM audit_log WHERE action = 'login_failed' ORDER BY id LIMIT 1").Scan(t.Context(), &ip); err != nil {
			t.Fatal(err)
		}
		if trusted && (other != http.StatusUnprocessableEntity || ip != "203.0.113.7") {
			t.Fatalf("via a trusted proxy: another client's guess = %d (want 422), audit address %q (want 203.0.113.7)", other, ip)
		}
		if !trusted && (other != http.StatusTooManyRequests || ip != "127.0.0.1") {
			t.Fatalf("from an untrusted peer: a forged X-Forwarded-For's guess = %d (want 429), audit address %q (want 127.0.0.1)", other, ip)
		}
	}
}
