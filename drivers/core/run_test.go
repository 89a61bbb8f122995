package core

import (
	"bufio"
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"gonut/config"
	"gonut/nutenv"
)

// testDriver is a driver whose device the test controls.
type testDriver struct {
	Base
	mu      sync.Mutex
	fail    bool
	charge  string
	ran     []string
	updates int
}

func (d *testDriver) Info() Info {
	mode := config.DriverOption("mode", "a mode")
	mode.Reloadable = true
	return Info{Name: "testdrv", Description: "test driver", Version: "0.1", Options: config.UPSKeys{mode}}
}

func (d *testDriver) Init(ctx context.Context, dev *Device) error {
	dev.Tree.Set("ups.mfr", "Acme")
	dev.Tree.Set("ups.status", "OL")
	dev.Tree.Set("battery.charge", "100")
	dev.Tree.SetFlags("battery.charge", 1)
	dev.Tree.AddCmd("test.cmd")
	return nil
}

func (d *testDriver) Update(ctx context.Context, dev *Device) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.updates++
	if d.fail {
		return errors.New("no answer")
	}
	return nil
}

func (d *testDriver) SetVar(ctx context.Context, dev *Device, name, value string) Result {
	if name != "battery.charge" {
		return Invalid
	}
	dev.Tree.Set(name, value)
	return Handled
}

func (d *testDriver) InstCmd(ctx context.Context, dev *Device, name, param string) Result {
	d.mu.Lock()
	d.ran = append(d.ran, name+" "+param)
	d.mu.Unlock()
	return Handled
}

// stepClock hands each wait of the loop to the test, which decides when
// it ends.
type stepClock struct{ waits chan chan time.Time }

func (c *stepClock) Now() time.Time { return time.Unix(0, 0) }
func (c *stepClock) After(time.Duration) <-chan time.Time {
	ch := make(chan time.Time, 1)
	c.waits <- ch
	return ch
}

// tick lets the loop's pending wait end, so it runs one update.
func (c *stepClock) tick(t *testing.T) {
	t.Helper()
	select {
	case ch := <-c.waits:
		ch <- time.Unix(0, 0)
	case <-time.After(10 * time.Second):
		t.Fatal("the driver loop is not waiting")
	}
}

type notes struct {
	mu  sync.Mutex
	all []string
	ch  chan string
}

func (n *notes) notify(s string) {
	n.mu.Lock()
	n.all = append(n.all, s)
	n.mu.Unlock()
	n.ch <- s
}

func (n *notes) waitFor(t *testing.T, want string) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case s := <-n.ch:
			if strings.Contains(s, want) {
				return
			}
		case <-deadline:
			t.Fatalf("no notification %q; got %q", want, n.all)
		}
	}
}

type sock struct {
	t *testing.T
	c net.Conn
	r *bufio.Reader
}

func (s *sock) send(line string) {
	s.c.Write([]byte(line + "\n"))
}

// until reads lines until one starts with prefix, and returns it.
func (s *sock) until(prefix string) string {
	s.t.Helper()
	s.c.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		l, err := s.r.ReadString('\n')
		if err != nil {
			s.t.Fatalf("waiting for %q: %v", prefix, err)
		}
		if strings.HasPrefix(l, prefix) {
			return strings.TrimSpace(l)
		}
	}
}

// all reads lines until it has seen each of want, in any order.
func (s *sock) all(want ...string) {
	s.t.Helper()
	left := map[string]bool{}
	for _, w := range want {
		left[w] = true
	}
	s.c.SetReadDeadline(time.Now().Add(10 * time.Second))
	for len(left) > 0 {
		l, err := s.r.ReadString('\n')
		if err != nil {
			s.t.Fatalf("waiting for %v: %v", left, err)
		}
		delete(left, strings.TrimSpace(l))
	}
}

func writeConf(t *testing.T, dir, body string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, "ups.conf"), []byte(body), 0o640); err != nil {
		t.Fatal(err)
	}
}

// harness runs a driver on section [t] of a ups.conf in a directory of
// its own, with a clock, sd_notify and signals the test controls.
type harness struct {
	dir   string
	vars  nutenv.Env
	clock *stepClock
	notes *notes
	sigs  chan os.Signal
	done  chan error
}

func startDriver(t *testing.T, d Driver, conf string) *harness {
	t.Helper()
	dir := t.TempDir()
	h := &harness{dir: dir, clock: &stepClock{waits: make(chan chan time.Time, 100)},
		notes: &notes{ch: make(chan string, 100)}, sigs: make(chan os.Signal, 1), done: make(chan error, 1)}
	h.vars = nutenv.Env(func(k string) string {
		switch k {
		case "NUT_CONFPATH", "NUT_STATEPATH":
			return dir
		}
		return ""
	})
	writeConf(t, dir, conf)
	go func() {
		h.done <- Run(context.Background(), d, Args{UPS: "t"},
			Env{Vars: h.vars, Clock: h.clock, Notify: h.notes.notify, Signals: h.sigs, Stdout: os.Stdout})
	}()
	return h
}

// dial connects to the driver's socket.
func (h *harness) dial(t *testing.T) *sock {
	t.Helper()
	c, err := net.Dial("unix", h.vars.DriverSocket("testdrv", "t"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return &sock{t, c, bufio.NewReader(c)}
}

// exit tells the driver to exit, as -c exit does, and waits until it has.
func (h *harness) exit(t *testing.T) {
	t.Helper()
	if code, err := SendCommand(h.vars, "testdrv", "t", "exit", 0); err != nil || code != 0 {
		t.Fatalf("exit: code %d, %v", code, err)
	}
	select {
	case err := <-h.done:
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("driver did not exit")
	}
}

func TestRunServesReloadsAndExits(t *testing.T) {
	d := &testDriver{}
	h := startDriver(t, d, "[t]\n\tdriver = testdrv\n\tport = one\n\tmode = a\n")
	dir, vars, clock, n, sigs := h.dir, h.vars, h.clock, h.notes, h.sigs
	clock.tick(t)
	n.waitFor(t, "READY=1")

	s := h.dial(t)
	s.send("DUMPALL")
	for _, want := range []string{
		`SETINFO battery.charge "100"`,
		`SETINFO device.mfr "Acme"`,
		`SETINFO driver.name "testdrv"`,
		`SETINFO driver.parameter.mode "a"`,
		`SETINFO driver.parameter.pollinterval "2"`,
		`SETINFO driver.parameter.port "one"`,
		`SETINFO driver.parameter.synchronous "auto"`,
		`SETINFO driver.version.internal "0.1"`,
		`ADDCMD test.cmd`,
		`DATAOK`,
		`DUMPDONE`,
	} {
		prefix := want
		if f := strings.Fields(want); len(f) > 2 {
			prefix = f[0] + " " + f[1] + " "
		}
		if got := s.until(prefix); got != want {
			t.Fatalf("dump: got %q, want %q", got, want)
		}
	}

	s.send(`SET battery.charge "50" TRACKING s1`)
	if got := s.until("TRACKING"); got != "TRACKING s1 0" {
		t.Fatalf("SET: %q", got)
	}
	s.send(`SET ups.status "OB" TRACKING s2`)
	if got := s.until("TRACKING"); got != "TRACKING s2 2" {
		t.Fatalf("SET of a read-only variable: %q", got)
	}
	s.send(`INSTCMD test.cmd 7 TRACKING i1`)
	if got := s.until("TRACKING"); got != "TRACKING i1 0" {
		t.Fatalf("INSTCMD: %q", got)
	}
	s.send(`INSTCMD no.such TRACKING i2`)
	if got := s.until("TRACKING"); got != "TRACKING i2 1" {
		t.Fatalf("unknown INSTCMD: %q", got)
	}

	// The device stops answering, then comes back.
	d.mu.Lock()
	d.fail = true
	d.mu.Unlock()
	clock.tick(t)
	s.until("DATASTALE")
	d.mu.Lock()
	d.fail = false
	d.mu.Unlock()
	clock.tick(t)
	s.until("DATAOK")

	// A reloadable change is applied on SIGHUP.
	writeConf(t, dir, "[t]\n\tdriver = testdrv\n\tport = one\n\tmode = b\n\tpollinterval = 7\n")
	sigs <- syscall.SIGHUP
	n.waitFor(t, "RELOADING=1")
	s.all(`SETINFO driver.parameter.mode "b"`, `SETINFO driver.parameter.pollinterval "7"`)

	// A port change needs a restart: reload-or-error says so.
	writeConf(t, dir, "[t]\n\tdriver = testdrv\n\tport = two\n\tmode = b\n")
	code, err := SendCommand(vars, "testdrv", "t", "reload-or-error", 0)
	if err != nil || code != int(Invalid) {
		t.Fatalf("reload-or-error: code %d, %v; want %d", code, err, Invalid)
	}
	writeConf(t, dir, "[t]\n\tdriver = testdrv\n\tport = one\n\tmode = c\n")
	if code, err := SendCommand(vars, "testdrv", "t", "reload-or-error", 0); err != nil || code != 0 {
		t.Fatalf("reload-or-error without restart-only changes: code %d, %v", code, err)
	}

	h.exit(t)
	if _, err := os.Stat(vars.DriverSocket("testdrv", "t")); !os.IsNotExist(err) {
		t.Fatalf("socket left behind: %v", err)
	}
	if len(d.ran) != 1 || d.ran[0] != "test.cmd 7" {
		t.Fatalf("commands run: %q", d.ran)
	}
}

func TestRunRejectsBadSection(t *testing.T) {
	dir := t.TempDir()
	vars := nutenv.Env(func(k string) string {
		if k == "NUT_CONFPATH" || k == "NUT_STATEPATH" {
			return dir
		}
		return ""
	})
	writeConf(t, dir, "[t]\n\tdriver = testdrv\n\tport = one\n\tcolour = blue\n")
	err := Run(context.Background(), &testDriver{}, Args{UPS: "t"}, Env{Vars: vars})
	if err == nil || !strings.Contains(err.Error(), "'colour' is not a valid variable for testdrv") {
		t.Fatalf("got %v", err)
	}
	err = Run(context.Background(), &testDriver{}, Args{UPS: "other"}, Env{Vars: vars})
	if err == nil || !strings.Contains(err.Error(), "section [other] not found") {
		t.Fatalf("got %v", err)
	}
}

// default.* and override.* set variables of the tree, as every NUT
// driver takes them: the driver may change a default, not an override,
// and cannot delete it either.
func TestDefaultAndOverride(t *testing.T) {
	dir := t.TempDir()
	vars := nutenv.Env(func(k string) string {
		if k == "NUT_CONFPATH" || k == "NUT_STATEPATH" {
			return dir
		}
		return ""
	})
	writeConf(t, dir, "[t]\n\tdriver = testdrv\n\tport = one\n\tdefault.battery.charge = 50\n\tOverride.ups.mfr = Mine\n\tdefault.battery.voltage.low = 20.8\n")
	d := &testDriver{}
	r := &runner{d: d, info: d.Info(), args: Args{UPS: "t"}, env: Env{Vars: vars}}
	if err := r.configure(); err != nil {
		t.Fatal(err)
	}
	if err := d.Init(context.Background(), r.dev); err != nil {
		t.Fatal(err)
	}
	r.tree.Delete("ups.mfr")
	for name, want := range map[string]string{"ups.mfr": "Mine", "battery.charge": "100", "battery.voltage.low": "20.8"} {
		if v, _ := r.tree.Get(name); v != want {
			t.Errorf("%s = %q, want %q", name, v, want)
		}
	}
	if _, ok := r.tree.Get("driver.parameter.default.battery.charge"); ok {
		t.Error("default.* shown as a driver parameter (NUT shows none)")
	}
	writeConf(t, dir, "[t]\n\tdriver = testdrv\n\tport = one\n\toverride.ups.mfr\n")
	err := Run(context.Background(), &testDriver{}, Args{UPS: "t"}, Env{Vars: vars})
	if err == nil || !strings.Contains(err.Error(), "'override.ups.mfr' needs a value") {
		t.Fatalf("a bare override: %v", err)
	}
}
