package server

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"gonut/internal/nuttest"
)

// A client that sends requests and never reads the answers costs upsd at
// most maxPending bytes of answers (and one answer), and is let go once
// an answer has waited writeTimeout to be taken: whether an event loop
// serves it or a goroutine, and whether it says STARTTLS first (refused
// as NUT's upsd refuses it without a certificate, on the same path) and
// cuts every write mid-line.
func TestNonReaderCostsBoundedMemory(t *testing.T) {
	for _, goroutines := range []bool{false, true} {
		for _, starttls := range []bool{false, true} {
			t.Run(fmt.Sprintf("goroutines=%v,STARTTLS=%v", goroutines, starttls), func(t *testing.T) {
				s := testServer(t)
				s.writeTimeout = 500 * time.Millisecond
				addr := serveOn(t, s, goroutines)
				c, err := net.Dial("tcp", addr)
				if err != nil {
					t.Fatal(err)
				}
				defer c.Close()
				if starttls {
					c.Write([]byte("STARTTLS\n"))
				}
				stop := make(chan struct{})
				defer close(stop)
				go func() {
					// 50 requests and the start of the next in each write.
					first := strings.Repeat("LIST VAR u\n", 50) + "LIST "
					next := "VAR u\n" + strings.Repeat("LIST VAR u\n", 49) + "LIST "
					for i := 0; ; i++ {
						select {
						case <-stop:
							return
						default:
						}
						b := next
						if i == 0 {
							b = first
						}
						if _, err := c.Write([]byte(b)); err != nil {
							return
						}
						time.Sleep(time.Millisecond)
					}
				}()
				nuttest.Eventually(t, "the client that does not read is let go", func() (bool, string) {
					_, n := s.Counts()
					return n == 0, fmt.Sprintf("%d clients, up to %d bytes of answers unsent", n, s.pendingPeak.Load())
				})
				if peak := s.pendingPeak.Load(); peak > maxPending+1024 {
					t.Fatalf("a connection held %d bytes of answers unsent", peak)
				}
				// What it was sent: NUT's answer to STARTTLS, then answers.
				c.SetReadDeadline(time.Now().Add(5 * time.Second))
				r := bufio.NewReader(c)
				want := "BEGIN LIST VAR u\n"
				if starttls {
					want = "ERR FEATURE-NOT-CONFIGURED\n"
				}
				if got, err := r.ReadString('\n'); got != want {
					t.Fatalf("first answer %q (%v), want %q", got, err, want)
				}
				io.Copy(io.Discard, r)
			})
		}
	}
}

// A burst of clients costs memory only while it lasts: 200 clients that
// pipeline 200 LIST VAR (2 KiB answers) each leave upsd holding no
// answer or request buffer for them while they stay (a few KiB each,
// mostly the goroutine's stack), and once they are gone, the memory goes
// back to the system within seconds, without waiting for Go's collector
// to run on its own (two minutes). Measured in this process, clients
// included, with Go's own accounting; from an event loop and from
// goroutines.
func TestBurstCostsMemoryOnlyWhileItLasts(t *testing.T) {
	for _, goroutines := range []bool{false, true} {
		t.Run(fmt.Sprintf("goroutines=%v", goroutines), func(t *testing.T) {
			s := testServer(t)
			u := s.find("u")
			for i := range 50 { // LIST VAR answers of 2 KiB, as a real UPS's
				u.tree.Set(fmt.Sprintf("bench.value%d", i), "a value of some length")
			}
			addr := serveOn(t, s, goroutines)
			debug.FreeOSMemory()
			live, held := memory()
			conns := burstOf(t, addr)
			runtime.GC()
			liveNow, _ := memory()
			per := (int64(liveNow) - int64(live)) / int64(len(conns))
			t.Logf("%d bytes in use per idle client after its burst", per)
			if per > 16<<10 {
				t.Errorf("%d bytes in use per idle client after its burst", per)
			}
			for _, c := range conns {
				c.Close()
			}
			nuttest.Eventually(t, "no clients left", func() (bool, string) {
				_, n := s.Counts()
				return n == 0, fmt.Sprint(n)
			})
			// Once more, leaving as soon as answered: nothing here runs
			// the collector.
			debug.FreeOSMemory()
			_, held = memory()
			for _, c := range burstOf(t, addr) {
				c.Close()
			}
			nuttest.Eventually(t, "memory back to the system", func() (bool, string) {
				_, heldNow := memory()
				return heldNow <= held+2<<20, fmt.Sprintf("%d KiB held, %d KiB before", heldNow>>10, held>>10)
			})
		})
	}
}

// burstOf connects 200 clients that each send 200 LIST VAR at once and
// read every answer.
func burstOf(t *testing.T, addr string) []net.Conn {
	const clients, requests = 200, 200
	var conns []net.Conn
	t.Cleanup(func() {
		for _, c := range conns {
			c.Close()
		}
	})
	for range clients {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
		go c.Write([]byte(strings.Repeat("LIST VAR u\n", requests)))
	}
	for i, c := range conns {
		c.SetReadDeadline(time.Now().Add(time.Minute))
		r := bufio.NewReaderSize(c, 512)
		for n := 0; n < requests; {
			l, err := r.ReadSlice('\n')
			if err != nil {
				t.Fatalf("client %d, answer %d: %v", i, n, err)
			}
			if bytes.HasPrefix(l, []byte("END LIST")) {
				n++
			}
		}
	}
	return conns
}

// memory is what the Go runtime has in use (heap objects' spans and
// stacks) and what it holds from the system without having returned it.
func memory() (live, held uint64) {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse + m.StackInuse, m.HeapSys - m.HeapReleased + m.StackSys
}
