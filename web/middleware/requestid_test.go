package middleware

import (
	"strings"
	"testing"
)

// TestWellFormedRequestID: 8 to 64 characters of letters, digits, '.',
// '_' and '-'; anything else is replaced by a generated id.
func TestWellFormedRequestID(t *testing.T) {
	for id, want := range map[string]bool{
		"agent-call-0001":       true,
		"abc.DEF_123-x":         true,
		strings.Repeat("a", 64): true,
		"short":                 false,
		strings.Repeat("a", 65): false,
		"has space in it":       false,
		"üñíçødé-id":            false,
		"line\nbreak-inside-id": false,
		"quote\"inside-the-id":  false,
		"":                      false,
	} {
		if got := wellFormedRequestID(id); got != want {
			t.Errorf("wellFormedRequestID(%q) = %v, want %v", id, got, want)
		}
	}
}
