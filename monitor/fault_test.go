package monitor

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"gonut/config"
	"gonut/internal/plainlog"
	"gonut/nutclient"
)

// fakeClock is test time: After passes at once, moving the time on.
type fakeClock struct{ now time.Time }

func (c *fakeClock) Now() time.Time { return c.now }
func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	c.now = c.now.Add(d)
	ch := make(chan time.Time, 1)
	ch <- c.now
	return ch
}

// answer is what upsd gives for a UPS at one poll: a status, or an error
// (network down, upsd restarting, driver gone: DATA-STALE).
type answer struct {
	status string
	err    error
}

var (
	netDown = answer{err: errors.New("connection timed out")}
	stale   = answer{err: &nutclient.Error{Code: "DATA-STALE"}}
)

// fakeUpsd serves every UPS from a script: at each poll, the answer of the
// current step.
type fakeUpsd struct {
	step    *int
	script  map[string][]answer // by MONITOR system name
	fsd     map[string]bool
	logins  int // upsmon logged in to a primary's UPS (us included)
	clock   *fakeClock
	dialErr func() error
	dials   int
}

type fakeConn struct {
	u   *fakeUpsd
	sys string
}

func (f *fakeUpsd) current(sys string) answer {
	s := f.script[sys]
	a := s[min(*f.step, len(s)-1)]
	if f.fsd[sys] && a.err == nil {
		a.status = "FSD " + a.status
	}
	return a
}

func (f *fakeUpsd) dial(_ context.Context, m config.Monitor) (Conn, error) {
	f.dials++
	if a := f.current(m.System); a.err == netDown.err {
		return nil, a.err
	}
	return &fakeConn{f, m.System}, nil
}

func (c *fakeConn) Status(context.Context) (string, string, error) {
	a := c.u.current(c.sys)
	return a.status, "", a.err
}
func (c *fakeConn) SetFSD(context.Context) error { c.u.fsd[c.sys] = true; return nil }
func (c *fakeConn) NumLogins(context.Context) (int, error) {
	return c.u.logins, nil
}
func (c *fakeConn) Changed() <-chan struct{} { return nil }
func (c *fakeConn) Close() error             { return nil }

type fakeHost struct {
	events   []string
	shutdown int
	walls    []string
}

func (h *fakeHost) Notify(e Event, msg string, _ config.NotifyFlags) {
	h.events = append(h.events, e.Type+" "+e.UPS)
}
func (h *fakeHost) Shutdown() error { h.shutdown++; return nil }
func (h *fakeHost) Wall(msg string) { h.walls = append(h.walls, msg) }

func repeat(a answer, n int) []answer {
	out := make([]answer, n)
	for i := range out {
		out[i] = a
	}
	return out
}

func seq(parts ...[]answer) []answer {
	var out []answer
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func st(s string) answer { return answer{status: s} }

// Every scenario polls every 5 s (POLLFREQ, POLLFREQALERT). A forward
// clock jump stands for time really passing (a suspended host); setting
// the wall clock back changes no timer of the real upsmon, which measures
// elapsed time on Go's monotonic clock (time.Now carries it). Defaults:
// DEADTIME 15, HOSTSYNC 15, MINSUPPLIES 1, one power supply per MONITOR.
// shutdownAt is the poll (from 0) after which the host must shut down,
// -1 for never: a false shutdown or a missed one fails the table.
func TestFaultScenarios(t *testing.T) {
	primary := "MONITOR ups@localhost 1 mon pass primary\n"
	secondary := "MONITOR ups@server 1 mon pass secondary\n"
	type scenario struct {
		name       string
		conf       string
		script     map[string][]answer
		shutdownAt int
		events     []string              // told, in order (a subsequence of all)
		jumps      map[int]time.Duration // the clock jumps before these polls
	}
	for _, sc := range []scenario{
		{"power failure, primary: OL, OB, OB LB", primary,
			map[string][]answer{"ups@localhost": seq(repeat(st("OL"), 3), repeat(st("OB DISCHRG"), 3), repeat(st("OB LB"), 5))},
			6, []string{"ONBATT ups@localhost", "LOWBATT ups@localhost", "SHUTDOWN_HOSTSYNC ", "SHUTDOWN "}, nil},
		{"power comes back before the battery is low", primary,
			map[string][]answer{"ups@localhost": seq(repeat(st("OL"), 2), repeat(st("OB"), 4), repeat(st("OL CHRG"), 20))},
			-1, []string{"ONBATT ups@localhost", "ONLINE ups@localhost"}, nil},
		{"secondary: the primary sets FSD", secondary,
			map[string][]answer{"ups@server": seq(repeat(st("OL"), 2), repeat(st("OB"), 2), repeat(st("FSD OB LB"), 3))},
			4, []string{"ONBATT ups@server", "FSD ups@server", "SHUTDOWN "}, nil},
		// OB LB first seen at poll 2 (10 s); more than HOSTSYNC after it
		// is poll 6 (30 s), as in NUT's upsmon.
		{"secondary: OB LB and the primary never sets FSD: HOSTSYNC later", secondary,
			map[string][]answer{"ups@server": seq(repeat(st("OL"), 2), repeat(st("OB LB"), 10))},
			6, nil, nil},
		{"secondary: the network drops for 10 s, UPS last seen on line (nut#2126)", secondary,
			map[string][]answer{"ups@server": seq(repeat(st("OL"), 3), repeat(netDown, 2), repeat(st("OL"), 5))},
			-1, []string{"COMMBAD ups@server", "COMMOK ups@server"}, nil},
		{"secondary: the network is down for 10 minutes, UPS last seen on line", secondary,
			map[string][]answer{"ups@server": seq(repeat(st("OL"), 3), repeat(netDown, 120), repeat(st("OL"), 2))},
			-1, []string{"COMMBAD ups@server", "NOCOMM ups@server", "COMMOK ups@server"}, nil},
		{"secondary: the network drops while on battery: shut down past DEADTIME", secondary,
			map[string][]answer{"ups@server": seq(repeat(st("OL"), 2), repeat(st("OB"), 2), repeat(netDown, 10))},
			7, nil, nil},
		{"secondary: the network drops for 10 s while on battery: within DEADTIME", secondary,
			map[string][]answer{"ups@server": seq(repeat(st("OB"), 3), repeat(netDown, 2), repeat(st("OB"), 10))},
			-1, nil, nil},
		{"driver dies (DATA-STALE) on line power", primary,
			map[string][]answer{"ups@localhost": seq(repeat(st("OL"), 2), repeat(stale, 30), repeat(st("OL"), 3))},
			-1, []string{"COMMBAD ups@localhost", "COMMOK ups@localhost"}, nil},
		{"driver dies (DATA-STALE) on battery", primary,
			map[string][]answer{"ups@localhost": seq(repeat(st("OB"), 2), repeat(stale, 30))},
			5, nil, nil},
		{"device unplugged: upsd answers stale, then the device is back", primary,
			map[string][]answer{"ups@localhost": seq(repeat(st("OL"), 2), repeat(stale, 5), repeat(st("OL"), 5))},
			-1, nil, nil},
		{"upsd restarts: refused for 10 s", secondary,
			map[string][]answer{"ups@server": seq(repeat(st("OL"), 2), repeat(netDown, 2), repeat(st("OL"), 3))},
			-1, []string{"COMMBAD ups@server", "COMMOK ups@server"}, nil},
		{"upsd down when upsmon starts", primary,
			map[string][]answer{"ups@localhost": seq(repeat(netDown, 70), repeat(st("OL"), 2))},
			-1, []string{"COMMBAD ups@localhost", "NOCOMM ups@localhost", "COMMOK ups@localhost"}, nil},
		{"two UPSes, MINSUPPLIES 1: one fails", "MINSUPPLIES 1\nMONITOR a@h 1 u p primary\nMONITOR b@h 1 u p primary\n",
			map[string][]answer{"a@h": seq(repeat(st("OL"), 2), repeat(st("OB LB"), 10)), "b@h": repeat(st("OL"), 12)},
			-1, nil, nil},
		{"two UPSes, MINSUPPLIES 1: both fail", "MINSUPPLIES 1\nMONITOR a@h 1 u p primary\nMONITOR b@h 1 u p primary\n",
			map[string][]answer{"a@h": seq(repeat(st("OL"), 2), repeat(st("OB LB"), 10)), "b@h": seq(repeat(st("OL"), 4), repeat(st("OB LB"), 8))},
			4, nil, nil},
		{"two UPSes, MINSUPPLIES 2: one fails", "MINSUPPLIES 2\nMONITOR a@h 1 u p primary\nMONITOR b@h 1 u p primary\n",
			map[string][]answer{"a@h": seq(repeat(st("OL"), 2), repeat(st("OB LB"), 10)), "b@h": repeat(st("OL"), 12)},
			2, nil, nil},
		{"monitor-only UPS (power value 0) fails", "MONITOR a@h 1 u p primary\nMONITOR b@h 0 u p secondary\n",
			map[string][]answer{"a@h": repeat(st("OL"), 12), "b@h": seq(repeat(st("OL"), 2), repeat(st("FSD OB LB"), 10))},
			-1, nil, nil},
		{"calibration: OB LB CAL is not critical", primary,
			map[string][]answer{"ups@localhost": seq(repeat(st("OL"), 2), repeat(st("OB LB CAL"), 10), repeat(st("OL"), 2))},
			-1, []string{"CAL ups@localhost", "NOTCAL ups@localhost"}, nil},
		{"OBLBDURATION 20: a short low-battery blip", "OBLBDURATION 20\n" + primary,
			map[string][]answer{"ups@localhost": seq(repeat(st("OB"), 2), repeat(st("OB LB"), 2), repeat(st("OB"), 10))},
			-1, nil, nil},
		{"OBLBDURATION 20: low battery that stays", "OBLBDURATION 20\n" + primary,
			map[string][]answer{"ups@localhost": seq(repeat(st("OB"), 2), repeat(st("OB LB"), 10))},
			6, nil, nil},
		{"administratively OFF past OFFDURATION", "OFFDURATION 30\n" + primary,
			map[string][]answer{"ups@localhost": seq(repeat(st("OL"), 2), repeat(st("OFF"), 20))},
			8, []string{"OFF ups@localhost"}, nil},
		{"lost while in ALARM: ALARMCRITICAL waits for DEADTIME", secondary,
			map[string][]answer{"ups@server": seq(repeat(st("OL ALARM"), 2), repeat(netDown, 2), repeat(st("OL ALARM"), 10))},
			-1, []string{"ALARM ups@server"}, nil},
		{"unknown status words are OTHER", primary,
			map[string][]answer{"ups@localhost": seq(repeat(st("OL"), 2), repeat(st("OL WEIRD"), 2), repeat(st("OL"), 2))},
			-1, []string{"OTHER ups@localhost", "NOTOTHER ups@localhost"}, nil},
		{"replace battery is told once per RBWARNTIME", primary,
			map[string][]answer{"ups@localhost": repeat(st("OL RB"), 10)},
			-1, []string{"REPLBATT ups@localhost"}, nil},
		{"clock jumps an hour forward, on line", secondary,
			map[string][]answer{"ups@server": repeat(st("OL"), 10)},
			-1, nil, map[int]time.Duration{4: time.Hour}},
		{"clock jumps an hour forward, on battery with charge left", secondary,
			map[string][]answer{"ups@server": repeat(st("OB DISCHRG"), 10)},
			-1, nil, map[int]time.Duration{4: time.Hour}},
		{"clock jumps an hour back, on battery", primary,
			map[string][]answer{"ups@localhost": repeat(st("OB"), 10)},
			-1, nil, map[int]time.Duration{4: -time.Hour}},
		{"clock jumps forward while the network is down, last seen on line", secondary,
			map[string][]answer{"ups@server": seq(repeat(st("OL"), 3), repeat(netDown, 4), repeat(st("OL"), 3))},
			-1, nil, map[int]time.Duration{4: time.Hour}},
	} {
		t.Run(sc.name, func(t *testing.T) {
			conf, errs := config.ParseUpsmonConf("upsmon.conf", strings.NewReader(sc.conf+"POLLFREQ 5\nPOLLFREQALERT 5\nFINALDELAY 0\n"))
			if err := config.Fatal(errs); err != nil {
				t.Fatal(err)
			}
			step := 0
			clock := &fakeClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
			upsd := &fakeUpsd{step: &step, script: sc.script, fsd: map[string]bool{}, logins: 1, clock: clock}
			host := &fakeHost{}
			m := New(conf, upsd.dial, clock, host, slog.New(slog.NewTextHandler(io.Discard, nil)))
			n := 0
			for _, s := range sc.script {
				n = max(n, len(s))
			}
			got := -1
			for step = 0; step < n; step++ {
				clock.now = clock.now.Add(sc.jumps[step])
				if m.PollOnce(context.Background()) {
					got = step
					m.ForceShutdown(context.Background())
					break
				}
				clock.now = clock.now.Add(5 * time.Second)
			}
			if got != sc.shutdownAt {
				t.Fatalf("shut down after poll %d, want %d (-1: never); events %q", got, sc.shutdownAt, host.events)
			}
			if got >= 0 && host.shutdown != 1 {
				t.Fatalf("SHUTDOWNCMD ran %d times", host.shutdown)
			}
			// Whatever NOTIFYFLAG says, as NUT's upsmon.
			if got >= 0 && !slices.Contains(host.walls, "Executing automatic power-fail shutdown") {
				t.Fatalf("no wall before the shutdown: %q", host.walls)
			}
			i := 0
			for _, e := range host.events {
				if i < len(sc.events) && e == sc.events[i] {
					i++
				}
			}
			if i < len(sc.events) {
				t.Fatalf("events %q lack %q (in order)", host.events, sc.events[i:])
			}
			for _, e := range host.events {
				if strings.HasPrefix(e, "ONLINE") && sc.script != nil && step == 0 {
					t.Fatalf("ONLINE told at startup")
				}
			}
		})
	}
}

// A primary waits up to HOSTSYNC for its secondaries to log out, and no
// longer; and stops waiting as soon as they have.
func TestPrimaryWaitsForSecondaries(t *testing.T) {
	for _, c := range []struct {
		name      string
		loginsFor time.Duration // secondaries stay logged in this long
		wait      time.Duration // then the shutdown starts after
	}{{"they log out in 3 s", 3 * time.Second, 3 * time.Second}, {"they never do", time.Hour, 15 * time.Second}} {
		t.Run(c.name, func(t *testing.T) {
			conf, _ := config.ParseUpsmonConf("upsmon.conf", strings.NewReader("MONITOR u@h 1 a b primary\nFINALDELAY 0\nHOSTSYNC 15\n"))
			step := 0
			clock := &fakeClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
			upsd := &fakeUpsd{step: &step, script: map[string][]answer{"u@h": {st("OB LB")}}, fsd: map[string]bool{}, logins: 3, clock: clock}
			host := &fakeHost{}
			m := New(conf, upsd.dial, clock, host, slog.New(slog.NewTextHandler(io.Discard, nil)))
			if !m.PollOnce(context.Background()) {
				t.Fatal("OB LB on a primary is not critical")
			}
			start := clock.now
			m.Conf.HostSync = 15
			// The secondaries leave after loginsFor.
			m.conns[0] = &leavingConn{fakeConn{upsd, "u@h"}, start.Add(c.loginsFor), clock}
			m.ForceShutdown(context.Background())
			if !upsd.fsd["u@h"] {
				t.Error("FSD was not set")
			}
			waited := clock.now.Sub(start)
			if waited < c.wait || waited > c.wait+time.Second {
				t.Errorf("waited %v for secondaries, want about %v", waited, c.wait)
			}
			if host.shutdown != 1 {
				t.Error("no shutdown")
			}
		})
	}
}

type leavingConn struct {
	fakeConn
	until time.Time
	clock *fakeClock
}

func (c *leavingConn) NumLogins(context.Context) (int, error) {
	if c.clock.now.Before(c.until) {
		return 3, nil
	}
	return 1, nil
}

func TestMessage(t *testing.T) {
	for _, c := range []struct{ f, want string }{
		{"UPS %s on battery", "UPS ups@h on battery"},
		{"UPS %s: one or more active alarms: [%s]", "UPS ups@h: one or more active alarms: [Replace battery!]"},
		{"100%% %s", "100% ups@h"},
		{"no ups", "no ups"},
	} {
		if got := Message(c.f, Event{UPS: "ups@h", Detail: "Replace battery!"}); got != c.want {
			t.Errorf("%q: %q, want %q", c.f, got, c.want)
		}
	}
}

// POLLFAIL_LOG_THROTTLE_MAX: every failed poll logged (-1), only the first
// of a run (0), or the first and every Nth.
func TestPollFailLogThrottle(t *testing.T) {
	for throttle, want := range map[int]int{-1: 10, 0: 1, 3: 4} {
		conf, _ := config.ParseUpsmonConf("upsmon.conf", strings.NewReader("MONITOR u@h 1 a b secondary\n"))
		conf.PollFailLogThrottleMax = throttle
		step := 0
		clock := &fakeClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
		upsd := &fakeUpsd{step: &step, script: map[string][]answer{"u@h": seq(repeat(st("OL"), 1), repeat(netDown, 10))}, fsd: map[string]bool{}, clock: clock}
		var log strings.Builder
		m := New(conf, upsd.dial, clock, &fakeHost{}, plainlog.New(&log, slog.LevelInfo))
		for step = 0; step < 11; step++ {
			m.PollOnce(context.Background())
			clock.now = clock.now.Add(5 * time.Second)
		}
		if got := strings.Count(log.String(), "\n"); got != want {
			t.Errorf("throttle %d: %d lines logged, want %d:\n%s", throttle, got, want, log.String())
		}
	}
}

// A host that slept an hour while its UPS was on battery (charge left)
// wakes with the network not yet up: it must not shut down for having
// slept past DEADTIME, once told it resumed.
func TestResumeAfterSleep(t *testing.T) {
	conf, _ := config.ParseUpsmonConf("upsmon.conf", strings.NewReader("MONITOR ups@server 1 mon pass secondary\n"))
	step := 0
	clock := &fakeClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	upsd := &fakeUpsd{step: &step, script: map[string][]answer{"ups@server": seq(repeat(st("OB DISCHRG"), 3), repeat(netDown, 3), repeat(st("OL"), 2))}, fsd: map[string]bool{}, clock: clock}
	host := &fakeHost{}
	m := New(conf, upsd.dial, clock, host, slog.New(slog.NewTextHandler(io.Discard, nil)))
	for step = 0; step < 8; step++ {
		if step == 3 {
			clock.now = clock.now.Add(time.Hour) // asleep
			m.Resumed()
		}
		if m.PollOnce(context.Background()) {
			t.Fatalf("shut down after waking (poll %d); events %q", step, host.events)
		}
		clock.now = clock.now.Add(5 * time.Second)
	}
	if !strings.Contains(strings.Join(host.events, ","), "SUSPEND_FINISHED") {
		t.Errorf("no SUSPEND_FINISHED: %q", host.events)
	}
}

// ERR DATA-STALE comes over a sound session: upsmon keeps it (one login
// at upsd, as NUT's upsmon), and dials again only after the network
// failed.
func TestStaleDataKeepsTheSession(t *testing.T) {
	conf, _ := config.ParseUpsmonConf("upsmon.conf", strings.NewReader("MONITOR u@h 1 a b secondary\n"))
	step := 0
	clock := &fakeClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	upsd := &fakeUpsd{step: &step, script: map[string][]answer{"u@h": seq([]answer{st("OL")}, repeat(stale, 5), []answer{netDown, st("OL"), st("OL")})}, fsd: map[string]bool{}, clock: clock}
	m := New(conf, upsd.dial, clock, &fakeHost{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	for step = 0; step < 6; step++ {
		m.PollOnce(context.Background())
	}
	if upsd.dials != 1 {
		t.Fatalf("%d dials over 5 polls with stale data, want 1", upsd.dials)
	}
	for ; step < 9; step++ {
		m.PollOnce(context.Background())
	}
	// The failed poll dials once more at once (a restarted upsd behind
	// its socket would answer it), and the poll after it dials again.
	if upsd.dials != 3 {
		t.Fatalf("%d dials after the network failed, want 3", upsd.dials)
	}
}

// A secondary runs its shutdown while still logged in, and logs out only
// then, as NUT's does: the primary, which waits for the logout, goes on
// only once the secondary is shutting down.
func TestSecondaryLogsOutAfterItsShutdown(t *testing.T) {
	conf, _ := config.ParseUpsmonConf("upsmon.conf", strings.NewReader("MONITOR u@h 1 a b secondary\nFINALDELAY 0\n"))
	step := 0
	clock := &fakeClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	upsd := &fakeUpsd{step: &step, script: map[string][]answer{"u@h": {st("OB LB FSD")}}, fsd: map[string]bool{}, logins: 2, clock: clock}
	host := &fakeHost{}
	m := New(conf, upsd.dial, clock, host, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if !m.PollOnce(context.Background()) {
		t.Fatal("FSD on a secondary is not critical")
	}
	c := &closeWatch{fakeConn: fakeConn{upsd, "u@h"}, host: host}
	m.conns[0] = c
	m.ForceShutdown(context.Background())
	if host.shutdown != 1 || !c.closed || c.shutdownsAtClose != 1 {
		t.Errorf("shutdowns %d, logged out %v, having shut down %d times then: want the shutdown first", host.shutdown, c.closed, c.shutdownsAtClose)
	}
}

type closeWatch struct {
	fakeConn
	host             *fakeHost
	closed           bool
	shutdownsAtClose int
}

func (c *closeWatch) Close() error {
	c.closed, c.shutdownsAtClose = true, c.host.shutdown
	return nil
}
