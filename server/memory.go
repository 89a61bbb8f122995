package server

import (
	"bytes"
	"runtime/debug"
	"sync"
	"time"
)

// What a connection holds between requests is small: its answers are
// made in buffers that go back to a pool once written, and a goroutine
// waits for requests without a buffer. What a burst of clients leaves
// behind once they have gone, the shrinker gives back to the system.

// keptOut is the largest answer buffer that goes back to the pool.
const keptOut = 2 * maxPending

// buffers are the server's pools of answer and request buffers.
type buffers struct {
	out, in sync.Pool // of *[]byte
}

// takeOut gives c's answers a buffer from the pool, if it has none.
func (s *Server) takeOut(c *client) {
	if c.out.Cap() == 0 {
		if b, ok := s.bufs.out.Get().(*[]byte); ok {
			c.out = *bytes.NewBuffer((*b)[:0])
		}
	}
}

// releaseOut gives c's answer buffer back to the pool, emptied.
func (s *Server) releaseOut(c *client) {
	c.out.Reset()
	if b := c.out.Bytes(); cap(b) > 0 {
		c.out = bytes.Buffer{}
		if cap(b) <= keptOut {
			s.bufs.out.Put(&b)
		}
	}
}

// readBuf is a buffer of readSize for a client's requests.
func (s *Server) readBuf() *[]byte {
	if b, ok := s.bufs.in.Get().(*[]byte); ok {
		return b
	}
	b := make([]byte, readSize)
	return &b
}

// shrinker gives memory back to the system once a burst of clients has
// gone: when the number of connections has fallen to half its peak since
// the last time, and by at least burst, a collection runs and returns
// what is free (debug.FreeOSMemory), a second after the last such fall.
// Go's collector would run on its own only when upsd allocates again,
// or after two minutes.
type shrinker struct {
	clock clock
	mu    sync.Mutex
	peak  int
	timer stopper
}

// burst is how many connections must have gone for the shrinker to act.
const burst = 100

// shrinkAfter is how long the shrinker waits for the rest of a burst to
// go.
const shrinkAfter = time.Second

// count hears the number of connections, as it changes.
func (k *shrinker) count(n int) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if n > k.peak {
		k.peak = n
		return
	}
	if n > k.peak/2 || k.peak-n < burst {
		return
	}
	if k.timer != nil {
		k.timer.Stop()
	}
	k.timer = k.clock.AfterFunc(shrinkAfter, k.shrink)
}

func (k *shrinker) shrink() {
	debug.FreeOSMemory()
	k.mu.Lock()
	k.peak, k.timer = 0, nil
	k.mu.Unlock()
}

// stop cancels a collection to come.
func (k *shrinker) stop() {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.timer != nil {
		k.timer.Stop()
		k.timer = nil
	}
}
