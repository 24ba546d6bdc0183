package registry

import (
	"sync"

	"switchboard/apperr"
)

// MaxImports is how many imports one process runs at once, whatever
// their organizations: an import takes up to ten times its document's
// size in memory (a 20 MiB document, about 200 MiB) and a core for
// seconds.
const MaxImports = 2

// importRetryAfter is the wait a refused import is told, in seconds: a
// large document takes a few seconds to import.
const importRetryAfter = 5

// importGate lets one import per organization run at a time, and at most
// MaxImports in all; an import it cannot let in is refused at once
// (rate_limited, 429 with Retry-After) rather than queued, so that no
// document waits in memory for its turn.
type importGate struct {
	mu      sync.Mutex
	orgs    map[int64]bool
	running int
}

// enter lets an import of orgID in, returning the function that lets it
// out.
func (g *importGate) enter(orgID int64) (func(), error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.orgs[orgID] {
		return nil, apperr.New(apperr.CodeRateLimited,
			"another import of this organization is running; send this one when it has finished").WithRetryAfter(importRetryAfter)
	}
	if g.running >= MaxImports {
		return nil, apperr.New(apperr.CodeRateLimited,
			"%d imports are running, as many as the server runs at once; try again shortly", g.running).WithRetryAfter(importRetryAfter)
	}
	if g.orgs == nil {
		g.orgs = map[int64]bool{}
	}
	g.orgs[orgID] = true
	g.running++
	return func() {
		g.mu.Lock()
		defer g.mu.Unlock()
		delete(g.orgs, orgID)
		g.running--
	}, nil
}
