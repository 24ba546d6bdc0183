// Package respcache holds the answers of read functions that declare a
// cache_ttl: in this process by default (a bounded LRU), or in Redis,
// shared by every process. Each organization × integration has a
// generation that is part of every key; a write through the integration
// bumps it, so every process stops finding the older entries at once.
package respcache

import (
	"context"
	"strconv"
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
)

// Cache stores answers by key for a while and keeps the generation of
// each scope (one organization's integration).
type Cache interface {
	// Get returns the value stored under key, if any and not expired.
	Get(ctx context.Context, key string) ([]byte, bool, error)
	// Set stores value under key for ttl.
	Set(ctx context.Context, key string, value []byte, ttl time.Duration) error
	// Generation returns the scope's current generation.
	Generation(ctx context.Context, scope string) (int64, error)
	// Invalidate bumps the scope's generation: no earlier entry is found
	// again.
	Invalidate(ctx context.Context, scope string) error
}

// Scope names one organization's integration.
func Scope(orgID int64, slug string) string {
	return strconv.FormatInt(orgID, 10) + ":" + slug
}

// DefaultEntries bounds the in-process cache.
const DefaultEntries = 10_000

// Memory is the in-process Cache.
type Memory struct {
	now     func() time.Time
	entries *lru.Cache[string, memEntry]
	mu      sync.Mutex
	gens    map[string]int64
}

type memEntry struct {
	value   []byte
	expires time.Time
}

// NewMemory returns an in-process cache of at most size entries (default
// DefaultEntries); now is its clock (default time.Now).
func NewMemory(size int, now func() time.Time) *Memory {
	if size <= 0 {
		size = DefaultEntries
	}
	if now == nil {
		now = time.Now
	}
	c, _ := lru.New[string, memEntry](size) // size is positive
	return &Memory{now: now, entries: c, gens: map[string]int64{}}
}

// Get implements Cache.
func (m *Memory) Get(_ context.Context, key string) ([]byte, bool, error) {
	e, ok := m.entries.Get(key)
	if !ok {
		return nil, false, nil
	}
	if !m.now().Before(e.expires) {
		m.entries.Remove(key)
		return nil, false, nil
	}
	return e.value, true, nil
}

// Set implements Cache.
func (m *Memory) Set(_ context.Context, key string, value []byte, ttl time.Duration) error {
	m.entries.Add(key, memEntry{value: value, expires: m.now().Add(ttl)})
	return nil
}

// Generation implements Cache.
func (m *Memory) Generation(_ context.Context, scope string) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.gens[scope], nil
}

// Invalidate implements Cache.
func (m *Memory) Invalidate(_ context.Context, scope string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.gens[scope]++
	return nil
}
