// Package auth holds what signing in needs, free of HTTP: password hashing,
// API key generation and hashing, and login throttling.
package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// argon2id parameters: 19 MiB, 2 passes, 1 lane (OWASP's minimum profile).
const (
	argonMemoryKiB = 19 * 1024
	argonTime      = 2
	argonThreads   = 1
	argonKeyLen    = 32
	saltLen        = 16
)

// Password length limits. The upper bound stops hashing megabytes.
const (
	MinPasswordLen = 10
	MaxPasswordLen = 256
)

// ErrMismatch is returned when a password does not match its hash.
var ErrMismatch = errors.New("auth: password does not match")

// CheckPasswordPolicy returns a user-facing reason when p is not acceptable.
func CheckPasswordPolicy(p string) string {
	n := utf8.RuneCountInString(p)
	switch {
	case n < MinPasswordLen:
		return fmt.Sprintf("must be at least %d characters", MinPasswordLen)
	case len(p) > MaxPasswordLen:
		return fmt.Sprintf("must be at most %d bytes", MaxPasswordLen)
	}
	return ""
}

// HashPassword returns an argon2id hash in the PHC string format.
func HashPassword(p string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("auth: unable to read random salt: %w", err)
	}
	sum := argon2.IDKey([]byte(p), salt, argonTime, argonMemoryKiB, argonThreads, argonKeyLen)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemoryKiB, argonTime, argonThreads,
		enc.EncodeToString(salt), enc.EncodeToString(sum)), nil
}

// VerifyPassword checks p against a hash made by HashPassword, using the
// parameters stored in the hash so that they can be raised later.
func VerifyPassword(hash, p string) error {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return errors.New("auth: unknown password hash format")
	}
	var m, t uint32
	var threads uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &threads); err != nil {
		return fmt.Errorf("auth: bad hash parameters: %w", err)
	}
	enc := base64.RawStdEncoding
	salt, err := enc.DecodeString(parts[4])
	if err != nil {
		return fmt.Errorf("auth: bad hash salt: %w", err)
	}
	want, err := enc.DecodeString(parts[5])
	if err != nil {
		return fmt.Errorf("auth: bad hash sum: %w", err)
	}
	if len(p) > MaxPasswordLen {
		return ErrMismatch
	}
	got := argon2.IDKey([]byte(p), salt, t, m, threads, uint32(len(want)))
	if subtle.ConstantTimeCompare(got, want) != 1 {
		return ErrMismatch
	}
	return nil
}

// dummyHash is verified against when an account does not exist, so that a
// wrong email takes as long as a wrong password.
var dummyHash = func() string {
	h, _ := HashPassword("not-a-real-password-0000")
	return h
}()

// BurnPasswordCheck spends the time of one verification.
func BurnPasswordCheck(p string) { _ = VerifyPassword(dummyHash, p) }

// RandomPassword returns a temporary password of about 16 characters.
func RandomPassword() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
