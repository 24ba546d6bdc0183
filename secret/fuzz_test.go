package secret

import (
	"bytes"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzDecode checks the SWITCHBOARD_SECRET_KEY parser: a key it accepts is
// 32 bytes that encode back to a key it reads the same; a refusal names
// the setting and never shows the value.
func FuzzDecode(f *testing.F) {
	for _, seed := range []string{"c3dpdGNoYm9hcmQtdGVzdC1rZXktMzItYnl0ZXMhISE=", " c3dpdGNoYm9hcmQtdGVzdC1rZXktMzItYnl0ZXMhISE=\n", "c3dpdGNoYm9hcmQtdGVzdC1rZXktMzItYnl0ZXMhISF=",
		"c3dpdGNoYm9hcmQtdGVzdC1rZXktMzItYnl0ZXMhISE", "c3dpdGNoYm9hcmQtdGVzdC1rZXktMzItYnl0ZXMh", "not base64 at all!", ""} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k, err := Decode(s)
		if err != nil {
			checkRefusal(t, err.Error(), s)
			return
		}
		if len(k) != KeySize {
			t.Fatalf("Decode(%q) gave %d bytes", s, len(k))
		}
		again, err := Decode(base64.StdEncoding.EncodeToString(k))
		if err != nil || !bytes.Equal(again, k) {
			t.Fatalf("the key of %q does not read back: %v", s, err)
		}
	})
}

// FuzzLoadKeyFile checks the key file loader over a fuzzed secret.key: it
// reads a valid key, refuses anything else naming the file, never shows the
// content, and never replaces the file.
func FuzzLoadKeyFile(f *testing.F) {
	f.Add([]byte("c3dpdGNoYm9hcmQtdGVzdC1rZXktMzItYnl0ZXMhISE=\n"))
	f.Add([]byte("c3dpdGNoYm9hcmQtdGVzdC1rZXktMzItYnl0ZXMhISE=\r\n\r\n"))
	f.Add([]byte(""))
	f.Add([]byte("\x00\xff-----BEGIN PRIVATE KEY-----"))
	f.Fuzz(func(t *testing.T, content []byte) {
		dir := t.TempDir()
		path := filepath.Join(dir, KeyFile)
		if err := os.WriteFile(path, content, 0o600); err != nil {
			t.Fatal(err)
		}
		k, generated, err := Load("", dir, true, nil)
		if generated {
			t.Fatal("Load generated a key although the file exists")
		}
		if after, _ := os.ReadFile(path); !bytes.Equal(after, content) {
			t.Fatal("Load changed the key file")
		}
		if err != nil {
			if !strings.Contains(err.Error(), path) {
				t.Fatalf("refusal does not name the file: %v", err)
			}
			checkRefusal(t, err.Error(), string(content))
			return
		}
		if len(k) != KeySize {
			t.Fatalf("Load gave %d bytes", len(k))
		}
	})
}

// checkRefusal requires an error that names the setting and does not
// quote the value.
func checkRefusal(t *testing.T, msg, value string) {
	t.Helper()
	if !strings.Contains(msg, "SWITCHBOARD_SECRET_KEY") {
		t.Fatalf("refusal does not name SWITCHBOARD_SECRET_KEY: %s", msg)
	}
	if v := strings.TrimSpace(value); len(v) >= 6 && strings.Contains(msg, v) {
		t.Fatalf("refusal shows the value: %s", msg)
	}
}
