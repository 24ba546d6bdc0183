// Package static embeds the built CSS, the vendored htmx and the icons, and
// names each file by its content hash so that browsers may cache it forever.
package static

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"path"
	"strings"
)

//go:embed css js img docs
var files embed.FS

// FS is the embedded static tree (css/, js/, img/, docs/).
func FS() fs.FS { return files }

// hashes maps a file path (css/app.css) to the first 12 hex digits of the
// SHA-256 of its content, computed once at start-up.
var hashes = func() map[string]string {
	m := map[string]string{}
	_ = fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := files.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		m[p] = hex.EncodeToString(sum[:])[:12]
		return nil
	})
	return m
}()

// Prefix is the URL prefix static files are served under.
const Prefix = "/static/"

// Path returns the cache-busting URL of a static file:
// /static/css/app.3f2a…c1.css. Unknown names are returned unhashed.
func Path(name string) string {
	h, ok := hashes[name]
	if !ok {
		return Prefix + name
	}
	ext := path.Ext(name)
	return Prefix + strings.TrimSuffix(name, ext) + "." + h + ext
}

// Resolve maps a requested path (css/app.3f2a…c1.css) back to the embedded
// file name and reports whether the hash was current, in which case the
// answer may be cached as immutable.
func Resolve(requested string) (name string, immutable bool, ok bool) {
	if _, exists := hashes[requested]; exists {
		return requested, false, true
	}
	ext := path.Ext(requested)
	base := strings.TrimSuffix(requested, ext)
	dot := strings.LastIndexByte(base, '.')
	if dot < 0 {
		return "", false, false
	}
	name = base[:dot] + ext
	h, exists := hashes[name]
	if !exists {
		return "", false, false
	}
	return name, h == base[dot+1:], true
}

// ETag returns the strong ETag of an embedded file.
func ETag(name string) string { return `"` + hashes[name] + `"` }
