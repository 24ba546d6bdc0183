package registry

import (
	"sync"
	"time"

	"switchboard/auth"
)

// PreviewTTL is how long an uploaded document waits for "Apply".
const PreviewTTL = 30 * time.Minute

// Previews keep the documents uploaded to the import page between their
// preview and its apply, in memory: with several processes behind one
// address, a preview must be applied on the process that made it (an
// expired or unknown one asks for the upload again).
type Previews struct {
	mu    sync.Mutex
	items map[string]Preview
}

// Preview is an uploaded document waiting for Apply: who uploaded it, the
// document and its file name, and the options to import it with.
type Preview struct {
	OrgID   int64
	UserID  int64
	Data    []byte
	File    string
	Options ImportOptions
	expires time.Time
}

// NewPreviews returns an empty store.
func NewPreviews() *Previews { return &Previews{items: map[string]Preview{}} }

// Put keeps p for PreviewTTL and returns the token that takes it back.
func (s *Previews) Put(p Preview) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	for k, v := range s.items {
		if now.After(v.expires) {
			delete(s.items, k)
		}
	}
	tok := auth.NewToken()
	p.expires = now.Add(PreviewTTL)
	s.items[tok] = p
	return tok
}

// Take returns the preview of tok, once, when the same user of the same
// organization uploaded it and it has not expired.
func (s *Previews) Take(tok string, orgID, userID int64) (Preview, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.items[tok]
	if !ok || time.Now().After(p.expires) || p.OrgID != orgID || p.UserID != userID {
		return Preview{}, false
	}
	delete(s.items, tok)
	return p, true
}
