package main

import (
	"errors"
	"fmt"
	"sort"
	"time"
)

// Round is one fixed-rate and one max-throughput phase of a target.
type Round struct {
	Fixed Latency
	Max   Throughput
}

// Result is what one target measured.
type Result struct {
	Key, Name string
	// Skipped says why the target was not measured ("not installed").
	Skipped string
	// Err is why the target could not be measured.
	Err    error
	Rounds []Round
	// Max is the round with the median throughput, Fixed the round with
	// the median p99.
	Max   Throughput
	Fixed Latency
	// MaxErrors and FixedErrors add up the errors of every round;
	// FirstErr is the first error seen.
	MaxErrors, FixedErrors int64
	FirstErr               string
}

// Measured reports whether the target ran.
func (r *Result) Measured() bool { return r.Skipped == "" && r.Err == nil && len(r.Rounds) > 0 }

// aggregate picks the median rounds and adds up the errors.
func (r *Result) aggregate() {
	if len(r.Rounds) == 0 {
		return
	}
	byRPS := append([]Round(nil), r.Rounds...)
	sort.SliceStable(byRPS, func(i, j int) bool { return byRPS[i].Max.RPS() < byRPS[j].Max.RPS() })
	r.Max = byRPS[(len(byRPS)-1)/2].Max
	byP99 := append([]Round(nil), r.Rounds...)
	sort.SliceStable(byP99, func(i, j int) bool { return byP99[i].Fixed.P99 < byP99[j].Fixed.P99 })
	r.Fixed = byP99[(len(byP99)-1)/2].Fixed
	for _, rd := range r.Rounds {
		r.MaxErrors += rd.Max.Errors
		r.FixedErrors += int64(rd.Fixed.Errors)
		for _, e := range []string{rd.Fixed.FirstErr, rd.Max.FirstErr} {
			if r.FirstErr == "" {
				r.FirstErr = e
			}
		}
	}
}

// Report is the outcome of one run.
type Report struct {
	Date    time.Time
	Options Options
	Machine Machine
	Results []*Result
	// BeforeSwitchboard is this whole process's memory before (d) was
	// built; AfterSwitchboard after the last round.
	BeforeSwitchboard, AfterSwitchboard Memory
	// End is this process's memory at the end of the run.
	End Memory
	// Nginx is nginx's memory (master and workers) after the last round.
	Nginx        *Memory
	NginxVersion string
	// LoadBefore and LoadAfter are the machine's load averages around the
	// run: other work on the machine competes for the same cores.
	LoadBefore, LoadAfter string
	// DroppedCalls is how many call records (d) dropped (buffer full).
	DroppedCalls int64
}

// Result returns the result of the target with the given key.
func (r *Report) Result(key string) *Result {
	for _, res := range r.Results {
		if res.Key == key {
			return res
		}
	}
	return nil
}

// Failed joins the errors of the targets that could not be measured.
func (r *Report) Failed() error {
	var errs []error
	for _, res := range r.Results {
		if res.Err != nil {
			errs = append(errs, fmt.Errorf("(%s) %s: %w", res.Key, res.Name, res.Err))
		}
	}
	return errors.Join(errs...)
}
