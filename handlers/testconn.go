package handlers

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"switchboard/apperr"
	"switchboard/integrations/executor"
	"switchboard/models"
	"switchboard/views/pages"
)

// TestConnection runs integrations' test functions (SPEC §4).
type TestConnection struct {
	store *models.Store
	exec  *executor.Executor
	creds *CredentialAPI
	calls *ExecuteHandler
}

// NewTestConnection returns a TestConnection.
func NewTestConnection(store *models.Store, exec *executor.Executor, creds *CredentialAPI, calls *ExecuteHandler) *TestConnection {
	return &TestConnection{store: store, exec: exec, creds: creds, calls: calls}
}

type testRequest struct {
	CredentialID int64             `json:"credential_id"`
	Integration  string            `json:"integration"`
	Environment  string            `json:"environment"`
	Fields       map[string]string `json:"fields"`
}

// TestResult is the answer of a Test Connection.
type TestResult struct {
	OK           bool       `json:"ok"`
	Status       int        `json:"status"`
	Message      string     `json:"message"`
	DurationMS   int64      `json:"duration_ms"`
	Function     string     `json:"function"`
	CredentialID int64      `json:"credential_id,omitempty"`
	TestedAt     *time.Time `json:"last_tested_at,omitempty"`
}

// API handles POST /api/admin/api-credentials/test. It answers 200
// whenever the test ran; ok says how it went.
func (h *TestConnection) API(c echo.Context) error {
	var req testRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	res, err := h.run(c, req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}

// Page handles POST /integrations/:id/credentials/:env/test: the htmx
// button's answer, a ✓ or ✗ line.
func (h *TestConnection) Page(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	p := currentPrincipal(c)
	in, err := h.store.Tenant(p.Org.ID).Integration(c.Request().Context(), id)
	if err != nil {
		return err
	}
	res, err := h.run(c, testRequest{Integration: in.Slug, Environment: c.Param("env")})
	if e, ok := apperr.As(err); ok && e.Code != apperr.CodeInternal {
		return render(c, http.StatusOK, pages.TestResult(pages.TestOutcome{OK: false, Message: e.Message}))
	}
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, pages.TestResult(pages.TestOutcome{OK: res.OK, Status: res.Status, Message: res.Message,
		DurationMS: res.DurationMS, Function: res.Function}))
}

// run resolves what to test, runs the integration's test function and
// records the outcome on the saved credential when one was used.
func (h *TestConnection) run(c echo.Context, req testRequest) (*TestResult, error) {
	p := currentPrincipal(c)
	ctx := c.Request().Context()
	t := h.store.Tenant(p.Org.ID)
	var in *models.Integration
	var cred *models.Credential
	var err error
	if req.CredentialID != 0 {
		if cred, err = t.Credential(ctx, req.CredentialID); err != nil {
			return nil, err
		}
		if in, err = t.Integration(ctx, cred.IntegrationID); err != nil {
			return nil, err
		}
		req.Environment = cred.Environment
	} else {
		if req.Integration == "" {
			return nil, apperr.Validation(apperr.FieldError{Field: "credential_id", Message: "give a credential_id, or an integration with fields"})
		}
		if in, err = t.IntegrationBySlug(ctx, req.Integration); apperr.IsNotFound(err) {
			return nil, apperr.Validation(apperr.FieldError{Field: "integration", Message: fmt.Sprintf("no integration %q in this organization", req.Integration)})
		} else if err != nil {
			return nil, err
		}
		if req.Environment, err = environmentOf(req.Environment); err != nil {
			return nil, err
		}
		if cred, err = t.CredentialFor(ctx, in.ID, req.Environment); err != nil && !apperr.IsNotFound(err) {
			return nil, err
		}
	}
	if in.TestFunction == "" {
		return nil, apperr.Validation(apperr.FieldError{Field: "integration", Message: in.Slug + " has no test_function in its definition"})
	}
	xreq := executor.Request{OrgID: p.Org.ID, Provider: in.Slug, Function: in.TestFunction, Environment: req.Environment, Params: map[string]any{}}
	usesSaved := len(req.Fields) == 0
	if !usesSaved {
		// Unsaved fields, completed by the saved ones for what is left out.
		fields := map[string]string{}
		if cred != nil {
			if saved, err := h.creds.vault.Open(cred); err == nil {
				fields = saved
			}
		}
		for k, v := range req.Fields {
			if v != "" {
				fields[k] = v
			}
		}
		xreq.Fields = fields
	}
	start := time.Now()
	res, xerr := h.exec.Execute(ctx, xreq)
	defer res.Release()
	took := time.Since(start)
	h.calls.record(c, p, in.Slug, in.TestFunction, req.Environment, res, xerr, took)
	out := &TestResult{OK: xerr == nil, Function: in.TestFunction, DurationMS: took.Milliseconds()}
	if res != nil {
		out.Status = res.UpstreamStatus
	}
	if xerr != nil {
		e, ok := apperr.As(xerr)
		if !ok || e.Code == apperr.CodeInternal {
			return nil, xerr
		}
		out.Message = e.Message
		if s, ok := e.Extra["upstream_status"].(int); ok && out.Status == 0 {
			out.Status = s
		}
	} else {
		out.Message = fmt.Sprintf("Connected: %s answered %d in %d ms", in.TestFunction, out.Status, out.DurationMS)
	}
	if usesSaved && cred != nil {
		out.CredentialID = cred.ID
		if err := t.RecordCredentialTest(context.WithoutCancel(ctx), cred.ID, out.OK, out.Message); err != nil {
			return nil, err
		}
		now := time.Now().UTC()
		out.TestedAt = &now
	}
	return out, nil
}
