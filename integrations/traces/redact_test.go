package traces

import (
	"strings"
	"testing"
)

func TestExcerptRedactsCredentialsAndCards(t *testing.T) {
	in := map[string]any{
		"transcript": "My card is 4111 1111 1111 1111, charge the copay. Call 5125550101.",
		"api_key":    "sk-live-abcdef123456",
		"headers":    map[string]any{"Authorization": "Bearer abc.def.ghi"},
		"note":       "use token=abcd1234efgh and Bearer eyJhbGciOiJIUzI1NiJ9xxxx",
		"order":      "order 1234567890123 is not a card",
	}
	got := Excerpt(in)
	for _, leak := range []string{"4111", "sk-live", "abc.def", "abcd1234efgh", "eyJhbGci"} {
		if strings.Contains(got, leak) {
			t.Errorf("excerpt keeps %q: %s", leak, got)
		}
	}
	for _, keep := range []string{Card, Redacted, "5125550101", "1234567890123", "charge the copay"} {
		if !strings.Contains(got, keep) {
			t.Errorf("excerpt lacks %q: %s", keep, got)
		}
	}
	if s := Excerpt("card 5500-0000-0000-0004 ok"); s != "card [card] ok" {
		t.Errorf("dashed card = %q", s)
	}
}

func TestExcerptIsBounded(t *testing.T) {
	long := strings.Repeat("é", MaxExcerpt)
	got := Excerpt(long)
	if len(got) > MaxExcerpt+len("…") || !strings.HasSuffix(got, "…") {
		t.Errorf("excerpt of %d bytes = %d bytes", len(long), len(got))
	}
	if Excerpt(nil) != "" {
		t.Errorf("nil excerpt is not empty")
	}
}
