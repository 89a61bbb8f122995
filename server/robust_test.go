package server_test

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"gonut/internal/nuttest"
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

// A driver that stops reading its socket (here, stopped with SIGSTOP)
// holds up no one: once its socket's buffer and upsd's queue are full,
// instant commands for it fail at once, and other clients are served as
// before.
func TestStuckDriverHoldsUpNoOne(t *testing.T) {
	nuttest.NeedDebianNUT(t)
	driver := nuttest.Build(t, "gonut/cmd/dummy-ups")
	upsd := nuttest.Build(t, "gonut/cmd/upsd")
	s := nuttest.NewStack(t, "[a]\n\tdriver = dummy-ups\n\tport = a.dev\n", map[string]string{"a.dev": "ups.status: OL\nbattery.charge: 90\n"})
	s.WriteFile("upsd.conf", fmt.Sprintf("LISTEN 127.0.0.1 %d\nMAXAGE 120\n", s.Port))
	d := s.Start(driver, "-a", "a", "-u", "root", "-F")
	s.WaitSocket("dummy-ups", "a")
	s.Start(upsd, "-u", "root", "-F")
	waitReady(t, s.HostPort(), "a")
	if err := d.Process.Signal(syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	defer d.Process.Signal(syscall.SIGCONT)

	admin := dial(t, s.HostPort())
	for _, l := range []string{"USERNAME admin", "PASSWORD secret"} {
		if got := admin.ask(l); got != "OK" {
			t.Fatalf("%s: %q", l, got)
		}
	}
	// Far more than a socket's buffer holds.
	const n = 40000
	go admin.c.Write([]byte(strings.Repeat("INSTCMD a load.off\n", n)))
	admin.c.SetReadDeadline(time.Now().Add(60 * time.Second))
	for i := range n {
		line, err := admin.r.ReadString('\n')
		if err != nil {
			t.Fatalf("answer %d: %v", i, err)
		}
		if line == "ERR INSTCMD-FAILED\n" {
			break
		}
		if line != "OK\n" || i == n-1 {
			t.Fatalf("answer %d: %q", i, line)
		}
	}
	other := dial(t, s.HostPort())
	if got := other.ask("GET VAR a battery.charge"); got != `VAR a battery.charge "90"` {
		t.Fatalf("another client, with the driver stuck: %q", got)
	}
}

// A client that says STARTTLS (with no certificate configured) and then
// sends requests cut mid-line without ever reading the answers, against
// Debian's upsd and ours: both refuse STARTTLS alike, and ours goes on
// answering fresh clients. Debian's upsd writes to a client with write(2)
// on a blocking socket, without a timeout: once the client's socket
// buffers are full, it answers no one until that client leaves (README:
// where gonut differs).
func TestNonReaderHoldsUpNoOne(t *testing.T) {
	debian, ours := nuttest.TwoServers(t, "[a]\n\tdriver = dummy-ups\n\tport = a.dev\n", map[string]string{"a.dev": "ups.status: OL\nbattery.charge: 90\n"}, "a")
	for _, s := range []*nuttest.Stack{debian, ours} {
		hog := dial(t, s.HostPort())
		hog.c.Write([]byte("STARTTLS\n"))
		hog.c.SetReadDeadline(time.Now().Add(5 * time.Second))
		if got, err := hog.r.ReadString('\n'); got != "ERR FEATURE-NOT-CONFIGURED\n" {
			t.Fatalf("%s: STARTTLS without a certificate: %q %v", s.Dir, got, err)
		}
		var wrote atomic.Int64
		stop := make(chan struct{})
		done := make(chan struct{})
		go func() {
			defer close(done)
			piece := []byte("LIST VAR a\nGET VAR a ups.status\nLIST ")
			for {
				select {
				case <-stop:
					return
				default:
				}
				hog.c.SetWriteDeadline(time.Now().Add(100 * time.Millisecond))
				n, err := hog.c.Write(piece)
				wrote.Add(int64(n))
				if err != nil && !os.IsTimeout(err) {
					return
				}
				piece = []byte("VAR a\nLIST VAR a\nGET VAR a ups.status\nLIST ")
			}
		}()
		// Fresh clients ask until the server has stopped reading the hog
		// (its writes stall) for two seconds.
		fresh, answered := 0, 0
		for last, since := int64(-1), time.Now(); time.Since(since) < 2*time.Second; fresh++ {
			c := dial(t, s.HostPort())
			if c.ask("NETVER") == "1.3" {
				answered++
			}
			c.c.Close()
			time.Sleep(10 * time.Millisecond)
			if n := wrote.Load(); n != last {
				last, since = n, time.Now()
			}
		}
		close(stop)
		<-done
		hog.c.Close()
		t.Logf("%s: fresh clients answered while one did not read: %d of %d", filepath.Base(s.Dir), answered, fresh)
		if s == ours && answered != fresh {
			t.Errorf("ours answered %d of %d fresh clients while one did not read", answered, fresh)
		}
	}
}

// GONUT_IO_URING_LOOP in upsd.conf has plain connections served by an
// io_uring event loop (where the kernel allows it), instead of a
// goroutine each; either way, SIGTERM stops upsd at once and cleanly.
func TestIOUringLoopSetting(t *testing.T) {
	for _, loop := range []bool{false, true} {
		s, upsd := stackWithA(t, nil)
		conf := fmt.Sprintf("LISTEN 127.0.0.1 %d\n", s.Port)
		if loop {
			conf += "GONUT_IO_URING_LOOP yes\n"
		}
		s.WriteFile("upsd.conf", conf)
		cmd := s.Start(upsd, "-u", "root", "-F")
		waitReady(t, s.HostPort(), "a")
		c := dial(t, s.HostPort())
		if got := c.ask("LIST VAR a"); !strings.Contains(got, `VAR a battery.charge "90"`) {
			t.Fatalf("loop %v: LIST VAR: %q", loop, got)
		}
		logs, _ := filepath.Glob(filepath.Join(s.Dir, "upsd-*.log"))
		var log []byte
		for _, f := range logs {
			b, _ := os.ReadFile(f)
			log = append(log, b...)
		}
		said := strings.Contains(string(log), "io_uring event loop") || strings.Contains(string(log), "GONUT_IO_URING_LOOP: serving each client from a goroutine")
		if said != loop {
			t.Errorf("loop %v: the log says %q", loop, log)
		}
		cmd.Process.Signal(syscall.SIGTERM)
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		select {
		case err := <-exited:
			if err != nil {
				t.Errorf("loop %v: upsd ended with %v after SIGTERM", loop, err)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("loop %v: upsd still running 10 s after SIGTERM", loop)
		}
		if _, err := c.r.ReadString('\n'); err == nil {
			t.Errorf("loop %v: a client still connected after SIGTERM", loop)
		}
	}
}
