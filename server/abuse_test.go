package server

import (
	"bufio"
	"fmt"
	"io"
	"net"
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
