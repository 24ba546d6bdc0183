package secret

import (
	"bytes"
	"crypto/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func key(t *testing.T) []byte {
	k := make([]byte, KeySize)
	if _, err := rand.Read(k); err != nil {
		t.Fatal(err)
	}
	return k
}

func TestSealOpen(t *testing.T) {
	b, err := NewBox(key(t))
	if err != nil {
		t.Fatal(err)
	}
	s1, _ := b.Seal([]byte("sk-live-secret"), "cred:1:2:production")
	s2, _ := b.Seal([]byte("sk-live-secret"), "cred:1:2:production")
	if s1 == s2 {
		t.Fatal("two seals of one value are equal: nonce reused")
	}
	if strings.Contains(s1, "sk-live") {
		t.Fatal("plaintext visible in the sealed value")
	}
	pt, err := b.Open(s1, "cred:1:2:production")
	if err != nil || string(pt) != "sk-live-secret" {
		t.Fatalf("open = %q, %v", pt, err)
	}
	if _, err := b.Open(s1, "cred:9:2:production"); err != ErrOpen {
		t.Fatalf("opened with another row's aad: %v", err)
	}
	other, _ := NewBox(key(t))
	if _, err := other.Open(s1, "cred:1:2:production"); err != ErrOpen {
		t.Fatalf("opened with another key: %v", err)
	}
	tampered := s1[:len(s1)-4] + "AAAA"
	if _, err := b.Open(tampered, "cred:1:2:production"); err != ErrOpen {
		t.Fatalf("opened a tampered value: %v", err)
	}
}

func TestLoadGeneratesKeyOnceWithPrivateMode(t *testing.T) {
	dir := t.TempDir()
	k1, gen, err := Load("", dir, true)
	if err != nil || !gen {
		t.Fatalf("first load: gen=%v err=%v", gen, err)
	}
	info, err := os.Stat(filepath.Join(dir, KeyFile))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode = %v, %v; want 0600", info.Mode().Perm(), err)
	}
	k2, gen, err := Load("", dir, true)
	if err != nil || gen || !bytes.Equal(k1, k2) {
		t.Fatalf("second load: gen=%v err=%v same=%v", gen, err, bytes.Equal(k1, k2))
	}
	if _, _, err := Load("", dir, false); err == nil {
		t.Fatal("PostgreSQL mode without SWITCHBOARD_SECRET_KEY was accepted")
	}
	if _, _, err := Load("bm90IDMyIGJ5dGVz", dir, true); err == nil {
		t.Fatal("a key of the wrong size was accepted")
	}
}

func TestMask(t *testing.T) {
	for in, want := range map[string]string{"sk-proj-abcdefghijklmnop1234": "sk-…1234", "short": "••••••", "abcdefghijklmn": "ab…klmn"} {
		if got := Mask(in); got != want {
			t.Errorf("Mask(%q) = %q, want %q", in, got, want)
		}
	}
}
