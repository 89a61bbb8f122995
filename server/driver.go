package server

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"gonut/drivers/dstate"
	"gonut/drivers/sockproto"
	"gonut/words"
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
	tree      *dstate.Tree
	conn      net.Conn
	out       chan string // requests for the driver on conn, written by write
	dumped    bool        // DUMPDONE seen since connecting
	relay     bool        // its data comes from a NUT server, maybe through this very upsd
	unreached bool        // the last attempt to connect to the driver failed
	lastHeard time.Time
	logins    int
	fsd       bool // FSD was set by a primary upsmon
	tracking  map[string]trackResult
	pruned    time.Time // when old tracking results were last dropped
	watchers  map[chan struct{}]struct{}
	lostAt    time.Time // when the driver connection was last lost
}

type trackResult struct {
	code int // -1 pending
	at   time.Time
}

func newUPS(name, desc, socket string, log *slog.Logger) *ups {
	return &ups{name: name, desc: desc, socket: socket, log: log, tree: dstate.New(), tracking: map[string]trackResult{}}
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
func (u *ups) send(line string) bool {
	u.mu.Lock()
	out := u.out
	u.mu.Unlock()
	if out == nil {
		return false
	}
	select {
	case out <- line:
		return true
	default:
		u.log.Warn("driver does not read its requests; request refused", "ups", u.name, "request", strings.TrimSpace(line))
		return false
	}
}

// write writes queued requests to the driver until done. A driver that
// takes no request for 5 seconds is hung up on, and followed again.
func (u *ups) write(c net.Conn, out <-chan string, done <-chan struct{}) {
	for {
		select {
		case <-done:
			return
		case line := <-out:
			c.SetWriteDeadline(time.Now().Add(5 * time.Second))
			if _, err := c.Write([]byte(line)); err != nil {
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
		c, err := (&net.Dialer{Timeout: 5 * time.Second}).DialContext(ctx, "unix", u.socket)
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
		out := make(chan string, sendQueue)
		u.mu.Lock()
		u.conn, u.out, u.tree, u.dumped, u.lastHeard, u.unreached = c, out, dstate.New(), false, time.Now(), false
		u.mu.Unlock()
		u.log.Info("connected to driver", "ups", u.name, "socket", u.socket)
		u.send("DUMPALL\n")
		done := make(chan struct{})
		go u.write(c, out, done)
		go u.ping(done, maxAge)
		u.read(c)
		close(done)
		u.mu.Lock()
		u.conn, u.out, u.lostAt = nil, nil, time.Now()
		u.mu.Unlock()
		u.changed()
		c.Close()
		u.log.Warn("lost the driver", "ups", u.name)
	}
}

// ping sends PING when the driver has been quiet for a third of MAXAGE.
func (u *ups) ping(done <-chan struct{}, maxAge time.Duration) {
	t := time.NewTicker(maxAge / 3)
	defer t.Stop()
	for {
		select {
		case <-done:
			return
		case <-t.C:
			u.mu.Lock()
			quiet := time.Since(u.lastHeard) >= maxAge/3
			u.mu.Unlock()
			if quiet {
				u.send("PING\n")
			}
		}
	}
}

func (u *ups) read(r io.Reader) {
	in := words.NewStream(bufio.NewReader(r))
	for {
		w, bad, err := in.Next()
		switch {
		case err != nil:
			return
		case bad != nil:
			u.log.Warn("bad line from driver", "ups", u.name, "error", bad)
		case len(w) == 0:
		default:
			m, _ := sockproto.FromWords(w)
			u.apply(m)
		}
	}
}

// maxValueLen is how much of a driver's value (or enumerated value) upsd
// keeps, counted escaped as it goes on the wire: NUT's upsd keeps
// ST_MAX_VALUE_LEN (256) bytes with the final NUL, and NUT's clients read
// lines of at most 511 bytes, so that a longer value breaks their lists.
const maxValueLen = 255

// named are the driver socket commands whose first argument is the name
// of a variable or an instant command.
var named = map[string]bool{
	sockproto.SetInfo: true, sockproto.DelInfo: true, sockproto.AddEnum: true, sockproto.DelEnum: true,
	sockproto.AddRange: true, sockproto.DelRange: true, sockproto.SetAux: true, sockproto.SetFlags: true,
	sockproto.AddCmd: true, sockproto.DelCmd: true,
}

// apply changes the copy of the tree as the driver says.
func (u *ups) apply(m sockproto.Message) {
	u.mu.Lock()
	u.lastHeard = time.Now()
	tree := u.tree
	u.mu.Unlock()
	a := m.Args
	n := len(a)
	if n > 0 && named[m.Cmd] && !words.IsPlain(a[0]) {
		// NUT's upsd would pass such a name on as it is, and a client
		// would read "VAR ups a b ..." as other words than were meant.
		u.log.Warn("bad line from driver: expected a variable or command name of one plain word", "ups", u.name, "line", m.String())
		return
	}
	atoi := func(s string) int { v, _ := strconv.Atoi(s); return v }
	switch {
	case m.Cmd == sockproto.SetInfo && n >= 2:
		if tree.Set(a[0], words.CutEscaped(a[1], maxValueLen)) && a[0] == "ups.status" {
			u.changed()
		}
	case m.Cmd == sockproto.DelInfo && n >= 1:
		tree.Delete(a[0])
	case m.Cmd == sockproto.AddEnum && n >= 2:
		tree.AddEnum(a[0], words.CutEscaped(a[1], maxValueLen))
	case m.Cmd == sockproto.DelEnum && n >= 2:
		// Cut as it was added, so that it is found.
		tree.DelEnum(a[0], words.CutEscaped(a[1], maxValueLen))
	case m.Cmd == sockproto.AddRange && n >= 3:
		tree.AddRange(a[0], atoi(a[1]), atoi(a[2]))
	case m.Cmd == sockproto.DelRange && n >= 3:
		tree.DelRange(a[0], atoi(a[1]), atoi(a[2]))
	case m.Cmd == sockproto.SetAux && n >= 2:
		aux, _ := strconv.ParseInt(a[1], 10, 64)
		tree.SetAux(a[0], aux)
	case m.Cmd == sockproto.SetFlags && n >= 1:
		tree.SetFlags(a[0], dstate.ParseFlags(a[1:]))
	case m.Cmd == sockproto.AddCmd && n >= 1:
		tree.AddCmd(a[0])
	case m.Cmd == sockproto.DelCmd && n >= 1:
		tree.DelCmd(a[0])
	case m.Cmd == sockproto.DataOK:
		if tree.DataOK() {
			u.changed()
		}
	case m.Cmd == sockproto.DataStale:
		if tree.DataStale() {
			u.changed()
		}
	case m.Cmd == sockproto.DumpDone:
		u.mu.Lock()
		u.dumped = true
		u.mu.Unlock()
		u.changed()
	case m.Cmd == sockproto.Tracking && n >= 2:
		u.mu.Lock()
		id := strings.ToUpper(a[0]) // as upsd made it; NUT compares without case
		result := "ERR UNKNOWN"     // an id upsd did not make, or forgot
		if _, ok := u.tracking[id]; ok {
			u.tracking[id] = trackResult{code: atoi(a[1]), at: time.Now()}
			result = trackingText(atoi(a[1]))
		}
		u.mu.Unlock()
		// NUT's upsd logs each result of a SET or INSTCMD, in these words.
		u.log.Debug(fmt.Sprintf("TRACKING: ID %s status %s", a[0], a[1]))
		u.log.Info(fmt.Sprintf("tracking ID: %s\tresult: %s", a[0], result))
	case m.Cmd == sockproto.Pong:
	default:
		u.log.Debug("unknown line from driver", "ups", u.name, "line", m.String())
	}
}
