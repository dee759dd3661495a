package cmd

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestBudgetStopsForPrompts: the time a prompt waits does not count
// against --timeout, the rest does, and running out reads as a deadline.
func TestBudgetStopsForPrompts(t *testing.T) {
	ctx, cancel := newBudget(context.Background(), 300*time.Millisecond)
	defer cancel()
	prompt := untimed(ctx, func(string) (bool, error) {
		time.Sleep(600 * time.Millisecond) // the user reads the change set
		return true, nil
	})
	if ok, _ := prompt("Execute?"); !ok || ctx.Err() != nil {
		t.Fatalf("the budget ran out while the user was asked: %v", ctx.Err())
	}
	select {
	case <-ctx.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("the budget never ran out")
	}
	if !errors.Is(ctx.Err(), context.DeadlineExceeded) {
		t.Errorf("a budget that ran out says %v, want a deadline", ctx.Err())
	}

	// Ctrl-C (the parent's cancel) is not a time-out.
	parent, interrupt := context.WithCancel(context.Background())
	ctx, cancel = newBudget(parent, time.Hour)
	defer cancel()
	interrupt()
	<-ctx.Done()
	if !errors.Is(ctx.Err(), context.Canceled) {
		t.Errorf("an interrupted budget says %v, want canceled", ctx.Err())
	}
}
