package server

import (
	"bufio"
	"fmt"
	"net"
	"runtime"
	"strings"
	"testing"
	"time"

	"gonut/internal/nuttest"
)

// pending is how many timers have yet to fire.
func (c *fakeClock) pending() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, t := range c.timers {
		if !t.done {
			n++
		}
	}
	return n
}

// Close ends everything a server started, whichever path serves its
// clients: Serve returns, every client is let go (one on the event loop,
// a WATCH feed and a STARTTLS-refused one on goroutines of their own),
// the loop and its timers stop, and no goroutine of the server is left.
func TestCloseStopsEverything(t *testing.T) {
	for _, goroutines := range []bool{false, true} {
		clk := newFakeClock()
		s := testServer(t)
		s.clock, s.shrink.clock = clk, clk
		s.ioUringLoop = !goroutines
		before := runtime.NumGoroutine()
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		served := make(chan error, 1)
		go func() { served <- s.Serve(l) }()
		var conns []*bufio.Reader
		for _, first := range []string{"NETVER\n", "WATCH u\n", "STARTTLS\n", "GET VAR u"} {
			c, err := net.Dial("tcp", l.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			c.SetReadDeadline(time.Now().Add(10 * time.Second))
			c.Write([]byte(first))
			r := bufio.NewReader(c)
			if strings.HasSuffix(first, "\n") {
				if _, err := r.ReadString('\n'); err != nil {
					t.Fatalf("%q: %v", first, err)
				}
			}
			conns = append(conns, r)
		}
		nuttest.Eventually(t, "4 clients", func() (bool, string) {
			_, n := s.Counts()
			return n == 4, fmt.Sprint(n)
		})
		s.Close()
		if err := <-served; err == nil {
			t.Errorf("goroutines %v: Serve returned no error after Close", goroutines)
		}
		for i, r := range conns {
			if _, err := r.ReadString('\n'); err == nil || isTimeout(err) {
				t.Errorf("goroutines %v: client %d still connected (%v)", goroutines, i, err)
			}
		}
		if _, n := s.Counts(); n != 0 {
			t.Errorf("goroutines %v: %d clients after Close", goroutines, n)
		}
		if n := clk.pending(); n != 0 {
			t.Errorf("goroutines %v: %d timers still set", goroutines, n)
		}
		nuttest.Eventually(t, "the server's goroutines gone", func() (bool, string) {
			n := runtime.NumGoroutine()
			return n <= before, fmt.Sprintf("%d goroutines, %d before serving", n, before)
		})
		if err := s.Serve(l); err == nil {
			t.Errorf("goroutines %v: Serve after Close returned no error", goroutines)
		}
	}
}
