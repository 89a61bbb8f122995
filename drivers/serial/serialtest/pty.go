// Package serialtest gives tests a real serial line: a PTY pair whose
// slave end a driver opens by its path (/dev/pts/N) as it would open
// /dev/ttyS0, and whose master end plays the device.
package serialtest

import (
	"fmt"
	"os"
	"testing"

	"golang.org/x/sys/unix"
)

// PTY is a pseudo-terminal pair: Path is the driver's end, Master the
// device's.
type PTY struct {
	Path   string
	Master *os.File
	// hold keeps the slave open, so that the master end reads no EIO
	// while no driver has the line open (between a driver's restart,
	// say), and so that its raw settings stay.
	hold *os.File
}

// Open opens a PTY pair with the line in raw mode (no echo, no newline
// translation), closed when the test ends.
func Open(t testing.TB) *PTY {
	t.Helper()
	p, err := OpenPTY()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

// OpenPTY is Open for code outside tests (benchmarks, simulators run by
// hand); the caller closes it.
func OpenPTY() (*PTY, error) {
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		return nil, fmt.Errorf("opening /dev/ptmx: %w", err)
	}
	fd := int(m.Fd())
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		m.Close()
		return nil, fmt.Errorf("unlocking the PTY: %w", err)
	}
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN)
	if err != nil {
		m.Close()
		return nil, fmt.Errorf("naming the PTY: %w", err)
	}
	path := fmt.Sprintf("/dev/pts/%d", n)
	s, err := os.OpenFile(path, os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		m.Close()
		return nil, fmt.Errorf("opening %s: %w", path, err)
	}
	tio, err := unix.IoctlGetTermios(int(s.Fd()), unix.TCGETS)
	if err == nil {
		tio.Iflag &^= unix.IGNBRK | unix.BRKINT | unix.PARMRK | unix.ISTRIP | unix.INLCR | unix.IGNCR | unix.ICRNL | unix.IXON
		tio.Oflag &^= unix.OPOST
		tio.Lflag &^= unix.ECHO | unix.ECHONL | unix.ICANON | unix.ISIG | unix.IEXTEN
		tio.Cflag &^= unix.CSIZE | unix.PARENB
		tio.Cflag |= unix.CS8
		err = unix.IoctlSetTermios(int(s.Fd()), unix.TCSETS, tio)
	}
	if err != nil {
		s.Close()
		m.Close()
		return nil, fmt.Errorf("making %s raw: %w", path, err)
	}
	return &PTY{Path: path, Master: m, hold: s}, nil
}

// Close closes both ends.
func (p *PTY) Close() error {
	p.hold.Close()
	return p.Master.Close()
}
