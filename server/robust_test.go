package server_test

import (
	"net"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// Bad clients do not hurt good ones: a megabyte line, binary garbage, a
// line sent a byte at a time, and thousands of idle connections, while a
// fresh client is served.
func TestBadClientsDoNotHurtGoodOnes(t *testing.T) {
	s, upsd := stackWithA(t, nil)
	s.Start(upsd, "-u", "root", "-F")
	waitReady(t, s.HostPort(), "a")

	var idle []net.Conn
	defer func() {
		for _, c := range idle {
			c.Close()
		}
	}()
	for i := 0; i < 3000; i++ {
		c, err := net.Dial("tcp", s.HostPort())
		if err != nil {
			t.Fatalf("idle connection %d: %v", i, err)
		}
		idle = append(idle, c)
	}

	big := dial(t, s.HostPort())
	wrote := make(chan error, 1)
	go func() {
		_, err := big.c.Write([]byte("GET VAR a " + strings.Repeat("x", 1<<20) + "\n"))
		wrote <- err
	}()
	junk := dial(t, s.HostPort())
	junk.c.Write([]byte("\x00\xff\xfe\"#\\\x01garbage\n\x7f\x80\n"))
	slow := dial(t, s.HostPort())
	go func() {
		for _, b := range []byte("GET VAR a battery.charge") {
			slow.c.Write([]byte{b})
			time.Sleep(50 * time.Millisecond)
		}
	}()

	fresh := dial(t, s.HostPort())
	if got := fresh.ask("GET VAR a battery.charge"); got != `VAR a battery.charge "90"` {
		t.Fatalf("a fresh client among bad ones got %q", got)
	}
	// The megabyte line is cut to NUT's word limit and answered.
	if err := <-wrote; err != nil {
		t.Fatalf("writing the megabyte line: %v", err)
	}
	big.c.SetReadDeadline(time.Now().Add(10 * time.Second))
	if got, err := big.r.ReadString('\n'); got != "ERR VAR-NOT-SUPPORTED\n" {
		t.Fatalf("megabyte line answered %q (%v)", got, err)
	}
	// Every idle connection is still open: one of them can still talk.
	last := &conn{idle[len(idle)-1], nil}
	last.r = newReader(last.c)
	if got := last.ask("NETVER"); got != "1.3" {
		t.Fatalf("idle connection lost: %q", got)
	}
}

// A upsd out of file descriptors (RLIMIT_NOFILE 40 and 100 clients) keeps
// its listener: once the crowd leaves, a fresh client is served.
func TestOutOfDescriptorsIsWaitedOut(t *testing.T) {
	prlimit, err := exec.LookPath("prlimit")
	if err != nil {
		t.Skip("prlimit (util-linux) is not installed")
	}
	s, upsd := stackWithA(t, nil)
	s.Start(prlimit, "--nofile=40:40", upsd, "-u", "root", "-F")
	waitReady(t, s.HostPort(), "a")

	var crowd []net.Conn
	for range 100 {
		c, err := net.Dial("tcp", s.HostPort())
		if err != nil {
			t.Fatalf("client %d: %v", len(crowd), err)
		}
		crowd = append(crowd, c)
	}
	// The last of them waits in the listen backlog: upsd has no
	// descriptor left to take it with.
	last := &conn{crowd[len(crowd)-1], nil}
	last.r = newReader(last.c)
	last.c.Write([]byte("NETVER\n"))
	last.c.SetReadDeadline(time.Now().Add(time.Second))
	if _, err := last.r.ReadString('\n'); err == nil {
		t.Fatal("the 100th client was answered: the descriptor limit did not bite")
	}
	for _, c := range crowd {
		c.Close()
	}
	waitReady(t, s.HostPort(), "a")
}
