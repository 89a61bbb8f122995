package server

import (
	"errors"
	"net"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"gonut/internal/uring"
)

// On Linux (6.1 or later) plain connections are served by an io_uring
// event loop (loopCount of them). One io_uring_enter(2) hands the
// kernel the answers of every client that asked since the last one, with
// a receive of each client's next request linked after its answer, and
// waits for whatever comes next. Goroutines and Go's netpoller instead
// cost a read(2) that fails with EAGAIN, a read, a write and a goroutine
// switch per request, which made upsd slower than NUT's poll(2) loop.
//
// A request that holds its connection for long (STARTTLS, WATCH) moves
// the connection to a goroutine of its own (serveClient). Where io_uring
// is missing or forbidden, every client has a goroutine.

// What a completion is for, in the low bits of its user data; the
// connection's id is above them.
const (
	opWake       = iota // the loop's pipe: connections to take in
	opRecv              // a request received
	opSendLinked        // an answer with the next receive linked after it
	opSend              // an answer alone (more requests wait, or LOGOUT)
	opBits       = 2
)

// loopCount is how many event loops serve the clients. One answers well
// over 100 000 requests a second, more than any UPS network asks; more
// compete with the clients for the CPUs of a small machine (p99 latency
// 2-3x worse with two loops and a local load on two cores).
const loopCount = 1

// yieldEvery is how often a busy loop passes through Go's scheduler
// (see run).
const yieldEvery = 5 * time.Millisecond

// idleAfter is how long a loop waits in io_uring_enter before it parks
// in Go's netpoller instead (see park). After busyAfter waits in a row
// that each ended sooner, the loop is busy and waits without a limit
// until one wait takes longer.
const (
	idleAfter = 2 * time.Millisecond
	busyAfter = 8
)

// parkAtMost is how long a parked loop waits for a notification before
// it looks at the ring anyway: as often as NUT's upsd wakes when idle.
const parkAtMost = 2 * time.Second

// recvSize is each connection's receive buffer; a longer request comes
// in pieces.
const recvSize = 512

type loops struct {
	all  []*loop
	next atomic.Uint32
}

type loop struct {
	s    *Server
	wake [2]int // a pipe: a byte in it says incoming has connections

	mu       sync.Mutex
	incoming []*loopConn
	hangUps  []*loopConn   // connections other goroutines asked to end
	stopped  bool          // the loop has ended: no more connections
	closing  bool          // asked to end (see loops.stop)
	done     chan struct{} // closed once it has

	// The ring's notify eventfd, for Go's netpoller (see park). The file
	// keeps it open.
	idleFile *os.File
	idle     syscall.RawConn
	idleBuf  [8]byte

	// The loop's own, on its locked thread.
	ring      *uring.Ring
	now       time.Time // when the last wait ended
	conns     map[uint64]*loopConn
	lastID    uint64
	wakeBuf   [64]byte
	lastSweep time.Time
	// The timer that wakes the loop for the earliest deadline (see sweep),
	// and when it is set for; zero when none is.
	timer   stopper
	timerAt time.Time
	// Clients with requests left beyond the first of what they sent,
	// waiting for their turn (see heavyTurns).
	heavy []*loopConn
	quit  bool // asked to end
}

// sweepGap is the least time between two sweeps. A sweep looks at every
// connection; a deadline is kept to within sweepGap.
const sweepGap = time.Second

// startLoops starts the event loops; nil (every client then gets a
// goroutine) when io_uring cannot be used.
func startLoops(s *Server) *loops {
	ls := &loops{}
	for i := range loopCount {
		// A pipe, not an eventfd: the ring signals its notify eventfd (see
		// park) from within another eventfd's wake-up only once.
		l := &loop{s: s, conns: map[uint64]*loopConn{}, done: make(chan struct{})}
		if err := syscall.Pipe2(l.wake[:], syscall.O_CLOEXEC|syscall.O_NONBLOCK); err != nil {
			s.log.Warn("serving each client from a goroutine: no pipe", "error", err)
			break
		}
		started := make(chan error)
		go l.run(started)
		if err := <-started; err != nil {
			if i == 0 {
				s.log.Warn("GONUT_IO_URING_LOOP: serving each client from a goroutine", "reason", err)
			}
			break
		}
		ls.all = append(ls.all, l)
	}
	if len(ls.all) == 0 {
		return nil
	}
	s.log.Info("serving plain connections from an io_uring event loop (GONUT_IO_URING_LOOP)")
	return ls
}

// stop ends every loop: its clients are let go, its ring and files
// closed, its timer stopped. It returns once they are.
func (ls *loops) stop() {
	for _, l := range ls.all {
		l.mu.Lock()
		l.closing = true
		l.mu.Unlock()
		l.signal()
		<-l.done
	}
}

// adopt gives a plain TCP connection to a loop; false leaves it to the
// caller.
func (ls *loops) adopt(c *client, nc net.Conn) bool {
	tc, ok := nc.(*net.TCPConn)
	if !ok {
		return false
	}
	raw, err := tc.SyscallConn()
	if err != nil {
		return false
	}
	fd := -1
	raw.Control(func(f uintptr) {
		if d, err := unix.FcntlInt(f, unix.F_DUPFD_CLOEXEC, 0); err == nil {
			fd = d
		}
	})
	if fd < 0 {
		return false
	}
	l := ls.all[ls.next.Add(1)%uint32(len(ls.all))]
	lc := &loopConn{c: c, fd: fd}
	// Set here, not on the loop's thread: it costs the loop no lock. A
	// goroutine that takes the connection over sets its own.
	l.s.clientsMu.Lock()
	c.hangUp = func() {
		l.mu.Lock()
		l.hangUps = append(l.hangUps, lc)
		l.mu.Unlock()
		l.signal()
	}
	l.s.clientsMu.Unlock()
	l.mu.Lock()
	if l.stopped {
		l.mu.Unlock()
		syscall.Close(fd)
		return false
	}
	l.incoming = append(l.incoming, lc)
	l.mu.Unlock()
	nc.Close() // the loop's copy keeps the connection open
	l.signal()
	return true
}

func (l *loop) signal() {
	// A full pipe (EAGAIN) has said it already.
	syscall.Write(l.wake[1], []byte{1})
}

func (l *loop) run(started chan<- error) {
	runtime.LockOSThread() // the ring is single-issuer
	defer close(l.done)
	r, err := uring.New(1024)
	if err == nil {
		l.ring = r
		if l.idleFile, err = notifyFile(r); err == nil {
			l.idle, err = l.idleFile.SyscallConn()
		}
	}
	started <- err
	if err != nil {
		l.end()
		return
	}
	l.armWake()
	l.now = l.s.clock.Now()
	lastYield := l.now
	quick := 0 // waits in a row that ended within idleAfter
	for {
		// Go's scheduler monitor takes a goroutine that has not been
		// through the scheduler for 10 ms to be hogging its P: it preempts
		// it, takes the P away while it waits in io_uring_enter, and then
		// wakes every 20 µs, taking the P from each wait again (measured:
		// 2 600 times a second with one client, a quarter of upsd's CPU).
		// Yielding well within the 10 ms keeps it quiet. (l.now is when
		// the last wait ended: close enough.)
		if l.now.Sub(lastYield) >= yieldEvery {
			runtime.Gosched()
			lastYield = l.now
		}
		var err error
		start, parked := l.now, false
		if len(l.heavy) > 0 {
			// Turns wait: take in what completed, without waiting.
			err = r.Flush()
		} else if quick >= busyAfter {
			// Busy: the plain wait, as long as it takes (a raw timed wait
			// costs a timer per sleep). A long one ends the busy spell.
			start = l.s.clock.Now()
			err = r.Enter(true)
		} else if err = r.EnterFor(idleAfter); err == nil && r.Ready() == 0 {
			err, parked = l.park(), true
			quick = 0
		} else {
			quick++
		}
		l.now = l.s.clock.Now()
		switch {
		case parked:
			lastYield = l.now // parking went through the scheduler
		case quick >= busyAfter && l.now.Sub(start) >= idleAfter:
			quick = 0
		}
		if err != nil {
			l.s.log.Error("event loop stopped; its clients are disconnected, new ones get a goroutine each", "error", err)
			l.end()
			return
		}
		r.Completions(l.complete)
		if l.quit {
			l.end()
			return
		}
		l.heavyTurns()
	}
}

// end lets the loop's clients go and releases what it holds. The
// connections stay in l.conns, for their buffers: the kernel cancels
// what was in flight once the ring is closed.
func (l *loop) end() {
	l.mu.Lock()
	l.stopped = true
	in := l.incoming
	l.incoming = nil
	l.mu.Unlock()
	for _, lc := range in {
		syscall.Close(lc.fd)
		l.s.unregister(lc.c)
	}
	for _, lc := range l.conns {
		syscall.Close(lc.fd)
		l.s.unregister(lc.c)
	}
	if l.timer != nil {
		l.timer.Stop()
	}
	if l.ring != nil {
		l.ring.Close()
	}
	for _, lc := range l.conns {
		lc.pinIn.Unpin()
		lc.pinOut.Unpin()
	}
	if l.idleFile != nil {
		l.idleFile.Close()
	}
	syscall.Close(l.wake[0])
	syscall.Close(l.wake[1])
}

// notifyFile is an eventfd the ring signals while its notifications are
// on, open for Go's netpoller.
func notifyFile(r *uring.Ring) (*os.File, error) {
	efd, err := unix.Eventfd(0, unix.EFD_CLOEXEC|unix.EFD_NONBLOCK)
	if err != nil {
		return nil, err
	}
	if err := r.NotifyTo(efd); err != nil {
		syscall.Close(efd)
		return nil, err
	}
	return os.NewFile(uintptr(efd), "io_uring notify"), nil
}

// park waits for the ring's next work in Go's netpoller, not in
// io_uring_enter. A goroutine in a system call keeps its P: after 10 ms
// sysmon takes it back, goes to sleep once every P is idle, and when the
// call returns it is woken and polls every 20 µs for a while (~60 wake-ups
// per request with a client every 20 ms, 1.3-2 ms of CPU per request). A
// goroutine parked in the netpoller leaves its P idle, and sysmon asleep.
func (l *loop) park() error {
	r := l.ring
	r.SetNotify(true)
	defer r.SetNotify(false)
	// Work that came before notifications were on completes here; what
	// comes after signals.
	if err := r.Flush(); err != nil || r.Ready() > 0 {
		return err
	}
	// The read itself is raw too: a system call after a quiet spell wakes
	// sysmon (see uring.Ring.EnterFor). The netpoller waits in between,
	// for parkAtMost: should a notification ever be lost (the kernel's
	// eventfd signals have had their quirks, see startLoops), the loop
	// looks at the ring again anyway.
	l.idleFile.SetReadDeadline(time.Now().Add(parkAtMost))
	var err error
	if rerr := l.idle.Read(func(fd uintptr) bool {
		_, _, e := syscall.RawSyscall(syscall.SYS_READ, fd, uintptr(unsafe.Pointer(&l.idleBuf[0])), uintptr(len(l.idleBuf)))
		if e == syscall.EAGAIN {
			return false
		}
		if e != 0 && e != syscall.EINTR {
			err = e
		}
		return true
	}); rerr != nil && !errors.Is(rerr, os.ErrDeadlineExceeded) {
		return rerr
	}
	return err
}

func (l *loop) armWake() {
	l.ring.PollIn(l.wake[0], opWake)
}

func (l *loop) complete(e uring.CQE) {
	op, id := e.UserData&(1<<opBits-1), e.UserData>>opBits
	if op == opWake {
		for {
			if n, _ := syscall.Read(l.wake[0], l.wakeBuf[:]); n < len(l.wakeBuf) {
				break
			}
		}
		l.mu.Lock()
		l.quit = l.closing
		l.mu.Unlock()
		l.takeIncoming()
		l.takeHangUps()
		if !l.timerAt.IsZero() && !l.now.Before(l.timerAt) {
			l.sweep()
		}
		l.armWake()
		return
	}
	lc := l.conns[id]
	if lc == nil {
		return
	}
	switch op {
	case opRecv:
		// Nothing: the client left. An error, or cancelled after its
		// linked answer failed: the connection is broken.
		if e.Res <= 0 {
			l.close(lc)
			return
		}
		lc.in = lc.buf[:e.Res]
		l.serve(lc, 0)
	case opSendLinked:
		// Had it failed, the receive after it completes with -ECANCELED
		// and closes the connection.
		lc.sending = time.Time{}
		lc.pinOut.Unpin()
		l.s.releaseOut(lc.c)
	case opSend:
		lc.pinOut.Unpin()
		lc.sending = time.Time{}
		if e.Res < 0 || int(e.Res) != lc.c.out.Len() || lc.end {
			l.close(lc)
			return
		}
		// More requests wait: the client's next turn.
		l.s.releaseOut(lc.c)
		l.heavy = append(l.heavy, lc)
	}
}

// heavyTurns serves one turn of the clients whose requests go beyond the
// first of what was received (see serve), in the order they came. The
// loop then takes in what completed meanwhile, without waiting: a client
// asking now and then waits for no more than one turn of others'
// answers, whatever the rest send.
func (l *loop) heavyTurns() {
	for len(l.heavy) > 0 {
		lc := l.heavy[0]
		l.heavy = l.heavy[1:]
		if l.conns[lc.id] == lc {
			l.serve(lc, turn)
			return
		}
	}
}

// takeHangUps shuts the connections other goroutines asked to end; each
// one's receive then completes empty, which closes it.
func (l *loop) takeHangUps() {
	l.mu.Lock()
	asked := l.hangUps
	l.hangUps = nil
	l.mu.Unlock()
	for _, lc := range asked {
		if l.conns[lc.id] == lc { // not closed or handed off meanwhile
			syscall.Shutdown(lc.fd, syscall.SHUT_RDWR)
		}
	}
}

func (l *loop) takeIncoming() {
	l.mu.Lock()
	in := l.incoming
	l.incoming = nil
	l.mu.Unlock()
	for _, lc := range in {
		l.lastID++
		lc.id = l.lastID
		lc.buf = make([]byte, recvSize)
		lc.pinIn.Pin(&lc.buf[0])
		lc.heard = l.now
		l.conns[lc.id] = lc
		l.ring.Recv(lc.fd, lc.buf, 0, lc.id<<opBits|opRecv)
		l.due(lc.deadline(l.s))
	}
}

// serve answers what the client sent, up to limit bytes of answers, and
// queues the answers and the next receive; a client with requests left
// after that waits for its turn (see heavyTurns) once its answers are
// sent. Nothing of the connection's is in flight when it is called.
// (Queuing fails only when submitting a full queue fails; then so does
// the loop's next io_uring_enter, which disconnects every client.)
func (l *loop) serve(lc *loopConn, limit int) {
	out := &lc.c.out
	if hold, rest := l.s.answer(lc.c, &lc.requests, limit); hold != nil {
		delete(l.conns, lc.id)
		lc.pinIn.Unpin()
		l.s.handOff(lc, hold, rest)
		return
	}
	if out.Len() > 0 || lc.end { // every whole request line is answered
		lc.heard = l.now
	}
	if out.Len() > 0 {
		l.s.notePending(out.Len())
	}
	key := lc.id << opBits
	switch {
	case out.Len() == 0 && lc.end:
		l.close(lc)
	case out.Len() == 0 && len(lc.in) > 0:
		l.heavy = append(l.heavy, lc)
	case out.Len() == 0:
		l.ring.Recv(lc.fd, lc.buf, 0, key|opRecv)
	case len(lc.in) == 0 && !lc.end:
		// The answer, then the next request.
		lc.pinOut.Pin(&out.Bytes()[0])
		l.ring.Send(lc.fd, out.Bytes(), uring.Link, key|opSendLinked)
		l.ring.Recv(lc.fd, lc.buf, 0, key|opRecv)
		l.sendQueued(lc)
	default:
		// More requests wait (they are in lc.buf, which no receive may
		// overwrite), or the client logged out.
		lc.pinOut.Pin(&out.Bytes()[0])
		l.ring.Send(lc.fd, out.Bytes(), 0, key|opSend)
		l.sendQueued(lc)
	}
}

// sendQueued starts the write timeout of the answer just queued.
func (l *loop) sendQueued(lc *loopConn) {
	lc.sending = l.now
	l.due(lc.deadline(l.s))
}

// due makes sure that a sweep comes by t, a connection's deadline.
func (l *loop) due(t time.Time) {
	if !l.timerAt.IsZero() && !t.Before(l.timerAt) {
		return
	}
	if t = later(t, l.lastSweep.Add(sweepGap)); t.Equal(l.timerAt) {
		return
	}
	if l.timer != nil {
		l.timer.Stop()
	}
	l.timerAt = t
	l.timer = l.s.clock.AfterFunc(t.Sub(l.now), l.signal)
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// sweep shuts the connections whose deadline has passed: clients that
// leave an answer unread for writeTimeout (as a goroutine's write deadline
// would; the shutdown fails the waiting send, and its completion closes
// the connection), and clients that sent no whole request for
// idleTimeout (their receive completes empty, which closes them). Then it
// sets the timer for the next deadline.
func (l *loop) sweep() {
	l.lastSweep, l.timerAt = l.now, time.Time{}
	var next time.Time
	for _, lc := range l.conns {
		if lc.shut {
			continue
		}
		if d := lc.deadline(l.s); l.now.Before(d) {
			if next.IsZero() || d.Before(next) {
				next = d
			}
			continue
		}
		if lc.sending.IsZero() {
			l.s.log.Debug("client sent nothing for too long; closing", "addr", lc.c.addr, "idle", l.s.idleTimeout)
		} else {
			l.s.log.Debug("client does not read its answers; closing", "addr", lc.c.addr)
		}
		syscall.Shutdown(lc.fd, syscall.SHUT_RDWR)
		lc.shut = true
	}
	if !next.IsZero() {
		l.due(next)
	}
}

func (l *loop) close(lc *loopConn) {
	delete(l.conns, lc.id)
	lc.pinIn.Unpin()
	lc.pinOut.Unpin()
	syscall.Close(lc.fd)
	lc.fd = -1
	l.s.releaseOut(lc.c)
	l.s.unregister(lc.c)
}
