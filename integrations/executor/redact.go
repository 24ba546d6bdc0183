package executor

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"
)

// Redaction limits.
const (
	// Redacted replaces every secret in traces, messages and excerpts.
	Redacted = "[redacted]"
	// minSecretLen is the shortest value redacted: replacing every "1" or
	// "ab" of a body would make traces unreadable and protect nothing.
	minSecretLen = 3
	// MaxTraceBody is how much of a body a Trace keeps.
	MaxTraceBody = 2 << 10
	// MaxTraceData is how much of the mapped data, as indented JSON, a
	// traced Result keeps.
	MaxTraceData = 20000
	// MaxExcerpt is how many characters of an answer an upstream_error
	// quotes.
	MaxExcerpt = 500
)

// sensitiveHeaderWords mark header names whose values are always hidden.
var sensitiveHeaderWords = []string{"authorization", "cookie", "api-key", "apikey", "api_key", "token", "secret", "password", "signature", "x-key"}

// redactor hides secrets in every form they may take in a request or an
// answer: as written, URL-encoded, XML-escaped and JSON-escaped.
type redactor struct {
	r       *strings.Replacer
	headers map[string]bool
}

// newRedactor builds a redactor for secrets; extraHeaders are header names
// (such as the api_key header) to hide whatever they hold.
func newRedactor(secrets []string, extraHeaders ...string) *redactor {
	seen := map[string]bool{}
	var forms []string
	for _, s := range secrets {
		if len(s) < minSecretLen {
			continue
		}
		for _, f := range []string{s, url.QueryEscape(s), url.PathEscape(s), xmlEscape(s), jsonEscape(s, false), jsonEscape(s, true)} {
			if !seen[f] {
				seen[f] = true
				forms = append(forms, f)
			}
		}
	}
	// Longest first: the replacer tries its pairs in order at each place.
	slices.SortStableFunc(forms, func(a, b string) int { return len(b) - len(a) })
	pairs := make([]string, 0, 2*len(forms))
	for _, f := range forms {
		pairs = append(pairs, f, Redacted)
	}
	rd := &redactor{r: strings.NewReplacer(pairs...), headers: map[string]bool{}}
	for _, h := range extraHeaders {
		if h != "" {
			rd.headers[http.CanonicalHeaderKey(h)] = true
		}
	}
	return rd
}

// redactor returns the call's redactor over the secrets known so far,
// built again only when a secret was added (an OAuth token).
func (c *call) redactor() *redactor {
	if c.rd == nil || c.rdFor != len(c.secrets) {
		c.rd, c.rdFor = newRedactor(c.secrets, c.doc.Auth.Header), len(c.secrets)
	}
	return c.rd
}

// text hides the secrets in s.
func (rd *redactor) text(s string) string { return rd.r.Replace(s) }

// header reports whether a header's value is hidden whatever it holds.
func (rd *redactor) header(name string) bool {
	if rd.headers[http.CanonicalHeaderKey(name)] {
		return true
	}
	lower := strings.ToLower(name)
	for _, w := range sensitiveHeaderWords {
		if strings.Contains(lower, w) {
			return true
		}
	}
	return false
}

// headerMap flattens and redacts headers.
func (rd *redactor) headerMap(h http.Header) map[string]string {
	out := make(map[string]string, len(h))
	for name, values := range h {
		if rd.header(name) {
			out[name] = Redacted
			continue
		}
		out[name] = rd.text(strings.Join(values, ", "))
	}
	return out
}

// body redacts and cuts a body for a trace. Only the head is redacted, so
// a large answer costs little; the margin keeps a secret that straddles the
// cut from surviving in part.
func (rd *redactor) body(b []byte) string {
	const margin = 512
	head := b
	if len(head) > MaxTraceBody+margin {
		head = head[:MaxTraceBody+margin]
	}
	s := rd.text(string(head))
	if len(s) <= MaxTraceBody && len(head) == len(b) {
		return s
	}
	return cutBytes(s, MaxTraceBody-len("…")) + "…"
}

// data renders mapped data as indented JSON, redacted and cut like a body:
// an upstream that echoes a request header or parameter into its answer
// must not put a credential on the try-it page through the mapped data.
func (rd *redactor) data(v any) string {
	const margin = 512
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return ""
	}
	head := b
	if len(head) > MaxTraceData+margin {
		head = head[:MaxTraceData+margin]
	}
	s := rd.text(string(head))
	if len(s) <= MaxTraceData && len(head) == len(b) {
		return s
	}
	return cutBytes(s, MaxTraceData-len("…")) + "…"
}

// excerpt redacts and cuts an answer to MaxExcerpt characters.
func (rd *redactor) excerpt(b []byte) string {
	head := b
	if len(head) > 4*MaxExcerpt+512 {
		head = head[:4*MaxExcerpt+512]
	}
	s := strings.TrimSpace(strings.ToValidUTF8(rd.text(string(head)), ""))
	if utf8.RuneCountInString(s) <= MaxExcerpt {
		return s
	}
	r := []rune(s)
	return string(r[:MaxExcerpt-1]) + "…"
}

// trace records a request, redacted.
func (rd *redactor) trace(r *http.Request, body []byte) Trace {
	return Trace{Method: r.Method, URL: rd.text(r.URL.String()), Headers: rd.headerMap(r.Header), Body: rd.body(body)}
}

// answerTrace records an answer, redacted.
func (rd *redactor) answerTrace(resp *http.Response, body []byte) Trace {
	t := Trace{Headers: rd.headerMap(resp.Header), Body: rd.body(body)}
	if resp.Request != nil {
		t.Method, t.URL = resp.Request.Method, rd.text(resp.Request.URL.String())
	}
	return t
}

// cutBytes cuts s to at most n bytes on a character boundary.
func cutBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// jsonEscape writes s as the inside of a JSON string; html selects the
// \u003c form of <, > and & that encoding/json writes by default.
func jsonEscape(s string, html bool) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(html)
	_ = enc.Encode(s) // a string always encodes
	out := strings.TrimSuffix(b.String(), "\n")
	return out[1 : len(out)-1]
}
