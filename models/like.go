package models

import "strings"

// escapeLike lower-cases s and removes LIKE wildcards so user input matches
// literally.
func escapeLike(s string) string {
	s = strings.ToLower(s)
	return strings.NewReplacer("%", "", "_", "").Replace(s)
}
