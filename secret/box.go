package secret

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// sealedPrefix marks the format of a sealed value, so that a later format
// can be told apart.
const sealedPrefix = "v1:"

// Box seals and opens values with AES-256-GCM under a key derived from the
// master key, with a fresh random nonce per value. The additional data binds
// a ciphertext to its row, so a value copied into another row cannot be
// opened there.
type Box struct {
	aead        cipher.AEAD
	fingerprint string
}

// NewBox returns a Box for the master key.
func NewBox(master []byte) (*Box, error) {
	if len(master) != KeySize {
		return nil, fmt.Errorf("secret: master key must be %d bytes", KeySize)
	}
	block, err := aes.NewCipher(Derive(master, "credentials", 32))
	if err != nil {
		return nil, fmt.Errorf("secret: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("secret: %w", err)
	}
	return &Box{aead: aead, fingerprint: Fingerprint(master)}, nil
}

// Fingerprint identifies the box's key without revealing it.
func (b *Box) Fingerprint() string { return b.fingerprint }

// Seal encrypts plaintext bound to aad.
func (b *Box) Seal(plaintext []byte, aad string) (string, error) {
	nonce := make([]byte, b.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", fmt.Errorf("secret: unable to read a random nonce: %w", err)
	}
	out := b.aead.Seal(nonce, nonce, plaintext, []byte(aad))
	return sealedPrefix + base64.StdEncoding.EncodeToString(out), nil
}

// ErrOpen is returned when a value cannot be decrypted: a wrong key, a
// tampered value, or a value moved from another row.
var ErrOpen = errors.New("secret: unable to decrypt: wrong key, or the value was altered")

// Open decrypts a value sealed with the same key and aad.
func (b *Box) Open(sealed, aad string) ([]byte, error) {
	if !strings.HasPrefix(sealed, sealedPrefix) {
		return nil, ErrOpen
	}
	raw, err := base64.StdEncoding.DecodeString(sealed[len(sealedPrefix):])
	if err != nil || len(raw) < b.aead.NonceSize()+b.aead.Overhead() {
		return nil, ErrOpen
	}
	n := b.aead.NonceSize()
	pt, err := b.aead.Open(nil, raw[:n], raw[n:], []byte(aad))
	if err != nil {
		return nil, ErrOpen
	}
	return pt, nil
}

// Fingerprint returns a short, one-way identifier of a master key; the
// database stores it so that starting with another key fails loudly.
func Fingerprint(master []byte) string {
	sum := sha256.Sum256(Derive(master, "fingerprint", 32))
	return hex.EncodeToString(sum[:8])
}

// Mask shows enough of a secret to recognize it and nothing more: its last
// characters, at most four and never more than a quarter of it
// ("sk-proj-abcdef123456" → "…3456"); values under 8 characters are fully
// hidden, since a quarter of them would be one character or none.
func Mask(v string) string {
	r := []rune(v)
	shown := min(maxMaskShown, len(r)/4)
	if shown < minMaskShown {
		return "••••••"
	}
	return "…" + string(r[len(r)-shown:])
}

// Mask limits: how many characters of a secret may be shown.
const (
	maxMaskShown = 4
	minMaskShown = 2
)
