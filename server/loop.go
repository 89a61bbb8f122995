package server

import (
	"bytes"
	"net"
	"os"
	"runtime"
	"time"
)

// Plain connections may be served by event loops (loop_linux.go) rather
// than a goroutine each. This file holds what a loop keeps of a client,
// whatever the loop waits with.

// loopConn is a client connection served by a loop.
type loopConn struct {
	requests
	c     *client
	fd    int
	id    uint64
	buf   []byte    // where requests are received
	heard time.Time // when it connected, or when its last whole request came
	// sending is when the answer being sent was queued; zero while none is.
	sending time.Time
	shut    bool // shut down for a missed deadline; closed once its I/O ends
	// The kernel reads and writes buf and the answers being sent while
	// the loop goes on: they are pinned meanwhile.
	pinIn, pinOut runtime.Pinner
}

// deadline is when the connection is shut unless something happens
// first: its answer still unsent writeTimeout after it was queued (the
// client does not read), or no whole request for idleTimeout.
func (lc *loopConn) deadline(s *Server) time.Time {
	if !lc.sending.IsZero() {
		return lc.sending.Add(s.writeTimeout)
	}
	return lc.heard.Add(s.idleTimeout)
}

// handOff moves a connection no longer in any loop to a goroutine of its
// own (serveClient), which answers first, then reads rest before reading
// the connection. Answers not yet written go first.
func (s *Server) handOff(lc *loopConn, first []string, rest []byte) {
	f := os.NewFile(uintptr(lc.fd), "client")
	nc, err := net.FileConn(f)
	f.Close()
	lc.fd = -1
	if err != nil {
		s.log.Warn("cannot serve a client's "+first[0], "addr", lc.c.addr, "error", err)
		s.unregister(lc.c)
		return
	}
	go s.serveClient(lc.c, nc, first, bytes.Clone(rest))
}
