package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// target is one way of reaching the upstream.
type target struct {
	Key, Name string
	// request builds one request; it is called once per request.
	request func(ctx context.Context) (*http.Request, error)
	// check says whether an answer is a success.
	check func(status int, body []byte) error
	// externalCPU is the CPU time used so far by helper processes (nginx);
	// nil when everything runs in this process.
	externalCPU func() time.Duration
}

// getPatient returns a target that sends GET {base}/patients/42 with the
// upstream's credentials, as a client of the upstream or of a proxy would.
func getPatient(key, name, base string) *target {
	url := base + "/patients/" + strconv.Itoa(benchPatNum)
	return &target{Key: key, Name: name,
		request: func(ctx context.Context) (*http.Request, error) {
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
			if err != nil {
				return nil, err
			}
			req.Header.Set("Authorization", upstreamAuth)
			return req, nil
		},
		check: checkPatient,
	}
}

// patientMarker is in every correct answer, bare or wrapped by Switchboard.
var patientMarker = []byte(`"PatNum":` + strconv.Itoa(benchPatNum) + `,`)

func checkPatient(status int, body []byte) error {
	if status != http.StatusOK {
		return fmt.Errorf("status %d: %s", status, excerpt(body))
	}
	if !bytes.Contains(body, patientMarker) {
		return fmt.Errorf("answer lacks %s: %s", patientMarker, excerpt(body))
	}
	return nil
}

func excerpt(b []byte) string {
	if len(b) > 200 {
		return string(b[:200]) + "…"
	}
	return string(b)
}
