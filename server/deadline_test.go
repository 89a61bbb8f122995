package server

import (
	"bufio"
	"fmt"
	"net"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// fakeClock is a clock that moves only when told (Advance), running the
// functions whose time has come.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	timers []*fakeTimer
}

type fakeTimer struct {
	c    *fakeClock
	at   time.Time
	f    func()
	done bool
}

func newFakeClock() *fakeClock { return &fakeClock{now: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) AfterFunc(d time.Duration, f func()) stopper {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &fakeTimer{c: c, at: c.now.Add(d), f: f}
	c.timers = append(c.timers, t)
	return t
}

func (t *fakeTimer) Stop() bool {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	was := !t.done
	t.done = true
	return was
}

// Advance moves the clock on by d, in steps of at most step, running each
// timer once its time has come (in the calling goroutine).
func (c *fakeClock) Advance(d, step time.Duration) {
	for d > 0 {
		s := min(d, step)
		d -= s
		c.mu.Lock()
		c.now = c.now.Add(s)
		var due []func()
		for _, t := range c.timers {
			if !t.done && !t.at.After(c.now) {
				t.done = true
				due = append(due, t.f)
			}
		}
		c.mu.Unlock()
		for _, f := range due {
			f()
		}
	}
}

// A client that sends no whole request is dropped at its own deadline,
// the idle timeout after its last request (a minute, as NUT's upsd), to
// within a second, and not a moment before: whatever else wakes the
// loop meanwhile. (The loop's time comes from a clock moved by hand.)
func TestIdleDeadlineIsKept(t *testing.T) {
	clk := newFakeClock()
	s := testServer(t)
	s.clock = clk
	addr := serveOn(t, s, false)
	connect := func() (net.Conn, *bufio.Reader) {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return c, bufio.NewReader(c)
	}
	ask := func(c net.Conn, r *bufio.Reader) {
		t.Helper()
		c.SetDeadline(time.Now().Add(5 * time.Second))
		c.Write([]byte("NETVER\n"))
		if got, err := r.ReadString('\n'); got != NetVersion+"\n" {
			t.Fatalf("NETVER: %q %v", got, err)
		}
	}
	// barrier returns once the loop has handled a wake at the clock's
	// present time (a new connection is taken in on a wake, before the
	// deadlines are looked at) and answered after it.
	barrier := func() {
		c, r := connect()
		ask(c, r)
		c.Close()
	}
	// gone tells whether the server has shut the connection, waiting for
	// that at most wait.
	gone := func(c net.Conn, r *bufio.Reader, wait time.Duration) bool {
		c.SetReadDeadline(time.Now().Add(wait))
		_, err := r.ReadByte()
		return err != nil && !isTimeout(err)
	}

	clk.Advance(300*time.Millisecond, time.Second)
	idle, idleR := connect()
	barrier() // idle was taken in before this one: its minute starts now
	start := clk.Now()
	chatty, chattyR := connect()
	ask(chatty, chattyR)
	// 59.9 s go by in tenths, each with a new client (which wakes the
	// loop), while another client asks every 5 s.
	tick := func() {
		clk.Advance(100*time.Millisecond, time.Second)
		barrier()
	}
	for i := 1; i < 600; i++ {
		tick()
		if i%50 == 0 {
			ask(chatty, chattyR)
		}
	}
	if gone(idle, idleR, 100*time.Millisecond) {
		t.Fatalf("dropped after %v, before its minute", clk.Now().Sub(start))
	}
	// One second more, and it has been dropped.
	for range 11 {
		tick()
	}
	if !gone(idle, idleR, 5*time.Second) {
		t.Fatalf("still connected %v after its last request", clk.Now().Sub(start))
	}
	// The client that kept asking stays.
	ask(chatty, chattyR)
}

// A client that reads its answers slowly, so that writing them had to
// wait for room, is served as before once more than the write timeout has
// passed: the deadline of a write that waited does not outlive it.
func TestWriteThatWaitedLeavesNoDeadline(t *testing.T) {
	for _, goroutines := range []bool{false, true} {
		s := testServer(t)
		s.writeTimeout = 300 * time.Millisecond
		u := s.find("u")
		for i := range 50 { // answers of 2 KiB: more than the socket buffers hold
			u.tree.Set(fmt.Sprintf("bench.value%d", i), "a value of some length")
		}
		addr := serveOn(t, s, goroutines)
		d := net.Dialer{Control: func(_, _ string, rc syscall.RawConn) error {
			// A small receive buffer: the server's writes wait for room.
			rc.Control(func(fd uintptr) { syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096) })
			return nil
		}}
		c, err := d.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		const n = 5000
		go c.Write([]byte(strings.Repeat("LIST VAR u\n", n)))
		c.SetReadDeadline(time.Now().Add(time.Minute))
		r := bufio.NewReader(c)
		for i := 0; i < n; {
			l, err := r.ReadString('\n')
			if err != nil {
				t.Fatalf("goroutines %v: answer %d: %v", goroutines, i, err)
			}
			if strings.HasPrefix(l, "END LIST") {
				if i++; i%100 == 0 {
					time.Sleep(time.Millisecond) // slower than upsd writes
				}
			}
		}
		time.Sleep(2 * s.writeTimeout) // any deadline set meanwhile has passed
		c.Write([]byte("NETVER\n"))
		if got, err := r.ReadString('\n'); got != NetVersion+"\n" {
			t.Errorf("goroutines %v: NETVER after a slow read: %q %v", goroutines, got, err)
		}
	}
}
