package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"switchboard/testsupport"
)

// burstLogins sends one login per email at once, all with password, and
// returns how many were checked (422: wrong password) and how many were
// refused by the throttle (429).
func burstLogins(t *testing.T, c *testsupport.Client, base, token string, emails []string, password string) (checked, refused int) {
	t.Helper()
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := make(chan struct{})
	statuses := map[int]int{}
	for _, email := range emails {
		wg.Add(1)
		go func() {
			defer wg.Done()
			form := url.Values{"_csrf": {token}, "email": {email}, "password": {password}}.Encode()
			req, _ := http.NewRequest("POST", base+"/login", strings.NewReader(form))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			<-start
			resp, err := c.HTTP.Do(req)
			status := -1
			if err == nil {
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
	if n := len(emails) - statuses[http.StatusUnprocessableEntity] - statuses[http.StatusTooManyRequests]; n != 0 {
		t.Fatalf("%d logins answered neither 422 nor 429: %v", n, statuses)
	}
	return statuses[http.StatusUnprocessableEntity], statuses[http.StatusTooManyRequests]
}

func countAudit(t *testing.T, srv *testsupport.Server, action string) int {
	t.Helper()
	var n int
	if err := srv.App.DB.NewRaw("SELECT COUNT(*) FROM audit_log WHERE action = ?", action).Scan(t.Context(), &n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestLoginThrottleHoldsUnderParallelAttempts: a burst of wrong passwords
// for one account gets exactly the free failures checked and the rest
// refused without a check; then the right password is refused too.
func TestLoginThrottleHoldsUnderParallelAttempts(t *testing.T) {
	srv := startIdentity(t, testsupport.SQLiteURL(t))
	srv.App.Throttle.SetDelays(time.Hour, time.Hour) // no delay can run out during the burst
	testsupport.Seed(t, srv.App.Store, "acme", "owner@acme.test", "owner")
	c := srv.NewClient(t)
	tok := c.CSRF("/login")
	emails := make([]string, 30)
	for i := range emails {
		emails[i] = "owner@acme.test"
	}
	checked, refused := burstLogins(t, c, srv.URL, tok, emails, "wrong-password")
	free := srv.App.Throttle.FreeAccount
	if checked != free || refused != len(emails)-free {
		t.Fatalf("of %d parallel wrong passwords %d were checked and %d refused, want %d and %d", len(emails), checked, refused, free, len(emails)-free)
	}
	if n := countAudit(t, srv, "login_failed"); n != free {
		t.Fatalf("audit log holds %d failed logins, want %d", n, free)
	}
	r := c.PostForm("/login", url.Values{"_csrf": {tok}, "email": {"owner@acme.test"}, "password": {testsupport.Password}})
	if r.StatusCode != http.StatusTooManyRequests || r.Header.Get("Retry-After") == "" {
		t.Fatalf("the right password while throttled = %d (Retry-After %q), want 429", r.StatusCode, r.Header.Get("Retry-After"))
	}
}

// TestLoginAddressThrottleHoldsUnderParallelAttempts: one address trying
// 40 accounts at once gets the address's free failures checked, no more.
func TestLoginAddressThrottleHoldsUnderParallelAttempts(t *testing.T) {
	srv := startIdentity(t, testsupport.SQLiteURL(t))
	srv.App.Throttle.SetDelays(time.Hour, time.Hour)
	testsupport.Seed(t, srv.App.Store, "acme", "owner@acme.test", "owner")
	c := srv.NewClient(t)
	tok := c.CSRF("/login")
	emails := make([]string, 40)
	for i := range emails {
		emails[i] = fmt.Sprintf("guess%02d@acme.test", i)
	}
	checked, refused := burstLogins(t, c, srv.URL, tok, emails, "wrong-password")
	free := srv.App.Throttle.FreeAddress
	if checked != free || refused != len(emails)-free {
		t.Fatalf("of %d parallel logins from one address %d were checked and %d refused, want %d and %d", len(emails), checked, refused, free, len(emails)-free)
	}
	if n := countAudit(t, srv, "login_throttled"); n != len(emails)-free {
		t.Fatalf("audit log holds %d throttled logins, want %d", n, len(emails)-free)
	}
	r := c.PostForm("/login", url.Values{"_csrf": {tok}, "email": {"owner@acme.test"}, "password": {testsupport.Password}})
	if r.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("the right password from the throttled address = %d, want 429", r.StatusCode)
	}
}
