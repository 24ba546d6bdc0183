package syncer

import (
	"context"
	"slices"
	"strings"

	"switchboard/apperr"
	"switchboard/models"
)

// RetryLimit is how many jobs one RetryMatching retries at most.
const RetryLimit = 200

// RetryEach retries the jobs of ids and counts those retried; a job gone
// or no longer open is passed over.
func (m *Manager) RetryEach(ctx context.Context, orgID int64, ids []int64) (int, error) {
	retried := 0
	for _, id := range ids {
		if err := m.Retry(ctx, orgID, id); err == nil {
			retried++
		} else if !apperr.IsNotFound(err) && apperr.Code(err) != apperr.CodeConflict {
			return retried, err
		}
	}
	return retried, nil
}

// RetryMatching retries the jobs f selects (failed and retrying ones when
// it names no status), RetryLimit at most, leaving conflicts alone when
// asked to, and counts those retried.
func (m *Manager) RetryMatching(ctx context.Context, orgID int64, f JobFilter, skipConflicts bool) (int, error) {
	if len(f.Status) == 0 {
		f.Status = []string{models.JobFailed, models.JobRetrying}
	}
	f.Limit = RetryLimit
	jobs, err := m.Jobs(ctx, orgID, f)
	if err != nil {
		return 0, err
	}
	ids := make([]int64, 0, len(jobs))
	for _, j := range jobs {
		if !skipConflicts || j.Status != models.JobConflict {
			ids = append(ids, j.ID)
		}
	}
	return m.RetryEach(ctx, orgID, ids)
}

// jobStatuses are the statuses the error log filters by.
var jobStatuses = []string{models.JobPending, models.JobRetrying, models.JobFailed, models.JobConflict, models.JobSynced, models.JobDismissed}

// ParseStatuses reads a comma-separated list of job statuses; an unknown
// one is an invalid request naming the field status.
func ParseStatuses(list string) ([]string, error) {
	var out []string
	for _, st := range strings.Split(list, ",") {
		if st = strings.TrimSpace(st); !slices.Contains(jobStatuses, st) {
			return nil, &apperr.Error{Code: apperr.CodeInvalidRequest, Message: "unknown status " + st,
				Fields: []apperr.FieldError{{Field: "status", Message: "must be pending, retrying, failed, conflict, synced or dismissed"}}}
		}
		out = append(out, st)
	}
	return out, nil
}
