// Package secret manages the process secret key: loading or generating it,
// deriving purpose-specific keys from it, and sealing values with it.
package secret

import (
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
)

// KeySize is the size of the secret key in bytes.
const KeySize = 32

// KeyFile is the name of the generated key inside the data folder.
const KeyFile = "secret.key"

// Decode parses a standard base64 key of 32 bytes.
func Decode(s string) ([]byte, error) {
	k, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
	if err != nil {
		return nil, errors.New("secret: SWITCHBOARD_SECRET_KEY is not standard base64")
	}
	if len(k) != KeySize {
		return nil, fmt.Errorf("secret: SWITCHBOARD_SECRET_KEY must decode to %d bytes, got %d (generate one with: openssl rand -base64 32)", KeySize, len(k))
	}
	return k, nil
}

// Load returns the key from configured (SWITCHBOARD_SECRET_KEY) when set.
// Otherwise, if embedded is true, it reads <dataDir>/secret.key, creating
// it with mode 0600 on first use (generated reports that); a server
// database without a configured key is an error, because every process
// sharing it must use the same key. An existing key file that other users
// may read is made 0600 and log is warned: whoever read it can decrypt
// the stored credentials.
func Load(configured, dataDir string, embedded bool, log *slog.Logger) (key []byte, generated bool, err error) {
	if configured != "" {
		k, err := Decode(configured)
		return k, false, err
	}
	if !embedded {
		return nil, false, errors.New("secret: SWITCHBOARD_SECRET_KEY is required with PostgreSQL (every process must share it); generate one with: openssl rand -base64 32")
	}
	path := filepath.Join(dataDir, KeyFile)
	if b, err := os.ReadFile(path); err == nil {
		k, err := Decode(string(b))
		if err != nil {
			return nil, false, fmt.Errorf("secret: %s: %w", path, err)
		}
		return k, false, restrict(path, log)
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, false, fmt.Errorf("secret: unable to read %s: %w", path, err)
	}
	k := make([]byte, KeySize)
	if _, err := rand.Read(k); err != nil {
		return nil, false, fmt.Errorf("secret: unable to generate a key: %w", err)
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, false, fmt.Errorf("secret: unable to create %s: %w", dataDir, err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, false, fmt.Errorf("secret: unable to create %s: %w", path, err)
	}
	if _, err := f.WriteString(base64.StdEncoding.EncodeToString(k) + "\n"); err != nil {
		f.Close()
		return nil, false, fmt.Errorf("secret: unable to write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return nil, false, fmt.Errorf("secret: unable to write %s: %w", path, err)
	}
	return k, true, nil
}

// restrict makes the key file readable by its owner only, warning when
// it was not.
func restrict(path string, log *slog.Logger) error {
	info, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("secret: %s: %w", path, err)
	}
	mode := info.Mode().Perm()
	if mode&0o077 == 0 {
		return nil
	}
	if err := os.Chmod(path, 0o600); err != nil {
		return fmt.Errorf("secret: unable to make %s private: %w", path, err)
	}
	if log != nil {
		log.Warn("the secret key file was readable by other users; it is now 0600. Whoever read it can decrypt the stored credentials: consider switchboard secrets rotate",
			"path", path, "mode", fmt.Sprintf("%04o", mode))
	}
	return nil
}

// Derive returns a key of n bytes for one purpose ("session-hash",
// "session-block", "credentials"…), so that no two uses share key material.
func Derive(master []byte, purpose string, n int) []byte {
	k, err := hkdf.Key(sha256.New, master, nil, "switchboard "+purpose, n)
	if err != nil {
		panic("secret: hkdf: " + err.Error()) // only for n too large, a programming error
	}
	return k
}
