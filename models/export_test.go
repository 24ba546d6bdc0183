package models

// QueuedWrites is the number of write transactions waiting for their
// group (SQLite; 0 elsewhere).
func QueuedWrites(s *Store) int {
	if s.txMu == nil {
		return 0
	}
	s.txMu.mu.Lock()
	defer s.txMu.mu.Unlock()
	return len(s.txMu.pending)
}

// ExternalRefSQL is the prepared read of a record's reference.
const ExternalRefSQL = externalRefSQL
