package executor

import (
	"crypto/sha256"
	"encoding/json"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"switchboard/apperr"
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
// answer (as written, URL-encoded, XML-escaped and JSON-escaped), and any
// run of at least fragmentLen bytes of one of those forms: an upstream
// that quotes part of a key ("invalid key sk-abc123…") must not put that
// part on a page, in a log or in an agent's answer either.
type redactor struct {
	// short holds the forms shorter than fragmentLen, found only whole.
	short []string
	// grams holds every fragmentLen-byte run of the longer forms, and
	// filter a bit per hash of them so that most places are passed over
	// without a map lookup.
	grams   map[uint64]struct{}
	filter  []uint64
	headers map[string]bool
	// whole holds every form, for numbers (see tree).
	whole map[string]bool
}

// fragmentLen is the shortest part of a secret hidden on its own.
const fragmentLen = 8

// filterBits is the size of the fragment filter (2 KiB).
const filterBits = 1 << 14

// newRedactor builds a redactor for secrets; extraHeaders are header names
// (such as the api_key header) to hide whatever they hold.
func newRedactor(secrets []string, extraHeaders ...string) *redactor {
	rd := &redactor{headers: map[string]bool{}, whole: map[string]bool{}}
	for _, s := range secrets {
		if len(s) < minSecretLen {
			continue
		}
		for _, f := range []string{s, url.QueryEscape(s), url.PathEscape(s), xmlEscape(s), jsonEscape(s, false), jsonEscape(s, true)} {
			if !rd.whole[f] {
				rd.whole[f] = true
				rd.addForm(f)
			}
		}
	}
	for _, h := range extraHeaders {
		if h != "" {
			rd.headers[http.CanonicalHeaderKey(h)] = true
		}
	}
	return rd
}

// addForm adds one form of a secret.
func (rd *redactor) addForm(f string) {
	if len(f) < fragmentLen {
		rd.short = append(rd.short, f)
		return
	}
	if rd.grams == nil {
		rd.grams, rd.filter = map[uint64]struct{}{}, make([]uint64, filterBits/64)
	}
	for i := 0; i+fragmentLen <= len(f); i++ {
		g := load8(f, i)
		rd.grams[g] = struct{}{}
		h := gramHash(g)
		rd.filter[h/64] |= 1 << (h % 64)
	}
}

// load8 reads the fragmentLen bytes of s at i as one number.
func load8(s string, i int) uint64 {
	_ = s[i+7]
	return uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
		uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
}

// gramHash places a fragment in the filter.
func gramHash(g uint64) uint64 { return (g * 0x9E3779B97F4A7C15) >> (64 - 14) }

// empty reports a redactor with nothing to hide in text.
func (rd *redactor) empty() bool { return len(rd.short) == 0 && rd.grams == nil }

// text hides the secrets, and the fragments of them, in s.
func (rd *redactor) text(s string) string {
	if rd.empty() || len(s) < minSecretLen {
		return s
	}
	var marks []span
	if rd.grams != nil {
		for i := 0; i+fragmentLen <= len(s); i++ {
			g := load8(s, i)
			if h := gramHash(g); rd.filter[h/64]&(1<<(h%64)) == 0 {
				continue
			}
			if _, ok := rd.grams[g]; ok {
				marks = addSpan(marks, span{i, i + fragmentLen})
			}
		}
	}
	for _, f := range rd.short {
		for at := 0; ; {
			i := strings.Index(s[at:], f)
			if i < 0 {
				break
			}
			marks = addSpan(marks, span{at + i, at + i + len(f)})
			at += i + 1
		}
	}
	if marks == nil {
		return s
	}
	return cover(s, marks)
}

// span is a byte range [from, to) of a text to hide.
type span struct{ from, to int }

// addSpan adds sp to spans, which stay sorted and joined where they touch
// or overlap: fragments are found left to right, so only the last span
// may meet the new one (whole short forms come afterwards and are merged
// by cover).
func addSpan(spans []span, sp span) []span {
	if n := len(spans); n > 0 && sp.from <= spans[n-1].to && sp.from >= spans[n-1].from {
		spans[n-1].to = max(spans[n-1].to, sp.to)
		return spans
	}
	return append(spans, sp)
}

// cover replaces each run of hidden bytes of s, widened to whole
// characters, with Redacted.
func cover(s string, spans []span) string {
	slices.SortFunc(spans, func(a, b span) int { return a.from - b.from })
	var b strings.Builder
	b.Grow(len(s))
	at, written := 0, false
	for _, sp := range spans {
		from, to := sp.from, sp.to
		for from > 0 && !utf8.RuneStart(s[from]) {
			from--
		}
		for to < len(s) && !utf8.RuneStart(s[to]) {
			to++
		}
		if to <= at {
			continue
		}
		if !written || from > at { // else it meets the run written last
			b.WriteString(s[at:from])
			b.WriteString(Redacted)
			written = true
		}
		at = to
	}
	b.WriteString(s[at:])
	return b.String()
}

// tree hides the secrets in a parsed answer, in place: every string and
// map key, and a number that is a secret. Whatever is made of the answer
// afterwards (the extracted and mapped data, ids, messages) then holds
// none. Numbers are hidden only whole: eight digits of a numeric
// credential inside an unrelated number (a record id) are chance, and
// turning ids into text would break what is made of them.
func (rd *redactor) tree(v any) any {
	if rd.empty() {
		return v
	}
	switch t := v.(type) {
	case string:
		if r := rd.text(t); r != t {
			return r
		}
	case json.Number:
		if rd.whole[string(t)] {
			return Redacted
		}
	case []any:
		for i, x := range t {
			t[i] = rd.tree(x)
		}
	case map[string]any:
		rd.object(t)
	}
	return v // a value left as it was keeps its interface (no new box)
}

// object hides the secrets of an object's keys and values in place.
func (rd *redactor) object(t map[string]any) {
	var renamed map[string]any
	for k, x := range t {
		y := rd.tree(x)
		if rk := rd.text(k); rk != k {
			if renamed == nil {
				renamed = map[string]any{}
			}
			renamed[rk] = y
			delete(t, k)
			continue
		}
		t[k] = y
	}
	maps.Copy(t, renamed)
}

// redactor returns the call's redactor over the secrets known so far,
// built again only when a secret was added (an OAuth token).
func (c *call) redactor() *redactor {
	if c.rd == nil || c.rdFor != len(c.secrets) {
		c.rd, c.rdFor = cachedRedactor(c.secrets, c.doc.Auth.Header), len(c.secrets)
	}
	return c.rd
}

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

// headerValues returns h with the secrets hidden in its values, copied
// only when one holds any.
func (rd *redactor) headerValues(h http.Header) http.Header {
	if rd.empty() {
		return h
	}
	var out http.Header
	for name, values := range h {
		for i, v := range values {
			r := rd.text(v)
			if r == v {
				continue
			}
			if out == nil {
				out = h.Clone()
			}
			out[name][i] = r
		}
	}
	if out == nil {
		return h
	}
	return out
}

// scrub hides the secrets in an error the call answers: its message, its
// field messages and its upstream excerpt. Every error text an upstream
// may have a hand in passes here, whatever built it.
func (rd *redactor) scrub(err error) error {
	ae, ok := err.(*apperr.Error)
	if !ok || rd.empty() {
		return err
	}
	c := *ae
	c.Message = rd.text(ae.Message)
	if len(ae.Fields) > 0 {
		c.Fields = make([]apperr.FieldError, len(ae.Fields))
		for i, f := range ae.Fields {
			c.Fields[i] = apperr.FieldError{Field: f.Field, Message: rd.text(f.Message)}
		}
	}
	if ex := ae.UpstreamExcerpt(); ex != "" {
		return c.With(apperr.ExtraUpstreamExcerpt, rd.text(ex))
	}
	return &c
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

// redactors keeps the redactors built lately, by a digest of their secrets
// and header: the calls of an integration repeat the same credentials, and
// building one reads every 8-byte run of six forms of each secret (a
// redactor is read-only once built). At most maxRedactors are kept.
var redactors = struct {
	sync.Mutex
	m map[[sha256.Size]byte]*redactor
}{m: map[[sha256.Size]byte]*redactor{}}

const maxRedactors = 256

// cachedRedactor is newRedactor(secrets, header), built once per set.
func cachedRedactor(secrets []string, header string) *redactor {
	h := sha256.New()
	for _, s := range secrets {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	h.Write([]byte(header))
	var k [sha256.Size]byte
	h.Sum(k[:0])
	redactors.Lock()
	rd, ok := redactors.m[k]
	redactors.Unlock()
	if ok {
		return rd
	}
	rd = newRedactor(secrets, header)
	redactors.Lock()
	if len(redactors.m) >= maxRedactors {
		clear(redactors.m)
	}
	redactors.m[k] = rd
	redactors.Unlock()
	return rd
}

// lastExchange is the last request sent and its answer (nil when none
// came), as they were: only lastTrace reads them, through the redactor.
type lastExchange struct {
	req  *http.Request
	body []byte
	resp *http.Response
	head []byte
}

// lastTrace fills the Result's Request and Response from the last
// exchange of a failed call that asked for no trace, so that the call log
// keeps what was sent and answered (redacted) without the successful calls
// of the agents' hot path paying for it.
func (c *call) lastTrace(res *Result, err error) {
	if err == nil || c.req.Trace || c.last.req == nil {
		return
	}
	rd := c.redactor()
	res.Request = rd.trace(c.last.req, c.last.body)
	if c.last.resp != nil {
		res.Response = rd.answerTrace(c.last.resp, c.last.head)
	}
}
