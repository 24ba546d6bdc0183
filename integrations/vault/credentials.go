package vault

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"switchboard/apperr"
	"switchboard/integrations/definition"
	"switchboard/integrations/executor"
	"switchboard/integrations/registry"
	"switchboard/models"
)

// Credentials is the credentials service: it checks fields against the
// integration's credential_fields, seals and saves them per environment,
// answers them masked, deletes them and runs Test Connection. Every change
// is told to the Source, so that the executor's cached fields follow.
type Credentials struct {
	store  *models.Store
	reg    *registry.Registry
	vault  *Vault
	source *Source
	exec   *executor.Executor
}

// CredentialsConfig is what the credentials service needs.
type CredentialsConfig struct {
	Store    *models.Store
	Registry *registry.Registry
	Vault    *Vault
	Source   *Source
	// Executor runs the test functions of Test Connection (and reports
	// their calls to the call log).
	Executor *executor.Executor
}

// NewCredentials returns the credentials service.
func NewCredentials(cfg CredentialsConfig) *Credentials {
	return &Credentials{store: cfg.Store, reg: cfg.Registry, vault: cfg.Vault, source: cfg.Source, exec: cfg.Executor}
}

// CredentialInput is a set of credential fields to save for an integration
// (by slug) in an environment (production when empty).
type CredentialInput struct {
	Integration string
	Environment string
	Fields      map[string]string
}

// CredentialView is a saved credential as it may be shown: its values
// masked, and the definition's credential_fields it still lacks.
type CredentialView struct {
	Credential    *models.Credential
	Integration   *models.Integration
	Masked        map[string]string
	MissingFields []string
	// Schema is the definition's credential fields (name, label, help,
	// secret), in order.
	Schema []definition.CredentialField
}

// Saved is the outcome of a save: the credential, and the names (never the
// values) of the fields the caller changed, for the audit log.
type Saved struct {
	CredentialView
	Changed []string
}

// List returns the organization's credentials, masked.
func (s *Credentials) List(ctx context.Context, orgID int64) ([]CredentialView, error) {
	cs, err := s.store.Tenant(orgID).Credentials(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]CredentialView, 0, len(cs))
	for i := range cs {
		v, err := s.view(ctx, orgID, &cs[i])
		if err != nil {
			return nil, err
		}
		out = append(out, *v)
	}
	return out, nil
}

// Get returns one credential, masked.
func (s *Credentials) Get(ctx context.Context, orgID, id int64) (*CredentialView, error) {
	cred, err := s.store.Tenant(orgID).Credential(ctx, id)
	if err != nil {
		return nil, err
	}
	return s.view(ctx, orgID, cred)
}

// Create saves new credentials; an integration that has credentials in
// that environment already is a conflict.
func (s *Credentials) Create(ctx context.Context, orgID int64, in CredentialInput) (*Saved, error) {
	return s.save(ctx, orgID, in, false)
}

// Update replaces the fields sent of credential id; fields left out or
// blank keep their values.
func (s *Credentials) Update(ctx context.Context, orgID, id int64, fields map[string]string) (*Saved, error) {
	t := s.store.Tenant(orgID)
	cur, err := t.Credential(ctx, id)
	if err != nil {
		return nil, err
	}
	in, err := t.Integration(ctx, cur.IntegrationID)
	if err != nil {
		return nil, err
	}
	return s.save(ctx, orgID, CredentialInput{Integration: in.Slug, Environment: cur.Environment, Fields: fields}, true)
}

// Put saves an integration's credentials in env, creating them or
// replacing the fields sent (blank ones keep their values).
func (s *Credentials) Put(ctx context.Context, orgID, integrationID int64, env string, fields map[string]string) (*Saved, error) {
	in, err := s.store.Tenant(orgID).Integration(ctx, integrationID)
	if err != nil {
		return nil, err
	}
	return s.save(ctx, orgID, CredentialInput{Integration: in.Slug, Environment: env, Fields: fields}, true)
}

// Delete deletes credential id and returns what it was.
func (s *Credentials) Delete(ctx context.Context, orgID, id int64) (*models.Credential, error) {
	t := s.store.Tenant(orgID)
	cred, err := t.Credential(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := t.DeleteCredential(ctx, id); err != nil {
		return nil, err
	}
	s.source.Invalidate(cred.OrganizationID, cred.IntegrationID)
	return cred, nil
}

// view masks cred and lists the credential fields it lacks.
func (s *Credentials) view(ctx context.Context, orgID int64, cred *models.Credential) (*CredentialView, error) {
	doc, rows, err := s.reg.Load(ctx, orgID, cred.IntegrationID)
	if err != nil {
		return nil, err
	}
	return s.viewWith(doc, &rows.Integration, cred)
}

func (s *Credentials) viewWith(doc *definition.Document, in *models.Integration, cred *models.Credential) (*CredentialView, error) {
	masked, err := s.vault.Masked(cred)
	if err != nil {
		return nil, apperr.Wrap(err, apperr.CodeInternal, "the stored credential cannot be decrypted")
	}
	v := &CredentialView{Credential: cred, Integration: in, Masked: masked, MissingFields: []string{}, Schema: doc.CredentialFields}
	for _, f := range doc.CredentialNames() {
		if _, ok := masked[f]; !ok {
			v.MissingFields = append(v.MissingFields, f)
		}
	}
	return v, nil
}

// IntegrationCredentials are an integration's credentials in each of the
// environments its definition has a base URL for.
type IntegrationCredentials struct {
	Integration models.Integration
	// Fields are the definition's credential_fields (names, labels, help,
	// secret), in order.
	Fields []definition.CredentialField
	// CanTest says whether the definition has a test_function.
	CanTest bool
	// Connect says whether the credential is connected with OAuth
	// (oauth2_authorization_code): a Connect button instead of a token
	// field.
	Connect bool
	Envs    []EnvCredentials
}

// EnvCredentials is one environment's saved credential (nil when none).
type EnvCredentials struct {
	Environment string
	Saved       *CredentialView
	// Source is whose credential a call uses: practice, platform or none.
	Source string
}

// ForIntegration returns the credentials of integration id: production,
// and sandbox when the definition has a sandbox base URL.
func (s *Credentials) ForIntegration(ctx context.Context, orgID, id int64) (*IntegrationCredentials, error) {
	doc, rows, err := s.reg.Load(ctx, orgID, id)
	if err != nil {
		return nil, err
	}
	out := &IntegrationCredentials{Integration: rows.Integration, Fields: doc.CredentialFields, CanTest: doc.TestFunction != "",
		Connect: doc.Auth.Type == definition.AuthOAuth2AuthorizationCode}
	envs := []string{definition.EnvProduction}
	if doc.BaseURL[definition.EnvSandbox] != "" {
		envs = append(envs, definition.EnvSandbox)
	}
	t := s.store.Tenant(orgID)
	for _, env := range envs {
		ec := EnvCredentials{Environment: env, Source: SourceNone}
		cred, err := t.CredentialFor(ctx, id, env)
		switch {
		case err == nil:
			if ec.Saved, err = s.viewWith(doc, &out.Integration, cred); err != nil {
				return nil, err
			}
			ec.Source = SourcePractice
		case !apperr.IsNotFound(err):
			return nil, err
		case s.source != nil && s.source.Platform().Has(rows.Integration.Catalog, env):
			ec.Source = SourcePlatform
		}
		out.Envs = append(out.Envs, ec)
	}
	return out, nil
}

// checkTarget validates the integration and environment of in, defaulting
// the environment to production.
func checkTarget(in *CredentialInput) error {
	var problems []apperr.FieldError
	if in.Integration == "" {
		problems = append(problems, apperr.FieldError{Field: "integration", Message: "is required"})
	}
	if in.Environment == "" {
		in.Environment = definition.EnvProduction
	}
	if !definition.IsEnvironment(in.Environment) {
		problems = append(problems, apperr.FieldError{Field: "environment", Message: "must be one of " + strings.Join(definition.Environments, ", ")})
	}
	if len(problems) > 0 {
		return apperr.Validation(problems...)
	}
	return nil
}

// integrationBySlug finds an integration named by a caller: an unknown slug
// is a mistake in the integration field.
func integrationBySlug(ctx context.Context, t *models.Tenant, slug string) (*models.Integration, error) {
	in, err := t.IntegrationBySlug(ctx, slug)
	if apperr.IsNotFound(err) {
		return nil, apperr.Validation(apperr.FieldError{Field: "integration", Message: fmt.Sprintf("no integration %q in this organization", slug)})
	}
	return in, err
}

// mergeFields lays the sent fields over current: blank ones keep their
// value; unknown and still missing fields are problems.
func mergeFields(doc *definition.Document, slug string, current, sent map[string]string) []apperr.FieldError {
	var problems []apperr.FieldError
	for k, val := range sent {
		if !doc.HasCredential(k) {
			problems = append(problems, apperr.FieldError{Field: "fields." + k, Message: fmt.Sprintf("is not a credential field of %s (expected %s)", slug, strings.Join(doc.CredentialNames(), ", "))})
			continue
		}
		if v := strings.TrimSpace(val); v != "" {
			current[k] = v
		}
	}
	for _, f := range doc.CredentialNames() {
		if current[f] == "" {
			problems = append(problems, apperr.FieldError{Field: "fields." + f, Message: "is required"})
		}
	}
	if len(doc.CredentialFields) == 0 {
		problems = append(problems, apperr.FieldError{Field: "integration", Message: slug + " needs no credentials (its definition lists no credential_fields)"})
	}
	sort.Slice(problems, func(i, j int) bool { return problems[i].Field < problems[j].Field })
	return problems
}

// changedNames lists, sorted, the names of the fields sent with a value.
func changedNames(fields map[string]string) []string {
	var changed []string
	for k, v := range fields {
		if v != "" {
			changed = append(changed, k)
		}
	}
	sort.Strings(changed)
	return changed
}
