package genericups

import (
	"fmt"
	"time"

	bug "go.bug.st/serial"
	"golang.org/x/sys/unix"
)

// Lines are a serial port's modem-control lines.
type Lines interface {
	// Set sets the output lines: DTR and RTS high where out has them,
	// low elsewhere.
	Set(out int) error
	// Get reads the lines (inputs CTS, DCD, RNG, DSR).
	Get() (int, error)
	// Break holds the transmit line in BREAK for about d.
	Break(d time.Duration) error
	Close() error
}

// OpenLines opens a serial port for its modem-control lines. Its lines
// stay as set when it is closed (HUPCL off), so that a shutdown signal
// outlives the driver, as NUT's does.
func OpenLines(path string) (Lines, error) {
	p, err := bug.Open(path, &bug.Mode{BaudRate: 2400, DataBits: 8, Parity: bug.NoParity, StopBits: bug.OneStopBit})
	if err != nil {
		return nil, fmt.Errorf("cannot open serial port %s: %w", path, err)
	}
	fd, err := unix.Open(path, unix.O_RDWR|unix.O_NOCTTY|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	if err == nil {
		var t *unix.Termios
		if t, err = unix.IoctlGetTermios(fd, unix.TCGETS); err == nil {
			t.Cflag &^= unix.HUPCL
			err = unix.IoctlSetTermios(fd, unix.TCSETS, t)
		}
		unix.Close(fd)
	}
	if err != nil {
		p.Close()
		return nil, fmt.Errorf("cannot keep the lines of %s up after it closes (HUPCL): %w", path, err)
	}
	return &port{p: p, path: path}, nil
}

type port struct {
	p    bug.Port
	path string
}

func (l *port) Set(out int) error {
	if err := l.p.SetDTR(out&DTR != 0); err != nil {
		return fmt.Errorf("cannot set DTR on %s: %w", l.path, err)
	}
	if err := l.p.SetRTS(out&RTS != 0); err != nil {
		return fmt.Errorf("cannot set RTS on %s: %w", l.path, err)
	}
	return nil
}

func (l *port) Get() (int, error) {
	s, err := l.p.GetModemStatusBits()
	if err != nil {
		return 0, fmt.Errorf("cannot read the modem-control lines of %s: %w", l.path, err)
	}
	v := 0
	for _, b := range []struct {
		on   bool
		line int
	}{{s.CTS, CTS}, {s.DCD, DCD}, {s.RI, RNG}, {s.DSR, DSR}} {
		if b.on {
			v |= b.line
		}
	}
	return v, nil
}

func (l *port) Break(d time.Duration) error { return l.p.Break(d) }
func (l *port) Close() error                { return l.p.Close() }
