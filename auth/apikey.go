package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// KeyPrefix starts every Switchboard API key so it is recognizable in logs
// and by secret scanners.
const KeyPrefix = "sbk_"

// NewAPIKey returns a new random key, the prefix shown in lists and the
// hash that is stored. The key itself is shown once and never stored.
func NewAPIKey() (key, prefix, hash string) {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	body := hex.EncodeToString(b)
	key = KeyPrefix + body
	return key, key[:len(KeyPrefix)+8], HashAPIKey(key)
}

// HashAPIKey returns the stored form of a key. Keys carry 192 random bits,
// so a fast hash suffices: there is nothing to brute-force.
func HashAPIKey(key string) string {
	sum := sha256.Sum256([]byte(strings.TrimSpace(key)))
	return hex.EncodeToString(sum[:])
}

// HashToken hashes a session token for storage.
func HashToken(token string) string { return HashAPIKey(token) }

// NewToken returns a random session token.
func NewToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
