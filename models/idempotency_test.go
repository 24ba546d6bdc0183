package models_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"switchboard/apperr"
	"switchboard/models"
	"switchboard/testsupport"
)

// TestIdempotencyKeys covers the life of a key: an answer exists only once
// its write committed, replays need the same request, the answer sent may
// replace the stored one, and leftovers never hold a key.
func TestIdempotencyKeys(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		store := models.NewStore(testsupport.OpenDB(t, dbURL))
		org, _ := testsupport.Seed(t, store, "acme", "owner@acme.test", models.RoleOwner)
		other, _ := testsupport.Seed(t, store, "globex", "owner@globex.test", models.RoleOwner)
		tn := store.Tenant(org.ID)
		insert := func(key, hash, body string, fail error) error {
			return tn.InTx(ctx, func(tx *models.Tenant) error {
				if err := tx.InsertIdempotentAnswer(ctx, key, hash, time.Hour, 201, body); err != nil {
					return err
				}
				return fail
			})
		}
		answer := func(t *testing.T, tn *models.Tenant, key, hash string) (*models.IdempotencyKey, error) {
			t.Helper()
			return tn.IdempotentAnswer(ctx, key, hash)
		}

		t.Run("AWriteRolledBackLeavesTheKeyFree", func(t *testing.T) {
			if err := insert("k1", "h1", "{}", errors.New("the write failed")); err == nil {
				t.Fatal("the transaction did not fail")
			}
			if got, err := answer(t, tn, "k1", "h1"); got != nil || err != nil {
				t.Fatalf("answer = %+v, %v; want the key free", got, err)
			}
		})
		t.Run("ACommittedAnswerReplaysForTheSameRequestOnly", func(t *testing.T) {
			if err := insert("k2", "h2", `{"id":1}`, nil); err != nil {
				t.Fatal(err)
			}
			got, err := answer(t, tn, "k2", "h2")
			if err != nil || got == nil || got.ResponseStatus != 201 || got.ResponseBody != `{"id":1}` {
				t.Fatalf("answer = %+v, %v", got, err)
			}
			if _, err := answer(t, tn, "k2", "another"); apperr.Code(err) != apperr.CodeConflict {
				t.Fatalf("another request under the key = %v, want a conflict", err)
			}
			if got, err := answer(t, store.Tenant(other.ID), "k2", "h2"); got != nil || err != nil {
				t.Fatalf("the key in another organization = %+v, %v; want free", got, err)
			}
		})
		t.Run("ASecondWriteUnderTheKeyRollsBack", func(t *testing.T) {
			if err := insert("k2", "h2", `{"id":2}`, nil); !errors.Is(err, models.ErrIdempotencyKeyAnswered) {
				t.Fatalf("second seal = %v, want ErrIdempotencyKeyAnswered", err)
			}
		})
		t.Run("TheAnswerSentReplacesTheStoredOne", func(t *testing.T) {
			for _, c := range []struct {
				hash    string
				replace bool
			}{{"another", true}, {"h2", false}} {
				if err := tn.StoreIdempotentAnswer(ctx, "k2", c.hash, time.Hour, 200, "ignored", c.replace); err != nil {
					t.Fatal(err)
				}
			}
			if got, _ := answer(t, tn, "k2", "h2"); got == nil || got.ResponseBody != `{"id":1}` {
				t.Fatalf("after answers that must not win: %+v", got)
			}
			if err := tn.StoreIdempotentAnswer(ctx, "k2", "h2", time.Hour, 201, `{"id":1,"sync":[]}`, true); err != nil {
				t.Fatal(err)
			}
			if got, _ := answer(t, tn, "k2", "h2"); got == nil || got.ResponseBody != `{"id":1,"sync":[]}` {
				t.Fatalf("after the answer sent: %+v", got)
			}
		})
		t.Run("ALeftoverRunningClaimIsTakenOver", func(t *testing.T) {
			now := time.Now().UTC()
			row := &models.IdempotencyKey{OrganizationID: org.ID, Key: "k3", RequestHash: "h3", State: "running",
				ExpiresAt: now.Add(time.Hour), CreatedAt: now, UpdatedAt: now}
			if _, err := store.DB().NewInsert().Model(row).Exec(ctx); err != nil {
				t.Fatal(err)
			}
			if got, err := answer(t, tn, "k3", "h3"); got != nil || err != nil {
				t.Fatalf("answer = %+v, %v; want the key free", got, err)
			}
			if err := insert("k3", "h3", "{}", nil); err != nil {
				t.Fatalf("a new write under the key: %v", err)
			}
		})
		t.Run("AnExpiredAnswerIsForgotten", func(t *testing.T) {
			later := store.WithClock(func() time.Time { return time.Now().Add(2 * time.Hour) }).Tenant(org.ID)
			if got, err := answer(t, later, "k2", "h2"); got != nil || err != nil {
				t.Fatalf("answer = %+v, %v; want the key free", got, err)
			}
		})
	})
}
