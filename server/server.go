package server

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"gonut/config"
	"gonut/internal/accept"
	"gonut/nutenv"
)

// NetVersion is the protocol version (NETVER).
const NetVersion = "1.3"

// Server is upsd.
type Server struct {
	log      *slog.Logger
	maxAge   time.Duration
	trackAge time.Duration
	// writeTimeout is how long a client that does not read its answers
	// keeps its connection.
	writeTimeout time.Duration
	// idleTimeout is how long a client that sends no request keeps its
	// connection: NUT's upsd sheds clients after a minute of inactivity.
	// WATCH feeds are exempt.
	idleTimeout time.Duration
	clock       clock // the event loops' time

	mu      sync.RWMutex
	ctx     context.Context // where drivers are followed; nil before FollowDrivers
	upses   map[string]*ups
	order   []string // ups.conf's order, which LIST UPS keeps
	users   *config.Users
	descs   descriptions
	tlsConf *tls.Config // nil: STARTTLS is not configured
	// ioUringLoop: plain connections are served by io_uring event loops
	// (GONUT_IO_URING_LOOP), not a goroutine each.
	ioUringLoop bool

	clientsMu sync.Mutex
	clients   map[*client]struct{}
	connected uint64     // connections so far: each client's seq
	maxConn   int        // MAXCONN; 0: no limit of ours
	slotFree  *sync.Cond // on clientsMu: a client left

	listeners map[net.Listener]struct{} // being served, on clientsMu
	closed    bool                      // Close was called, on clientsMu

	// pendingPeak is the most bytes of answers a connection has held
	// unsent: within maxPending and one answer, whatever the client does.
	pendingPeak atomic.Int64

	bufs   buffers
	shrink shrinker
	// lane gives turns to the goroutines that answer a client's requests
	// beyond the first of what it read (see goConn.serve).
	lane *lane

	loopsOnce sync.Once
	loops     *loops // nil where there is no event loop: every client has a goroutine

	accept accept.Retrier // waits out EMFILE and the like
}

// New makes a server of ups.conf's sections, with their drivers' sockets
// in vars' state path.
func New(upsConf *config.UPSConf, conf *config.UpsdConf, users *config.Users, vars nutenv.Env, log *slog.Logger) *Server {
	s := &Server{log: log, upses: map[string]*ups{}, users: users, clients: map[*client]struct{}{},
		maxAge: time.Duration(conf.MaxAge) * time.Second, trackAge: time.Duration(conf.TrackingDelay) * time.Second,
		writeTimeout: 30 * time.Second, idleTimeout: time.Minute, clock: realClock{}, lane: newLane()}
	s.maxConn, s.ioUringLoop = conf.MaxConn, conf.IOUringLoop
	s.accept.Report = func(err error) { log.Error("cannot accept a client, trying again", "error", err) }
	s.slotFree = sync.NewCond(&s.clientsMu)
	s.shrink.clock = s.clock
	if users == nil {
		s.users = &config.Users{}
	}
	dataPath := vars.DataPath()
	if conf.DataPath != "" {
		dataPath = conf.DataPath
	}
	s.descs = loadDescriptions(dataPath)
	statePath := vars.StatePath()
	if conf.StatePath != "" {
		statePath = conf.StatePath
	}
	for _, u := range upsConf.UPS {
		nu := newUPS(u.Name, u.Desc, nutenv.DriverSocketIn(statePath, u.Driver, u.Name), log)
		nu.relay = u.FromNUTServer()
		s.upses[u.Name] = nu
		s.order = append(s.order, u.Name)
	}
	return s
}

// FollowDrivers connects to every driver and keeps following them until
// ctx ends (or the UPS leaves ups.conf at a reload).
func (s *Server) FollowDrivers(ctx context.Context) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ctx = ctx
	for _, u := range s.upses {
		s.startFollowing(u)
	}
}

func (s *Server) startFollowing(u *ups) {
	ctx, cancel := context.WithCancel(s.ctx)
	done := make(chan struct{})
	u.stop = func() {
		cancel()
		u.mu.Lock()
		if u.conn != nil {
			u.conn.Close()
		}
		u.mu.Unlock()
		<-done
	}
	go func() {
		defer close(done)
		u.follow(ctx, s.maxAge)
	}()
}

// Reload applies new configuration files without dropping clients: UPSes
// new to ups.conf are followed, gone ones dropped, changed ones (driver,
// description) updated; users and MAXAGE change at once. It returns what
// changed, for the log.
func (s *Server) Reload(upsConf *config.UPSConf, conf *config.UpsdConf, users *config.Users, vars nutenv.Env) []string {
	fresh := New(upsConf, conf, users, vars, s.log)
	s.mu.Lock()
	defer s.mu.Unlock()
	var changes []string
	for name, u := range s.upses {
		nu, ok := fresh.upses[name]
		switch {
		case !ok:
			if u.stop != nil {
				u.stop()
			}
			delete(s.upses, name)
			changes = append(changes, "removed "+name)
			// Its clients are let go, as NUT's upsd kicks them: an upsmon
			// then logs in again, wherever the UPS went.
			s.clientsMu.Lock()
			for cl := range s.clients {
				if cl.login == u && cl.hangUp != nil {
					s.logf("Kicking client %s (was on UPS [%s])", cl.addr, name)
					cl.hangUp()
				}
			}
			s.clientsMu.Unlock()
		case nu.socket != u.socket:
			// The same UPS, so its logins, FSD, tracking and WATCH feeds
			// stay; once the old driver is let go, the new one is followed.
			if u.stop != nil {
				u.stop()
			}
			u.mu.Lock()
			u.socket, u.relay, u.desc = nu.socket, nu.relay, nu.desc
			u.mu.Unlock()
			if s.ctx != nil {
				s.startFollowing(u)
			}
			changes = append(changes, "driver changed for "+name)
		default:
			u.mu.Lock()
			if u.desc != nu.desc {
				u.desc = nu.desc
				changes = append(changes, "description changed for "+name)
			}
			u.mu.Unlock()
		}
	}
	for name, nu := range fresh.upses {
		if _, ok := s.upses[name]; !ok {
			s.upses[name] = nu
			if s.ctx != nil {
				s.startFollowing(nu)
			}
			changes = append(changes, "added "+name)
		}
	}
	s.order = fresh.order
	if users != nil {
		s.users = fresh.users
	} else {
		// upsd.users could not be read (an editor replacing it, say):
		// as NUT's upsd, keep the users rather than lock everyone out.
		changes = append(changes, "upsd.users unreadable: users kept")
	}
	s.descs = fresh.descs
	s.maxAge, s.trackAge = fresh.maxAge, fresh.trackAge
	s.ioUringLoop = fresh.ioUringLoop // for the clients that come next
	s.clientsMu.Lock()
	s.maxConn = fresh.maxConn
	s.slotFree.Broadcast()
	s.clientsMu.Unlock()
	return changes
}

// age is MAXAGE, which a reload may change.
func (s *Server) age() time.Duration {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.maxAge
}

// Counts returns how many UPSes and clients the server has.
func (s *Server) Counts() (upses, clients int) {
	s.mu.RLock()
	upses = len(s.upses)
	s.mu.RUnlock()
	s.clientsMu.Lock()
	clients = len(s.clients)
	s.clientsMu.Unlock()
	return
}

// Serve answers clients on a listener until it is closed. With MAXCONN
// clients connected it stops accepting, as NUT's upsd does: newcomers
// wait in the listen backlog until someone leaves.
func (s *Server) Serve(l net.Listener) error {
	if !s.listening(l, true) {
		return net.ErrClosed
	}
	defer s.listening(l, false)
	s.lane.start()
	// A new client is served once the network has been polled: a flood of
	// connections does not keep the clients already there waiting.
	gap := newNetGap()
	defer gap.close()
	for {
		s.clientsMu.Lock()
		for s.maxConn > 0 && len(s.clients) >= s.maxConn && !s.closed {
			s.slotFree.Wait()
		}
		s.clientsMu.Unlock()
		c, err := s.accept.Accept(l)
		if err != nil {
			return err
		}
		cl := s.register(c.RemoteAddr())
		if lp := s.events(); lp == nil || !lp.adopt(cl, c) {
			go s.serveClient(cl, c, nil, nil)
		}
		gap.pass()
	}
}

// events returns the event loops that serve plain connections, started on
// first use, when upsd.conf asks for them (GONUT_IO_URING_LOOP); nil
// otherwise.
func (s *Server) events() *loops {
	s.mu.RLock()
	wanted := s.ioUringLoop
	s.mu.RUnlock()
	if !wanted {
		return nil
	}
	s.loopsOnce.Do(func() { s.loops = startLoops(s) })
	return s.loops
}

// find returns a UPS by name, in any case (as NUT's upsd compares
// names), or nil.
func (s *Server) find(name string) *ups {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if u := s.upses[name]; u != nil { // the usual spelling, at once
		return u
	}
	for k, u := range s.upses {
		if strings.EqualFold(k, name) {
			return u
		}
	}
	return nil
}

// client is one network connection.
type client struct {
	out      bytes.Buffer // answers not yet written
	addr     string
	username string
	password string
	hasUser  bool
	hasPass  bool
	login    *ups
	tracking bool
	tls      bool
	watching *ups // after WATCH: the connection only carries change notices
	// hangUp ends the connection from outside, whoever serves it; set
	// and called under Server.clientsMu.
	hangUp func()
	seq    uint64 // the how-manieth connection it is
}

// register counts a new connection in, before it is served, so that
// MAXCONN holds however fast clients arrive.
func (s *Server) register(addr net.Addr) *client {
	c := &client{addr: hostOf(addr)}
	s.clientsMu.Lock()
	s.connected++
	c.seq = s.connected
	s.clients[c] = struct{}{}
	s.shrink.count(len(s.clients))
	s.clientsMu.Unlock()
	return c
}

// unregister counts a client out once its connection is closed.
func (s *Server) unregister(c *client) {
	if c.login != nil {
		c.login.mu.Lock()
		c.login.logins--
		c.login.mu.Unlock()
	}
	s.clientsMu.Lock()
	delete(s.clients, c)
	s.shrink.count(len(s.clients))
	s.slotFree.Broadcast()
	s.clientsMu.Unlock()
}

func hostOf(a net.Addr) string {
	if ta, ok := a.(*net.TCPAddr); ok {
		return ta.IP.String()
	}
	return a.String()
}

func (c *client) send(format string, args ...any) { fmt.Fprintf(&c.out, format+"\n", args...) }

// line writes an answer made of parts, without formatting.
func (c *client) line(parts ...string) {
	for _, p := range parts {
		c.out.WriteString(p)
	}
	c.out.WriteByte('\n')
}
func (c *client) err(code string) { c.out.WriteString("ERR " + code + "\n") }

// who is the client as NUT's upsd names it in its log: user@address.
func (c *client) who() string { return c.username + "@" + c.addr }

// ssl is what NUT's upsd adds to a login's log line on a TLS connection.
func (c *client) ssl() string {
	if c.tls {
		return " (SSL)"
	}
	return ""
}

// logf logs what NUT's upsd logs (LOG_INFO) of what clients do, in its
// words: admins grep for them.
func (s *Server) logf(format string, args ...any) { s.log.Info(fmt.Sprintf(format, args...)) }

// command answers one request; it returns true when the connection ends.
func (s *Server) command(c *client, w []string) bool {
	if len(w) == 0 { // an empty line, or only a comment
		c.err("UNKNOWN-COMMAND")
		return false
	}
	cmd, args := strings.ToUpper(w[0]), w[1:]
	switch cmd {
	case "LOGIN", "PRIMARY", "MASTER", "FSD", "SET", "INSTCMD":
		if !c.hasUser {
			c.err("USERNAME-REQUIRED")
			return false
		}
		if !c.hasPass {
			c.err("PASSWORD-REQUIRED")
			return false
		}
	}
	switch cmd {
	case "VER":
		if len(args) != 0 {
			c.err("INVALID-ARGUMENT")
			return false
		}
		c.send("Network UPS Tools upsd %s - http://www.networkupstools.org/", Version)
	case "NETVER", "PROTVER":
		if len(args) != 0 {
			c.err("INVALID-ARGUMENT")
			return false
		}
		c.send("%s", NetVersion)
	case "HELP":
		if len(args) != 0 {
			c.err("INVALID-ARGUMENT")
			return false
		}
		c.send("Commands: HELP VER GET LIST SET INSTCMD LOGIN LOGOUT USERNAME PASSWORD STARTTLS")
	case "GET":
		s.get(c, args)
	case "LIST":
		s.list(c, args)
	case "USERNAME", "PASSWORD":
		if len(args) != 1 {
			c.err("INVALID-ARGUMENT")
			return false
		}
		if cmd == "USERNAME" {
			if c.hasUser {
				s.logf("Client %s tried to set a username twice", c.who())
				c.err("ALREADY-SET-USERNAME")
				return false
			}
			c.username, c.hasUser = args[0], true
		} else {
			if c.hasPass {
				if c.hasUser {
					s.logf("Client %s tried to set a password twice", c.who())
				} else {
					s.logf("Client on %s tried to set a password twice", c.addr)
				}
				c.err("ALREADY-SET-PASSWORD")
				return false
			}
			c.password, c.hasPass = args[0], true
		}
		c.send("OK")
	case "LOGIN":
		s.loginCmd(c, args)
	case "LOGOUT":
		if len(args) != 0 {
			c.err("INVALID-ARGUMENT")
			return false
		}
		if c.login != nil {
			s.logf("User %s logged out from UPS [%s]%s", c.who(), c.login.name, c.ssl())
		}
		c.send("OK Goodbye")
		return true
	case "PRIMARY", "MASTER":
		if cmd == "MASTER" {
			device := "<null>"
			if len(args) > 0 {
				device = args[0]
			}
			s.log.Debug(fmt.Sprintf("WARNING: Client %s requested MASTER level for device %s - which is deprecated in favor of PRIMARY since NUT 2.8.0", c.who(), device))
		}
		if len(args) != 1 {
			c.err("INVALID-ARGUMENT")
			return false
		}
		if s.find(args[0]) == nil {
			c.err("UNKNOWN-UPS")
			return false
		}
		if u := s.user(c); u == nil || !u.Can("PRIMARY") {
			c.err("ACCESS-DENIED")
			return false
		}
		c.send("OK %s-GRANTED", cmd)
	case "FSD":
		s.fsd(c, args)
	case "SET":
		s.set(c, args)
	case "INSTCMD":
		s.instcmd(c, args)
	case "WATCH":
		s.watch(c, args)
	default:
		c.err("UNKNOWN-COMMAND")
	}
	return false
}

// user is the client's user when its password is right. A user without a
// password line has no right password, not an empty one.
func (s *Server) user(c *client) *config.User {
	u := s.users.Find(c.username)
	if u == nil || !u.HasPassword || u.Password != c.password {
		return nil
	}
	return u
}

func (s *Server) loginCmd(c *client, args []string) {
	if len(args) != 1 {
		c.err("INVALID-ARGUMENT")
		return
	}
	if c.login != nil {
		s.logf("Client %s tried to login twice", c.who())
		c.err("ALREADY-LOGGED-IN")
		return
	}
	u := s.find(args[0])
	if u == nil {
		c.err("UNKNOWN-UPS")
		return
	}
	if usr := s.user(c); usr == nil || !usr.Can("LOGIN") {
		c.err("ACCESS-DENIED")
		return
	}
	u.mu.Lock()
	u.logins++
	u.mu.Unlock()
	c.login = u
	s.logf("User %s logged into UPS [%s]%s", c.who(), u.name, c.ssl())
	c.send("OK")
}

// fsd marks a UPS as being shut down: ups.status shows FSD first.
func (s *Server) fsd(c *client, args []string) {
	u := s.oneUPS(c, args)
	if u == nil {
		return
	}
	// A primary upsmon may set FSD, as may users with "actions = FSD".
	if usr := s.user(c); usr == nil || !(usr.Can("FSD") || usr.Upsmon == "primary") {
		c.err("ACCESS-DENIED")
		return
	}
	s.logf("Client %s set FSD on UPS [%s]", c.who(), u.name)
	u.mu.Lock()
	u.fsd = true
	u.mu.Unlock()
	u.changed()
	c.send("OK FSD-SET")
}

// newTrackingID makes an id like NUT's (a UUID).
func newTrackingID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return strings.ToUpper(fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16]))
}

// upsNames lists the UPS names in LIST UPS order: ups.conf's, as NUT's
// upsd lists them (scripts rely on it), also after a reload.
func (s *Server) upsNames() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return append([]string(nil), s.order...)
}

// WaitForDumps waits until every UPS's driver has sent its whole state
// (DUMPDONE), at most for limit. Drivers that cannot be reached (not
// started, masked) are not waited for, nor repeaters: one that relays a
// UPS of this upsd has nothing to send before upsd serves.
func (s *Server) WaitForDumps(ctx context.Context, limit time.Duration) {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		all := true
		s.mu.RLock()
		for _, u := range s.upses {
			u.mu.Lock()
			done := u.dumped || u.relay || u.unreached
			u.mu.Unlock()
			if !done {
				all = false
				break
			}
		}
		s.mu.RUnlock()
		if all {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// oneUPS is the UPS of a command that takes exactly one UPS name; nil
// after answering the error when there is none.
func (s *Server) oneUPS(c *client, args []string) *ups {
	if len(args) != 1 {
		c.err("INVALID-ARGUMENT")
		return nil
	}
	u := s.find(args[0])
	if u == nil {
		c.err("UNKNOWN-UPS")
	}
	return u
}
