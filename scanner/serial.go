package scanner

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"golang.org/x/sys/unix"
)

// The serial scan (-E) is NUT 2.8.0's scan_eaton_serial.c: on each port,
// in parallel, a SHUT probe (mge-shut), then an XCP probe (bcmxcp), then
// a Q1 probe (blazer_ser), each on its own opening of the port; the
// first to get an answer names the port's driver.

// ErrPortRange is NUT's complaint about a range of ports whose ends are
// not single characters.
var ErrPortRange = errors.New("Serial port range out of bound (must be 0 to 9 or a to z depending on your system)")

// portFamilies are the Linux port names a port number or range stands
// for, with the numbers "auto" scans (NUT's device_portname).
var portFamilies = []struct {
	prefix      string
	first, last byte
}{{"/dev/ttyS", '0', '9'}, {"/dev/ttyUSB", '0', '9'}}

// SerialPorts is the ports a -E argument names, in NUT's forms: "auto"
// (anything starting so: every port of portFamilies), one character
// (that port of each family), X-Y (the ports X to Y of each family),
// one port's name, or names separated by commas when the list starts
// with /dev/tty (a list of other names is one name, as in NUT).
func SerialPorts(spec string) ([]string, error) {
	var first, last byte
	switch {
	case strings.HasPrefix(spec, "auto"):
		var out []string
		for _, f := range portFamilies {
			out = appendRange(out, f.prefix, f.first, f.last)
		}
		return out, nil
	case strings.Contains(spec, "-"):
		var ends []string
		for _, e := range strings.Split(spec, "-") {
			if e != "" {
				ends = append(ends, e)
			}
		}
		if len(ends) == 0 || len(ends[0]) != 1 || len(ends) > 1 && len(ends[1]) != 1 {
			return nil, ErrPortRange
		}
		first, last = ends[0][0], ends[0][0]
		if len(ends) > 1 {
			last = ends[1][0]
		}
	case strings.Contains(spec, ",") && strings.HasPrefix(spec, "/dev/tty"):
		var out []string
		for _, p := range strings.Split(spec, ",") {
			if p != "" {
				out = append(out, p)
			}
		}
		return out, nil
	case len(spec) == 1:
		first, last = spec[0], spec[0]
	case spec == "":
		return nil, nil
	default:
		return []string{spec}, nil
	}
	var out []string
	for _, f := range portFamilies {
		out = appendRange(out, f.prefix, first, last)
	}
	return out, nil
}

func appendRange(out []string, prefix string, first, last byte) []string {
	for c := int(first); c <= int(last); c++ {
		out = append(out, prefix+string(rune(c)))
	}
	return out
}

// Line is an opened serial port as the probes use it: termios settings
// and modem lines, writes, and reads of what arrived within a time.
type Line interface {
	SetDTR(on bool) error
	SetRTS(on bool) error
	// SetSpeed makes the line raw (8N1, no flow control, NUT's
	// ser_set_speed) at baud bits per second, dropping unread input.
	SetSpeed(baud int) error
	// Canonical makes the line deliver its input a line at a time,
	// lines ending at '\r' (or '\n'), nothing else special.
	Canonical() error
	Write(b []byte) (int, error)
	// Read waits at most timeout for input and reads once (so at most
	// a line in canonical mode): 0 bytes when nothing came.
	Read(b []byte, timeout time.Duration) (int, error)
	// Flush drops input not read and output not sent.
	Flush() error
	Close() error
}

// OpenLine opens a port as NUT's ser_open_nf does (read-write, not as a
// controlling terminal, not blocking, no lock).
func OpenLine(path string) (Line, error) {
	fd, err := unix.Open(path, unix.O_RDWR|unix.O_NOCTTY|unix.O_EXCL|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	return fdLine(fd), nil
}

type fdLine int

func (l fdLine) modem(bit int, on bool) error {
	req := uint(unix.TIOCMBIC)
	if on {
		req = unix.TIOCMBIS
	}
	return unix.IoctlSetPointerInt(int(l), req, bit)
}

func (l fdLine) SetDTR(on bool) error { return l.modem(unix.TIOCM_DTR, on) }
func (l fdLine) SetRTS(on bool) error { return l.modem(unix.TIOCM_RTS, on) }

var bauds = map[int]uint32{19200: unix.B19200, 9600: unix.B9600, 4800: unix.B4800, 2400: unix.B2400, 1200: unix.B1200}

func (l fdLine) SetSpeed(baud int) error {
	tio, err := unix.IoctlGetTermios(int(l), unix.TCGETS)
	if err != nil {
		return err
	}
	speed := bauds[baud]
	tio.Cflag = unix.CS8 | unix.CLOCAL | unix.CREAD | speed
	tio.Iflag, tio.Oflag, tio.Lflag = unix.IGNPAR, 0, 0
	tio.Ispeed, tio.Ospeed = speed, speed
	tio.Cc[unix.VMIN], tio.Cc[unix.VTIME] = 1, 0
	unix.IoctlSetInt(int(l), unix.TCFLSH, unix.TCIFLUSH)
	return unix.IoctlSetTermios(int(l), unix.TCSETS, tio)
}

func (l fdLine) Canonical() error {
	tio, err := unix.IoctlGetTermios(int(l), unix.TCGETS)
	if err != nil {
		return err
	}
	tio.Lflag |= unix.ICANON
	for _, c := range []int{unix.VEOF, unix.VERASE, unix.VINTR, unix.VKILL, unix.VQUIT, unix.VSUSP, unix.VSTART, unix.VSTOP} {
		tio.Cc[c] = 0 // _POSIX_VDISABLE
	}
	tio.Cc[unix.VEOL] = '\r'
	return unix.IoctlSetTermios(int(l), unix.TCSETS, tio)
}

func (l fdLine) Write(b []byte) (int, error) { return unix.Write(int(l), b) }

func (l fdLine) Read(b []byte, timeout time.Duration) (int, error) {
	fds := []unix.PollFd{{Fd: int32(l), Events: unix.POLLIN}}
	end := time.Now().Add(timeout)
	for {
		n, err := unix.Poll(fds, int(max(time.Until(end).Milliseconds(), 0)))
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil || n == 0 {
			return 0, err
		}
		n, err = unix.Read(int(l), b)
		if errors.Is(err, unix.EAGAIN) {
			continue
		}
		return max(n, 0), err
	}
}

func (l fdLine) Flush() error { return unix.IoctlSetInt(int(l), unix.TCFLSH, unix.TCIOFLUSH) }
func (l fdLine) Close() error { return unix.Close(int(l)) }

// The protocols' bytes.
const (
	shutSync  = 0x16 // SHUT's synchronisation, answered in kind
	xcpStart  = 0xAB // starts every XCP frame, the UPS's too
	xcpEscape = 0x1D // takes an XCP UPS out of its menu
)

var (
	xcpAuth        = []byte{0xCF, 0x69, 0xE8, 0xD5} // XCP's authorisation command
	xcpRequestOnly = []byte{0xA0}                   // PW_SET_REQ_ONLY_MODE: answered by a frame
	xcpBauds       = []int{19200, 9600, 4800, 2400, 1200}
)

// xcpFrame is a command as an XCP frame: start, length, the command,
// and the byte that makes the frame's sum 0.
func xcpFrame(cmd []byte) []byte {
	f := append([]byte{xcpStart, byte(len(cmd))}, cmd...)
	var sum byte
	for _, b := range f {
		sum -= b
	}
	return append(f, sum)
}

// ShutSynced is whether a SHUT device answered its synchronisation.
func ShutSynced(reply []byte) bool { return len(reply) == 1 && reply[0] == shutSync }

// XCPAnswered is whether the first byte read after XCP's request is the
// start of a frame (all NUT asks of it).
func XCPAnswered(reply []byte) bool { return len(reply) >= 1 && reply[0] == xcpStart }

// Q1Answered is whether the line read after Q1 is a status line: at
// least 46 bytes (NUT's count, the '\r' included), starting '('.
func Q1Answered(line []byte) bool { return len(line) >= 46 && line[0] == '(' }

// SerialProber runs the probes; its fields are for tests.
type SerialProber struct {
	Open  func(path string) (Line, error)
	Sleep func(ctx context.Context, d time.Duration) // waits between steps; nil: time's
}

func (p SerialProber) sleep(ctx context.Context, d time.Duration) {
	if p.Sleep == nil {
		sleepCtx(ctx, d)
		return
	}
	p.Sleep(ctx, d)
}

func sleepCtx(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

// ScanSerial probes the ports, at most threads at a time, and returns
// the devices found (in the order their probes ended, as NUT's threads
// add them).
func ScanSerial(ctx context.Context, ports []string, threads int) []Device {
	return SerialProber{Open: OpenLine, Sleep: sleepCtx}.Scan(ctx, ports, threads)
}

// Scan is ScanSerial with p's port opener.
func (p SerialProber) Scan(ctx context.Context, ports []string, threads int) []Device {
	var (
		mu  sync.Mutex
		out []Device
		wg  sync.WaitGroup
	)
	sem := make(chan struct{}, max(threads, 1))
	for _, port := range ports {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			if driver := p.Probe(ctx, port); driver != "" {
				mu.Lock()
				out = append(out, Device{Bus: "EATON_SERIAL", Driver: driver, Port: port})
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return out
}

// Probe is the driver a port's device answers for: mge-shut, bcmxcp,
// blazer_ser, or "" (nothing answered, or the port does not open).
func (p SerialProber) Probe(ctx context.Context, port string) string {
	if p.shut(ctx, port) {
		return "mge-shut"
	}
	p.sleep(ctx, 100*time.Millisecond)
	if p.xcp(ctx, port) {
		return "bcmxcp"
	}
	p.sleep(ctx, 100*time.Millisecond)
	if p.q1(ctx, port) {
		return "blazer_ser"
	}
	return ""
}

// shut: DTR on and RTS off (a UPS with plug-and-play wants them so; a
// line without modem lines, a PTY, is not probed: NUT gives up there),
// 2400 baud, and up to four synchronisations with a second's wait each.
func (p SerialProber) shut(ctx context.Context, port string) bool {
	l, err := p.Open(port)
	if err != nil {
		return false
	}
	defer l.Close()
	if l.SetDTR(true) != nil {
		return false
	}
	l.SetRTS(false)
	l.SetSpeed(2400)
	reply := make([]byte, 1)
	for try := 0; try < 4 && ctx.Err() == nil; try++ {
		if n, err := l.Write([]byte{shutSync}); n != 1 || err != nil {
			continue
		}
		if n, _ := l.Read(reply, time.Second); ShutSynced(reply[:n]) {
			return true
		}
	}
	return false
}

// xcp: at each of XCP's speeds, fastest first: ESC, 90 ms, the
// authorisation, half a second, the request-only-mode command a byte a
// millisecond, and a second's wait for the start of the UPS's frame.
func (p SerialProber) xcp(ctx context.Context, port string) bool {
	l, err := p.Open(port)
	if err != nil {
		return false
	}
	defer l.Close()
	reply := make([]byte, 1)
	for _, baud := range xcpBauds {
		if ctx.Err() != nil || l.SetSpeed(baud) != nil {
			return false
		}
		if n, err := l.Write([]byte{xcpEscape}); n != 1 || err != nil {
			return false
		}
		p.sleep(ctx, 90*time.Millisecond)
		l.Write(xcpFrame(xcpAuth))
		p.sleep(ctx, 500*time.Millisecond)
		for _, b := range xcpFrame(xcpRequestOnly) {
			l.Write([]byte{b})
			p.sleep(ctx, time.Millisecond)
		}
		if n, _ := l.Read(reply, time.Second); XCPAnswered(reply[:n]) {
			return true
		}
		p.sleep(ctx, 100*time.Millisecond)
	}
	return false
}

// q1: 2400 baud, lines ending at '\r', DTR on and RTS off (a line
// without them is probed all the same), 100 ms to settle, and up to
// three Q1 requests with a second's wait each for a status line.
func (p SerialProber) q1(ctx context.Context, port string) bool {
	l, err := p.Open(port)
	if err != nil {
		return false
	}
	defer l.Close()
	if l.SetSpeed(2400) != nil || l.Canonical() != nil {
		return false
	}
	l.SetDTR(true)
	l.SetRTS(false)
	p.sleep(ctx, 100*time.Millisecond)
	line := make([]byte, 128)
	for try := 0; try < 3 && ctx.Err() == nil; try++ {
		l.Flush()
		if n, err := l.Write([]byte("Q1\r")); n <= 0 || err != nil {
			continue
		}
		if n, _ := l.Read(line, time.Second); Q1Answered(line[:n]) {
			return true
		}
	}
	return false
}
