package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"gonut/bench/internal/upsdstack"
)

// The light pollers run in a child process of their own (this program,
// started with pollerArg): one thread, under SCHED_FIFO, on the server's
// core, with epoll and no allocation once running. The abusers'
// goroutines, their garbage collections, the CPU they hold and whatever
// else runs on their core cannot delay it; what it measures is the
// server.
const pollerArg = "-poller-child"

// pollTimeout is how long a poller waits for an answer before it counts
// the request failed and connects again.
const pollTimeout = 5 * time.Second

// pollRequest is what each poller asks, as upsmon does.
const pollRequest = "GET VAR " + upsdstack.UPS + " ups.status\n"

// sample is one poll: when it was due (or sent, see pollerMain), how long
// its answer took, and whether one came.
type sample struct {
	at  time.Time
	lat time.Duration
	ok  bool
}

// pollers is a running poller child and what it measured so far.
type pollers struct {
	cmd      *exec.Cmd
	stdin    io.WriteCloser
	done     chan struct{}
	mu       sync.Mutex
	samples  []sample
	realtime bool // the child runs under SCHED_FIFO
}

// startPollers starts n pollers, each asking every `every` on a
// connection of its own to addr, on the given CPUs.
func startPollers(addr string, n int, every time.Duration, cpus []int) (*pollers, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	var cpuList []string
	for _, c := range cpus {
		cpuList = append(cpuList, strconv.Itoa(c))
	}
	cmd := exec.Command(exe, pollerArg, addr, strconv.Itoa(n), every.String(), strings.Join(cpuList, ","))
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &pollers{cmd: cmd, stdin: in, done: make(chan struct{})}
	r := bufio.NewReader(out)
	first, err := r.ReadString('\n')
	if err != nil {
		cmd.Process.Kill()
		cmd.Wait()
		return nil, fmt.Errorf("poller child: %v", err)
	}
	p.realtime = strings.TrimSpace(first) == "realtime"
	go func() {
		defer close(p.done)
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			f := strings.Fields(line)
			if len(f) != 3 {
				continue
			}
			at, _ := strconv.ParseInt(f[0], 10, 64)
			lat, _ := strconv.ParseInt(f[1], 10, 64)
			p.mu.Lock()
			p.samples = append(p.samples, sample{time.Unix(0, at), time.Duration(lat), f[2] == "1"})
			p.mu.Unlock()
		}
	}()
	return p, nil
}

// stop tells the child to send no request due at or after `at`, waits
// until it has the answers to those due before (or has counted them
// failed), and returns every sample it took.
func (p *pollers) stop(at time.Time) []sample {
	fmt.Fprintf(p.stdin, "%d\n", at.UnixNano())
	select {
	case <-p.done:
	case <-time.After(time.Until(at) + pollTimeout + 5*time.Second):
		fmt.Fprintln(os.Stderr, "abusebench: the poller child did not stop; killed")
		p.cmd.Process.Kill()
		<-p.done
	}
	p.stdin.Close()
	p.cmd.Wait()
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.samples
}

// poller is one paced client in the child.
type poller struct {
	fd         int // -1: not connected
	connecting bool
	busy       bool      // a request is out
	due        time.Time // when the next request is due
	start      time.Time // what the outstanding request's latency counts from
	free       time.Time // since when it has been ready to send
	first      bool      // the outstanding request is the first of all (see pollerMain)
	line       [512]byte // an answer's start
	n          int
}

// pollerMain is the child: it writes "realtime" or "normal", then a line
// per poll ("<start ns> <latency ns> <1 or 0>"). A time (Unix ns) on its
// stdin stops it: no request due from then on goes out, and once those
// due before are answered, or pollTimeout past it, it counts what is left
// failed and exits. It also exits when its stdin closes.
//
// The first request of each poller is not counted: it waits for the
// connection, which the pollers make when they start.
//
// Requests are sent on a fixed schedule. A request that could not go out
// when due, because the answer before it was late, counts its latency
// from when it was due, not from when it was sent: a server that stalls
// for a second then shows a second of lateness on every poll it held up,
// not on one (the "coordinated omission" of closed-loop load).
func pollerMain(args []string) {
	if len(args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: abusebench "+pollerArg+" ADDR N EVERY CPU[,CPU...]")
		os.Exit(2)
	}
	addr, nStr, everyStr, cpuList := args[0], args[1], args[2], args[3]
	n, err1 := strconv.Atoi(nStr)
	every, err2 := time.ParseDuration(everyStr)
	sa, err3 := sockaddr(addr)
	if err1 != nil || err2 != nil || err3 != nil || n < 1 || every <= 0 {
		fmt.Fprintln(os.Stderr, "abusebench poller: bad arguments:", args)
		os.Exit(2)
	}
	runtime.LockOSThread() // never unlocked: the thread's priority dies with it
	var cpus unix.CPUSet
	for _, f := range strings.Split(cpuList, ",") {
		c, err := strconv.Atoi(f)
		if err != nil {
			fatalf("poller: CPU %q", f)
		}
		cpus.Set(c)
	}
	unix.SchedSetaffinity(0, &cpus)
	out := bufio.NewWriterSize(os.Stdout, 64<<10)
	if err := unix.SchedSetAttr(0, &unix.SchedAttr{Policy: unix.SCHED_FIFO, Priority: 10}, 0); err != nil {
		fmt.Fprintln(os.Stderr, "abusebench poller: no SCHED_FIFO, the pollers run at normal priority:", err)
		out.WriteString("normal\n")
	} else {
		out.WriteString("realtime\n")
	}
	out.Flush()

	ep, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		fatalf("poller: %v", err)
	}
	// The stdin's end is the signal to stop: its key is n.
	unix.SetNonblock(0, true)
	if err := unix.EpollCtl(ep, unix.EPOLL_CTL_ADD, 0, &unix.EpollEvent{Events: unix.EPOLLIN | unix.EPOLLHUP, Fd: int32(n)}); err != nil {
		fatalf("poller: %v", err)
	}
	ps := make([]poller, n)
	t0 := time.Now().Add(every)
	for i := range ps {
		ps[i] = poller{fd: -1, first: true, due: t0.Add(every * time.Duration(i) / time.Duration(n))}
	}
	var stopAt time.Time // zero: not asked to stop
	req := []byte(pollRequest)
	rec := make([]byte, 0, 64)
	record := func(start, now time.Time, ok bool) {
		rec = strconv.AppendInt(rec[:0], start.UnixNano(), 10)
		rec = append(rec, ' ')
		rec = strconv.AppendInt(rec, int64(now.Sub(start)), 10)
		if ok {
			rec = append(rec, " 1\n"...)
		} else {
			rec = append(rec, " 0\n"...)
		}
		out.Write(rec)
	}
	drop := func(i int, now time.Time) {
		p := &ps[i]
		if p.busy {
			record(p.start, now, false)
		}
		p.first = false
		if p.fd >= 0 {
			unix.Close(p.fd)
		}
		p.fd, p.busy, p.connecting, p.n = -1, false, false, 0
	}
	send := func(i int, now time.Time) {
		p := &ps[i]
		p.start = p.due
		if !p.free.After(p.due) { // it was ready when due: count from now
			p.start = now
		}
		p.busy = true
		p.due = p.due.Add(every)
		if w, err := unix.Write(p.fd, req); err != nil || w != len(req) {
			drop(i, now)
		}
	}
	events := make([]unix.EpollEvent, n+1)
	buf := make([]byte, 4096)
	stopping := func(now time.Time) {
		if stopAt.IsZero() {
			return
		}
		late := !now.Before(stopAt.Add(pollTimeout))
		for i := range ps {
			p := &ps[i]
			if p.busy && !late {
				return
			}
			if p.due.Before(stopAt) && !late {
				return
			}
		}
		// Done, or out of time: what is still out or due failed.
		for i := range ps {
			p := &ps[i]
			drop(i, now)
			for ; p.due.Before(stopAt); p.due = p.due.Add(every) {
				record(p.due, now, false)
			}
		}
		out.Flush()
		os.Exit(0)
	}
	for {
		now := time.Now()
		stopping(now)
		wait := time.Second
		if !stopAt.IsZero() {
			wait = stopAt.Add(pollTimeout).Sub(now)
		}
		for i := range ps {
			p := &ps[i]
			if !stopAt.IsZero() && !p.due.Before(stopAt) && !p.busy {
				continue // done
			}
			switch {
			case p.fd < 0 && !now.Before(p.due):
				// (Re)connect, without blocking: a server that stopped
				// accepting leaves the connection waiting.
				fd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
				if err != nil {
					fatalf("poller: %v", err)
				}
				unix.SetsockoptInt(fd, unix.IPPROTO_TCP, unix.TCP_NODELAY, 1)
				p.fd, p.connecting, p.busy, p.start = fd, true, true, p.due
				p.due = p.due.Add(every)
				if err := unix.Connect(fd, sa); err != nil && err != unix.EINPROGRESS {
					drop(i, now)
					continue
				}
				unix.EpollCtl(ep, unix.EPOLL_CTL_ADD, fd, &unix.EpollEvent{Events: unix.EPOLLIN | unix.EPOLLOUT | unix.EPOLLRDHUP, Fd: int32(i)})
			case p.busy && now.Sub(p.start) >= pollTimeout:
				drop(i, now)
				continue
			case p.fd >= 0 && !p.busy && !now.Before(p.due):
				send(i, now)
			}
			if p.busy {
				wait = min(wait, p.start.Add(pollTimeout).Sub(now))
			} else {
				wait = min(wait, p.due.Sub(now))
			}
		}
		out.Flush()
		ms := int((max(wait, 0) + time.Millisecond - 1) / time.Millisecond)
		k, err := epollWait(ep, events, ms)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			fatalf("poller: %v", err)
		}
		now = time.Now()
		for _, ev := range events[:k] {
			i := int(ev.Fd)
			if i == n {
				r, err := unix.Read(0, buf)
				if err == unix.EAGAIN || err == unix.EINTR {
					continue
				}
				if r <= 0 {
					out.Flush()
					os.Exit(0)
				}
				if at, err := strconv.ParseInt(strings.TrimSpace(string(buf[:r])), 10, 64); err == nil {
					stopAt = time.Unix(0, at)
				}
				continue
			}
			p := &ps[i]
			if p.fd < 0 {
				continue
			}
			if p.connecting {
				if ev.Events&(unix.EPOLLOUT|unix.EPOLLERR|unix.EPOLLHUP) == 0 {
					continue
				}
				if e, _ := unix.GetsockoptInt(p.fd, unix.SOL_SOCKET, unix.SO_ERROR); e != 0 {
					drop(i, now)
					continue
				}
				// Connected: now only answers matter. The request goes out
				// at once, counting from when it was due.
				p.connecting = false
				unix.EpollCtl(ep, unix.EPOLL_CTL_MOD, p.fd, &unix.EpollEvent{Events: unix.EPOLLIN | unix.EPOLLRDHUP, Fd: int32(i)})
				if w, err := unix.Write(p.fd, req); err != nil || w != len(req) {
					drop(i, now)
				}
				continue
			}
			r, err := unix.Read(p.fd, buf)
			if err == unix.EAGAIN {
				continue
			}
			if r <= 0 {
				drop(i, now)
				continue
			}
			data := buf[:r]
			for len(data) > 0 {
				nl := bytes.IndexByte(data, '\n')
				part := data
				if nl >= 0 {
					part = data[:nl]
				}
				p.n += copy(p.line[p.n:], part)
				if nl < 0 {
					break
				}
				data = data[nl+1:]
				ok := bytes.HasPrefix(p.line[:p.n], []byte("VAR "))
				p.n = 0
				if p.busy {
					if !p.first {
						record(p.start, now, ok)
					}
					p.busy, p.free, p.first = false, now, false
				}
				if !ok {
					drop(i, now)
					break
				}
			}
		}
	}
}

func sockaddr(addr string) (*unix.SockaddrInet4, error) {
	host, port, ok := strings.Cut(addr, ":")
	n, err := strconv.Atoi(port)
	if !ok || err != nil || host != "127.0.0.1" {
		return nil, fmt.Errorf("want 127.0.0.1:PORT, not %q", addr)
	}
	return &unix.SockaddrInet4{Port: n, Addr: [4]byte{127, 0, 0, 1}}, nil
}

// epollWait is epoll_pwait(2) as a raw system call: the thread keeps its
// P while it waits, so that it never needs another of the child's
// threads (which run at normal priority) to hand it one back.
func epollWait(ep int, events []unix.EpollEvent, ms int) (int, error) {
	r, _, e := unix.RawSyscall6(unix.SYS_EPOLL_PWAIT, uintptr(ep), uintptr(unsafe.Pointer(&events[0])), uintptr(len(events)), uintptr(ms), 0, 0)
	if e != 0 {
		return 0, e
	}
	return int(r), nil
}
