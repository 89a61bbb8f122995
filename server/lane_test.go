package server

import (
	"sync"
	"sync/atomic"
	"testing"
)

// The lane gives one turn at a time, in turn to every goroutine that
// asks, passing through the network poller between turns; once closed,
// it holds no one up.
func TestLaneGivesOneTurnAtATime(t *testing.T) {
	l := newLane()
	l.start()
	var in, most, turns atomic.Int32
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				l.acquire()
				n := in.Add(1)
				for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
				}
				turns.Add(1)
				in.Add(-1)
				l.release()
			}
		}()
	}
	wg.Wait()
	if most.Load() != 1 || turns.Load() != 1000 {
		t.Fatalf("%d turns, up to %d at once", turns.Load(), most.Load())
	}
	l.close()
	done := make(chan struct{})
	go func() {
		for range 3 {
			l.acquire()
			l.acquire()
			l.release()
		}
		close(done)
	}()
	<-done
}
