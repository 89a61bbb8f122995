//go:build linux

package enumerator

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	sdbus "github.com/coreos/go-systemd/v22/dbus"
)

// DropInName is the file the enumerator owns in each instance's drop-in
// directory (and in nut-driver.target's).
const DropInName = "nut-driver-enumerator-generated.conf"

// Systemd is the systemd backend: drop-ins in Dir (runtime, under /run by
// default: they are made again at each boot, before nut-driver.target),
// and the manager driven over D-Bus, never through systemctl.
type Systemd struct {
	Dir    string // default /run/systemd/system
	conn   *sdbus.Conn
	masked map[string]bool // instance names, as of the last Instances
	loaded map[string]bool // unit names systemd held, as of the last Instances
}

// NewSystemd connects to systemd's D-Bus API.
func NewSystemd(ctx context.Context, dir string) (*Systemd, error) {
	conn, err := sdbus.NewWithContext(ctx)
	if err != nil {
		return nil, fmt.Errorf("connecting to systemd: %w", err)
	}
	if dir == "" {
		dir = "/run/systemd/system"
	}
	return &Systemd{Dir: dir, conn: conn}, nil
}

// Close ends the D-Bus connection.
func (s *Systemd) Close() { s.conn.Close() }

func (s *Systemd) dropIn(name string) string {
	return filepath.Join(s.Dir, UnitName(name, ".service.d"), DropInName)
}

func (s *Systemd) socketDropIn(name string) string {
	return filepath.Join(s.Dir, UnitName(name, ".socket.d"), DropInName)
}

// Instances also notes which instances are masked and which of their
// units systemd has loaded, in one D-Bus call each.
func (s *Systemd) Instances(ctx context.Context) ([]Existing, error) {
	s.masked = map[string]bool{}
	files, err := s.conn.ListUnitFilesByPatternsContext(ctx, []string{"masked", "masked-runtime"}, []string{Service + "@*.service"})
	if err != nil {
		return nil, fmt.Errorf("listing masked units: %w", err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(f.Path), Service+"@"), ".service")
		s.masked[name] = true
	}
	// Only the units systemd holds in memory: listing them loads none.
	s.loaded = map[string]bool{}
	units, err := s.conn.ListUnitsByPatternsContext(ctx, nil, []string{Service + "@*"})
	if err != nil {
		return nil, fmt.Errorf("listing loaded units: %w", err)
	}
	for _, u := range units {
		s.loaded[u.Name] = true
	}
	dirs, _ := filepath.Glob(filepath.Join(s.Dir, Service+"@*.service.d"))
	var out []Existing
	for _, d := range dirs {
		b, err := os.ReadFile(filepath.Join(d, DropInName))
		if err != nil {
			continue
		}
		name := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(d), Service+"@"), ".service.d")
		e := Existing{Name: name}
		for _, l := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(l, `Environment="NUTDEV=`); ok {
				e.Section = unquoteEnv(v)
			}
			if v, ok := strings.CutPrefix(l, `Environment="SECTION_CHECKSUM=`); ok {
				e.Checksum = unquoteEnv(v)
			}
			if l == runtimeMark {
				e.Runtime = true
			}
		}
		out = append(out, e)
	}
	return out, nil
}

func unquoteEnv(v string) string {
	v = strings.TrimSuffix(v, `"`)
	return strings.NewReplacer(`\\`, `\`, `\"`, `"`, "%%", "%", "$$", "$").Replace(v)
}

// unitProperty is one property of a unit, as text ("" when unknown).
func (s *Systemd) unitProperty(ctx context.Context, unit, prop string) string {
	p, err := s.conn.GetUnitPropertyContext(ctx, unit, prop)
	if err != nil {
		return ""
	}
	return strings.Trim(p.Value.String(), `"`)
}

// property is one property of an instance's service.
func (s *Systemd) property(ctx context.Context, name, prop string) string {
	return s.unitProperty(ctx, UnitName(name, ".service"), prop)
}

func (s *Systemd) Masked(ctx context.Context, name string) bool { return s.masked[name] }

func (s *Systemd) Define(ctx context.Context, in Instance) error {
	for p, body := range map[string]string{s.dropIn(in.Name): DropIn(in), s.socketDropIn(in.Name): SocketDropIn(in, in.StatePath)} {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := writeChanged(p, body); err != nil {
			return err
		}
	}
	return nil
}

// writeChanged writes a file unless it holds body already: systemd takes
// a drop-in rewritten, even the same, for a change that needs a
// daemon-reload (its time changed), and a UPS plugged in again gets the
// very drop-ins it had.
func writeChanged(path, body string) error {
	if old, err := os.ReadFile(path); err == nil && string(old) == body {
		return nil
	}
	return os.WriteFile(path, []byte(body), 0o644)
}

func (s *Systemd) Undefine(ctx context.Context, name string) error {
	for _, p := range []string{s.dropIn(name), s.socketDropIn(name)} {
		if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
			return err
		}
		os.Remove(filepath.Dir(p)) // only when empty: the admin's drop-ins stay
	}
	return nil
}

func (s *Systemd) Wanted(ctx context.Context, names []string) error {
	dir := filepath.Join(s.Dir, Service+".target.d")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var units []string
	for _, n := range names {
		units = append(units, UnitName(n, ".socket"), UnitName(n, ".service"))
	}
	body := "# Generated by nut-driver-enumerator: one driver per ups.conf section.\n[Unit]\n"
	if len(units) > 0 {
		body += "Wants=" + strings.Join(units, " ") + "\n"
	}
	return writeChanged(filepath.Join(dir, DropInName), body)
}

func (s *Systemd) Refresh(ctx context.Context) error { return s.conn.ReloadContext(ctx) }

// Stale asks systemd whether the instance's units changed on disk since it
// loaded them. A unit it has not loaded is read afresh as it starts:
// there is nothing to ask (and asking would load it).
func (s *Systemd) Stale(ctx context.Context, name string) bool {
	for _, suffix := range []string{".service", ".socket"} {
		unit := UnitName(name, suffix)
		if s.loaded[unit] && s.unitProperty(ctx, unit, "NeedDaemonReload") == "true" {
			return true
		}
	}
	return false
}

// job runs one unit job and waits for its result.
func (s *Systemd) job(ctx context.Context, f func(context.Context, string, string, chan<- string) (int, error), unit string) error {
	done := make(chan string, 1)
	if _, err := f(ctx, unit, "replace", done); err != nil {
		return err
	}
	select {
	case r := <-done:
		if r != "done" {
			return fmt.Errorf("%s: job %s", unit, r)
		}
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Start starts the driver; its unit wants its socket, which systemd
// starts first in the same job.
func (s *Systemd) Start(ctx context.Context, name string) error {
	return s.job(ctx, s.conn.StartUnitContext, UnitName(name, ".service"))
}

// Stop stops the driver and its socket (else upsd, reconnecting, would
// start it again).
func (s *Systemd) Stop(ctx context.Context, name string) error {
	if err := s.job(ctx, s.conn.StopUnitContext, UnitName(name, ".socket")); err != nil {
		return err
	}
	return s.job(ctx, s.conn.StopUnitContext, UnitName(name, ".service"))
}

func (s *Systemd) Restart(ctx context.Context, name string) error {
	return s.job(ctx, s.conn.RestartUnitContext, UnitName(name, ".service"))
}

func (s *Systemd) Active(ctx context.Context, name string) bool {
	switch s.property(ctx, name, "ActiveState") {
	case "active", "activating", "reloading":
		return true
	}
	return false
}

// ReloadServer reloads nut-server.service when it runs: SIGHUP to upsd,
// what its ExecReload= (kill -HUP $MAINPID) sends, without systemd
// starting a process for it in the unit's sandbox (0.5-1.7 s emulated,
// the most of a hot-plugged UPS's wait for upsd). upsd tells systemd it
// reloads (RELOADING=1, then READY=1).
func (s *Systemd) ReloadServer(ctx context.Context) error {
	if s.unitProperty(ctx, "nut-server.service", "ActiveState") != "active" {
		return nil
	}
	return s.conn.KillUnitWithTarget(ctx, "nut-server.service", sdbus.Main, int32(syscall.SIGHUP))
}

// driversRunning reports whether nut-driver.target is up: new instances
// start at once only then.
func (s *Systemd) driversRunning(ctx context.Context) bool {
	return s.unitProperty(ctx, Service+".target", "ActiveState") == "active"
}

func newSystemdManager(ctx context.Context, dir string) (manager, error) { return NewSystemd(ctx, dir) }

func (s *Systemd) autoStart(ctx context.Context) bool { return s.driversRunning(ctx) }

func (s *Systemd) control(ctx context.Context, verb, name string) error {
	if verb == "stop" {
		return s.Stop(ctx, name)
	}
	return s.Start(ctx, name)
}

func (s *Systemd) status(ctx context.Context, name string) string {
	return s.property(ctx, name, "ActiveState") + "\t" + s.property(ctx, name, "SubState")
}
