// Package loop runs the background chores that repeat on a ticker: one
// place for the ticker, its stop and the end of the context.
package loop

import (
	"context"
	"time"
)

// Every calls fn every d until ctx ends; the first call comes after d,
// and Every returns once ctx has ended and no call is running.
func Every(ctx context.Context, d time.Duration, fn func(context.Context)) {
	t := time.NewTicker(d)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			fn(ctx)
		}
	}
}

// Until calls check now and then every d until it reports done or fails,
// or ctx ends. It returns check's error, or ctx's when ctx ended first.
func Until(ctx context.Context, d time.Duration, check func(context.Context) (bool, error)) error {
	t := time.NewTicker(d)
	defer t.Stop()
	for {
		done, err := check(ctx)
		if done || err != nil {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

// Receive hands each value that arrives on in to onValue and calls onTick
// every d, until ctx ends. Both run on the caller's goroutine, so they may
// share state without locks.
func Receive[T any](ctx context.Context, d time.Duration, in <-chan T, onValue func(T), onTick func(context.Context)) {
	t := time.NewTicker(d)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case v := <-in:
			onValue(v)
		case <-t.C:
			onTick(ctx)
		}
	}
}
