package apcsim

import (
	"fmt"
	"os"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// PTY is a pseudo-terminal pair: Path is the serial port a driver opens,
// Master the UPS's end. The slave is held open in raw mode, so the
// master reads no EIO while no driver has the line.
type PTY struct {
	Path   string
	Master *os.File
	hold   *os.File
}

// OpenPTY opens a PTY pair; Close closes both ends.
func OpenPTY() (*PTY, error) {
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		return nil, fmt.Errorf("cannot open /dev/ptmx: %w", err)
	}
	var n uint32
	err = control(m, func(fd uintptr) error {
		if err := unix.IoctlSetPointerInt(int(fd), unix.TIOCSPTLCK, 0); err != nil {
			return err
		}
		v, err := unix.IoctlGetUint32(int(fd), unix.TIOCGPTN)
		n = v
		return err
	})
	if err != nil {
		m.Close()
		return nil, fmt.Errorf("cannot unlock the PTY: %w", err)
	}
	p := &PTY{Path: fmt.Sprintf("/dev/pts/%d", n), Master: m}
	if p.hold, err = OpenRaw(p.Path); err != nil {
		m.Close()
		return nil, err
	}
	return p, nil
}

// Close closes both ends.
func (p *PTY) Close() error {
	p.hold.Close()
	return p.Master.Close()
}

func control(f *os.File, fn func(fd uintptr) error) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var ferr error
	if err := rc.Control(func(fd uintptr) { ferr = fn(fd) }); err != nil {
		return err
	}
	return ferr
}

// OpenRaw opens a terminal in raw mode (no echo, no line editing, no
// newline translation), 8N1.
func OpenRaw(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		return nil, err
	}
	err = control(f, func(fd uintptr) error {
		t, err := unix.IoctlGetTermios(int(fd), unix.TCGETS)
		if err != nil {
			return err
		}
		t.Iflag &^= unix.IGNBRK | unix.BRKINT | unix.PARMRK | unix.ISTRIP | unix.INLCR | unix.IGNCR | unix.ICRNL | unix.IXON
		t.Oflag &^= unix.OPOST
		t.Lflag &^= unix.ECHO | unix.ECHONL | unix.ICANON | unix.ISIG | unix.IEXTEN
		t.Cflag &^= unix.CSIZE | unix.PARENB
		t.Cflag |= unix.CS8 | unix.CLOCAL | unix.CREAD
		t.Cc[unix.VMIN], t.Cc[unix.VTIME] = 1, 0
		return unix.IoctlSetTermios(int(fd), unix.TCSETS, t)
	})
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("cannot set %s raw: %w", path, err)
	}
	return f, nil
}

// Line is a raw terminal as a driver's serial port (the driver's side
// in tests): reads wait at most their timeout; it has no modem-control
// lines.
type Line struct{ F *os.File }

// ErrNoModemLines is what a PTY says to DTR and RTS.
var ErrNoModemLines = fmt.Errorf("a PTY has no modem-control lines")

func (l Line) Write(p []byte) (int, error) { return l.F.Write(p) }
func (l Line) ReadTimeout(p []byte, d time.Duration) (int, error) {
	l.F.SetReadDeadline(time.Now().Add(d))
	return l.F.Read(p)
}
func (l Line) Flush() error {
	return control(l.F, func(fd uintptr) error { return unix.IoctlSetInt(int(fd), unix.TCFLSH, unix.TCIFLUSH) })
}
func (l Line) SetDTR(bool) error { return ErrNoModemLines }
func (l Line) SetRTS(bool) error { return ErrNoModemLines }
func (l Line) Close() error      { return l.F.Close() }
