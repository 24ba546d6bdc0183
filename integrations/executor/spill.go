package executor

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
)

// DefaultMaxSpillBytes bounds the bytes of answers waiting in spill files
// at once (about 50 answers at the 10 MiB cap); one organization may take
// three quarters of it, so others always find room.
const DefaultMaxSpillBytes = 512 << 20

// errSpillFull reports that the spill files hold as much as they may.
var errSpillFull = errors.New("executor: the spill files are full")

// spill keeps answers longer than their first room on disk while they
// arrive, so that a long or slow answer holds no memory until it is
// whole. Temporary files are removed as soon as they are created (on
// systems that allow it), so a killed process leaves none behind.
type spill struct {
	dir string
	max int64

	mu    sync.Mutex
	bytes int64
	orgs  map[int64]int64
}

// take counts n more bytes of org's spill files; false when that would
// pass the bound, or three quarters of it for one organization.
func (s *spill) take(org, n int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.bytes+n > s.max || s.orgs[org]+n > s.max/4*3 {
		return false
	}
	if s.orgs == nil {
		s.orgs = map[int64]int64{}
	}
	s.bytes += n
	s.orgs[org] += n
	return true
}

// give gives back n bytes of org's spill files.
func (s *spill) give(org, n int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.bytes -= n
	if s.orgs[org] -= n; s.orgs[org] <= 0 {
		delete(s.orgs, org)
	}
}

// received is an answer's body once it has arrived: in memory when it
// fitted its first room, else in a spill file.
type received struct {
	mem  []byte
	file *os.File
	size int64
	sp   *spill
	org  int64
	// counted is what the file adds to the spill's bytes.
	counted int64
}

// reader reads the body from its start.
func (g *received) reader() (io.Reader, error) {
	if g.file == nil {
		return bytes.NewReader(g.mem), nil
	}
	if _, err := g.file.Seek(0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("executor: spill file: %w", err)
	}
	return bufio.NewReaderSize(g.file, 64<<10), nil
}

// close drops the body and its spill file.
func (g *received) close() {
	if g.file == nil {
		return
	}
	name := g.file.Name()
	_ = g.file.Close()
	_ = os.Remove(name) // already gone where an open file may be removed
	g.sp.give(g.org, g.counted)
	g.file = nil
}

// receive reads an answer of organization org through br: into memory
// when it ends within room bytes, else on into a spill file. A spilled
// answer gives back its room at once (release), since the file holds it.
func (s *spill) receive(org int64, br *bodyReader, room int64, release func()) (*received, error) {
	var buf bytes.Buffer
	buf.Grow(int(min(room, 64<<10)) + 1)
	if _, err := buf.ReadFrom(io.LimitReader(br, room+1)); err != nil {
		return nil, err
	}
	if int64(buf.Len()) <= room {
		if br.err != nil {
			return nil, br.err
		}
		return &received{mem: buf.Bytes(), size: br.n}, nil
	}
	f, err := os.CreateTemp(s.dir, "switchboard-answer-*")
	if err != nil {
		return nil, fmt.Errorf("executor: spill file: %w", err)
	}
	_ = os.Remove(f.Name())
	g := &received{file: f, sp: s, org: org}
	w := &spillWriter{g: g}
	if _, err := w.Write(buf.Bytes()); err != nil {
		g.close()
		return nil, err
	}
	buf = bytes.Buffer{}
	release()
	if _, err := io.Copy(w, br); err != nil {
		g.close()
		return nil, err
	}
	g.size = br.n
	return g, nil
}

// spillWriter writes to a spill file within the spill's bound.
type spillWriter struct{ g *received }

// Write implements io.Writer.
func (w *spillWriter) Write(p []byte) (int, error) {
	n := int64(len(p))
	if !w.g.sp.take(w.g.org, n) {
		return 0, errSpillFull
	}
	w.g.counted += n
	written, err := w.g.file.Write(p)
	if err != nil {
		return written, fmt.Errorf("executor: spill file: %w", err)
	}
	return written, nil
}
