package server

import (
	"net"
	"strings"
	"time"
)

// readSize is how much of a client's requests a goroutine reads at once.
const readSize = 4096

// goConn is a client connection served by a goroutine of its own.
type goConn struct {
	requests
	s    *Server
	c    *client
	conn net.Conn
	buf  []byte
}

// serveClient serves a connection from a goroutine of its own until it
// ends. An event loop hands connections over with the request it was
// about to answer (first: STARTTLS, or WATCH already answered) and what
// it had received after it (rest).
func (s *Server) serveClient(c *client, nc net.Conn, first []string, rest []byte) {
	defer func() {
		s.unregister(c)
		nc.Close()
	}()
	s.clientsMu.Lock()
	c.hangUp = func() { nc.Close() }
	s.clientsMu.Unlock()
	g := &goConn{s: s, c: c, conn: nc}
	g.in = rest
	if first != nil && !g.hold(first) {
		return
	}
	g.serve()
}

// serve answers requests until the connection ends. Answers go out once
// every request received is answered, or when they fill maxPending; no
// more requests are read or answered until they are written, and a
// client that leaves them unread for writeTimeout is let go.
//
// The first request of what was read is answered at once; the ones
// after it (a client that sends many at a time) in turns, holding the
// server's lane, which one connection at a time holds.
func (g *goConn) serve() {
	heard := true  // a whole request came: the idle timeout starts again
	fresh := false // g.in was just read
	for {
		limit, laned := maxPending, false
		switch {
		case fresh:
			limit = 1
		case len(g.in) > 0:
			g.s.lane <- struct{}{}
			limit, laned = min(g.c.out.Len()+turn, maxPending), true
		}
		hold, rest := g.s.answer(g.c, &g.requests, limit)
		if laned {
			<-g.s.lane
		}
		fresh = false
		if hold != nil {
			g.in, heard = rest, true
			if !g.hold(hold) {
				return
			}
			continue
		}
		if g.c.out.Len() > 0 {
			heard = true
		}
		if len(g.in) > 0 && !g.end && g.c.out.Len() < maxPending {
			continue // the rest of what was read, in the lane
		}
		if g.flush() != nil || g.end {
			return
		}
		if len(g.in) > 0 {
			continue // answering stopped at maxPending
		}
		if heard {
			g.conn.SetReadDeadline(time.Now().Add(g.s.idleTimeout))
			heard = false
		}
		if !g.read() {
			return
		}
		fresh = true
	}
}

// read receives more requests into g.in; false when the connection ended.
func (g *goConn) read() bool {
	if g.buf == nil {
		g.buf = make([]byte, readSize)
	}
	n, err := g.conn.Read(g.buf)
	if n == 0 && err != nil {
		return false
	}
	g.in = g.buf[:n]
	return true
}

// hold serves a request that holds the connection (see answer): the TLS
// handshake of STARTTLS, after which requests come encrypted, or a WATCH
// feed. It returns false when the connection ends.
func (g *goConn) hold(w []string) bool {
	if strings.EqualFold(w[0], "WATCH") {
		// Answered OK already. Anything sent after it ends the feed.
		if g.flush() == nil && len(g.in) == 0 {
			g.s.serveWatch(g.c, g.conn)
		}
		return false
	}
	conf := g.s.tlsFor(g.c, len(g.in) > 0)
	if conf == nil { // answered with an error (a reload took TLS away)
		return true
	}
	tc := g.startTLS(conf)
	if tc == nil {
		return false
	}
	g.conn, g.c.tls = tc, true
	return true
}

// flush writes the client's pending answers.
func (g *goConn) flush() error {
	out := &g.c.out
	if out.Len() == 0 {
		return nil
	}
	g.s.notePending(out.Len())
	g.conn.SetWriteDeadline(time.Now().Add(g.s.writeTimeout))
	_, err := g.conn.Write(out.Bytes())
	out.Reset()
	return err
}
