package genericups_test

import (
	"bytes"
	"context"
	"fmt"
	"gonut/internal/version"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"gonut/drivers/core"
	"gonut/drivers/genericups"
	"gonut/drivers/serial/serialtest"
	"gonut/internal/cli"
)

// A PTY has no modem-control lines, so both drivers get a fake set: a
// file holds the input lines (TIOCM_* bits); setting outputs rewrites
// <file>.out and logs "set <lines>" to <file>.log, a BREAK logs "break"
// and its length in tenths of a second.
// Debian's genericups gets it through an LD_PRELOAD shim over ioctl and
// tcsendbreak (testdata/fakelines.c), ours through fakeLines. The line
// logic (types, overrides, shutdown signals) is then compared on the same
// line states; real lines are not exercised here.

const debianGeneric = "/lib/nut/genericups"

// fakeLines is Lines over the shim's files.
type fakeLines struct{ base string }

func (f fakeLines) Get() (int, error) {
	b, err := os.ReadFile(f.base)
	if err != nil {
		return 0, nil
	}
	n, _ := strconv.ParseInt(strings.TrimSpace(string(b)), 0, 32)
	return int(n), nil
}

func (f fakeLines) Set(out int) error {
	out &= genericups.DTR | genericups.RTS
	os.WriteFile(f.base+".out", []byte(fmt.Sprintf("%d\n", out)), 0o600)
	return f.note(fmt.Sprintf("set %d", out))
}

func (f fakeLines) Break(d time.Duration) error {
	return f.note(fmt.Sprintf("break %d", d/(100*time.Millisecond)))
}
func (f fakeLines) Close() error { return nil }

func (f fakeLines) note(s string) error {
	l, err := os.OpenFile(f.base+".log", os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	defer l.Close()
	_, err = fmt.Fprintln(l, s)
	return err
}

// shim builds the LD_PRELOAD shim, or skips.
func shim(t *testing.T) string {
	t.Helper()
	if _, err := os.Stat(debianGeneric); err != nil {
		t.Skip("Debian's genericups is not installed (nut-server)")
	}
	gcc, err := exec.LookPath("gcc")
	if err != nil {
		t.Skip("gcc not found: it builds the fake modem-line shim for Debian's genericups")
	}
	so := filepath.Join(t.TempDir(), "fakelines.so")
	if out, err := exec.Command(gcc, "-shared", "-fPIC", "-O", "-o", so, "testdata/fakelines.c", "-ldl").CombinedOutput(); err != nil {
		t.Fatalf("building the shim: %v\n%s", err, out)
	}
	return so
}

// outcome is what a driver did with one ups.conf section and line state.
type outcome struct {
	dump string // -d 1's variables ("" when it failed)
	log  string // the lines it set
	ok   bool
}

// setup writes ups.conf and the input lines in a fresh directory.
func setup(t *testing.T, port, section string, inputs int) (dir, lines string) {
	t.Helper()
	dir = t.TempDir()
	lines = filepath.Join(dir, "lines")
	conf := "[g]\n\tdriver = genericups\n\tport = " + port + "\n" + section
	if err := os.WriteFile(filepath.Join(dir, "ups.conf"), []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(lines, []byte(strconv.Itoa(inputs)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return dir, lines
}

var dumpLine = regexp.MustCompile(`^[a-z0-9._]+: `)

// upsLines is a dump's variables but driver.version (ours is gonut's).
func upsLines(out string) string {
	var keep []string
	for _, l := range strings.Split(out, "\n") {
		if dumpLine.MatchString(l) && !strings.HasPrefix(l, "driver.version:") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}

func readLog(lines string) string {
	b, _ := os.ReadFile(lines + ".log")
	return string(b)
}

func debian(t *testing.T, so, port, section string, inputs int, args ...string) outcome {
	dir, lines := setup(t, port, section, inputs)
	cmd := exec.Command(debianGeneric, append([]string{"-a", "g", "-u", "root"}, args...)...)
	cmd.Env = append(os.Environ(), "NUT_CONFPATH="+dir, "NUT_STATEPATH="+dir, "LD_PRELOAD="+so, "GONUT_FAKE_LINES="+lines)
	out, err := cmd.Output()
	return outcome{upsLines(string(out)), readLog(lines), err == nil}
}

func ours(t *testing.T, port, section string, inputs int, a core.Args) outcome {
	dir, lines := setup(t, port, section, inputs)
	vars := func(k string) string {
		if k == "NUT_CONFPATH" || k == "NUT_STATEPATH" {
			return dir
		}
		return ""
	}
	var out bytes.Buffer
	a.UPS = "g"
	d := genericups.New(func(string) (genericups.Lines, error) { return fakeLines{lines}, nil })
	err := core.Run(context.Background(), d, a, core.Env{Vars: vars, Stdout: &out})
	return outcome{upsLines(out.String()), readLog(lines), err == nil}
}

// Every UPS type reads every state of the four input lines as Debian's
// genericups does, and powers the cable the same way.
func TestTypesSameAsDebian(t *testing.T) {
	so := shim(t)
	pty := serialtest.Open(t)
	for typ := 0; typ < 24; typ++ {
		for in := 0; in < 16; in++ {
			inputs := 0
			for i, l := range []int{genericups.CTS, genericups.DCD, genericups.RNG, genericups.DSR} {
				if in&(1<<i) != 0 {
					inputs |= l
				}
			}
			section := fmt.Sprintf("\tupstype = %d\n", typ)
			d := debian(t, so, pty.Path, section, inputs, "-d", "1")
			o := ours(t, pty.Path, section, inputs, core.Args{DumpAfter: 1})
			if d != o || !d.ok || !strings.Contains(d.dump, "ups.status:") {
				t.Errorf("upstype %d, lines %#x:\nDebian's: %+v\nours:     %+v", typ, inputs, d, o)
			}
		}
	}
}

// The CP, OL, LB, RB, BYPASS and SD overrides and the name overrides
// work as Debian's do, on every state of the input lines.
func TestOverridesSameAsDebian(t *testing.T) {
	so := shim(t)
	pty := serialtest.Open(t)
	for _, section := range []string{
		"\tupstype = 4\n\tCP = DTR\n",
		"\tupstype = 4\n\tCP = RTS DTR\n",
		"\tupstype = 4\n\tCP = none\n",
		"\tupstype = 9\n\tCP = NULL\n\tOL = -CTS\n",
		"\tupstype = 9\n\tOL = DCD\n\tLB = -DCD\n",
		"\tupstype = 4\n\tOL = NULL\n\tLB = RNG\n",
		"\tupstype = 23\n\tRB = -DSR\n\tBYPASS = RNG\n",
		"\tupstype = 23\n\tRB = none\n\tBYPASS = DSR CTS\n",
		"\tupstype = 1\n\tOL = -RNG -DCD\n",
		"\tupstype = 2\n\tmfr = Acme\n\tmodel = Contact 1\n\tserial = 0042\n",
	} {
		for inputs := 0; inputs <= genericups.CTS|genericups.DCD|genericups.RNG|genericups.DSR; inputs += genericups.CTS {
			d := debian(t, so, pty.Path, section, inputs, "-d", "1")
			o := ours(t, pty.Path, section, inputs, core.Args{DumpAfter: 1})
			if d != o || !d.ok {
				t.Errorf("%q, lines %#x:\nDebian's: %+v\nours:     %+v", section, inputs, d, o)
			}
		}
	}
}

// -k sets the shutdown lines (or sends a BREAK) after powering the cable,
// as Debian's does, for every type and for SD overrides; a type without a
// known shutdown signal fails on both.
func TestShutdownSameAsDebian(t *testing.T) {
	so := shim(t)
	pty := serialtest.Open(t)
	var sections []string
	for typ := 0; typ < 24; typ++ {
		sections = append(sections, fmt.Sprintf("\tupstype = %d\n", typ))
	}
	sections = append(sections, "\tupstype = 8\n\tSD = DTR\n", "\tupstype = 4\n\tSD = RTS\n\tCP = DTR\n",
		"\tupstype = 1\n\tSD = none\n", "\tupstype = 1\n\tSD = ST\n", "\tupstype = 0\n\tSD = -RTS DTR\n\tsdtime = 0\n")
	for _, section := range sections {
		d := debian(t, so, pty.Path, section, 0, "-k")
		o := ours(t, pty.Path, section, 0, core.Args{Kill: true})
		if d != o || d.log == "" {
			t.Errorf("-k with %q:\nDebian's: %+v\nours:     %+v", section, d, o)
		}
	}
}

// Settings that Debian's genericups refuses, ours refuses too; and ours
// also refuses what NUT takes silently (a misspelled line it reads as
// another, an upstype that is no number, which NUT takes for type 0).
func TestBadSettings(t *testing.T) {
	so := shim(t)
	pty := serialtest.Open(t)
	for _, c := range []struct {
		section string
		nutOK   bool
	}{
		{"", false},
		{"\tupstype = 24\n", false},
		{"\tupstype = 4\n\tCP = CTS\n", false},
		{"\tupstype = 4\n\tSD = DCD\n", false},
		{"\tupstype = 4\n\tOL = DTR\n", false},
		{"\tupstype = 4\n\tLB = ST\n", false},
		{"\tupstype = x\n", true},
		{"\tupstype = 4\n\tCP = DTRX\n", true},
		{"\tupstype = 4\n\tOL = CTS_\n", true},
		{"\tupstype = 4\n\tsdtime = soon\n", true},
	} {
		d := debian(t, so, pty.Path, c.section, 0, "-d", "1")
		o := ours(t, pty.Path, c.section, 0, core.Args{DumpAfter: 1})
		if d.ok != c.nutOK || o.ok {
			t.Errorf("%q: Debian's ran: %v (want %v); ours ran: %v (want false)", c.section, d.ok, c.nutOK, o.ok)
		}
	}
}

// -h lists the UPS types as Debian's does.
func TestHelpListsTypes(t *testing.T) {
	if _, err := os.Stat(debianGeneric); err != nil {
		t.Skip("Debian's genericups is not installed")
	}
	deb, _ := exec.Command(debianGeneric, "-h").CombinedOutput()
	var our bytes.Buffer
	genericups.Main([]string{"genericups", "-h"}, func(string) string { return "" }, cli.Stdio{Out: &our, Err: &our})
	list := func(s string) string {
		s = s[strings.Index(s, "Valid UPS types:"):]
		s, _, _ = strings.Cut(s, "\n"+version.Additions)
		return s
	}
	if !strings.Contains(string(deb), "Valid UPS types:") || list(string(deb)) != list(our.String()) {
		t.Errorf("type lists differ:\nDebian's:\n%s\nours:\n%s", deb, our.String())
	}
}

// On a PTY, which has no modem-control lines, both drivers stop at once,
// ours saying which line it could not set.
func TestPTYHasNoModemLines(t *testing.T) {
	if _, err := os.Stat(debianGeneric); err != nil {
		t.Skip("Debian's genericups is not installed")
	}
	pty := serialtest.Open(t)
	dir, _ := setup(t, pty.Path, "\tupstype = 4\n", 0)
	cmd := exec.Command(debianGeneric, "-a", "g", "-u", "root", "-d", "1")
	cmd.Env = append(os.Environ(), "NUT_CONFPATH="+dir, "NUT_STATEPATH="+dir)
	if out, err := cmd.CombinedOutput(); err == nil {
		t.Errorf("Debian's genericups ran on a PTY:\n%s", out)
	}
	vars := func(k string) string {
		if k == "NUT_CONFPATH" || k == "NUT_STATEPATH" {
			return dir
		}
		return ""
	}
	err := core.Run(context.Background(), genericups.New(genericups.OpenLines), core.Args{UPS: "g", DumpAfter: 1},
		core.Env{Vars: vars, Stdout: &bytes.Buffer{}})
	if err == nil || !strings.Contains(err.Error(), "cannot set DTR") {
		t.Errorf("ours on a PTY: %v", err)
	}
}
