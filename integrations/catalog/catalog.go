// Package catalog holds the built-in integration definitions that an
// organization adds in one click: Open Dental, Cloud9 Ortho,
// Google Calendar, a Dentrix-style example, the service APIs OpenAI,
// Anthropic, Twilio, Retell and Evolution API, and the agent tools Langfuse
// and Node-RED. The definitions are YAML
// files embedded in the binary, one per integration, named after the slug.
package catalog

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"switchboard/integrations/definition"
)

// files holds the definitions; adding one is adding a file here.
//
//go:embed *.yaml
var files embed.FS

// longTail holds, per catalog slug, the rest of the upstream's API as a
// registry (an array of endpoints): functions the curated entry leaves
// out, imported in one click when a practice needs them.
//
//go:embed longtail/*.json
var longTail embed.FS

// LongTail returns the registry of the functions of slug's API beyond the
// catalog entry (a JSON array of endpoints in the definition document's
// form), and whether there is one.
func LongTail(slug string) ([]byte, bool) {
	if slug == "" || strings.ContainsAny(slug, `/\.`) {
		return nil, false
	}
	b, err := longTail.ReadFile("longtail/" + slug + ".json")
	return b, err == nil
}

// ErrUnknown is wrapped by Get for a slug the catalog does not hold.
var ErrUnknown = errors.New("catalog: unknown integration")

// Entry is one catalog definition: the document as parsed and the YAML it
// was read from, with the fields a listing shows.
type Entry struct {
	Slug        string
	Name        string
	Description string
	Category    string
	// Raw is the embedded YAML file as written.
	Raw []byte
	// Doc is Raw parsed; each call of List or Get parses afresh, so a
	// caller may change Doc freely.
	Doc *definition.Document
}

// List returns every catalog definition, sorted by name. An unreadable
// file is an error: the catalog ships as a whole or not at all.
func List() ([]Entry, error) {
	names, err := fs.Glob(files, "*.yaml")
	if err != nil {
		return nil, fmt.Errorf("catalog: unable to list definitions: %w", err)
	}
	entries := make([]Entry, 0, len(names))
	for _, name := range names {
		e, err := load(name)
		if err != nil {
			return nil, err
		}
		entries = append(entries, *e)
	}
	slices.SortFunc(entries, func(a, b Entry) int {
		if c := strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)); c != 0 {
			return c
		}
		return strings.Compare(a.Slug, b.Slug)
	})
	return entries, nil
}

// Get returns the definition with the given slug, or an error wrapping
// ErrUnknown.
func Get(slug string) (*Entry, error) {
	if slug == "" || !fs.ValidPath(slug) || strings.ContainsAny(slug, `/\`) {
		return nil, fmt.Errorf("%w: %q", ErrUnknown, slug)
	}
	e, err := load(slug + ".yaml")
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %q", ErrUnknown, slug)
	}
	return e, err
}

// load reads and parses one embedded file. The slug inside must match the
// file name, so that Get finds what List shows.
func load(name string) (*Entry, error) {
	raw, err := files.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("catalog: unable to read %s: %w", name, err)
	}
	doc, err := definition.ParseYAML(raw)
	if err != nil {
		return nil, fmt.Errorf("catalog: unable to parse %s: %w", name, err)
	}
	if want := strings.TrimSuffix(path.Base(name), ".yaml"); doc.Slug != want {
		return nil, fmt.Errorf("catalog: %s holds slug %q, want %q", name, doc.Slug, want)
	}
	return &Entry{
		Slug:        doc.Slug,
		Name:        doc.Name,
		Description: doc.Description,
		Category:    doc.Category,
		Raw:         raw,
		Doc:         doc,
	}, nil
}
