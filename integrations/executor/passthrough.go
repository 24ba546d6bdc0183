package executor

import (
	"bytes"
	"encoding/json"
	"strings"
	"unicode/utf8"
)

// passThrough reports whether answer a may reach the caller as the
// upstream's own JSON text (Request.PassThrough) instead of being parsed
// into a tree and encoded again: a 2xx JSON answer held in memory, valid
// and UTF-8, of an endpoint whose definition reads nothing in it (no
// extract, list, response map, id_path, pagination, success condition,
// and no error rule looking at a path or taking a message from one), with
// no trace asked for and none of the call's secrets in it (an answer that
// echoes one is parsed, so that the secret is hidden as always).
func (c *call) passThrough(a *answer, mt string, got *received) bool {
	ep := c.ep.Endpoint
	if !c.req.PassThrough || c.req.Trace || got.file != nil || a.status < 200 || a.status > 299 ||
		!strings.Contains(mt, "json") || ep.Pagination != nil || ep.List || ep.IDPath != "" ||
		c.extractPath() != "" || len(c.ep.Response) > 0 || c.doc.Success != nil {
		return false
	}
	for _, r := range c.ep.ErrorRules {
		if r.When.Path != "" || r.MessagePath != "" {
			return false
		}
	}
	body := got.mem
	if len(bytes.TrimSpace(body)) == 0 || !utf8.Valid(body) || !json.Valid(body) {
		return false // empty or unreadable: the parse says what it is
	}
	rd := c.redactor()
	if rd.empty() {
		return true
	}
	text := string(body) // one copy, not two
	return rd.text(text) == text
}
