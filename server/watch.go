package server

import (
	"net"
	"time"
)

// WATCH is gonut's push extension of NUT's protocol (docs/protocol-notes.md):
// "WATCH <ups>" turns a connection into a one-way feed on which upsd
// writes "CHANGED <ups>" whenever the UPS's status or its data's
// freshness changes. The client then asks as usual (GET VAR) on its other
// connection. NUT's upsd answers ERR UNKNOWN-COMMAND, and clients fall
// back to polling.
func (s *Server) watch(c *client, args []string) {
	u := s.oneUPS(c, args)
	if u == nil {
		return
	}
	c.send("OK")
	c.watching = u
}

// serveWatch feeds change notices until the client goes or the UPS leaves
// ups.conf. Anything the client sends ends the feed.
func (s *Server) serveWatch(c *client, conn net.Conn) {
	u := c.watching
	notices := make(chan struct{}, 1)
	u.mu.Lock()
	if u.watchers == nil {
		u.watchers = map[chan struct{}]struct{}{}
	}
	u.watchers[notices] = struct{}{}
	u.mu.Unlock()
	defer func() {
		u.mu.Lock()
		delete(u.watchers, notices)
		u.mu.Unlock()
	}()
	gone := make(chan struct{})
	go func() {
		var b [64]byte
		conn.SetReadDeadline(time.Time{})
		conn.Read(b[:])
		close(gone)
	}()
	line := []byte("CHANGED " + u.name + "\n")
	for {
		select {
		case <-gone:
			return
		case <-notices:
			conn.SetWriteDeadline(time.Now().Add(10 * time.Second))
			if _, err := conn.Write(line); err != nil {
				return
			}
		}
	}
}

// changed tells the UPS's watchers; a watcher that has not taken the last
// notice yet needs no second one.
func (u *ups) changed() {
	u.mu.Lock()
	defer u.mu.Unlock()
	for w := range u.watchers {
		select {
		case w <- struct{}{}:
		default:
		}
	}
}
