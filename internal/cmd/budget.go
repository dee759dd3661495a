package cmd

import (
	"context"
	"sync"
	"time"
)

// budget is a command's --timeout as a context: it ends the run when the
// time is used up, but the time the user takes to answer a prompt does
// not count, so that reading a change set is never cut short. Its Err is
// context.DeadlineExceeded once the time is used up, as a context with a
// deadline would say, which is how deploy tells a time-out from Ctrl-C.
type budget struct {
	context.Context
	cancel context.CancelFunc

	mu      sync.Mutex
	left    time.Duration
	started time.Time
	timer   *time.Timer
	expired bool
}

// newBudget starts a budget of d under parent; cancel releases it.
func newBudget(parent context.Context, d time.Duration) (*budget, context.CancelFunc) {
	ctx, cancel := context.WithCancel(parent)
	b := &budget{Context: ctx, cancel: cancel, left: d}
	b.resume()
	return b, func() {
		b.mu.Lock()
		b.timer.Stop()
		b.mu.Unlock()
		cancel()
	}
}

// pause stops the clock.
func (b *budget) pause() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.timer != nil && b.timer.Stop() {
		b.left -= time.Since(b.started)
		b.timer = nil
	}
}

// resume starts the clock again with the time left.
func (b *budget) resume() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.timer != nil || b.expired {
		return
	}
	b.started = time.Now()
	b.timer = time.AfterFunc(max(b.left, 0), func() {
		b.mu.Lock()
		b.expired = true
		b.mu.Unlock()
		b.cancel()
	})
}

// Err is context.DeadlineExceeded when the time ran out first, and the
// parent's error (Ctrl-C) otherwise.
func (b *budget) Err() error {
	err := b.Context.Err()
	b.mu.Lock()
	defer b.mu.Unlock()
	if err != nil && b.expired {
		return context.DeadlineExceeded
	}
	return err
}

// untimed wraps a prompt so that the budget of ctx, if it has one, stops
// while the user is asked.
func untimed(ctx context.Context, prompt func(string) (bool, error)) func(string) (bool, error) {
	b, ok := ctx.(*budget)
	if !ok || prompt == nil {
		return prompt
	}
	return func(q string) (bool, error) {
		b.pause()
		defer b.resume()
		return prompt(q)
	}
}
