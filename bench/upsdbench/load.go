package main

import (
	"bufio"
	"bytes"
	"fmt"
	"net"
	"runtime"
	"syscall"
	"time"
	"unsafe"
)

// load runs n clients, each sending depth GET VAR requests and waiting for
// all the answers before the next round, for d; it returns the latency of
// every request answered and how long that took.
//
// All clients are driven from one thread with epoll and plain system
// calls, so the load generator costs two system calls per round and
// nothing more: with goroutines (and Go's netpoller) it cost as much CPU
// as the servers it measured, and it, not the servers, set the rate.
func load(addr string, n, depth int, d time.Duration) ([]time.Duration, time.Duration, error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	ta, err := net.ResolveTCPAddr("tcp4", addr)
	if err != nil {
		return nil, 0, err
	}
	var sa syscall.SockaddrInet4
	copy(sa.Addr[:], ta.IP.To4())
	sa.Port = ta.Port

	ep, err := syscall.EpollCreate1(syscall.EPOLL_CLOEXEC)
	if err != nil {
		return nil, 0, err
	}
	defer syscall.Close(ep)
	type conn struct {
		fd      int
		pending int // answers still to come this round
		partial []byte
		sent    time.Time
		done    bool
	}
	conns := make([]*conn, n)
	for i := range conns {
		fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
		if err != nil {
			return nil, 0, err
		}
		defer syscall.Close(fd)
		if err := syscall.Connect(fd, &sa); err != nil {
			return nil, 0, fmt.Errorf("connect: %v", err)
		}
		syscall.SetsockoptInt(fd, syscall.IPPROTO_TCP, syscall.TCP_NODELAY, 1)
		if err := syscall.SetNonblock(fd, true); err != nil {
			return nil, 0, err
		}
		ev := syscall.EpollEvent{Events: syscall.EPOLLIN, Fd: int32(i)}
		if err := syscall.EpollCtl(ep, syscall.EPOLL_CTL_ADD, fd, &ev); err != nil {
			return nil, 0, err
		}
		conns[i] = &conn{fd: fd}
	}

	batch := bytes.Repeat([]byte("GET VAR bench battery.charge\n"), depth)
	send := func(c *conn, now time.Time) error {
		c.sent, c.pending = now, depth
		w, err := rawIO(syscall.SYS_WRITE, c.fd, batch)
		if err != nil || w != len(batch) {
			return fmt.Errorf("write: %d bytes of %d: %v", w, len(batch), err)
		}
		return nil
	}
	start := time.Now()
	stop := start.Add(d)
	for _, c := range conns {
		if err := send(c, start); err != nil {
			return nil, 0, err
		}
	}
	lat := make([]time.Duration, 0, 1<<20)
	events := make([]syscall.EpollEvent, n)
	buf := make([]byte, 64<<10)
	running := n
	for running > 0 {
		k, err := syscall.EpollWait(ep, events, 1000)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, 0, err
		}
		if k == 0 && time.Now().After(stop.Add(5*time.Second)) {
			return nil, 0, fmt.Errorf("%d clients still waiting for answers", running)
		}
		now := time.Now()
		for _, ev := range events[:k] {
			c := conns[ev.Fd]
			r, err := rawIO(syscall.SYS_READ, c.fd, buf)
			if err == syscall.EAGAIN {
				continue
			}
			if err != nil || r == 0 {
				return nil, 0, fmt.Errorf("read: %v (connection closed)", err)
			}
			data := buf[:r]
			if len(c.partial) > 0 {
				data = append(c.partial, data...)
				c.partial = nil
			}
			for {
				nl := bytes.IndexByte(data, '\n')
				if nl < 0 {
					break
				}
				if !bytes.HasPrefix(data, []byte("VAR ")) {
					return nil, 0, fmt.Errorf("answer %q", data[:nl+1])
				}
				data = data[nl+1:]
				c.pending--
			}
			if len(data) > 0 {
				c.partial = append([]byte(nil), data...)
			}
			if c.pending > 0 || c.done {
				continue
			}
			took := now.Sub(c.sent)
			for range depth {
				lat = append(lat, took)
			}
			if now.After(stop) {
				c.done = true
				running--
				continue
			}
			if err := send(c, now); err != nil {
				return nil, 0, err
			}
		}
	}
	if len(lat) == 0 {
		return nil, 0, fmt.Errorf("no answers")
	}
	return lat, time.Since(start), nil
}

// rawIO is read(2) or write(2) on a non-blocking socket: it never blocks,
// so it skips the Go scheduler's bookkeeping for system calls.
func rawIO(trap uintptr, fd int, b []byte) (int, error) {
	r, _, e := syscall.RawSyscall(trap, uintptr(fd), uintptr(unsafe.Pointer(&b[0])), uintptr(len(b)))
	if e != 0 {
		return int(r), e
	}
	return int(r), nil
}

// paced is one client that asks GET VAR every `every` for d; it returns
// how many answers came.
func paced(addr string, every, d time.Duration) (int, error) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return 0, err
	}
	defer c.Close()
	r := bufio.NewReader(c)
	n := 0
	for end := time.Now().Add(d); time.Now().Before(end); time.Sleep(every) {
		c.SetDeadline(time.Now().Add(5 * time.Second))
		if _, err := c.Write([]byte("GET VAR bench ups.status\n")); err != nil {
			return n, err
		}
		if _, err := r.ReadString('\n'); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
