package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"sync"
	"time"

	"gonut/drivers/sockproto"
	"gonut/state"
)

// ups is one UPS of ups.conf as upsd knows it: a copy of its driver's
// state tree, kept current over the driver socket.
type ups struct {
	name   string
	desc   string
	socket string
	log    *slog.Logger
	stop   func() // ends follow, and waits until it has

	mu        sync.Mutex
	tree      *state.Tree
	conn      *sockproto.Client
	out       chan sockproto.Request // requests for the driver on conn, written by write
	dumped    bool                   // DUMPDONE seen since connecting
	relay     bool                   // its data comes from a NUT server, maybe through this very upsd
	unreached bool                   // the last attempt to connect to the driver failed
	lastHeard time.Time
	logins    int
	fsd       bool // FSD was set by a primary upsmon
	tracking  map[string]trackResult
	pruned    time.Time // when old tracking results were last dropped
	watchers  map[chan struct{}]struct{}
	lostAt    time.Time // when the driver connection was last lost
}

type trackResult struct {
	result sockproto.Result
	at     time.Time
}

func newUPS(name, desc, socket string, log *slog.Logger) *ups {
	return &ups{name: name, desc: desc, socket: socket, log: log, tree: newTree(), tracking: map[string]trackResult{}}
}

// maxValueLen is how much of a driver's value (or enumerated value) upsd
// keeps, counted escaped as it goes on the wire: NUT's upsd keeps
// ST_MAX_VALUE_LEN (256) bytes with the final NUL, and NUT's clients read
// lines of at most 511 bytes, so that a longer value breaks their lists.
const maxValueLen = 255

// newTree is an empty copy of a driver's tree, which keeps values as NUT's
// upsd does.
func newTree() *state.Tree {
	t := state.New()
	t.LimitValues(maxValueLen)
	return t
}

// available says why the UPS cannot answer (DRIVER-NOT-CONNECTED,
// DATA-STALE), or "" when it can.
func (u *ups) available(maxAge time.Duration, now time.Time) string {
	u.mu.Lock()
	defer u.mu.Unlock()
	switch {
	case u.conn == nil && !u.lostAt.IsZero() && now.Sub(u.lostAt) < maxAge:
		// The driver went away moments ago (a restart, a socket that
		// systemd holds while it starts again): its data is stale, the
		// driver not yet known to be gone.
		return "DATA-STALE"
	case u.conn == nil:
		return "DRIVER-NOT-CONNECTED"
	case !u.dumped || u.tree.Stale() || now.Sub(u.lastHeard) > maxAge:
		return "DATA-STALE"
	}
	return ""
}

// sendQueue is how many requests wait for a driver that does not read.
const sendQueue = 64

// send queues a request for the driver; false when there is no driver,
// or it has left sendQueue requests unread. It never waits: it is called
// from the event loop that serves every client.
func (u *ups) send(req sockproto.Request) bool {
	u.mu.Lock()
	out := u.out
	u.mu.Unlock()
	if out == nil {
		return false
	}
	select {
	case out <- req:
		return true
	default:
		u.log.Warn("driver does not read its requests; request refused", "ups", u.name, "request", strings.TrimSpace(req.Encode()))
		return false
	}
}

// driverWriteTimeout is how long a driver has to take a request.
const driverWriteTimeout = 5 * time.Second

// write writes queued requests to the driver until done. A driver that
// takes no request for driverWriteTimeout is hung up on, and followed
// again.
func (u *ups) write(c *sockproto.Client, out <-chan sockproto.Request, done <-chan struct{}) {
	for {
		select {
		case <-done:
			return
		case req := <-out:
			if err := c.Send(req); err != nil {
				u.log.Warn("cannot write to driver", "ups", u.name, "error", err)
				c.Close()
				return
			}
		}
	}
}

// follow keeps a connection to the driver until ctx ends: connect, ask
// for a dump, apply what the driver says, PING when it is quiet, and
// reconnect (with a fresh tree) when it goes away.
func (u *ups) follow(ctx context.Context, maxAge time.Duration) {
	for ctx.Err() == nil {
		dctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		nc, err := (&net.Dialer{}).DialContext(dctx, "unix", u.socket)
		cancel()
		if err != nil {
			u.log.Debug("driver not reachable", "ups", u.name, "socket", u.socket, "error", err)
			u.mu.Lock()
			u.unreached = true
			u.mu.Unlock()
			select {
			case <-ctx.Done():
				return
			case <-time.After(time.Second):
			}
			continue
		}
		// Raw reads and writes (see plainConn): a quiet upsd's PING and
		// its answer wake no more than they must.
		c := sockproto.NewClient(newPlainConn(nc, driverWriteTimeout))
		out := make(chan sockproto.Request, sendQueue)
		u.mu.Lock()
		u.conn, u.out, u.tree, u.dumped, u.lastHeard, u.unreached = c, out, newTree(), false, time.Now(), false
		u.mu.Unlock()
		u.log.Info("connected to driver", "ups", u.name, "socket", u.socket)
		u.send(sockproto.Request{Cmd: sockproto.DumpAll})
		done := make(chan struct{})
		go u.write(c, out, done)
		t, err := newTick(maxAge / 3)
		if err == nil {
			go u.ping(c, t, maxAge)
		} else {
			u.log.Warn("no timer: the driver is not pinged", "ups", u.name, "error", err)
		}
		c.Receive(u.badLine, u.take)
		close(done)
		if t != nil {
			t.Close()
		}
		u.mu.Lock()
		u.conn, u.out, u.lostAt = nil, nil, time.Now()
		u.mu.Unlock()
		u.changed()
		c.Close()
		u.log.Warn("lost the driver", "ups", u.name)
	}
}

// ping sends PING when the driver has been quiet for a third of MAXAGE
// (it answers PONG), until t is closed. t is a kernel timer, not one of
// Go's: on an idle upsd, each of Go's timers also wakes the scheduler's
// monitor, which then polls for a millisecond or more. PING is written
// from here rather than queued for write: one goroutine woken, not two.
func (u *ups) ping(c *sockproto.Client, t *tick, maxAge time.Duration) {
	for t.Wait() == nil {
		u.mu.Lock()
		// Heard since the last tick (its PONG, say): not quiet. A quarter,
		// so that a driver that answered the last PING is sent the next.
		quiet := time.Since(u.lastHeard) > maxAge/4
		u.mu.Unlock()
		if quiet && c.Send(sockproto.Request{Cmd: sockproto.Ping}) != nil {
			c.Close()
			return
		}
	}
}

func (u *ups) badLine(err error) { u.log.Warn("bad line from driver", "ups", u.name, "error", err) }

// take takes in one line from the driver (a change of its tree, the end
// of a dump, a command's result), and asks for the next.
func (u *ups) take(m sockproto.Message) bool {
	u.mu.Lock()
	u.lastHeard = time.Now()
	tree := u.tree
	u.mu.Unlock()
	switch m.Cmd {
	case sockproto.DumpDone:
		u.mu.Lock()
		u.dumped = true
		u.mu.Unlock()
		u.changed()
	case sockproto.Tracking:
		u.tracked(m)
	case sockproto.Pong:
	default:
		changed, err := sockproto.Apply(tree, m)
		switch {
		case errors.Is(err, sockproto.ErrNoChange):
			u.log.Debug("unknown line from driver", "ups", u.name, "line", m.String())
		case err != nil:
			u.badLine(err)
		case changed && (m.Cmd == sockproto.DataOK || m.Cmd == sockproto.DataStale || m.Cmd == sockproto.SetInfo && m.Args[0] == "ups.status"):
			u.changed() // WATCH feeds hear of it
		}
	}
	return true
}

// tracked records the result of a request upsd made with a TRACKING id.
func (u *ups) tracked(m sockproto.Message) {
	id, r, err := m.TrackingResult()
	if err != nil {
		u.badLine(err)
		return
	}
	u.mu.Lock()
	key := strings.ToUpper(id) // as upsd made it; NUT compares without case
	result := "ERR UNKNOWN"    // an id upsd did not make, or forgot
	if _, ok := u.tracking[key]; ok {
		u.tracking[key] = trackResult{result: r, at: time.Now()}
		result = r.Tracking()
	}
	u.mu.Unlock()
	// NUT's upsd logs each result of a SET or INSTCMD, in these words.
	u.log.Debug(fmt.Sprintf("TRACKING: ID %s status %s", m.Args[0], m.Args[1]))
	u.log.Info(fmt.Sprintf("tracking ID: %s\tresult: %s", m.Args[0], result))
}
