package handlers

import (
	"strings"
	"testing"

	"switchboard/models"
)

// TestRetryFlashSaysWhyAJobWaits: a retried job still pending says what it
// waits for (its last error: an open circuit, the patient, an access
// window) instead of only "has not run yet".
func TestRetryFlashSaysWhyAJobWaits(t *testing.T) {
	for _, tc := range []struct {
		job        models.SyncJob
		kind, want string
	}{
		{models.SyncJob{ID: 6, Status: models.JobPending, LastError: "circuit_open: opendental (production) is failing"}, "info", "waiting — circuit_open: opendental"},
		{models.SyncJob{ID: 7, Status: models.JobPending}, "info", "has not run yet"},
		{models.SyncJob{ID: 8, Status: models.JobSynced}, "success", "Job #8: synced."},
		{models.SyncJob{ID: 9, Status: models.JobFailed, LastError: "operatory_ref: is required"}, "error", "failed again — operatory_ref: is required"},
	} {
		kind, msg := retryFlash(&tc.job)
		if kind != tc.kind || !strings.Contains(msg, tc.want) {
			t.Errorf("retryFlash(%s, %q) = %s %q, want %s containing %q", tc.job.Status, tc.job.LastError, kind, msg, tc.kind, tc.want)
		}
	}
}
