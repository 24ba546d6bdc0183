// Package idempotency makes JSON API writes that carry an Idempotency-Key
// safe to repeat: the same key and body replays the first answer; another
// body under the same key is refused with 409. A request sent again while
// the first still runs waits for it and replays its answer, in any process
// sharing the database. Keys are per organization and kept 24 hours.
//
// The write's transaction claims the key's row as its first statement
// (models.ClaimIdempotencyKey, through the request context) and stores the
// answer as its last (the handler hands AnswerStep to the write path), so
// a concurrent duplicate blocks on the claimed row and then replays, a
// process that dies after the commit leaves a replayable answer and one
// that dies before it leaves the key free: no key is ever stuck. A server
// error, or a slot found taken, stores nothing, so the client may retry.
package idempotency

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"switchboard/apperr"
	"switchboard/models"
	"switchboard/web"
	"switchboard/web/problem"
	"switchboard/web/session"
)

// TTL is how long an Idempotency-Key is remembered.
const TTL = 24 * time.Hour

// claimKey is where Middleware leaves the request's claim in the echo
// context for the handler's write (AnswerStep).
const claimKey = "switchboard.idempotency"

// claim is the Idempotency-Key of the request being served.
type claim struct {
	key, hash string
	// status and body are the answer the write stored in its
	// transaction (empty until then).
	status int
	body   string
}

// captureWriter keeps a copy of what a handler writes.
type captureWriter struct {
	http.ResponseWriter
	buf bytes.Buffer
}

func (w *captureWriter) Write(b []byte) (int, error) {
	w.buf.Write(b)
	return w.ResponseWriter.Write(b)
}

// inFlight holds the keys this process is serving, so that a second
// request under a key still running here waits for the first (and then
// replays its answer) without holding a database connection meanwhile.
// Other processes' requests wait in the database instead.
type inFlight struct {
	mu   sync.Mutex
	keys map[string]chan struct{}
}

// take waits until no request of this process serves k, then takes it;
// it fails only when ctx ends first.
func (f *inFlight) take(ctx context.Context, k string) error {
	for {
		f.mu.Lock()
		done, busy := f.keys[k]
		if !busy {
			f.keys[k] = make(chan struct{})
			f.mu.Unlock()
			return nil
		}
		f.mu.Unlock()
		select {
		case <-done:
		case <-ctx.Done():
			return apperr.New(apperr.CodeConflict, "a request with this Idempotency-Key is still running; retry it in a moment")
		}
	}
}

func (f *inFlight) release(k string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	close(f.keys[k])
	delete(f.keys, k)
}

// Middleware is the Idempotency-Key middleware of the JSON API's writes,
// over the store's idempotency_keys.
func Middleware(store *models.Store) echo.MiddlewareFunc {
	running := &inFlight{keys: map[string]chan struct{}{}}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			key := c.Request().Header.Get("Idempotency-Key")
			if key == "" {
				return next(c)
			}
			if len(key) > 200 {
				return web.FieldError(apperr.CodeInvalidRequest, "Idempotency-Key", "must be at most 200 characters")
			}
			hash, err := requestHash(c.Request())
			if err != nil {
				return err
			}
			orgID := session.OrgID(c)
			t := store.Tenant(orgID)
			slot := strconv.FormatInt(orgID, 10) + "\x00" + key
			if err := running.take(c.Request().Context(), slot); err != nil {
				return err
			}
			defer running.release(slot)
			if replayed, err := replay(c, t, key, hash); replayed || err != nil {
				return err
			}
			cl := &claim{key: key, hash: hash}
			c.Set(claimKey, cl)
			c.SetRequest(c.Request().WithContext(models.WithIdempotencyClaim(c.Request().Context(), key, hash, TTL)))
			cw := &captureWriter{ResponseWriter: c.Response().Writer}
			c.Response().Writer = cw
			return finish(c, t, cl, cw, next(c))
		}
	}
}

// requestHash reads the body (putting it back) and hashes it with the
// method, path and query, which together are "the same request".
func requestHash(req *http.Request) (string, error) {
	body, err := io.ReadAll(req.Body)
	if err != nil {
		return "", web.JSONError(err)
	}
	req.Body = io.NopCloser(bytes.NewReader(body))
	sum := sha256.New()
	io.WriteString(sum, req.Method+" "+req.URL.Path+"?"+req.URL.RawQuery+"\n")
	sum.Write(canonicalJSON(body))
	return hex.EncodeToString(sum.Sum(nil)), nil
}

// canonicalJSON is the body as compared for "the same body": a JSON body
// re-encoded with its object keys sorted and no whitespace, numbers kept as
// written; a body that is not JSON is compared byte for byte.
func canonicalJSON(body []byte) []byte {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil || dec.More() {
		return body
	}
	if _, err := dec.Token(); err != io.EOF {
		return body
	}
	out, err := json.Marshal(v)
	if err != nil {
		return body
	}
	return out
}

// replay answers with the answer stored under key, when there is one, and
// reports whether it did.
func replay(c echo.Context, t *models.Tenant, key, hash string) (bool, error) {
	prev, err := t.IdempotentAnswer(c.Request().Context(), key, hash)
	if err != nil || prev == nil {
		return err != nil, err
	}
	mime := echo.MIMEApplicationJSON
	if prev.ResponseStatus >= 400 {
		mime = "application/problem+json"
	}
	c.Response().Header().Set("Idempotent-Replayed", "true")
	return true, c.Blob(prev.ResponseStatus, mime, []byte(prev.ResponseBody))
}

// finish keeps the answer the handler sent, when it differs from what its
// write stored, and deterministic refusals (4xx) too.
func finish(c echo.Context, t *models.Tenant, cl *claim, cw *captureWriter, herr error) error {
	if errors.Is(herr, models.ErrIdempotencyKeyAnswered) {
		// Another process answered this key first: replay its answer.
		if replayed, err := replay(c, t, cl.key, cl.hash); replayed || err != nil {
			return err
		}
		return herr
	}
	status := c.Response().Status
	if herr != nil {
		status = problem.StatusOf(herr)
	}
	bg := context.WithoutCancel(c.Request().Context())
	switch {
	case herr == nil && !c.Response().Committed, status >= 500, apperr.Code(herr) == apperr.CodeSlotTaken:
		// Nothing was answered, or the failure may pass (a taken slot
		// frees when its appointment is cancelled or moved): a write that
		// committed keeps the answer it stored, one that did not leaves
		// the key free.
		return herr
	case herr != nil:
		// The error handler writes the problem document now, so that it
		// can be kept; an answer the write stored wins over it.
		c.Error(herr)
		return t.StoreIdempotentAnswer(bg, cl.key, cl.hash, TTL, c.Response().Status, cw.buf.String(), false)
	case cl.status == status && cl.body == cw.buf.String():
		return nil // the answer sent is the one stored with the write
	default:
		return t.StoreIdempotentAnswer(bg, cl.key, cl.hash, TTL, status, cw.buf.String(), true)
	}
}
