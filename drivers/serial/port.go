package serial

import (
	"errors"
	"fmt"
	"strings"
	"time"

	bug "go.bug.st/serial"
	"golang.org/x/sys/unix"
)

// Port is a serial line as a driver uses it. One goroutine at a time.
type Port interface {
	// Write sends bytes; it returns once they are queued to the line.
	Write(p []byte) (int, error)
	// ReadTimeout reads what has arrived, waiting at most timeout for the
	// first byte: 0 bytes and ErrTimeout when nothing came.
	ReadTimeout(p []byte, timeout time.Duration) (int, error)
	// Flush discards what arrived and was not read (NUT's ser_flush_in).
	Flush() error
	// SetDTR and SetRTS set the modem-control lines; a line that has
	// none (a PTY) answers ErrNoModemLines.
	SetDTR(on bool) error
	SetRTS(on bool) error
	Close() error
}

// ErrTimeout is ReadTimeout's answer when nothing arrived in time.
var ErrTimeout = errors.New("no answer in time")

// ErrNoModemLines is SetDTR's and SetRTS's answer on a line without
// modem-control lines.
var ErrNoModemLines = errors.New("the line has no modem-control lines")

// Options are how a port is opened.
type Options struct {
	Baud int // bits per second; 0: 2400, NUT's Megatec default
	// NoLock skips the exclusive lock (ups.conf's nolock).
	NoLock bool
}

// Open opens a tty as NUT's ser_open and ser_set_speed do: raw, 8 data
// bits, no parity, one stop bit, no flow control, and an exclusive
// flock(2) so that a second driver on the same port fails at once.
func Open(path string, o Options) (Port, error) {
	baud := o.Baud
	if baud == 0 {
		baud = 2400
	}
	p, err := bug.Open(path, &bug.Mode{BaudRate: baud, DataBits: 8, Parity: bug.NoParity, StopBits: bug.OneStopBit})
	if err != nil {
		return nil, fmt.Errorf("cannot open serial port %s: %w", path, err)
	}
	t := &tty{p: p, path: path}
	if !o.NoLock {
		// go.bug.st/serial does not hand out its descriptor: lock a
		// second descriptor of the same open file description's file.
		fd, err := unix.Open(path, unix.O_RDWR|unix.O_NOCTTY|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
		if err != nil {
			p.Close()
			return nil, fmt.Errorf("cannot open serial port %s to lock it: %w", path, err)
		}
		if err := unix.Flock(fd, unix.LOCK_EX|unix.LOCK_NB); err != nil {
			unix.Close(fd)
			p.Close()
			return nil, fmt.Errorf("serial port %s is locked by another process (ups.conf's nolock skips the lock): %w", path, err)
		}
		t.lock = fd
	}
	return t, nil
}

// tty is a Port on a real line.
type tty struct {
	p    bug.Port
	path string
	lock int // the flock'd descriptor; 0: none
}

func (t *tty) Write(b []byte) (int, error) { return t.p.Write(b) }

func (t *tty) ReadTimeout(b []byte, timeout time.Duration) (int, error) {
	if timeout <= 0 {
		timeout = time.Millisecond
	}
	if err := t.p.SetReadTimeout(timeout); err != nil {
		return 0, err
	}
	n, err := t.p.Read(b)
	switch {
	case err != nil:
		return n, fmt.Errorf("reading %s: %w", t.path, err)
	case n == 0:
		return 0, ErrTimeout
	}
	return n, nil
}

func (t *tty) Flush() error { return t.p.ResetInputBuffer() }

func (t *tty) SetDTR(on bool) error { return modemErr(t.p.SetDTR(on)) }
func (t *tty) SetRTS(on bool) error { return modemErr(t.p.SetRTS(on)) }

// modemErr names a line without modem-control lines (a PTY: ENOTTY or
// EINVAL from TIOCMGET/TIOCMSET).
func modemErr(err error) error {
	if errors.Is(err, unix.ENOTTY) || errors.Is(err, unix.EINVAL) {
		return ErrNoModemLines
	}
	return err
}

func (t *tty) Close() error {
	if t.lock > 0 {
		unix.Close(t.lock)
	}
	return t.p.Close()
}

// ReadUntil reads until one of the bytes of ends arrives (included in
// what it returns), max bytes have come, or timeout has passed since the
// call: NUT's ser_get_buf with end characters (or a line read in
// canonical mode, whose lines end at '\r' and '\n'). What arrived before a timeout is
// returned with ErrTimeout, so that a caller can tell a partial answer
// from silence.
func ReadUntil(p Port, ends string, max int, timeout time.Duration, now func() time.Time) ([]byte, error) {
	end := now().Add(timeout)
	var out []byte
	buf := make([]byte, 64)
	for len(out) < max {
		left := end.Sub(now())
		if left <= 0 {
			return out, ErrTimeout
		}
		want := min(len(buf), max-len(out))
		n, err := p.ReadTimeout(buf[:want], left)
		for i := 0; i < n; i++ {
			out = append(out, buf[i])
			if strings.IndexByte(ends, buf[i]) >= 0 {
				// What came after the end character stays
				// unread in NUT too; it is flushed before the
				// next request.
				return out, nil
			}
		}
		if err != nil && !errors.Is(err, ErrTimeout) {
			return out, err
		}
	}
	return out, nil
}
