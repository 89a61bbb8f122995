package server

import (
	"io"
	"net"
	"syscall"
	"time"
)

// rawIO reads and writes a plain socket with raw system calls, which Go's
// scheduler does not see: the socket is non-blocking, so they never wait
// (Go's netpoller waits for the socket in between, as for any
// connection). A system call made through the scheduler, after upsd has
// been idle, wakes the scheduler's monitor (sysmon), which then polls
// every 20 µs for a millisecond or more: on a quiet upsd, most of its
// context switches and CPU per request.
type rawIO struct{ rc syscall.RawConn }

// newRawIO is c's raw reader and writer; false when c has no socket of
// its own (TLS).
func newRawIO(c net.Conn) (rawIO, bool) {
	sc, ok := c.(syscall.Conn)
	if !ok {
		return rawIO{}, false
	}
	rc, err := sc.SyscallConn()
	return rawIO{rc}, err == nil
}

// plainConn is a connection whose reads and writes are rawIO's, and
// whose writes wait at most writeTimeout for room: the deadline is set
// only when a write must wait.
type plainConn struct {
	net.Conn
	raw          rawIO
	writeTimeout time.Duration
}

// newPlainConn is c with raw reads and writes, or with its own when it
// has no socket of its own.
func newPlainConn(c net.Conn, writeTimeout time.Duration) net.Conn {
	r, ok := newRawIO(c)
	if !ok {
		return &deadlineConn{c, writeTimeout}
	}
	return &plainConn{c, r, writeTimeout}
}

func (p *plainConn) Read(b []byte) (int, error) { return p.raw.Read(b) }

func (p *plainConn) Write(b []byte) (int, error) { return p.raw.writeWithin(b, p.Conn, p.writeTimeout) }

// deadlineConn is a connection whose every write waits at most
// writeTimeout.
type deadlineConn struct {
	net.Conn
	writeTimeout time.Duration
}

func (d *deadlineConn) Write(b []byte) (int, error) {
	d.SetWriteDeadline(time.Now().Add(d.writeTimeout))
	return d.Conn.Write(b)
}

// Read reads what is there, waiting for something first; 0 and io.EOF
// once the other end closed.
func (r rawIO) Read(b []byte) (int, error) {
	if len(b) == 0 {
		return 0, nil
	}
	return r.readInto(func() []byte { return b }, func([]byte) {})
}

// readInto reads into a buffer that get gives; when there is nothing to
// read yet, it gives the buffer back (put) and waits without one, so that
// a connection waiting for requests holds none.
func (r rawIO) readInto(get func() []byte, put func([]byte)) (int, error) {
	var n int
	var errno syscall.Errno
	err := r.rc.Read(func(fd uintptr) bool {
		b := get()
		n, errno = rawRead(fd, b)
		e := errno
		if e == syscall.EAGAIN || e == syscall.EINTR {
			put(b)
			return false
		}
		return true
	})
	switch {
	case err != nil:
		return 0, err
	case errno != 0:
		return 0, errno
	case n == 0:
		return 0, io.EOF
	}
	return n, nil
}

// writeWithin writes all of b to c, waiting for room at most d. The
// write deadline is set only when the write must wait (setting one for
// every write costs an idle upsd a thread's wake-up, and most writes need
// none), and cleared once it is done, so that it fails no later write.
func (r rawIO) writeWithin(b []byte, c net.Conn, d time.Duration) (int, error) {
	done, armed := 0, false
	var errno syscall.Errno
	err := r.rc.Write(func(fd uintptr) bool {
		for done < len(b) {
			p := b[done:]
			m, e := rawSend(fd, p)
			switch e {
			case 0:
				done += m
			case syscall.EINTR:
			case syscall.EAGAIN:
				if !armed {
					c.SetWriteDeadline(time.Now().Add(d))
					armed = true
				}
				return false
			default:
				errno = e
				return true
			}
		}
		return true
	})
	if armed {
		c.SetWriteDeadline(time.Time{})
	}
	if err == nil && errno != 0 {
		err = errno
	}
	return done, err
}
