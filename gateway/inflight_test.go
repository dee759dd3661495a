package gateway

import (
	"context"
	"testing"
	"time"
)

// TestByteBudget: room is taken and given back in bytes; a request that
// finds none waits for it until its deadline, and one that is larger
// than the whole budget takes all of it rather than wait forever.
func TestByteBudget(t *testing.T) {
	b := newByteBudget(100)
	ctx := context.Background()
	soon := func() time.Time { return time.Now().Add(20 * time.Millisecond) }
	if !b.acquire(ctx, 60, soon()) || !b.acquire(ctx, 40, soon()) {
		t.Fatal("100 bytes of a budget of 100 were refused")
	}
	if b.acquire(ctx, 1, soon()) {
		t.Fatal("a full budget gave room")
	}
	got := make(chan bool)
	go func() { got <- b.acquire(ctx, 50, time.Now().Add(10*time.Second)) }()
	time.Sleep(10 * time.Millisecond)
	b.release(60)
	if !<-got {
		t.Fatal("a waiter did not get the room released")
	}
	b.release(40)
	b.release(50)
	if !b.acquire(ctx, 1000, soon()) {
		t.Fatal("a request over the whole budget did not get it all")
	}
	b.release(1000)
	if b.free != 100 {
		t.Fatalf("free %d after everything was given back, want 100", b.free)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	b.acquire(ctx, 100, soon())
	if b.acquire(cancelled, 1, time.Now().Add(10*time.Second)) {
		t.Fatal("a request whose client left got room")
	}
}
