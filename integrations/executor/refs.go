package executor

import (
	"context"
	"fmt"
	"strconv"

	"switchboard/apperr"
	"switchboard/integrations/transform"
)

// RefSource finds the links between local records and an integration's
// records (models.Store): what external_ref parameter maps translate
// through. Both answer a not-found error when there is no link.
type RefSource interface {
	ExternalID(ctx context.Context, orgID, integrationID int64, entity string, localID int64) (string, error)
	LocalID(ctx context.Context, orgID, integrationID int64, entity, externalID string) (int64, error)
}

// refTranslator is the transform.RefTranslator of one call.
type refTranslator struct {
	ctx   context.Context
	src   RefSource
	org   int64
	integ int64
	slug  string
}

func (r refTranslator) External(entity, local string) (string, error) {
	id, err := strconv.ParseInt(local, 10, 64)
	if err != nil {
		return "", fmt.Errorf("%w: must be Switchboard's %s id (a whole number), not %q", transform.ErrNotLinked, entity, local)
	}
	ext, err := r.src.ExternalID(r.ctx, r.org, r.integ, entity, id)
	if apperr.IsNotFound(err) {
		return "", fmt.Errorf("%w: Switchboard's %s %d is not in %s yet (sync it first, or give %s's own number by its own name)",
			transform.ErrNotLinked, entity, id, r.slug, r.slug)
	}
	return ext, err
}

func (r refTranslator) Local(entity, external string) (string, error) {
	id, err := r.src.LocalID(r.ctx, r.org, r.integ, entity, external)
	if apperr.IsNotFound(err) {
		return "", transform.ErrNotLinked
	}
	if err != nil {
		return "", err
	}
	return strconv.FormatInt(id, 10), nil
}
