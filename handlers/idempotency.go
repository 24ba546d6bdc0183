package handlers

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"switchboard/apperr"
	"switchboard/models"
)

// idempotencyTTL is how long an Idempotency-Key is remembered.
const idempotencyTTL = 24 * time.Hour

// captureWriter keeps a copy of what a handler writes.
type captureWriter struct {
	http.ResponseWriter
	buf bytes.Buffer
}

func (w *captureWriter) Write(b []byte) (int, error) {
	w.buf.Write(b)
	return w.ResponseWriter.Write(b)
}

// idempotent makes writes that carry an Idempotency-Key safe to repeat: the
// same key and body replays the first answer; another body under the same
// key, or a request still running under it, is refused with 409. Keys are
// per organization and kept 24 hours. A server error releases the key so
// that the client may retry.
func idempotent(store *models.Store) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			key := c.Request().Header.Get("Idempotency-Key")
			if key == "" {
				return next(c)
			}
			if len(key) > 200 {
				return apperr.New(apperr.CodeInvalidRequest, "Idempotency-Key must be at most 200 characters")
			}
			req := c.Request()
			body, err := io.ReadAll(req.Body)
			if err != nil {
				return jsonError(err)
			}
			req.Body = io.NopCloser(bytes.NewReader(body))
			sum := sha256.New()
			io.WriteString(sum, req.Method+" "+req.URL.Path+"?"+req.URL.RawQuery+"\n")
			sum.Write(body)
			hash := hex.EncodeToString(sum.Sum(nil))
			t := store.Tenant(currentPrincipal(c).Org.ID)
			prev, err := t.BeginIdempotent(req.Context(), key, hash, idempotencyTTL)
			if err != nil {
				return err
			}
			if prev != nil {
				c.Response().Header().Set("Idempotent-Replayed", "true")
				return c.Blob(prev.ResponseStatus, echo.MIMEApplicationJSONCharsetUTF8, []byte(prev.ResponseBody))
			}
			cw := &captureWriter{ResponseWriter: c.Response().Writer}
			c.Response().Writer = cw
			herr := next(c)
			status := c.Response().Status
			if herr != nil {
				status = errorStatus(herr)
			}
			bg := context.WithoutCancel(req.Context())
			if herr != nil && status >= 500 || !c.Response().Committed && herr == nil {
				_ = t.ReleaseIdempotent(bg, key)
				return herr
			}
			if herr != nil {
				// 4xx answers are deterministic: store the problem document
				// the error handler is about to write.
				c.Error(herr)
				status = c.Response().Status
			}
			if err := t.FinishIdempotent(bg, key, status, cw.buf.String()); err != nil {
				return err
			}
			return nil
		}
	}
}
