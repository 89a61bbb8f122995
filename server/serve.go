package server

import (
	"bytes"
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
	// raw reads and writes a plain connection (see rawIO); plain is
	// false once the connection is TLS.
	raw   rawIO
	plain bool
	buf   *[]byte // what g.in was read into, while it is being answered
}

// serveClient serves a connection from a goroutine of its own until it
// ends. An event loop hands connections over with the request it was
// about to answer (first: STARTTLS, or WATCH already answered) and what
// it had received after it (rest).
func (s *Server) serveClient(c *client, nc net.Conn, first []string, rest []byte) {
	g := &goConn{s: s, c: c, conn: nc}
	defer func() {
		s.unregister(c)
		nc.Close()
		s.releaseOut(c)
		g.releaseIn()
	}()
	s.clientsMu.Lock()
	c.hangUp = func() { nc.Close() }
	closed := s.closed
	s.clientsMu.Unlock()
	if closed {
		return
	}
	g.raw, g.plain = newRawIO(nc)
	g.in = rest
	if first != nil && !g.hold(first) {
		return
	}
	g.serve()
}

// serve answers requests until the connection ends, in turns: the first
// request of what was read is answered at once if it is whole (and the
// client is not new: a burst of new clients takes turns), the rest (a
// client that sends many at a time, or lines too long for a read) up to
// turn bytes of answers at a time, in the server's lane (see lane). The
// answers of each turn are written before the next; no more requests are
// read or answered until they are, and a client that leaves them unread
// for writeTimeout is let go.
func (g *goConn) serve() {
	heard := true // a whole request came: the idle timeout starts again
	known := false
	for {
		limit, laned := turn, true
		if len(g.in) == 0 {
			if heard {
				g.conn.SetReadDeadline(time.Now().Add(g.s.idleTimeout))
				heard = false
			}
			if !g.read() {
				return
			}
			if known && bytes.IndexByte(g.in, '\n') >= 0 {
				limit, laned = 0, false
			}
			known = true
		}
		if laned {
			g.s.lane.acquire()
		}
		hold, rest := g.s.answer(g.c, &g.requests, limit)
		if laned {
			g.s.lane.release()
		}
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
		if g.flush() != nil || g.end {
			return
		}
	}
}

// read receives more requests into g.in; false when the connection ended.
// A plain connection waits for them without a buffer: one comes from the
// server's pool once there is something to read, and goes back once
// answered, so that an idle connection holds none.
func (g *goConn) read() bool {
	g.releaseIn()
	if !g.plain {
		g.buf = g.s.readBuf()
		n, err := g.conn.Read(*g.buf)
		if n == 0 && err != nil {
			return false
		}
		g.in = (*g.buf)[:n]
		return true
	}
	n, err := g.raw.readInto(func() []byte {
		g.buf = g.s.readBuf()
		return *g.buf
	}, func([]byte) { g.releaseIn() })
	if err != nil {
		return false
	}
	g.in = (*g.buf)[:n]
	return true
}

// releaseIn gives the buffer of the requests just answered back.
func (g *goConn) releaseIn() {
	if g.buf != nil {
		g.s.bufs.in.Put(g.buf)
		g.buf, g.in = nil, nil
	}
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
	g.conn, g.c.tls, g.plain = tc, true, false
	return true
}

// flush writes the client's pending answers.
func (g *goConn) flush() error {
	out := &g.c.out
	if out.Len() == 0 {
		return nil
	}
	g.s.notePending(out.Len())
	var err error
	if g.plain {
		_, err = g.raw.writeWithin(out.Bytes(), g.conn, g.s.writeTimeout)
	} else {
		g.conn.SetWriteDeadline(time.Now().Add(g.s.writeTimeout))
		_, err = g.conn.Write(out.Bytes())
	}
	g.s.releaseOut(g.c)
	return err
}
