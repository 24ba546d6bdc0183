package secret

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"log/slog"
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
	k1, gen, err := Load("", dir, true, nil)
	if err != nil || !gen {
		t.Fatalf("first load: gen=%v err=%v", gen, err)
	}
	info, err := os.Stat(filepath.Join(dir, KeyFile))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode = %v, %v; want 0600", info.Mode().Perm(), err)
	}
	k2, gen, err := Load("", dir, true, nil)
	if err != nil || gen || !bytes.Equal(k1, k2) {
		t.Fatalf("second load: gen=%v err=%v same=%v", gen, err, bytes.Equal(k1, k2))
	}
	if _, _, err := Load("", dir, false, nil); err == nil {
		t.Fatal("PostgreSQL mode without SWITCHBOARD_SECRET_KEY was accepted")
	}
	if _, _, err := Load("bm90IDMyIGJ5dGVz", dir, true, nil); err == nil {
		t.Fatal("a key of the wrong size was accepted")
	}
}

func TestMask(t *testing.T) {
	for in, want := range map[string]string{"sk-proj-abcdefghijklmnop1234": "…1234", "short": "••••••", "abcdefghijklmn": "…lmn"} {
		if got := Mask(in); got != want {
			t.Errorf("Mask(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestMaskShowsAtMostAQuarter masks secrets of every length from 1 to 40
// made of distinct characters and counts how many of them the mask shows.
func TestMaskShowsAtMostAQuarter(t *testing.T) {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	for n := 1; n <= 40; n++ {
		v := alphabet[:n]
		t.Run(fmt.Sprintf("Length%d", n), func(t *testing.T) {
			got := Mask(v)
			shown := 0
			for _, r := range got {
				if strings.ContainsRune(v, r) {
					shown++
				}
			}
			limit := min(4, n/4)
			if shown > limit {
				t.Fatalf("Mask(%q) = %q shows %d characters, want at most %d", v, got, shown, limit)
			}
			if n >= 8 && !strings.HasSuffix(got, v[n-limit:]) {
				t.Fatalf("Mask(%q) = %q, want it to end with the last %d characters", v, got, limit)
			}
		})
	}
	if got := Mask("ключ-секрет-пароль"); strings.Count(got, "ь") != 1 || !strings.HasSuffix(got, "роль") {
		t.Fatalf("Mask of a Cyrillic secret = %q, want its last 4 characters whole", got)
	}
}

// TestLoadMakesAReadableKeyFilePrivate: a key file others may read (a copy
// made with cp, an unpacked backup) is made 0600 at start and a warning
// says so.
func TestLoadMakesAReadableKeyFilePrivate(t *testing.T) {
	dir := t.TempDir()
	k, _, err := Load("", dir, true, nil)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, KeyFile)
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	var logged bytes.Buffer
	got, gen, err := Load("", dir, true, slog.New(slog.NewTextHandler(&logged, nil)))
	if err != nil || gen || !bytes.Equal(got, k) {
		t.Fatalf("load = gen %v, err %v, same key %v", gen, err, bytes.Equal(got, k))
	}
	if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode = %v, %v; want 0600", info.Mode().Perm(), err)
	}
	if !strings.Contains(logged.String(), "level=WARN") || !strings.Contains(logged.String(), "mode=0644") {
		t.Errorf("logged %q, want a warning naming the old mode", logged.String())
	}
	logged.Reset()
	if _, _, err := Load("", dir, true, slog.New(slog.NewTextHandler(&logged, nil))); err != nil || logged.Len() != 0 {
		t.Errorf("a private key file: err %v, logged %q; want nothing", err, logged.String())
	}
}
