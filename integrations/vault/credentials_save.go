package vault

import (
	"context"

	"switchboard/apperr"
	"switchboard/models"
)

// save validates in against the integration's credential_fields, lays the
// fields over the saved ones when merge is set, seals them and saves.
func (s *Credentials) save(ctx context.Context, orgID int64, in CredentialInput, merge bool) (*Saved, error) {
	if err := checkTarget(&in); err != nil {
		return nil, err
	}
	t := s.store.Tenant(orgID)
	integ, err := integrationBySlug(ctx, t, in.Integration)
	if err != nil {
		return nil, err
	}
	doc, _, err := s.reg.Load(ctx, orgID, integ.ID)
	if err != nil {
		return nil, err
	}
	cred, fields, err := s.current(ctx, t, integ.ID, in, merge)
	if err != nil {
		return nil, err
	}
	if problems := mergeFields(doc, in.Integration, fields, in.Fields); len(problems) > 0 {
		return nil, apperr.Validation(problems...)
	}
	if cred.Sealed, cred.FieldNames, err = s.vault.Seal(orgID, integ.ID, in.Environment, fields); err != nil {
		return nil, err
	}
	if err := t.SaveCredential(ctx, cred); err != nil {
		return nil, err
	}
	s.source.Invalidate(orgID, integ.ID)
	if cred, err = t.Credential(ctx, cred.ID); err != nil {
		return nil, err
	}
	v, err := s.view(ctx, orgID, cred)
	if err != nil {
		return nil, err
	}
	return &Saved{CredentialView: *v, Changed: changedNames(in.Fields)}, nil
}

// current returns the saved credential of the integration in in's
// environment and its open fields, or a new row and no fields. Without
// merge, saved credentials are a conflict.
func (s *Credentials) current(ctx context.Context, t *models.Tenant, integrationID int64, in CredentialInput, merge bool) (*models.Credential, map[string]string, error) {
	existing, err := t.CredentialFor(ctx, integrationID, in.Environment)
	switch {
	case apperr.IsNotFound(err):
		return &models.Credential{IntegrationID: integrationID, Environment: in.Environment}, map[string]string{}, nil
	case err != nil:
		return nil, nil, err
	case !merge:
		return nil, nil, apperr.New(apperr.CodeConflict, "%s already has %s credentials (id %d): update them with PUT /api/admin/api-credentials/%d", in.Integration, in.Environment, existing.ID, existing.ID)
	}
	fields, err := s.vault.Open(existing)
	if err != nil {
		return nil, nil, apperr.Wrap(err, apperr.CodeInternal, "the stored credential cannot be decrypted")
	}
	return existing, fields, nil
}
