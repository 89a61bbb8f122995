package scanner_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"

	"gonut/drivers/qx/qxsim"
	"gonut/drivers/serial/serialtest"
	"gonut/internal/nuttest"
	"gonut/scanner"
)

func TestSerialPorts(t *testing.T) {
	ttys := func(n ...string) []string {
		var out []string
		for _, p := range []string{"/dev/ttyS", "/dev/ttyUSB"} {
			for _, x := range n {
				out = append(out, p+x)
			}
		}
		return out
	}
	for spec, want := range map[string][]string{
		"auto":                          ttys("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
		"automatic":                     ttys("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
		"0-1":                           ttys("0", "1"),
		"3":                             ttys("3"),
		"2-":                            ttys("2"),
		"-4":                            ttys("4"),
		"a-c":                           ttys("a", "b", "c"),
		"3-1":                           nil,
		"/dev/pts/7":                    {"/dev/pts/7"},
		"/dev/ttyS1,/dev/ttyUSB4,":      {"/dev/ttyS1", "/dev/ttyUSB4"},
		"/dev/ttyS1,,/dev/ttyS2":        {"/dev/ttyS1", "/dev/ttyS2"},
		"/dev/pts/3,/dev/pts/4":         {"/dev/pts/3,/dev/pts/4"}, // not /dev/tty...: one name, as in NUT
		"/dev/serial/by-id/usb-x":       nil,                       // a '-': a range, of names too long
		"COM1":                          {"COM1"},
		"/dev/ttyUSB0":                  {"/dev/ttyUSB0"},
		"/dev/ttyAMA0,/dev/ttyACM1,foo": {"/dev/ttyAMA0", "/dev/ttyACM1", "foo"},
	} {
		got, err := scanner.SerialPorts(spec)
		if !reflect.DeepEqual(got, want) || (err != nil) != strings.Contains(spec, "by-id") {
			t.Errorf("SerialPorts(%q) = %q, %v; want %q", spec, got, err, want)
		}
	}
	for _, bad := range []string{"10-12", "1-23", "-", "--"} {
		if _, err := scanner.SerialPorts(bad); err != scanner.ErrPortRange {
			t.Errorf("SerialPorts(%q): %v, want the range error", bad, err)
		}
	}
}

// Answerers of the three protocols on PTYs, from the protocol facts of
// NUT's scan_eaton_serial.c, bcmxcp.c and libshut.c.

// shutDevice answers SHUT's synchronisation byte in kind, and nothing
// else.
func shutDevice(t *testing.T) *serialtest.PTY {
	p := serialtest.Open(t)
	serialtest.Serve(t, p, bufio.ScanBytes, func(req string) string {
		if req == "\x16" {
			return "\x16"
		}
		return ""
	})
	return p
}

// xcpDevice answers the request-only-mode command (AB 01 A0 B4) with a
// frame: AB, block 01, length 1, sequence 80, "accepted" (31), and the
// byte making the frame's sum 0. It ignores the rest (the escape and
// the authorisation).
func xcpDevice(t *testing.T) *serialtest.PTY {
	p := serialtest.Open(t)
	var got []byte
	serialtest.Serve(t, p, bufio.ScanBytes, func(req string) string {
		got = append(got, req[0])
		if bytes.HasSuffix(got, []byte{0xAB, 0x01, 0xA0, 0xB4}) {
			got = nil
			f := []byte{0xAB, 0x01, 0x01, 0x80, 0x31}
			var sum byte
			for _, b := range f {
				sum -= b
			}
			return string(append(f, sum))
		}
		return ""
	})
	return p
}

// q1Device is a Megatec Q1 UPS (qxsim): what it does not know, it
// echoes.
func q1Device(t *testing.T) *serialtest.PTY {
	p := serialtest.Open(t)
	qxsim.New(p, qxsim.Q1)
	t.Cleanup(func() { p.Close() })
	return p
}

// garbageDevice answers every byte with line noise, lines too.
func garbageDevice(t *testing.T) *serialtest.PTY {
	p := serialtest.Open(t)
	serialtest.Serve(t, p, bufio.ScanBytes, func(string) string { return "\x13\xfe)2#0.\x00 9?\r\n" })
	return p
}

// silentDevice is a port with nothing behind it.
func silentDevice(t *testing.T) *serialtest.PTY { return serialtest.Open(t) }

// dtrLine is a line whose modem lines "work": a PTY has none, and NUT
// (so we) does not try SHUT on such a line.
type dtrLine struct{ scanner.Line }

func (dtrLine) SetDTR(bool) error { return nil }

// TestSerialProbes: each probe finds its device on a PTY, the others'
// devices and garbage and silence are nothing, and SHUT is not tried on
// a line without modem lines (a PTY), as NUT does not.
func TestSerialProbes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	withDTR := scanner.SerialProber{Open: func(p string) (scanner.Line, error) {
		l, err := scanner.OpenLine(p)
		if err != nil {
			return nil, err
		}
		return dtrLine{l}, nil
	}}
	plain := scanner.SerialProber{Open: scanner.OpenLine}
	var wg sync.WaitGroup
	for _, c := range []struct {
		name   string
		dev    func(*testing.T) *serialtest.PTY
		prober scanner.SerialProber
		want   string
	}{
		{"SHUT", shutDevice, withDTR, "mge-shut"},
		{"SHUT on a PTY", shutDevice, plain, ""},
		{"XCP", xcpDevice, withDTR, "bcmxcp"},
		{"Q1", q1Device, withDTR, "blazer_ser"},
		{"garbage", garbageDevice, withDTR, ""},
		{"silence", silentDevice, withDTR, ""},
	} {
		p := c.dev(t)
		wg.Add(1)
		go func() {
			defer wg.Done()
			if got := c.prober.Probe(ctx, p.Path); got != c.want {
				t.Errorf("%s: found %q, want %q", c.name, got, c.want)
			}
		}()
	}
	if got := plain.Probe(ctx, "/nonexistent/ttyS0"); got != "" {
		t.Errorf("a missing port: %q", got)
	}
	wg.Wait()
}

// TestSerialScanLikeDebian: Debian's nut-scanner -E and ours, each on
// its own set of the same simulated devices, print the same. Debian's
// takes a /dev/pts/N path as a single port name; a list of names must
// start with /dev/tty (and no name may hold a '-', which makes the
// argument a range), so the lists are of symlinks /dev/ttygonut...
func TestSerialScanLikeDebian(t *testing.T) {
	t.Parallel()
	if _, err := os.Stat(debianScanner); err != nil {
		t.Skip("Debian's nut-scanner is not installed: apt-get install nut-server, or run make check")
	}
	link := func(t *testing.T, p *serialtest.PTY) string {
		name := fmt.Sprintf("/dev/ttygonut%dp%s", os.Getpid(), strings.TrimPrefix(p.Path, "/dev/pts/"))
		if err := os.Symlink(p.Path, name); err != nil {
			t.Skipf("the port lists need /dev/tty... names (symlinks in /dev): %v", err)
		}
		t.Cleanup(func() { os.Remove(name) })
		return name
	}
	ours := nuttest.Build(t, "gonut/cmd/nut-scanner")
	for _, c := range []struct {
		name string
		args func(t *testing.T) []string
		want string // in our output
	}{
		{"XCP at a /dev/pts path", func(t *testing.T) []string { return []string{"-E", xcpDevice(t).Path} }, `driver = "bcmxcp"`},
		{"Q1, parsable", func(t *testing.T) []string { return []string{"-E", q1Device(t).Path, "-P"} }, `EATON_SERIAL:driver="blazer_ser"`},
		{"a list", func(t *testing.T) []string {
			return []string{"-q", "--eaton_serial", strings.Join([]string{link(t, xcpDevice(t)), link(t, q1Device(t)),
				link(t, garbageDevice(t)), link(t, silentDevice(t)), link(t, shutDevice(t)), "/dev/ttygonutnosuchport"}, ",")}
		}, `driver = "blazer_ser"`},
		{"a range out of bound", func(*testing.T) []string { return []string{"-E", "10-12"} }, ""},
		{"garbage and silence", func(t *testing.T) []string {
			return []string{"-E", link(t, garbageDevice(t)) + "," + link(t, silentDevice(t)), "-q"}
		}, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			argsD, argsO := c.args(t), c.args(t)
			var deb, mine nuttest.Result
			var wg sync.WaitGroup
			wg.Add(2)
			go func() { defer wg.Done(); deb = nuttest.Exec("", debianScanner, argsD...) }()
			go func() { defer wg.Done(); mine = nuttest.Exec("", ours, argsO...) }()
			wg.Wait()
			// NUT's XCP probe writes its authorisation through the
			// drivers' one global descriptor (upsfd), which its
			// parallel probes overwrite and close: on several ports,
			// some writes go to another's closed port, and it says
			// so. Ours writes to its own port.
			deb.Err = strings.ReplaceAll(deb.Err, "send_command(): error reading from ser_send_buf()\n", "")
			d, dok := sections(unlink(deb.Out, argsD))
			o, ook := sections(unlink(mine.Out, argsO))
			if d != o || !dok || !ook || deb.Code != mine.Code || sortedLines(deb.Err) != sortedLines(mine.Err) {
				t.Errorf("nut-scanner %q:\nDebian's (exit %d):\n%s%s\nours (exit %d):\n%s%s", argsO, deb.Code, deb.Out, deb.Err, mine.Code, mine.Out, mine.Err)
			}
			if !strings.Contains(mine.Out, c.want) || c.want == "" && mine.Out != "" {
				t.Errorf("ours found:\n%s", mine.Out)
			}
		})
	}
}

// unlink names the ports of an output by their place in the arguments,
// so that two runs on different PTYs compare.
func unlink(out string, args []string) string {
	for _, a := range args {
		for i, p := range strings.Split(a, ",") {
			if strings.HasPrefix(p, "/dev/") {
				out = strings.ReplaceAll(out, `"`+p+`"`, fmt.Sprintf(`"port%d"`, i))
			}
		}
	}
	return out
}

func FuzzSerialAnswers(f *testing.F) {
	f.Add([]byte("(226.0 195.0 226.0 014 49.0 27.5 30.0 00001000\r"))
	f.Add([]byte{0xAB, 0x01, 0x01, 0x80, 0x31, 0xA2})
	f.Add([]byte{0x16})
	f.Add([]byte("Q1\r"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if scanner.ShutSynced(b) != (string(b) == "\x16") {
			t.Errorf("SHUT %q", b)
		}
		if scanner.XCPAnswered(b) != (len(b) > 0 && b[0] == 0xAB) {
			t.Errorf("XCP %q", b)
		}
		if scanner.Q1Answered(b) && (len(b) < 46 || b[0] != '(') {
			t.Errorf("Q1 %q", b)
		}
	})
}

func FuzzSerialPorts(f *testing.F) {
	for _, s := range []string{"auto", "0-3", "/dev/ttyS0,/dev/ttyUSB1", "/dev/pts/3", "1", "10-12", "--", "a-", ","} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		ports, err := scanner.SerialPorts(spec)
		if err != nil && ports != nil {
			t.Errorf("%q: ports and an error", spec)
		}
		for _, p := range ports {
			if p == "" {
				t.Errorf("%q: an empty port name", spec)
			}
		}
		if len(ports) > 2*256 {
			t.Errorf("%q: %d ports", spec, len(ports))
		}
	})
}

// TestSerialBytesLikeDebian: what Debian's nut-scanner -E and ours send
// a port are the same bytes, in the same order: to a device that answers
// nothing (every XCP speed's escape, authorisation and request-only-mode
// command, then three Q1 requests; no SHUT on a PTY), and to an XCP one
// (until it answers).
func TestSerialBytesLikeDebian(t *testing.T) {
	t.Parallel()
	if _, err := os.Stat(debianScanner); err != nil {
		t.Skip("Debian's nut-scanner is not installed: apt-get install nut-server, or run make check")
	}
	ours := nuttest.Build(t, "gonut/cmd/nut-scanner")
	xcpAnswer := string([]byte{0xAB, 0x01, 0x01, 0x80, 0x31, 0xA2})
	for _, c := range []struct {
		name   string
		answer func(got []byte) string
	}{
		{"silent", func([]byte) string { return "" }},
		{"XCP", func(got []byte) string {
			if bytes.HasSuffix(got, []byte{0xAB, 0x01, 0xA0, 0xB4}) {
				return xcpAnswer
			}
			return ""
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			devs := map[string]*serialtest.Device{}
			var wg sync.WaitGroup
			for _, bin := range []string{debianScanner, ours} {
				p := serialtest.Open(t)
				var got []byte // the device's goroutine's alone
				devs[bin] = serialtest.Serve(t, p, bufio.ScanBytes, func(req string) string {
					got = append(got, req[0])
					return c.answer(got)
				})
				wg.Add(1)
				go func() { defer wg.Done(); nuttest.Exec("", bin, "-E", p.Path, "-q") }()
			}
			wg.Wait()
			d, o := []byte(strings.Join(devs[debianScanner].Requests(), "")), []byte(strings.Join(devs[ours].Requests(), ""))
			if !bytes.Equal(d, o) || len(o) == 0 {
				t.Errorf("Debian's sent % x\nours sent     % x", d, o)
			}
		})
	}
}
