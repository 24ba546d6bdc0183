package auth

import (
	"strings"
	"testing"
)

func TestPasswordHashRoundTrip(t *testing.T) {
	h, err := HashPassword("correct-horse-battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %q does not use argon2id with m=19 MiB, t=2", h)
	}
	if err := VerifyPassword(h, "correct-horse-battery"); err != nil {
		t.Fatalf("right password refused: %v", err)
	}
	if err := VerifyPassword(h, "correct-horse-batterx"); err != ErrMismatch {
		t.Fatalf("wrong password: err = %v, want ErrMismatch", err)
	}
	h2, _ := HashPassword("correct-horse-battery")
	if h == h2 {
		t.Fatal("two hashes of one password are equal: salt missing")
	}
}

func TestPasswordPolicy(t *testing.T) {
	if CheckPasswordPolicy("short") == "" {
		t.Error("a 5-character password passed")
	}
	if CheckPasswordPolicy(strings.Repeat("x", MaxPasswordLen+1)) == "" {
		t.Error("an over-long password passed")
	}
	if msg := CheckPasswordPolicy("long-enough-pw"); msg != "" {
		t.Errorf("a fine password refused: %s", msg)
	}
}

func TestAPIKeyShape(t *testing.T) {
	key, prefix, hash := NewAPIKey()
	if !strings.HasPrefix(key, KeyPrefix) || !strings.HasPrefix(key, prefix) || len(prefix) != len(KeyPrefix)+8 {
		t.Fatalf("key %q prefix %q", key, prefix)
	}
	if hash != HashAPIKey(key) || strings.Contains(hash, key[len(KeyPrefix):]) {
		t.Fatal("hash is not a one-way function of the key")
	}
}
