package apcsmart_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"gonut/drivers/apcsmart"
	"gonut/drivers/core"
	"gonut/drivers/serial"
	"gonut/internal/nuttest"
)

// modemLines records what the driver sets on DTR and RTS (a PTY has no
// such lines: this stands in for them over the real port).
type modemLines struct {
	serial.Port
	mu  sync.Mutex
	set []string
}

func (m *modemLines) SetDTR(on bool) error { return m.note("DTR", on) }
func (m *modemLines) SetRTS(on bool) error { return m.note("RTS", on) }
func (m *modemLines) note(line string, on bool) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.set = append(m.set, map[bool]string{true: "+", false: "-"}[on]+line)
	return nil
}

// cable = 940-0095B raises DTR and drops RTS before anything is said;
// the default cable touches neither.
func TestCable(t *testing.T) {
	for _, c := range []struct{ extra, want string }{
		{"\tcable = 940-0095B\n", "+DTR -RTS"},
		{"\tcable = 940-0095b\n", "+DTR -RTS"},
		{"\tcable = 940-0024C\n", ""},
		{"", ""},
	} {
		p, _ := simPTY(t)
		var lines *modemLines
		open := func(path string, o serial.Options) (serial.Port, error) {
			port, err := serial.Open(path, o)
			lines = &modemLines{Port: port}
			return lines, err
		}
		dir := t.TempDir()
		conf := "[t]\n\tdriver = apcsmart\n\tport = " + p.Path + "\n" + c.extra
		if err := os.WriteFile(filepath.Join(dir, "ups.conf"), []byte(conf), 0o600); err != nil {
			t.Fatal(err)
		}
		vars := func(k string) string {
			if k == "NUT_CONFPATH" || k == "NUT_STATEPATH" {
				return dir
			}
			return ""
		}
		var out strings.Builder
		err := core.Run(context.Background(), apcsmart.New(open, time.Now), core.Args{UPS: "t", DumpAfter: 1},
			core.Env{Vars: vars, Stdout: &out})
		if err != nil || !strings.Contains(out.String(), "ups.status: OL") {
			t.Errorf("%q: %v\n%s", c.extra, err, out.String())
		}
		if got := strings.Join(lines.set, " "); got != c.want {
			t.Errorf("%q: lines set %q, want %q", c.extra, got, c.want)
		}
	}
}

// On a line without modem-control lines (a PTY), the 940-0095B cable
// cannot be served: both drivers refuse to start.
func TestCableWithoutModemLines(t *testing.T) {
	nuttest.NeedDebianNUT(t)
	ours := nuttest.Build(t, "gonut/cmd/apcsmart")
	p, _ := simPTY(t)
	dir := t.TempDir()
	conf := "[t]\n\tdriver = apcsmart\n\tport = " + p.Path + "\n\tcable = 940-0095B\n"
	if err := os.WriteFile(filepath.Join(dir, "ups.conf"), []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	s := &nuttest.Stack{T: t, Dir: dir, Env: append(os.Environ(), "NUT_CONFPATH="+dir, "NUT_STATEPATH="+dir, "NUT_ALTPIDPATH="+dir)}
	for _, bin := range []string{debianAPCSmart, ours} {
		out, err := s.Run(bin, "-a", "t", "-u", "root", "-d", "1")
		if err == nil {
			t.Errorf("%s ran with cable = 940-0095B on a PTY:\n%s", bin, out)
		} else if bin == ours && !strings.Contains(err.Error(), "940-0095B") {
			t.Errorf("our error does not name the cable: %v", err)
		}
	}
}
