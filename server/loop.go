package server

import (
	"bytes"
	"net"
	"os"

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
	buf   []byte // where requests are received
	in    []byte // requests received but not answered yet
	end   bool   // LOGOUT: closed once the answers are written
	stuck int    // sweeps that found answers unsent in the socket's queue
}

// answer answers the requests in lc.in, into lc.c.out, until they run
// out, the answers fill maxPending, or the client logs out (lc.end). When
// it meets a request that holds the connection for long (STARTTLS,
// WATCH) it returns that request and what came after it, for handOff.
func (s *Server) answer(lc *loopConn) (hold []string, rest []byte) {
	c := lc.c
	for i, b := range lc.in {
		switch lc.tok.Feed(b) {
		case words.Error:
			s.log.Debug("parse error from client", "addr", c.addr, "error", lc.tok.Err())
		case words.Done:
			w := lc.tok.Words()
			if len(w) == 0 {
				continue
			}
			if blocking(w[0]) {
				rest, lc.in = lc.in[i+1:], nil
				return w, rest
			}
			if s.command(c, w) {
				lc.end, lc.in = true, nil
				return nil, nil
			}
			if c.out.Len() >= maxPending {
				lc.in = lc.in[i+1:]
				return nil, nil
			}
		}
	}
	lc.in = nil
	return nil, nil
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
