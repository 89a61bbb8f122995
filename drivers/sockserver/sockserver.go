package sockserver

import (
	"bufio"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strconv"
	"sync"
	"time"

	"gonut/drivers/sockproto"
	"gonut/internal/accept"
	"gonut/state"
)

// DefaultMaxQueue is how many bytes may wait for one reader before it is
// dropped: many full dumps of a large device.
const DefaultMaxQueue = 4 << 20

// writeTimeout is how long one write may wait for a reader that does not
// read before the connection is dropped.
const writeTimeout = 10 * time.Second

// Handler carries out a SET or INSTCMD and returns its result, which is
// what TRACKING reports. It runs on the connection's reader, one request at
// a time per connection.
type Handler func(req sockproto.Request) sockproto.Result

// Server is one driver's socket server.
type Server struct {
	tree     *state.Tree
	handle   Handler
	log      *slog.Logger
	MaxQueue int

	accept accept.Retrier // waits out EMFILE and the like

	mu     sync.Mutex
	conns  map[*conn]struct{}
	closed bool
	line   []byte // the change being told, reused
}

// New makes a server of the tree; it becomes the tree's sink.
func New(tree *state.Tree, h Handler, log *slog.Logger) *Server {
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	s := &Server{tree: tree, handle: h, log: log, MaxQueue: DefaultMaxQueue, conns: map[*conn]struct{}{}}
	s.accept.Report = func(err error) {
		log.Error("cannot accept a connection on the driver socket, trying again", "error", err)
	}
	tree.SetSink(s)
	return s
}

// Listen creates the socket file at path, replacing a stale one, readable
// and writable by owner and group only (upsd runs in the driver's group).
func Listen(path string) (*net.UnixListener, error) {
	if fi, err := os.Lstat(path); err == nil {
		if fi.Mode()&os.ModeSocket == 0 {
			return nil, fmt.Errorf("%s exists and is not a socket", path)
		}
		// A live driver would answer; a stale file from a crash would not.
		if c, err := net.DialTimeout("unix", path, time.Second); err == nil {
			c.Close()
			return nil, fmt.Errorf("%s: another driver is already serving this socket", path)
		}
		os.Remove(path)
	}
	l, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		return nil, err
	}
	if err := os.Chmod(path, 0o660); err != nil {
		l.Close()
		return nil, err
	}
	return l, nil
}

// Serve accepts connections until the listener is closed.
func (s *Server) Serve(l net.Listener) error {
	for {
		c, err := s.accept.Accept(l)
		if err != nil { // the listener is closed
			return nil
		}
		s.start(c)
	}
}

// Shutdown stops reading requests, lets the answers already being made
// go out (a TRACKING reply to the request that ended the driver, say) and
// disconnects everyone, waiting at most timeout. Serve's listener is the
// caller's to close.
func (s *Server) Shutdown(timeout time.Duration) {
	s.mu.Lock()
	s.closed = true
	conns := make([]*conn, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	s.mu.Unlock()
	deadline := time.After(timeout)
	for _, c := range conns {
		if cr, ok := c.nc.(interface{ CloseRead() error }); ok {
			cr.CloseRead()
		}
	}
	for _, c := range conns {
		select {
		case <-c.readDone:
		case <-deadline:
		}
		c.mu.Lock()
		c.closing = true
		c.mu.Unlock()
		c.wake()
		select {
		case <-c.done:
		case <-deadline:
		}
	}
	s.Close()
}

// Close disconnects every connection at once.
func (s *Server) Close() {
	s.mu.Lock()
	s.closed = true
	conns := s.conns
	s.conns = map[*conn]struct{}{}
	s.mu.Unlock()
	for c := range conns {
		c.close()
	}
}

// Conns returns how many connections are open.
func (s *Server) Conns() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.conns)
}

// Changed queues the line that tells a change of the tree to every
// connection that wants them: the server is the tree's sink.
func (s *Server) Changed(ch state.Change) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.line = sockproto.AppendChange(s.line[:0], ch)
	for c := range s.conns {
		if c.wantsBroadcast() {
			c.send(s.line)
		}
	}
}

func (s *Server) start(nc net.Conn) {
	c := &conn{nc: nc, max: s.MaxQueue, ready: make(chan struct{}, 1), done: make(chan struct{}),
		readDone: make(chan struct{}), broadcast: true}
	s.mu.Lock()
	s.conns[c] = struct{}{}
	s.mu.Unlock()
	go c.writeLoop()
	go func() {
		s.readLoop(c)
		close(c.readDone)
		// Answers already queued (a TRACKING reply, say) still go out.
		c.flushAndClose()
		s.mu.Lock()
		delete(s.conns, c)
		s.mu.Unlock()
	}()
}

// readLoop reads requests and answers them.
func (s *Server) readLoop(c *conn) {
	sockproto.ReadMessages(bufio.NewReader(c.nc), func(bad error) {
		s.log.Warn("bad line on driver socket", "error", bad)
	}, func(m sockproto.Message) bool { return s.request(c, m) })
}

// request answers one line; it returns false when the connection ends.
func (s *Server) request(c *conn, m sockproto.Message) bool {
	req, err := sockproto.ParseRequest(m)
	if err != nil {
		s.log.Warn("unknown command on driver socket", "line", m.String(), "error", err)
		return true
	}
	switch req.Cmd {
	case sockproto.Ping:
		c.send([]byte("PONG\n"))
	case sockproto.Logout:
		c.send([]byte("OK Goodbye\n"))
		c.flushAndClose()
		return false
	case sockproto.GetPID:
		c.send([]byte(sockproto.Message{Cmd: sockproto.PID, Args: []string{strconv.Itoa(os.Getpid())}}.Encode()))
	case sockproto.NoBroadcast:
		c.setBroadcast(false)
	case sockproto.Broadcast:
		c.setBroadcast(req.On)
	case sockproto.DumpAll:
		sockproto.Dump(s.tree, "", c.send)
	case sockproto.DumpValue:
		sockproto.Dump(s.tree, req.Name, c.send)
	case sockproto.DumpStatus:
		sockproto.Dump(s.tree, "ups.status", c.send)
	case sockproto.Set, sockproto.InstCmd:
		r := s.handle(req)
		if req.Tracking != "" {
			c.send([]byte(sockproto.TrackingMsg(req.Tracking, r).Encode()))
		}
	}
	return true
}

type conn struct {
	nc       net.Conn
	max      int
	ready    chan struct{}
	done     chan struct{} // the writer has ended
	readDone chan struct{} // the reader has ended

	mu        sync.Mutex
	buf       []byte
	closed    bool
	closing   bool // LOGOUT: close once the queue is written
	broadcast bool
}

func (c *conn) wantsBroadcast() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.broadcast
}

func (c *conn) setBroadcast(on bool) {
	c.mu.Lock()
	c.broadcast = on
	c.mu.Unlock()
}

// send queues text without blocking; a reader too far behind is dropped.
func (c *conn) send(text []byte) {
	c.mu.Lock()
	if c.closed || c.closing {
		c.mu.Unlock()
		return
	}
	if len(c.buf)+len(text) > c.max {
		c.mu.Unlock()
		c.close()
		return
	}
	c.buf = append(c.buf, text...)
	c.mu.Unlock()
	c.wake()
}

func (c *conn) wake() {
	select {
	case c.ready <- struct{}{}:
	default:
	}
}

func (c *conn) flushAndClose() {
	c.mu.Lock()
	c.closing = true
	c.mu.Unlock()
	c.wake()
	<-c.done
}

func (c *conn) close() {
	c.mu.Lock()
	already := c.closed
	c.closed = true
	c.mu.Unlock()
	if !already {
		c.nc.Close()
		c.wake() // so the writer can end
	}
}

func (c *conn) writeLoop() {
	defer close(c.done)
	var out []byte
	for {
		c.mu.Lock()
		out, c.buf = c.buf, out[:0]
		closed, closing := c.closed, c.closing
		c.mu.Unlock()
		if closed {
			return
		}
		if len(out) > 0 {
			c.nc.SetWriteDeadline(time.Now().Add(writeTimeout))
			if _, err := c.nc.Write(out); err != nil {
				c.close()
				return
			}
			continue
		}
		if closing {
			c.close()
			return
		}
		<-c.ready
	}
}
