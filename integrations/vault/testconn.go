package vault

import (
	"context"
	"fmt"
	"time"

	"switchboard/apperr"
	"switchboard/integrations/definition"
	"switchboard/integrations/executor"
	"switchboard/models"
)

// TestInput says what to test: a saved credential, or an integration (by
// id or slug) in an environment, optionally with unsaved fields to try.
type TestInput struct {
	CredentialID  int64
	IntegrationID int64
	Integration   string
	Environment   string
	Fields        map[string]string
	// Caller names who asks, for the call log (the executor reports the
	// call).
	Caller string
}

// TestResult is how a test went. CredentialID and TestedAt are set when a
// saved credential was tested and its last test recorded.
type TestResult struct {
	OK           bool
	Status       int
	Message      string
	Duration     time.Duration
	Function     string
	CredentialID int64
	TestedAt     *time.Time
}

// Test runs the integration's test_function with the saved fields, or the
// unsaved ones completed by the saved ones, and records the outcome on the
// saved credential when its fields were used. An upstream failure is a
// result whose OK is false, not an error.
func (s *Credentials) Test(ctx context.Context, orgID int64, in TestInput) (*TestResult, error) {
	t := s.store.Tenant(orgID)
	integ, cred, env, err := s.testTarget(ctx, t, in)
	if err != nil {
		return nil, err
	}
	if integ.TestFunction == "" {
		return nil, apperr.Validation(apperr.FieldError{Field: "integration", Message: integ.Slug + " has no test_function in its definition"})
	}
	org, err := t.Organization(ctx)
	if err != nil {
		return nil, err
	}
	req := executor.Request{OrgID: orgID, Provider: integ.Slug, Function: integ.TestFunction, Environment: env, Params: map[string]any{},
		Zone: org.Zone().Location()}
	usesSaved := len(in.Fields) == 0
	if !usesSaved {
		req.Fields = s.tryFields(cred, in.Fields)
	}
	req.Caller = in.Caller
	out, err := s.runTest(ctx, req)
	if err != nil || !usesSaved || cred == nil {
		return out, err
	}
	out.CredentialID = cred.ID
	if err := t.RecordCredentialTest(context.WithoutCancel(ctx), cred.ID, out.OK, out.Message); err != nil {
		return nil, err
	}
	now := time.Now().UTC()
	out.TestedAt = &now
	return out, nil
}

// testTarget resolves the integration, the saved credential (nil when
// none) and the environment a test is about.
func (s *Credentials) testTarget(ctx context.Context, t *models.Tenant, in TestInput) (*models.Integration, *models.Credential, string, error) {
	if in.CredentialID != 0 {
		cred, err := t.Credential(ctx, in.CredentialID)
		if err != nil {
			return nil, nil, "", err
		}
		integ, err := t.Integration(ctx, cred.IntegrationID)
		return integ, cred, cred.Environment, err
	}
	var integ *models.Integration
	var err error
	switch {
	case in.IntegrationID != 0:
		integ, err = t.Integration(ctx, in.IntegrationID)
	case in.Integration == "":
		err = apperr.Validation(apperr.FieldError{Field: "credential_id", Message: "give a credential_id, or an integration with fields"})
	default:
		integ, err = integrationBySlug(ctx, t, in.Integration)
	}
	if err != nil {
		return nil, nil, "", err
	}
	env, err := testEnvironment(in.Environment)
	if err != nil {
		return nil, nil, "", err
	}
	cred, err := t.CredentialFor(ctx, integ.ID, env)
	if apperr.IsNotFound(err) {
		return integ, nil, env, nil
	}
	return integ, cred, env, err
}

// testEnvironment defaults env to production and refuses anything but
// production and sandbox.
func testEnvironment(env string) (string, error) {
	if env == "" {
		return definition.EnvProduction, nil
	}
	if !definition.IsEnvironment(env) {
		return "", &apperr.Error{Code: apperr.CodeInvalidRequest, Message: "environment must be production or sandbox",
			Fields: []apperr.FieldError{{Field: "environment", Message: "must be one of production, sandbox"}}}
	}
	return env, nil
}

// tryFields returns the unsaved fields sent, completed by the saved ones
// for what they leave out.
func (s *Credentials) tryFields(cred *models.Credential, sent map[string]string) map[string]string {
	fields := map[string]string{}
	if cred != nil {
		if saved, err := s.vault.Open(cred); err == nil {
			fields = saved
		}
	}
	for k, v := range sent {
		if v != "" {
			fields[k] = v
		}
	}
	return fields
}

// runTest executes req and words the outcome. Only an internal failure is
// an error.
func (s *Credentials) runTest(ctx context.Context, req executor.Request) (*TestResult, error) {
	start := time.Now()
	res, xerr := s.exec.Execute(ctx, req)
	defer res.Release()
	took := time.Since(start)
	out := &TestResult{OK: xerr == nil, Function: req.Function, Duration: took}
	if res != nil {
		out.Status = res.UpstreamStatus
	}
	if xerr == nil {
		out.Message = fmt.Sprintf("Connected: %s answered %d in %d ms", req.Function, out.Status, took.Milliseconds())
		return out, nil
	}
	e, ok := apperr.As(xerr)
	if !ok || e.Code == apperr.CodeInternal {
		return nil, xerr
	}
	out.Message = e.Message
	if out.Status == 0 {
		out.Status = e.UpstreamStatus()
	}
	return out, nil
}
