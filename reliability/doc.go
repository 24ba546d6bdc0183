// Package reliability holds the crash and outage suite: the real server is
// built once and run as a subprocess on a loopback port, against an Open
// Dental sandbox served by the test process (so that it outlives the
// server), and killed with SIGKILL while clients keep writing with
// Idempotency-Keys. The tests check what a practice relies on after a
// crash: every acknowledged record exists once, locally and upstream, and
// every key finally gets its answer. They run on SQLite and, when
// SWITCHBOARD_TEST_POSTGRES_DSN is set, on PostgreSQL; -short skips them.
package reliability
