package openapi

import (
	"fmt"
	"strings"
)

// Error reports a document that cannot be imported. Pointer is a JSON
// pointer (RFC 6901) to the offending place, such as
// "/paths/~1pets/get/parameters/0", or "" when the whole document is at
// fault; Line is its line in the file when known (1-based), else 0.
type Error struct {
	File    string
	Pointer string
	Line    int
	Reason  string
}

// Error writes "openapi: FILE: POINTER (line N): REASON", leaving out the
// parts that are unknown.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("openapi: ")
	if e.File != "" {
		b.WriteString(e.File + ": ")
	}
	switch {
	case e.Pointer != "" && e.Line > 0:
		fmt.Fprintf(&b, "%s (line %d): ", e.Pointer, e.Line)
	case e.Pointer != "":
		b.WriteString(e.Pointer + ": ")
	case e.Line > 0:
		fmt.Fprintf(&b, "line %d: ", e.Line)
	}
	b.WriteString(e.Reason)
	return b.String()
}

// failure is an error found while reading a document, before the file
// name is known to the code that found it.
type failure struct {
	pointer string
	line    int
	reason  string
}

func (f *failure) Error() string { return f.reason }

// failf builds a failure at a node.
func failf(pointer string, n *node, format string, args ...any) *failure {
	f := &failure{pointer: pointer, reason: fmt.Sprintf(format, args...)}
	if n != nil {
		f.line = int(n.line)
	}
	return f
}

// asError turns any error of this package into an *Error for file.
func asError(file string, err error) *Error {
	switch e := err.(type) {
	case *Error:
		if e.File == "" {
			e.File = file
		}
		return e
	case *failure:
		return &Error{File: file, Pointer: e.pointer, Line: e.line, Reason: e.reason}
	}
	return &Error{File: file, Reason: err.Error()}
}
