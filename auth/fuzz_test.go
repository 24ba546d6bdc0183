package auth

import (
	"encoding/hex"
	"strings"
	"testing"
)

// FuzzHashAPIKey checks the API key parser: the stored hash ignores the
// spaces around a pasted key, is 64 hex digits, and tells keys apart.
func FuzzHashAPIKey(f *testing.F) {
	key, _, _ := NewAPIKey()
	for _, seed := range []string{key, " " + key + "\n", "sbk_", "", "\t", "sbk_0123456789abcdef0123456789abcdef0123456789abcdef"} {
		f.Add(seed, key)
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		h := HashAPIKey(a)
		if _, err := hex.DecodeString(h); err != nil || len(h) != 64 {
			t.Fatalf("HashAPIKey(%q) = %q, not 64 hex digits", a, h)
		}
		if HashAPIKey(" \t"+a+"\r\n") != h {
			t.Fatalf("HashAPIKey(%q) changes with surrounding spaces", a)
		}
		if (strings.TrimSpace(a) == strings.TrimSpace(b)) != (HashAPIKey(b) == h) {
			t.Fatalf("HashAPIKey(%q) and HashAPIKey(%q) disagree with the keys", a, b)
		}
		if HashToken(a) != h {
			t.Fatalf("HashToken(%q) differs from HashAPIKey", a)
		}
	})
}
