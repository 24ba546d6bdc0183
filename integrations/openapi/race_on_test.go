//go:build race

package openapi

// raceEnabled reports whether the race detector is on: it slows the
// importer several times over, so timing bounds do not apply.
const raceEnabled = true
