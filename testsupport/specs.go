package testsupport

import (
	"os"
	"path/filepath"
	"testing"
)

// SpecPath is the path of one of the shared test specs: real public API
// descriptions in shared/testdata/specs beside the repository, as CI lays
// it out. A test that needs them fails, with where it looked, when they
// are missing: a suite that skips them would pass without testing imports.
func SpecPath(t testing.TB, name string) string {
	t.Helper()
	root, err := moduleRoot()
	if err != nil {
		t.Fatalf("testsupport: %v", err)
	}
	path := filepath.Join(root, "..", "shared", "testdata", "specs", name)
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("testsupport: the shared test spec %s is missing (%v): check shared/testdata/specs out beside the repository", name, err)
	}
	return path
}

// SpecFile reads one of the shared test specs (see SpecPath).
func SpecFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(SpecPath(t, name))
	if err != nil {
		t.Fatalf("testsupport: %v", err)
	}
	return b
}

// moduleRoot is the folder of go.mod above the working directory (a
// test's working directory is its package's folder).
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", os.ErrNotExist
		}
		dir = parent
	}
}

// RegistrySample reads the shared registry sample in the original
// system's shape (shared/testdata/registry/unified-registry-sample.json),
// failing the test when it is missing.
func RegistrySample(t testing.TB) []byte {
	t.Helper()
	root, err := moduleRoot()
	if err != nil {
		t.Fatalf("testsupport: %v", err)
	}
	b, err := os.ReadFile(filepath.Join(root, "..", "shared", "testdata", "registry", "unified-registry-sample.json"))
	if err != nil {
		t.Fatalf("testsupport: the shared registry sample is missing (%v): check shared/testdata/registry out beside the repository", err)
	}
	return b
}
