package loop

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestEveryCallsUntilTheContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	calls := 0
	Every(ctx, time.Millisecond, func(ctx context.Context) {
		calls++
		if calls == 3 {
			cancel()
		}
		if calls > 3 && ctx.Err() != nil {
			t.Errorf("call %d after the context ended", calls)
		}
	})
	if calls != 3 {
		t.Errorf("calls = %d, want 3 (the context ended in the third)", calls)
	}
}

func TestEveryReturnsAtOnceOnAnEndedContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	calls := 0
	Every(ctx, time.Hour, func(context.Context) { calls++ })
	if calls != 0 {
		t.Errorf("calls = %d, want none", calls)
	}
}

func TestUntil(t *testing.T) {
	boom := errors.New("boom")
	tests := []struct {
		name      string
		results   []error // check's error per call; nil means "not done yet" until the last
		doneAt    int     // the call that reports done (0: never)
		cancelled bool
		want      error
		wantCalls int
	}{
		{name: "done at once", doneAt: 1, want: nil, wantCalls: 1},
		{name: "done on the third check", doneAt: 3, want: nil, wantCalls: 3},
		{name: "a failing check ends the wait", results: []error{nil, boom}, want: boom, wantCalls: 2},
		{name: "an ended context", cancelled: true, want: context.Canceled, wantCalls: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if tt.cancelled {
				cancel()
			}
			calls := 0
			err := Until(ctx, time.Millisecond, func(context.Context) (bool, error) {
				calls++
				if calls <= len(tt.results) && tt.results[calls-1] != nil {
					return false, tt.results[calls-1]
				}
				return calls == tt.doneAt, nil
			})
			if !errors.Is(err, tt.want) || calls != tt.wantCalls {
				t.Errorf("Until = %v after %d checks, want %v after %d", err, calls, tt.want, tt.wantCalls)
			}
		})
	}
}

func TestReceiveHandsValuesAndTicksUntilTheContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	in := make(chan int)
	go func() {
		for i := 1; i <= 3; i++ {
			in <- i
		}
	}()
	var got []int
	ticks := 0
	Receive(ctx, time.Millisecond, in, func(v int) { got = append(got, v) }, func(context.Context) {
		ticks++
		if len(got) == 3 && ticks >= 2 {
			cancel()
		}
	})
	if len(got) != 3 || got[0] != 1 || got[2] != 3 {
		t.Fatalf("values %v, want 1 2 3 in order", got)
	}
	if ticks < 2 {
		t.Fatalf("%d ticks, want 2 or more", ticks)
	}
}
