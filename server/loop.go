package server

import (
	"bytes"
	"net"
	"os"
	"slices"
	"time"

	"gonut/words"
)

// Plain connections are served by event loops (loop_linux.go) rather than
// a goroutine each. This file holds what a loop does with what a client
// sent, whatever the loop waits with.

// maxPending is how many bytes of answers a loop collects for a client
// before it stops answering that client's requests until they are
// written.
const maxPending = 64 << 10

// loopConn is a client connection served by a loop.
type loopConn struct {
	c     *client
	fd    int
	id    uint64
	tok   words.Tokenizer
	buf   []byte    // where requests are received
	in    []byte    // requests received but not answered yet
	words []string  // the last plain request's words; its slice is reused
	end   bool      // LOGOUT: closed once the answers are written
	heard time.Time // when it connected, or when its last whole request came
	// sending is when the answer being sent was queued; zero while none is.
	sending time.Time
	shut    bool // shut down for a missed deadline; closed once its I/O ends
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

// answer answers the requests in lc.in, into lc.c.out, until they run
// out, the answers fill maxPending, or the client logs out (lc.end). When
// it meets a request that holds the connection for long (STARTTLS,
// WATCH) it returns that request and what came after it, for handOff.
func (s *Server) answer(lc *loopConn) (hold []string, rest []byte) {
	c := lc.c
	for {
		w, bad, ok := lc.next()
		switch {
		case !ok:
			return nil, nil
		case bad != nil:
			s.log.Debug("parse error from client", "addr", c.addr, "error", bad)
			continue
		case blocking(w):
			rest, lc.in = lc.in, nil
			return slices.Clone(w), rest
		}
		if s.command(c, w) {
			lc.end, lc.in = true, nil
			return nil, nil
		}
		if c.out.Len() >= maxPending {
			return nil, nil
		}
	}
}

// next takes the next line's words, or why it is malformed, from lc.in;
// ok is false once lc.in is used up (the tokenizer keeps a line's start).
func (lc *loopConn) next() (w []string, bad error, ok bool) {
	if len(lc.in) == 0 {
		return nil, nil, false
	}
	if lc.tok.Idle() {
		// Most requests are plain words: no need for the tokenizer's
		// byte-at-a-time state machine.
		if nl := bytes.IndexByte(lc.in, '\n'); nl >= 0 {
			if w, ok := words.SplitPlain(lc.words, lc.in[:nl]); ok {
				lc.in = lc.in[nl+1:]
				lc.words = w
				return w, nil, true
			}
		}
	}
	for i, b := range lc.in {
		switch lc.tok.Feed(b) {
		case words.Error:
			lc.in = lc.in[i+1:]
			return nil, lc.tok.Err(), true
		case words.Done:
			lc.in = lc.in[i+1:]
			return lc.tok.Words(), nil, true
		}
	}
	lc.in = nil
	return nil, nil, false
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
