package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"gonut/bench/internal/upsdstack"
)

// abuseArg runs one scenario's abusers in a child process (this program,
// with it, the scenario's name, the server's address and the abuse's
// deadline in Unix ns), in a session and scheduling group of its own at
// abuserNice: how hard they abuse then depends little on what else the
// machine runs, and their goroutines and garbage collections stay apart
// from the measuring. It writes what went wrong, if anything, on stdout,
// and stops early on SIGTERM.
const abuseArg = "-abuse-child"

func abuseMain(args []string) {
	if len(args) != 3 {
		fatalf("usage: abusebench %s SCENARIO ADDR DEADLINE", abuseArg)
	}
	i := slices.IndexFunc(scenarios(), func(sc scenario) bool { return sc.name == args[0] })
	deadline, err := strconv.ParseInt(args[2], 10, 64)
	if i < 0 || err != nil {
		fatalf("abusers: bad arguments %q", args)
	}
	if err := ownAutogroup(abuserNice); err != nil {
		fmt.Fprintln(os.Stderr, "abusebench: abusers at the machine's mercy:", err)
	}
	ctx, cancel := context.WithDeadline(context.Background(), time.Unix(0, deadline))
	defer cancel()
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGTERM)
	defer stop()
	if err := scenarios()[i].run(ctx, args[1]); err != nil {
		fmt.Println(err)
	}
}

// abusers is a running abuser child.
type abusers struct {
	cmd *exec.Cmd
	out bytes.Buffer
}

// startAbusers starts a scenario's abusers against addr until deadline.
func startAbusers(sc scenario, addr string, deadline time.Time) (*abusers, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	a := &abusers{cmd: exec.Command(exe, abuseArg, sc.name, addr, strconv.FormatInt(deadline.UnixNano(), 10))}
	a.cmd.Stdout, a.cmd.Stderr = &a.out, os.Stderr
	// Not left behind if this program is killed.
	a.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
	return a, a.cmd.Start()
}

// stop ends the abuse early.
func (a *abusers) stop() { a.cmd.Process.Signal(syscall.SIGTERM) }

// wait waits until the abusers have left and says what went wrong.
func (a *abusers) wait() string {
	err := a.cmd.Wait()
	out := strings.TrimSpace(a.out.String())
	if err != nil {
		out = strings.TrimSpace(out + " (" + err.Error() + ")")
	}
	return out
}

// A scenario is one kind of abuse. Its abusers run until ctx ends (or,
// for a burst, until they are done) and have closed every connection of
// theirs when run returns: that is when "the abusers leave".
type scenario struct {
	name  string // for -only
	what  string // for the report
	burst bool   // runs to its end, not for the scenario's time
	run   func(ctx context.Context, addr string) error
}

const (
	listVar = "LIST VAR " + upsdstack.UPS + "\n"
	getVar  = "GET VAR " + upsdstack.UPS + " ups.status\n"
)

// The users every server knows, for the brute force.
const users = "[admin]\n\tpassword = \"correct horse\"\n\tactions = SET\n\tinstcmds = ALL\n"

func scenarios() []scenario {
	return []scenario{
		{name: "quiet", what: "No abuse: the pollers alone, for comparison",
			run: func(ctx context.Context, _ string) error {
				<-ctx.Done()
				return nil
			}},
		{name: "noread", what: "200 clients pipeline `LIST VAR` and never read the answers",
			run: func(ctx context.Context, addr string) error {
				return clients(ctx, addr, 200, func(ctx context.Context, c net.Conn, _ int) {
					flood(ctx, c, "", []byte(strings.Repeat(listVar, 64)))
				})
			}},
		{name: "starttls-noread-1", what: "1 client sends `STARTTLS` (no certificate configured), then pipelines `LIST VAR` in writes that each end mid-request (the next write completes it), never reading",
			run: func(ctx context.Context, addr string) error {
				return clients(ctx, addr, 1, starttlsFlood)
			}},
		{name: "starttls-noread-200", what: "200 clients do the same",
			run: func(ctx context.Context, addr string) error {
				return clients(ctx, addr, 200, starttlsFlood)
			}},
		{name: "starttls-garbage", what: "200 clients send `STARTTLS`, then random bytes, never reading",
			run: func(ctx context.Context, addr string) error {
				junk := make([]byte, 64<<10)
				rand.NewChaCha8([32]byte{1}).Read(junk)
				return clients(ctx, addr, 200, func(ctx context.Context, c net.Conn, i int) {
					at := i * 97 % len(junk) // each from its own place in the junk
					flood(ctx, c, "STARTTLS\n", slices.Concat(junk[at:], junk[:at]))
				})
			}},
		{name: "burst", what: "2000 clients connect at once, each pipelines 100 `LIST VAR` and leaves without reading", burst: true,
			run: burst},
		{name: "slowloris", what: "1000 connections each send `GET VAR` a byte at a time, a byte every 100 ms",
			run: slowloris},
		{name: "huge-lines", what: "10 clients send lines of 1 to 10 MiB without a newline, leave, and come again",
			run: hugeLines},
		{name: "churn", what: "16 clients connect and close again, as fast as they can",
			run: func(ctx context.Context, addr string) error {
				return workers(ctx, 16, func(ctx context.Context, _ int) {
					if c, err := dial(ctx, addr); err == nil {
						c.Close()
					}
				})
			}},
		{name: "brute-force", what: "32 clients each connect, try `USERNAME`/`PASSWORD`/`LOGIN` with a wrong password, read the answers and leave, again and again",
			run: bruteForce},
	}
}

// dial connects, giving up when ctx ends or after 5 s.
func dial(ctx context.Context, addr string) (net.Conn, error) {
	d := net.Dialer{Timeout: 5 * time.Second}
	return d.DialContext(ctx, "tcp", addr)
}

// clients runs n connections at once, each served by f until ctx ends;
// each connection is closed when ctx ends, which ends blocked writes.
func clients(ctx context.Context, addr string, n int, f func(context.Context, net.Conn, int)) error {
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := dial(ctx, addr)
			if err != nil {
				if ctx.Err() == nil {
					errs <- err
				}
				return
			}
			stop := context.AfterFunc(ctx, func() { c.Close() })
			defer func() {
				if stop() {
					c.Close()
				}
			}()
			f(ctx, c, i)
		}()
	}
	wg.Wait()
	close(errs)
	return summarize(errs, n)
}

// workers runs n loops of f until ctx ends.
func workers(ctx context.Context, n int, f func(context.Context, int)) error {
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				f(ctx, i)
			}
		}()
	}
	wg.Wait()
	return nil
}

// summarize reports how many of n clients failed to connect, if any did.
func summarize(errs <-chan error, n int) error {
	var first error
	failed := 0
	for err := range errs {
		if first == nil {
			first = err
		}
		failed++
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d clients could not connect (first: %v)", failed, n, first)
	}
	return nil
}

// flood sends first, then chunk again and again until ctx ends or the
// server hangs up; it never reads.
func flood(ctx context.Context, c net.Conn, first string, chunk []byte) {
	if first != "" {
		if _, err := c.Write([]byte(first)); err != nil {
			return
		}
	}
	for ctx.Err() == nil {
		if _, err := c.Write(chunk); err != nil {
			return
		}
	}
}

// starttlsFlood asks for STARTTLS on a server with no certificate, then
// pipelines LIST VAR in writes that each end in the middle of a request,
// which the next write completes: a server that answers once it has read
// all it was sent never finds a moment to. Each request is padded to 16
// bytes, which divides the usual read buffer sizes (4 KiB and the like):
// a read that fills such a buffer ends where the one before it did, in
// the middle of a request, too.
func starttlsFlood(ctx context.Context, c net.Conn, _ int) {
	const cut = 7 // "LIST VA"
	req := fmt.Sprintf("%-15s\n", strings.TrimSuffix(listVar, "\n"))
	lines := strings.Repeat(req, 65)
	chunk := []byte(lines[cut : cut+64*len(req)]) // "R bench \n", 63 requests, "LIST VA"
	if _, err := c.Write([]byte("STARTTLS\n")); err != nil {
		return
	}
	// The server answers STARTTLS before it reads on.
	sleep(ctx, 100*time.Millisecond)
	if _, err := c.Write([]byte(lines[:cut])); err != nil {
		return
	}
	for ctx.Err() == nil {
		if _, err := c.Write(chunk); err != nil {
			return
		}
		// Once the socket's buffer is full, the kernel sends what a write
		// leaves in it in pieces, which may end anywhere: the next write
		// waits until the last one has arrived.
		for ctx.Err() == nil && unacked(c) > 0 {
			time.Sleep(100 * time.Microsecond)
		}
	}
}

// unacked is how many bytes written to a TCP connection its peer has not
// acknowledged yet (-1 if unknown).
func unacked(c net.Conn) int {
	sc, ok := c.(syscall.Conn)
	if !ok {
		return -1
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return -1
	}
	n := -1
	raw.Control(func(fd uintptr) {
		if v, err := unix.IoctlGetInt(int(fd), unix.TIOCOUTQ); err == nil {
			n = v
		}
	})
	return n
}

// burst: 2000 clients connect at once; each sends 100 LIST VAR in one
// write and closes its connection without reading.
func burst(ctx context.Context, addr string) error {
	reqs := []byte(strings.Repeat(listVar, 100))
	return clients(ctx, addr, 2000, func(_ context.Context, c net.Conn, _ int) {
		c.Write(reqs)
	})
}

// slowloris opens 1000 connections (16 at a time), then sends each one
// GET VAR after another, one byte per connection every 100 ms, from one
// goroutine.
func slowloris(ctx context.Context, addr string) error {
	const n, every = 1000, 100 * time.Millisecond
	conns := make([]net.Conn, n)
	defer func() {
		for _, c := range conns {
			if c != nil {
				c.Close()
			}
		}
	}()
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for w := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n && ctx.Err() == nil; i += 16 {
				c, err := dial(ctx, addr)
				if err != nil {
					errs <- err
					return
				}
				conns[i] = c
			}
		}()
	}
	wg.Wait()
	close(errs)
	err := summarize(errs, n)
	tick := time.NewTicker(every)
	defer tick.Stop()
	for k := 0; ; k++ {
		select {
		case <-ctx.Done():
			return err
		case <-tick.C:
		}
		b := []byte{getVar[k%len(getVar)]}
		for _, c := range conns {
			if c != nil {
				c.SetWriteDeadline(time.Now().Add(every))
				c.Write(b)
			}
		}
	}
}

// hugeLines: client i sends a line of i+1 MiB with no newline, gives the
// server a second to hang up, leaves, and comes again.
func hugeLines(ctx context.Context, addr string) error {
	chunk := bytes.Repeat([]byte("x"), 64<<10)
	return workers(ctx, 10, func(ctx context.Context, i int) {
		c, err := dial(ctx, addr)
		if err != nil {
			sleep(ctx, 100*time.Millisecond)
			return
		}
		stop := context.AfterFunc(ctx, func() { c.Close() })
		defer func() {
			if stop() {
				c.Close()
			}
		}()
		for sent := 0; sent < (i+1)<<20; sent += len(chunk) {
			if _, err := c.Write(chunk); err != nil {
				return
			}
		}
		c.SetReadDeadline(time.Now().Add(time.Second))
		buf := make([]byte, 4096)
		for {
			if _, err := c.Read(buf); err != nil {
				return
			}
		}
	})
}

// bruteForce: each of 32 clients connects, tries a password, reads the
// three answers and leaves, again and again.
func bruteForce(ctx context.Context, addr string) error {
	return workers(ctx, 32, func(ctx context.Context, i int) {
		c, err := dial(ctx, addr)
		if err != nil {
			sleep(ctx, 100*time.Millisecond)
			return
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(5 * time.Second))
		guess := fmt.Sprintf("USERNAME admin\nPASSWORD guess%d-%d\nLOGIN %s\n", i, time.Now().UnixNano(), upsdstack.UPS)
		if _, err := c.Write([]byte(guess)); err != nil {
			return
		}
		r := bufio.NewReader(c)
		for range 3 {
			if _, err := r.ReadString('\n'); err != nil {
				return
			}
		}
	})
}

func sleep(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}
