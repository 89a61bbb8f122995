package server

import (
	"bytes"
	"slices"
	"strings"

	"gonut/words"
)

// maxPending is how many bytes of answers a connection collects before
// its answers are written and no more of its requests are answered until
// they are: a client that sends requests and reads no answer holds no
// more than this (and one answer) of upsd's memory.
const maxPending = 64 << 10

// turn is how many bytes of answers a client that sends many requests at
// a time gets before others get theirs: beyond the first request of what
// it sent, its requests are answered in turns, one client at a time, so
// that a client asking now and then waits for no more than one turn.
const turn = 16 << 10

// requests are what a client sent that is not answered yet, whoever
// reads them (an event loop or the connection's goroutine).
type requests struct {
	tok   words.Tokenizer
	in    []byte   // received, not answered yet
	words []string // the last plain request's words; its slice is reused
	end   bool     // LOGOUT: the connection ends once the answers are written
}

// answer answers the requests in rq.in, into c.out, until they run out,
// the answers fill limit bytes (maxPending at most; 0: after one line),
// or the client logs out (rq.end). When it meets a request that holds the connection for
// long (STARTTLS about to start, a WATCH feed) it returns that request
// and what came after it.
func (s *Server) answer(c *client, rq *requests, limit int) (hold []string, rest []byte) {
	s.takeOut(c)
	for {
		w, bad, ok := rq.next()
		switch {
		case !ok:
			return nil, nil
		case bad != nil:
			s.log.Debug("parse error from client", "addr", c.addr, "error", bad)
			if limit == 0 {
				return nil, nil
			}
			continue
		case len(w) > 0 && strings.EqualFold(w[0], "STARTTLS"):
			// A STARTTLS that cannot start is answered as any request.
			if s.tlsFor(c, len(rq.in) > 0) != nil {
				rest, rq.in = rq.in, nil
				return slices.Clone(w), rest
			}
		case len(w) > 0 && strings.EqualFold(w[0], "WATCH"):
			s.watch(c, w[1:])
			if c.watching != nil {
				rest, rq.in = rq.in, nil
				return slices.Clone(w), rest
			}
		default:
			if s.command(c, w) {
				rq.end, rq.in = true, nil
				return nil, nil
			}
		}
		if c.out.Len() >= limit || limit == 0 {
			return nil, nil
		}
	}
}

// notePending records how many bytes of answers a connection holds
// unsent, just before they are written.
func (s *Server) notePending(n int) {
	for {
		peak := s.pendingPeak.Load()
		if int64(n) <= peak || s.pendingPeak.CompareAndSwap(peak, int64(n)) {
			return
		}
	}
}

// next takes the next line's words, or why it is malformed, from rq.in;
// ok is false once rq.in is used up (the tokenizer keeps a line's start).
func (rq *requests) next() (w []string, bad error, ok bool) {
	if len(rq.in) == 0 {
		return nil, nil, false
	}
	if rq.tok.Idle() {
		// Most requests are plain words: no need for the tokenizer's
		// byte-at-a-time state machine.
		if nl := bytes.IndexByte(rq.in, '\n'); nl >= 0 {
			if w, ok := words.SplitPlain(rq.words, rq.in[:nl]); ok {
				rq.in = rq.in[nl+1:]
				rq.words = w
				return w, nil, true
			}
		}
	}
	for i, b := range rq.in {
		switch rq.tok.Feed(b) {
		case words.Error:
			rq.in = rq.in[i+1:]
			return nil, rq.tok.Err(), true
		case words.Done:
			rq.in = rq.in[i+1:]
			return rq.tok.Words(), nil, true
		}
	}
	rq.in = nil
	return nil, nil, false
}
