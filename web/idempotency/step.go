package idempotency

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/labstack/echo/v4"

	"switchboard/integrations/syncer"
	"switchboard/models"
	"switchboard/web"
)

// Answer is an AnswerStep answer built from the states alone.
func Answer(f func(states []syncer.State) any) func(context.Context, *models.Tenant, []syncer.State) (any, error) {
	return func(_ context.Context, _ *models.Tenant, states []syncer.State) (any, error) { return f(states), nil }
}

// AnswerStep returns the step that stores the request's answer under its
// Idempotency-Key inside the write's transaction, or none when the request
// has no key. build makes the answer from the states the write commits
// with; it is encoded as the handler's c.JSON encodes it.
func AnswerStep(c echo.Context, status int, build func(ctx context.Context, tx *models.Tenant, states []syncer.State) (any, error)) []syncer.LastStep {
	cl, _ := c.Get(claimKey).(*claim)
	if cl == nil {
		return nil
	}
	return []syncer.LastStep{func(ctx context.Context, tx *models.Tenant, states []syncer.State) error {
		v, err := build(ctx, tx, web.NonNil(states))
		if err != nil {
			return err
		}
		b, err := json.Marshal(v)
		if err != nil {
			return fmt.Errorf("idempotency: encode the answer to keep: %w", err)
		}
		body := string(b) + "\n"
		if err := tx.InsertIdempotentAnswer(ctx, cl.key, cl.hash, TTL, status, body); err != nil {
			return err
		}
		cl.status, cl.body = status, body
		return nil
	}}
}
