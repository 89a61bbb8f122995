package apcsmart

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"gonut/drivers/serial"
)

func TestParseCaps(t *testing.T) {
	caps, err := parseCaps("#uD43127130133136e4420015")
	if err == nil {
		t.Error("a string cut short in an entry is not an error")
	}
	if len(caps) != 1 || caps[0].cmd != 'u' || caps[0].loc != 'D' || strings.Join(caps[0].values, ",") != "127,130,133,136" {
		t.Errorf("entries before the cut: %+v", caps)
	}
	caps, err = parseCaps("##uD43127130133136##e44200015090")
	if err != nil || len(caps) != 2 || caps[1].values[3] != "90" {
		t.Errorf("Matrix-UPS string: %+v, %v", caps, err)
	}
	if _, err := parseCaps("uD43"); err == nil {
		t.Error("a string without # is not an error")
	}
}

func TestParseCmdSet(t *testing.T) {
	for s, want := range map[string]string{
		"3.!$%+?=#|.\x01ABC": "\x01ABC",
		"3.!$%+?=#|.ABC.xyz": "ABC",
		"3..ABC":             "ABC",
		"3.!$.":              "",
		"SMART-UPS 1500":     "",
		"3.!$.ABC.x.y":       "",
		"33.!$.ABC":          "",
		"NA":                 "",
		"3.!$%+?=#|.ABC.":    "",
	} {
		got, ok := parseCmdSet(s)
		if got != want || ok != (want != "") {
			t.Errorf("parseCmdSet(%q) = %q, %v; want %q", s, got, ok, want)
		}
	}
}

func TestConvert(t *testing.T) {
	for _, c := range []struct {
		f        format
		raw, out string
	}{
		{fMinutes, "0112:", "6720"}, {fHours, "336", "1209600"}, {fHours, "ON ", "0"},
		{fReason, "T", "line voltage notch or spike"}, {fReason, "Z", "Z"}, {fLeave, "027.3", "027.3"},
		{fMinutes, "99999999999999999999", "9223372036854775807"},
	} {
		if got := convert(c.f, c.raw); got != c.out {
			t.Errorf("convert(%d, %q) = %q, want %q", c.f, c.raw, got, c.out)
		}
	}
}

// No answer makes a parser panic, and what it returns stays within the
// answer.
func FuzzParseStatus(f *testing.F) {
	for _, s := range []string{"08", "50", "NA", "", "1FF", " 8", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if _, err := parseStatus(s); err == nil && len(strings.TrimSpace(s)) > 2 {
			t.Errorf("%q taken as a status", s)
		}
	})
}

func FuzzParseCmdSet(f *testing.F) {
	f.Add("3.!$%+?=#|.\x01\x0e\x1a+-789<>@ABCDEFGKLMNOPQRSTUVWXYZabcefgjklmnopqrsuxyz~")
	f.Add("NA")
	f.Fuzz(func(t *testing.T, s string) {
		if cmds, ok := parseCmdSet(s); ok && (cmds == "" || !strings.Contains(s, cmds)) {
			t.Errorf("%q gives commands %q", s, cmds)
		}
	})
}

func FuzzParseCaps(f *testing.F) {
	f.Add("#uD43127130133136uI43253264271280E443336168ON OFF")
	f.Add("##uD43127130133136")
	f.Add("#u\x00")
	f.Fuzz(func(t *testing.T, s string) {
		caps, _ := parseCaps(s)
		n := 0
		for _, c := range caps {
			for _, v := range c.values {
				n += len(v)
			}
		}
		if n > len(s) {
			t.Errorf("%q gives %d bytes of values", s, n)
		}
	})
}

func FuzzConvert(f *testing.F) {
	f.Add(uint8(fMinutes), "0112:")
	f.Add(uint8(fReason), "R")
	f.Add(uint8(fHours), "-99999999999999999999")
	f.Fuzz(func(t *testing.T, fm uint8, s string) {
		out := convert(format(fm%4), s)
		if utf8.ValidString(s) && !utf8.ValidString(out) {
			t.Errorf("convert(%q) = %q", s, out)
		}
		fields, _ := unpack(s)
		if len(fields) > packMax {
			t.Errorf("unpack(%q) gives %d fields", s, len(fields))
		}
	})
}

// fakePort hands the conn fixed bytes, then times out.
type fakePort struct {
	in   chan []byte
	done chan struct{}
}

func (p *fakePort) Write(b []byte) (int, error) { return len(b), nil }
func (p *fakePort) ReadTimeout(b []byte, d time.Duration) (int, error) {
	select {
	case in := <-p.in:
		return copy(b, in), nil
	case <-p.done:
		return 0, io.EOF
	case <-time.After(d):
		return 0, serial.ErrTimeout
	}
}
func (p *fakePort) Flush() error      { return nil }
func (p *fakePort) SetDTR(bool) error { return nil }
func (p *fakePort) SetRTS(bool) error { return nil }
func (p *fakePort) Close() error      { close(p.done); return nil }

// Whatever the line brings, an exchange ends with a line of at most 511
// bytes without CR or LF, or an error, and alerts are alert characters.
func FuzzConnAnswer(f *testing.F) {
	f.Add(uint8(0), []byte("08\r\n"))
	f.Add(uint8(2), []byte("#uD4312\r\n"))
	f.Add(uint8(4), []byte("*"))
	f.Add(uint8(0), []byte("!$%garbage\xff"))
	f.Fuzz(func(t *testing.T, mode uint8, in []byte) {
		p := &fakePort{in: make(chan []byte, 1), done: make(chan struct{})}
		var alerts []byte
		c := newConn(p, slog.New(slog.NewTextHandler(io.Discard, nil)), func(b byte) { alerts = append(alerts, b) })
		got := c.expect(readMode(mode % 5))
		p.in <- in
		line, err := c.wait(context.Background(), got, 50*time.Millisecond)
		c.close()
		if err == nil && (len(line) > maxLine || strings.ContainsAny(line, "\r\n")) {
			t.Errorf("line %q", line)
		}
		for _, a := range alerts {
			if strings.IndexByte(alertChars+"*", a) < 0 {
				t.Errorf("alert %q", a)
			}
		}
	})
}
