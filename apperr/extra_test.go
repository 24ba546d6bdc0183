package apperr

import "testing"

func TestExtraMembers(t *testing.T) {
	base := New(CodeUpstreamError, "no")
	e := base.WithUpstream(503, "busy").WithRetryAfter(7)
	if got := e.UpstreamStatus(); got != 503 {
		t.Errorf("UpstreamStatus = %d, want 503", got)
	}
	if got := e.UpstreamExcerpt(); got != "busy" {
		t.Errorf("UpstreamExcerpt = %q, want busy", got)
	}
	if got, ok := e.RetryAfter(); got != 7 || !ok {
		t.Errorf("RetryAfter = %d, %v; want 7, true", got, ok)
	}
	if _, ok := base.RetryAfter(); ok || base.UpstreamStatus() != 0 || base.UpstreamExcerpt() != "" || base.Extra != nil {
		t.Errorf("the original error changed or reads members it lacks: %+v", base)
	}
	if _, ok := base.WithUpstream(404, "").Extra[ExtraUpstreamExcerpt]; ok {
		t.Error("an empty excerpt is stored")
	}
}

func TestSlotTaken(t *testing.T) {
	e := SlotTaken(42, "taken by appointment %d", 42)
	if e.Code != CodeSlotTaken || e.Message != "taken by appointment 42" {
		t.Fatalf("SlotTaken = %+v", e)
	}
	if id, ok := e.ConflictingAppointmentID(); id != 42 || !ok {
		t.Errorf("ConflictingAppointmentID = %d, %v; want 42, true", id, ok)
	}
	if _, ok := New(CodeConflict, "x").ConflictingAppointmentID(); ok {
		t.Error("an error without the member names a conflicting appointment")
	}
}
