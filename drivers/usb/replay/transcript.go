package replay

import (
	"bufio"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"

	"gonut/drivers/usb"
)

// A transcript is text, one line per thing a device was asked:
//
//	# comment
//	device 002:003 port=1 id=0463:ffff
//	control 80 06 0100 0000 18 < 12 01 00 02 00 00 00 40 63 04 ff ff 00 01 01 02 03 01
//	control 21 09 030f 0000 3 > 0f 14 00
//	control a1 01 0377 0000 8 ! pipe
//	claim 1 0 ok
//	interrupt 81 8 < 01 03
//	interrupt 81 8 ! timeout
//
// A device line says which device the lines after it are about. A control
// line gives the setup (request type, request, value, index, in hex) and
// the length asked, then what the device returned (<), what was written
// to it (>), or the error (!). Claim lines give the configuration and the
// interface.

var codeNames = map[usb.Code]string{
	usb.CodeIO: "io", usb.CodeInvalidParam: "invalid-param", usb.CodeAccess: "access",
	usb.CodeNoDevice: "no-device", usb.CodeNotFound: "not-found", usb.CodeBusy: "busy",
	usb.CodeTimeout: "timeout", usb.CodeOverflow: "overflow", usb.CodePipe: "pipe",
	usb.CodeInterrupted: "interrupted", usb.CodeNoMem: "no-mem", usb.CodeNotSupported: "not-supported",
	usb.CodeOther: "other",
}

// Record returns a bus that passes everything to bus and writes what the
// devices opened through it were asked, and answered, to w.
func Record(bus usb.Bus, w io.Writer) usb.Bus {
	r := &recorder{bus: bus, w: w}
	r.printf("# gonut USB transcript, recorded %s", time.Now().UTC().Format(time.RFC3339))
	return r
}

type recorder struct {
	bus  usb.Bus
	mu   sync.Mutex
	w    io.Writer
	last usb.Candidate // the device of the last line written
}

func (r *recorder) printf(format string, args ...any) {
	fmt.Fprintf(r.w, format+"\n", args...)
}

// line writes one line about a device, after the device line when another
// device's lines came before.
func (r *recorder) line(c usb.Candidate, format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if c != r.last {
		r.printf("device %03d:%03d port=%d id=%04x:%04x", c.Bus, c.Address, c.Port, c.VendorID, c.ProductID)
		r.last = c
	}
	r.printf(format, args...)
}

func (r *recorder) Devices() ([]usb.Candidate, error) { return r.bus.Devices() }

func (r *recorder) Open(c usb.Candidate) (usb.Handle, error) {
	h, err := r.bus.Open(c)
	if err != nil {
		return nil, err
	}
	return &recordedHandle{h: h, r: r, c: c}, nil
}

type recordedHandle struct {
	h usb.Handle
	r *recorder
	c usb.Candidate
}

// outcome writes what came back: data read, data written, or an error.
func outcome(in bool, data []byte, err error) string {
	if err != nil {
		return "! " + codeName(err)
	}
	if in {
		return strings.TrimSpace("< " + hexBytes(data))
	}
	return strings.TrimSpace("> " + hexBytes(data))
}

func codeName(err error) string {
	var c usb.Code
	if errors.As(err, &c) {
		if name, ok := codeNames[c]; ok {
			return name
		}
	}
	return "other"
}

func hexBytes(b []byte) string {
	s := make([]string, len(b))
	for i, c := range b {
		s[i] = fmt.Sprintf("%02x", c)
	}
	return strings.Join(s, " ")
}

func (h *recordedHandle) Control(rType, request uint8, value, index uint16, data []byte, timeout time.Duration) (int, error) {
	n, err := h.h.Control(rType, request, value, index, data, timeout)
	in := rType&0x80 != 0
	shown := data
	if in {
		shown = data[:max(n, 0)]
	}
	h.r.line(h.c, "control %02x %02x %04x %04x %d %s", rType, request, value, index, len(data), outcome(in, shown, err))
	return n, err
}

func (h *recordedHandle) Claim(config, iface int) error {
	err := h.h.Claim(config, iface)
	result := "ok"
	if err != nil {
		result = "! " + codeName(err)
	}
	h.r.line(h.c, "claim %d %d %s", config, iface, result)
	return err
}

func (h *recordedHandle) Interrupt(ctx context.Context, endpoint uint8, buf []byte) (int, error) {
	n, err := h.h.Interrupt(ctx, endpoint, buf)
	h.r.line(h.c, "interrupt %02x %d %s", endpoint, len(buf), outcome(true, buf[:max(n, 0)], err))
	return n, err
}

func (h *recordedHandle) Reset() error { return h.h.Reset() }
func (h *recordedHandle) Close() error { return h.h.Close() }

// Load reads a transcript into a bus of devices that answer what the
// transcript says they answered, in the same order (the last answer to a
// request again after that), and stall on anything else. name is the
// transcript's file name, for errors.
func Load(r io.Reader, name string) (*Bus, error) {
	bus := NewBus()
	var cur *Device
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fail := func(format string, args ...any) error {
			return fmt.Errorf("%s:%d: %s", name, n, fmt.Sprintf(format, args...))
		}
		f := strings.Fields(line)
		if f[0] != "device" && cur == nil {
			return nil, fail("%q before any device line", f[0])
		}
		switch f[0] {
		case "device":
			d, err := parseDevice(f)
			if err != nil {
				return nil, fail("%v; expected: device BUS:ADDRESS port=N id=VID:PID", err)
			}
			cur = nil
			for _, e := range bus.devices {
				if e.Bus == d.Bus && e.Address == d.Address {
					cur = e
				}
			}
			if cur == nil {
				cur = d
				bus.Add(d)
			}
		case "control":
			s, a, err := parseControl(f)
			if err != nil {
				return nil, fail("%v; expected: control RT REQ VALUE INDEX LENGTH (< DATA | > DATA | ! ERROR)", err)
			}
			cur.On(s, a)
		case "claim":
			if len(f) < 4 {
				return nil, fail("expected: claim CONFIG INTERFACE (ok | ! ERROR)")
			}
			code, err := parseResult(f[3:])
			if err != nil {
				return nil, fail("%v", err)
			}
			cur.ClaimErrs = append(cur.ClaimErrs, code)
		case "interrupt":
			if len(f) < 4 {
				return nil, fail("expected: interrupt ENDPOINT LENGTH (< DATA | ! ERROR)")
			}
			a, err := parseAnswer(f[3:])
			if err != nil {
				return nil, fail("%v", err)
			}
			cur.interrupts = append(cur.interrupts, a)
		default:
			return nil, fail("unknown line %q; expected device, control, claim or interrupt", f[0])
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return bus, nil
}

func parseDevice(f []string) (*Device, error) {
	if len(f) != 4 {
		return nil, fmt.Errorf("%d words", len(f))
	}
	d := &Device{scriptOnly: true}
	var vid, pid uint16
	if _, err := fmt.Sscanf(f[1], "%d:%d", &d.Bus, &d.Address); err != nil {
		return nil, fmt.Errorf("bad location %q", f[1])
	}
	if _, err := fmt.Sscanf(f[2], "port=%d", &d.Port); err != nil {
		return nil, fmt.Errorf("bad port %q", f[2])
	}
	if _, err := fmt.Sscanf(f[3], "id=%04x:%04x", &vid, &pid); err != nil {
		return nil, fmt.Errorf("bad id %q", f[3])
	}
	d.VendorID, d.ProductID = vid, pid
	return d, nil
}

func parseControl(f []string) (Setup, Answer, error) {
	if len(f) < 7 {
		return Setup{}, Answer{}, fmt.Errorf("%d words", len(f))
	}
	var v [4]uint64
	for i, bits := range []int{8, 8, 16, 16} {
		x, err := strconv.ParseUint(f[1+i], 16, bits)
		if err != nil {
			return Setup{}, Answer{}, fmt.Errorf("bad setup field %q", f[1+i])
		}
		v[i] = x
	}
	if _, err := strconv.ParseUint(f[5], 10, 16); err != nil {
		return Setup{}, Answer{}, fmt.Errorf("bad length %q", f[5])
	}
	s := Setup{uint8(v[0]), uint8(v[1]), uint16(v[2]), uint16(v[3])}
	a, err := parseAnswer(f[6:])
	return s, a, err
}

// parseAnswer reads "< DATA", "> DATA" or "! ERROR".
func parseAnswer(f []string) (Answer, error) {
	switch f[0] {
	case "<", ">":
		b, err := hex.DecodeString(strings.Join(f[1:], ""))
		if err != nil {
			return Answer{}, fmt.Errorf("bad data: %v", err)
		}
		if f[0] == ">" {
			b = nil
		}
		return Answer{Data: b}, nil
	case "!":
		code, err := parseResult(f)
		return Answer{Err: code}, err
	}
	return Answer{}, fmt.Errorf("%q: expected <, > or !", f[0])
}

// parseResult reads "ok" or "! ERROR".
func parseResult(f []string) (usb.Code, error) {
	if len(f) == 1 && f[0] == "ok" {
		return 0, nil
	}
	if len(f) == 2 && f[0] == "!" {
		for code, name := range codeNames {
			if name == f[1] {
				return code, nil
			}
		}
		return 0, fmt.Errorf("unknown error %q", f[1])
	}
	return 0, fmt.Errorf("%q: expected ok or ! ERROR", strings.Join(f, " "))
}
