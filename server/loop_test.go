package server

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"regexp"
	"strings"
	"testing"
	"time"

	"gonut/words"
)

// serveOn serves s on a fresh loopback port, from an io_uring event loop
// or, with goroutines, a goroutine per client (the default), until the
// test ends.
func serveOn(t *testing.T, s *Server, goroutines bool) string {
	t.Helper()
	s.ioUringLoop = !goroutines
	if !goroutines && s.events() == nil {
		t.Skip("no event loop here (io_uring with DEFER_TASKRUN needs Linux 6.1 and no seccomp filter against it)")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	go s.Serve(l)
	return l.Addr().String()
}

// exchange sends all of in at once and reads until the server closes the
// connection or goes quiet.
func exchange(t *testing.T, addr, in string) string {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	go c.Write([]byte(in))
	var out strings.Builder
	buf := make([]byte, 64<<10)
	for {
		c.SetReadDeadline(time.Now().Add(time.Second))
		n, err := c.Read(buf)
		out.Write(buf[:n])
		if err != nil {
			return out.String()
		}
	}
}

// The event loop answers exactly as a goroutine per client does: requests
// sent all at once, malformed ones, the ones it hands to a goroutine of
// their own (STARTTLS, WATCH) with answers still unsent before them, and
// more answers than it collects before writing.
func TestLoopAnswersAsGoroutinesDo(t *testing.T) {
	many := strings.Repeat("LIST VAR u\nGET VAR u ups.status\n", 2000)
	for name, in := range map[string]string{
		"script": "NETVER\nGET VAR u ups.status\nget var u ups.status\nLIST VAR u\nGET TYPE u input.transfer.low\n" +
			"LIST ENUM u input.transfer.low\nLIST RANGE u input.transfer.low\nFOO\n\"open\nquote\"\nGET VAR u \\\n" +
			"\x00\xff junk\nUSERNAME admin\nPASSWORD pw\nSET VAR u input.transfer.low 95\nINSTCMD u load.off\n" +
			"GET NUMLOGINS u\nLIST CLIENT u\nLOGOUT\nNETVER\n",
		"STARTTLS after answers":            "NETVER\nGET VAR u ups.status\nSTARTTLS\nNETVER\nLOGOUT\n",
		"STARTTLS alone":                    "STARTTLS\n",
		"more answers than a loop collects": many + "LOGOUT\n",
		"WATCH after answers":               "NETVER\nWATCH u\n",
		"a line in pieces":                  "GET VAR u " + strings.Repeat("x", 3000) + "\nNETVER\n",
	} {
		t.Run(name, func(t *testing.T) {
			loop := exchange(t, serveOn(t, testServer(t), false), in)
			goroutines := exchange(t, serveOn(t, testServer(t), true), in)
			if loop != goroutines {
				t.Fatalf("answers differ:\nloop:       %.300q\ngoroutines: %.300q", loop, goroutines)
			}
			if !strings.HasSuffix(loop, "\n") {
				t.Fatalf("no whole answer: %.300q", loop)
			}
		})
	}
}

// A client that sends requests and never reads its answers holds its own
// connection only: others are answered meanwhile, from an event loop or
// a goroutine each, and once it reads, it gets every answer, in order.
func TestClientNotReadingHoldsOnlyItself(t *testing.T) {
	for _, goroutines := range []bool{false, true} {
		t.Run(fmt.Sprintf("goroutines=%v", goroutines), func(t *testing.T) {
			notReadingHoldsOnlyItself(t, serveOn(t, testServer(t), goroutines))
		})
	}
}

func notReadingHoldsOnlyItself(t *testing.T, addr string) {
	hog, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer hog.Close()
	const n = 20000
	go hog.Write([]byte(strings.Repeat("LIST VAR u\n", n)))
	time.Sleep(200 * time.Millisecond) // the socket buffers fill up

	other, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	other.SetDeadline(time.Now().Add(5 * time.Second))
	other.Write([]byte("NETVER\n"))
	if got, err := bufio.NewReader(other).ReadString('\n'); got != "1.3\n" {
		t.Fatalf("another client got %q (%v) while one did not read", got, err)
	}

	hog.SetReadDeadline(time.Now().Add(30 * time.Second))
	r := bufio.NewReader(hog)
	for i := 0; i < n; i++ {
		want := []string{"BEGIN LIST VAR u", "VAR u input.transfer.low \"95\"", "VAR u ups.status \"OL\"", "END LIST VAR u"}
		for _, w := range want {
			got, err := r.ReadString('\n')
			if err != nil || got != w+"\n" {
				t.Fatalf("answer %d: got %q (%v), want %q", i, got, err, w)
			}
		}
	}
	hog.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
	if extra, err := r.ReadString('\n'); err == nil || !isTimeout(err) {
		t.Fatalf("more than the answers: %q (%v)", extra, err)
	}
}

func isTimeout(err error) bool {
	ne, ok := err.(net.Error)
	return ok && ne.Timeout() && err != io.EOF
}

// BenchmarkAnswer is what a loop's thread does for one GET VAR, without
// the system calls: tokenizing, answering, formatting.
func BenchmarkAnswer(b *testing.B) {
	s := testServer(b)
	c, rq := &client{addr: "bench"}, &requests{}
	req := []byte("GET VAR u ups.status\n")
	b.ReportAllocs()
	for b.Loop() {
		rq.in = req
		s.answer(c, rq, maxPending)
		c.out.Reset()
	}
}

var trackingID = regexp.MustCompile(`[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}`)

// Whatever a client sends, in whatever pieces it arrives, the loop answers
// what a goroutine reading the whole stream answers.
func FuzzLoopAnswer(f *testing.F) {
	for _, s := range []string{
		"GET VAR u ups.status\nLIST VAR u\n", "get var \"u\" ups.status # c\nNETVER\n", "\"open\nquote\"\n",
		"USERNAME admin\nPASSWORD pw\nSET TRACKING ON\nSET VAR u input.transfer.low 95\nFSD u\nGET VAR u ups.status\n",
		"GET VAR u x\\\ny\n", "a=b c\n\x00\xff\r\n", "NETVER\nSTARTTLS\nNETVER\n", "LOGOUT\nNETVER\n",
	} {
		f.Add([]byte(s), uint16(7))
	}
	f.Fuzz(func(t *testing.T, in []byte, cut uint16) {
		ref := &client{addr: "ref"}
		rs := testServer(t)
		st := words.NewStream(bufio.NewReader(bytes.NewReader(in)))
		for {
			w, bad, err := st.Next()
			if err != nil {
				break
			}
			if bad != nil {
				continue
			}
			// STARTTLS is refused (no certificate), a WATCH feed ends it.
			if len(w) > 0 && strings.EqualFold(w[0], "STARTTLS") {
				rs.tlsFor(ref, false)
				continue
			}
			if len(w) > 0 && strings.EqualFold(w[0], "WATCH") {
				if rs.watch(ref, w[1:]); ref.watching != nil {
					break
				}
				continue
			}
			if rs.command(ref, w) {
				break
			}
		}

		ls := testServer(t)
		c, rq := &client{addr: "loop"}, &requests{}
		k := int(cut) % (len(in) + 1)
	pieces:
		for _, piece := range [][]byte{in[:k], in[k:]} {
			rq.in = piece
			for len(rq.in) > 0 && !rq.end {
				if hold, _ := ls.answer(c, rq, maxPending); hold != nil {
					break pieces
				}
			}
		}
		want := trackingID.ReplaceAllString(ref.out.String(), "ID")
		got := trackingID.ReplaceAllString(c.out.String(), "ID")
		if got != want {
			t.Fatalf("input %q cut at %d:\nloop:      %q\ngoroutine: %q", in, k, got, want)
		}
	})
}

// A client that sends no whole request for the idle timeout (a minute,
// as NUT's upsd) is disconnected, from the event loop and from a
// goroutine alike; one that keeps asking stays, and so does a WATCH feed.
func TestIdleClientsAreShed(t *testing.T) {
	for _, goroutines := range []bool{false, true} {
		s := testServer(t)
		s.idleTimeout = 800 * time.Millisecond
		addr := serveOn(t, s, goroutines)
		dial := func(first string) (net.Conn, *bufio.Reader) {
			c, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { c.Close() })
			c.Write([]byte(first))
			return c, bufio.NewReader(c)
		}
		silent, silentR := dial("")
		partial, partialR := dial("GET VAR u")
		watch, watchR := dial("WATCH u\n")
		chatty, chattyR := dial("")
		if got, err := watchR.ReadString('\n'); got != "OK\n" {
			t.Fatalf("WATCH: %q %v", got, err)
		}
		for i := range 20 { // 4 s, five times the idle timeout
			chatty.SetDeadline(time.Now().Add(5 * time.Second))
			chatty.Write([]byte("NETVER\n"))
			if got, err := chattyR.ReadString('\n'); got != NetVersion+"\n" {
				t.Fatalf("goroutines %v: a client asking every 200 ms, request %d: %q %v", goroutines, i, got, err)
			}
			time.Sleep(200 * time.Millisecond)
		}
		for name, c := range map[string]struct {
			c net.Conn
			r *bufio.Reader
		}{"silent": {silent, silentR}, "half a request": {partial, partialR}} {
			c.c.SetReadDeadline(time.Now().Add(5 * time.Second))
			if got, err := c.r.ReadString('\n'); err != io.EOF {
				t.Errorf("goroutines %v: %s client still connected: %q %v", goroutines, name, got, err)
			}
		}
		watch.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
		if got, err := watchR.ReadString('\n'); !isTimeout(err) {
			t.Errorf("goroutines %v: the WATCH feed was closed: %q %v", goroutines, got, err)
		}
	}
}
