package executor

import (
	"math"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// backoff returns the wait before retry number attempt (1-based) with
// exponential growth and full jitter: a uniform random duration in
// [0, min(max, initial·2^(attempt-1))].
func backoff(attempt int, initial, maxDelay time.Duration) time.Duration {
	if initial <= 0 {
		initial = 200 * time.Millisecond
	}
	if maxDelay <= 0 {
		maxDelay = 10 * time.Second
	}
	ceil := initial << min(attempt-1, 30)
	if ceil <= 0 || ceil > maxDelay {
		ceil = maxDelay
	}
	return time.Duration(rand.Int64N(int64(ceil) + 1))
}

// maxWait is the longest wait a time.Duration holds; a longer Retry-After
// (1e30, Inf) is read as this, not as the overflowed, negative value the
// conversion would give (which meant retrying at once).
const maxWait = time.Duration(math.MaxInt64)

// retryAfter parses a Retry-After header (delta seconds or an HTTP date).
func retryAfter(h http.Header, name string, now time.Time) (time.Duration, bool) {
	if name == "" {
		name = "Retry-After"
	}
	v := strings.TrimSpace(h.Get(name))
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseFloat(v, 64); err == nil && secs >= 0 {
		if secs >= maxWait.Seconds() {
			return maxWait, true
		}
		return time.Duration(secs * float64(time.Second)), true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := t.Sub(now)
		if d < 0 {
			d = 0
		}
		return d, true
	}
	return 0, false
}
