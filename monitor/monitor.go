package monitor

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"gonut/config"
	"gonut/nutclient"
)

// Conn is upsmon's connection to the upsd serving one MONITOR line's UPS,
// logged in (USERNAME, PASSWORD, LOGIN, and PRIMARY for a primary).
type Conn interface {
	// Status reads ups.status, and ups.alarm when the status has ALARM.
	Status(ctx context.Context) (status, alarm string, err error)
	// SetFSD sets the forced-shutdown flag on the UPS (a primary's right).
	SetFSD(ctx context.Context) error
	// NumLogins is how many upsmon are logged in to the UPS.
	NumLogins(ctx context.Context) (int, error)
	// Changed delivers a value whenever upsd says the UPS changed, so
	// that upsmon polls at once; nil when upsd cannot say (it is polled).
	Changed() <-chan struct{}
	Close() error
}

// Dialer connects and logs in for a MONITOR line.
type Dialer func(ctx context.Context, m config.Monitor) (Conn, error)

// Clock is upsmon's time: the real one, or a test's.
type Clock interface {
	Now() time.Time
	// After delivers once d has passed.
	After(d time.Duration) <-chan time.Time
}

// Host is what upsmon does to the machine it runs on.
type Host interface {
	// Notify tells an event (syslog, wall, NOTIFYCMD, as NOTIFYFLAG says).
	Notify(e Event, message string, flags config.NotifyFlags)
	// Shutdown writes POWERDOWNFLAG (when set) and runs SHUTDOWNCMD.
	Shutdown() error
	// Wall tells every logged-in user, whatever NOTIFYFLAG says.
	Wall(message string)
}

// Monitor is upsmon's core.
type Monitor struct {
	Conf  *config.UpsmonConf
	Dial  Dialer
	Clock Clock
	Host  Host
	Log   *slog.Logger

	supplies []*Supply
	conns    []Conn
	// Polled is called after every round of polls (for sd_notify).
	Polled func(supplies []*Supply)
}

// New makes a monitor of conf's MONITOR lines.
func New(conf *config.UpsmonConf, dial Dialer, clock Clock, host Host, log *slog.Logger) *Monitor {
	m := &Monitor{Conf: conf, Dial: dial, Clock: clock, Host: host, Log: log}
	for _, mon := range conf.Monitors {
		m.supplies = append(m.supplies, NewSupply(mon, clock.Now()))
		m.conns = append(m.conns, nil)
	}
	return m
}

// Supplies are the monitored UPSes, in upsmon.conf's order.
func (m *Monitor) Supplies() []*Supply { return m.supplies }

// notify tells an event with its NOTIFYMSG or NUT's stock message.
func (m *Monitor) notify(e Event) {
	msg, ok := m.Conf.Message(e.Type)
	if !ok {
		msg = stockMessages[e.Type]
	}
	m.Host.Notify(e, Message(msg, e), m.Conf.Flags(e.Type))
}

// Message fills a NOTIFYMSG: the first %s is the UPS, a second one
// ALARM's or OTHER's detail; %% is a percent sign.
func Message(format string, e Event) string {
	args := []string{e.UPS, e.Detail}
	out := make([]byte, 0, len(format)+len(e.UPS))
	n := 0
	for i := 0; i < len(format); i++ {
		if format[i] == '%' && i+1 < len(format) {
			switch format[i+1] {
			case 's':
				if n < len(args) {
					out = append(out, args[n]...)
				}
				n++
				i++
				continue
			case '%':
				out = append(out, '%')
				i++
				continue
			}
		}
		out = append(out, format[i])
	}
	return string(out)
}

// PollOnce polls every UPS once and reports whether the host must shut
// down now (too few safe power supplies).
func (m *Monitor) PollOnce(ctx context.Context) bool {
	for i, s := range m.supplies {
		m.poll(ctx, i, s)
	}
	if m.Polled != nil {
		m.Polled(m.supplies)
	}
	return m.mustShutDown()
}

func (m *Monitor) poll(ctx context.Context, i int, s *Supply) {
	now := m.Clock.Now()
	if m.conns[i] == nil {
		c, err := m.Dial(ctx, s.Mon)
		if err != nil {
			m.logFailure(s, fmt.Sprintf("UPS [%s]: connect failed: %v", s.Mon.System, err))
			s.Lost(now, m.Conf, m.notify)
			return
		}
		m.conns[i] = c
	}
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	status, alarm, err := m.conns[i].Status(pctx)
	if err != nil && !isAnswer(err) {
		// The connection broke (upsd restarted, say): dialed again at
		// once, before anything is told. A upsd that systemd restarts
		// behind its socket (nut-server.socket) answers this very poll,
		// and the restart costs no COMMBAD; NUT's upsmon tells one, and
		// COMMOK at the next poll. A upsd that is down fails the dial,
		// and the poll fails as before.
		m.conns[i].Close()
		m.conns[i] = nil
		if c, derr := m.Dial(pctx, s.Mon); derr == nil {
			m.conns[i] = c
			status, alarm, err = c.Status(pctx)
		}
	}
	if err != nil {
		m.logFailure(s, fmt.Sprintf("Poll UPS [%s] failed - %v", s.Mon.System, err))
		// An ERR answer (DATA-STALE, DRIVER-NOT-CONNECTED) came over a
		// sound session, which stays, as NUT's upsmon keeps it: only a
		// broken connection is dialed again.
		if !isAnswer(err) && m.conns[i] != nil {
			m.conns[i].Close()
			m.conns[i] = nil
		}
		s.Lost(m.Clock.Now(), m.Conf, m.notify)
		return
	}
	if s.failures > 0 && m.Conf.PollFailLogThrottleMax >= 0 {
		m.Log.Warn(fmt.Sprintf("Poll UPS [%s] is back after %d failed polls", s.Mon.System, s.failures))
	}
	s.failures = 0
	s.Observe(status, alarm, m.Clock.Now(), m.Conf, m.notify)
}

// isAnswer reports whether err is upsd's ERR answer, which came over a
// sound session.
func isAnswer(err error) bool {
	var ne *nutclient.Error
	return errors.As(err, &ne)
}

// logFailure logs a failed poll as POLLFAIL_LOG_THROTTLE_MAX says: every
// time (-1), only the first of a run (0), or the first and every Nth.
func (m *Monitor) logFailure(s *Supply, msg string) {
	s.failures++
	n := m.Conf.PollFailLogThrottleMax
	if n < 0 || s.failures == 1 || (n > 0 && s.failures%n == 0) {
		if s.failures > 1 {
			msg += fmt.Sprintf(" (%d failed polls in a row)", s.failures)
		}
		m.Log.Error(msg)
	}
}

// mustShutDown adds up the power values of the supplies that are not
// critical; below MINSUPPLIES the host goes down.
func (m *Monitor) mustShutDown() bool {
	now := m.Clock.Now()
	safe := 0
	for _, s := range m.supplies {
		if crit, why := s.Critical(now, m.Conf); crit {
			m.Log.Warn(fmt.Sprintf("Critical UPS: %s (%s)", s.Mon.System, why))
			continue
		}
		safe += s.Mon.PowerValue
	}
	return safe < m.Conf.MinSupplies
}

// ForceShutdown is what upsmon does when power runs out (or on upsmon -c
// fsd): a primary sets FSD on its UPSes and waits up to HOSTSYNC for the
// secondaries to log out; then SHUTDOWN is told, FINALDELAY passes, the
// host shuts down, and upsmon logs out.
func (m *Monitor) ForceShutdown(ctx context.Context) error {
	primary := false
	for i, s := range m.supplies {
		if !s.Mon.IsPrimary() {
			continue
		}
		primary = true
		if m.conns[i] == nil {
			continue
		}
		if err := m.conns[i].SetFSD(ctx); err != nil {
			m.Log.Error(fmt.Sprintf("FSD set on UPS %s failed: %v", s.Mon.System, err))
		}
	}
	if primary {
		m.notify(Event{Type: "SHUTDOWN_HOSTSYNC"})
		m.syncSecondaries(ctx)
	}
	m.Log.Error("Executing automatic power-fail shutdown")
	m.Host.Wall("Executing automatic power-fail shutdown") // as NUT's, always
	m.notify(Event{Type: "SHUTDOWN"})
	select {
	case <-m.Clock.After(time.Duration(m.Conf.FinalDelay) * time.Second):
	case <-ctx.Done():
	}
	// As NUT's: the host's shutdown is under way before this upsmon logs
	// out, so that a primary waiting for its secondaries to log out goes
	// on only once they are shutting down.
	err := m.Host.Shutdown()
	m.closeAll()
	return err
}

// syncSecondaries waits until no UPS of ours has more than one upsmon
// logged in (us), checking every 250 ms, for at most HOSTSYNC.
func (m *Monitor) syncSecondaries(ctx context.Context) {
	deadline := m.Clock.Now().Add(time.Duration(m.Conf.HostSync) * time.Second)
	for {
		most := 0
		for i, s := range m.supplies {
			if !s.Mon.IsPrimary() || m.conns[i] == nil {
				continue
			}
			if n, err := m.conns[i].NumLogins(ctx); err == nil && n > most {
				most = n
			}
		}
		if most <= 1 {
			return
		}
		if !m.Clock.Now().Before(deadline) {
			m.Log.Info("Host sync timer expired, forcing shutdown")
			return
		}
		select {
		case <-m.Clock.After(250 * time.Millisecond):
		case <-ctx.Done():
			return
		}
	}
}

// Command is what a running upsmon is asked to do (upsmon -c).
type Command int

const (
	CmdFSD Command = iota + 1
	CmdReload
	// CmdSuspend and CmdResume come from the OS going to sleep and
	// waking up (logind's PrepareForSleep).
	CmdSuspend
	CmdResume
)

// Run polls until ctx ends or the host is shut down. A UPS on battery is
// polled every POLLFREQALERT seconds, else every POLLFREQ; when upsd
// tells of a change (Conn.Changed), at once.
func (m *Monitor) Run(ctx context.Context, cmds <-chan Command, reload func() *config.UpsmonConf) error {
	for {
		if m.PollOnce(ctx) {
			return m.afterShutdown(ctx, m.ForceShutdown(ctx))
		}
		every := m.Conf.PollFreq
		for _, s := range m.supplies {
			if s.Alert() {
				every = m.Conf.PollFreqAlert
			}
		}
		round, endRound := context.WithCancel(ctx)
		changed := m.changes(round)
		select {
		case <-ctx.Done():
			endRound()
			m.closeAll()
			return nil
		case <-m.Clock.After(time.Duration(max(every, 1)) * time.Second):
		case <-changed:
		case c := <-cmds:
			switch c {
			case CmdFSD:
				endRound()
				m.Log.Warn("Signal: forced shutdown (upsmon -c fsd)")
				return m.afterShutdown(ctx, m.ForceShutdown(ctx))
			case CmdReload:
				if conf := reload(); conf != nil {
					m.apply(conf)
				}
			case CmdSuspend:
				m.notify(Event{Type: "SUSPEND_STARTING"})
			case CmdResume:
				m.Resumed()
			}
		}
		endRound()
	}
}

// afterShutdown is SHUTDOWNEXIT: upsmon exits at once (0), after that
// many seconds, or stays until stopped (negative: "no"), so that a host
// whose shutdown takes long still shows upsmon's last word.
func (m *Monitor) afterShutdown(ctx context.Context, err error) error {
	switch d := m.Conf.ShutdownExit; {
	case d > 0:
		select {
		case <-m.Clock.After(time.Duration(d) * time.Second):
		case <-ctx.Done():
		}
	case d < 0:
		<-ctx.Done()
	}
	return err
}

// Resumed is what upsmon does when the host wakes from sleep: what it
// knew is as old as the sleep was long, so it forgets the timings that
// would make a supply look dead or critical for having slept (DEADTIME,
// HOSTSYNC, NOCOMMWARNTIME), and polls again at once.
func (m *Monitor) Resumed() {
	m.notify(Event{Type: "SUSPEND_FINISHED"})
	now := m.Clock.Now()
	for _, s := range m.supplies {
		s.lastPoll, s.lastNonCrit, s.lastNCWarn = now, now, time.Time{}
		if !s.oblbSince.IsZero() {
			s.oblbSince = now
		}
	}
	// The connections did not survive the sleep either.
	m.closeAll()
}

// changes merges every connection's Changed channel into one, until the
// next poll round.
func (m *Monitor) changes(ctx context.Context) <-chan struct{} {
	out := make(chan struct{}, 1)
	for _, c := range m.conns {
		if c == nil || c.Changed() == nil {
			continue
		}
		go func(ch <-chan struct{}) {
			select {
			case <-ch:
				select {
				case out <- struct{}{}:
				default:
				}
			case <-ctx.Done():
			}
		}(c.Changed())
	}
	return out
}

// apply takes a reloaded upsmon.conf: supplies still there keep their
// state and connection, new ones start, gone ones are dropped.
func (m *Monitor) apply(conf *config.UpsmonConf) {
	key := func(mon config.Monitor) string { return mon.System + "\x00" + mon.User + "\x00" + mon.Role }
	old := map[string]int{}
	for i, s := range m.supplies {
		old[key(s.Mon)] = i
	}
	var supplies []*Supply
	var conns []Conn
	kept := map[int]bool{}
	for _, mon := range conf.Monitors {
		if i, ok := old[key(mon)]; ok && !kept[i] {
			kept[i] = true
			m.supplies[i].Mon = mon
			supplies = append(supplies, m.supplies[i])
			conns = append(conns, m.conns[i])
			continue
		}
		supplies = append(supplies, NewSupply(mon, m.Clock.Now()))
		conns = append(conns, nil)
	}
	for i, c := range m.conns {
		if !kept[i] && c != nil {
			c.Close()
		}
	}
	m.Conf, m.supplies, m.conns = conf, supplies, conns
	m.Log.Info("reloaded upsmon.conf: " + strconv.Itoa(len(supplies)) + " UPS monitored")
}

// closeAll ends every connection to upsd; the next poll dials again.
func (m *Monitor) closeAll() {
	for i, c := range m.conns {
		if c != nil {
			c.Close()
			m.conns[i] = nil
		}
	}
}

// stockMessages are NUT's texts for each event.
var stockMessages = map[string]string{
	"ONLINE": "UPS %s on line power", "ONBATT": "UPS %s on battery", "LOWBATT": "UPS %s battery is low",
	"FSD": "UPS %s: forced shutdown in progress", "COMMOK": "Communications with UPS %s established",
	"COMMBAD": "Communications with UPS %s lost", "SHUTDOWN": "Auto logout and shutdown proceeding",
	"SHUTDOWN_HOSTSYNC": "Shutdown initiated; primary system is waiting for secondaries to log out or time out",
	"REPLBATT":          "UPS %s battery needs to be replaced", "NOCOMM": "UPS %s is unavailable",
	"NOPARENT": "upsmon parent process died - shutdown impossible",
	"CAL":      "UPS %s: calibration in progress", "NOTCAL": "UPS %s: calibration finished",
	"OFF": "UPS %s: administratively OFF or asleep", "NOTOFF": "UPS %s: no longer administratively OFF or asleep",
	"BYPASS": "UPS %s: on bypass (powered, not protecting)", "NOTBYPASS": "UPS %s: no longer on bypass",
	"ECO": "UPS %s: in ECO mode (as defined by vendor)", "NOTECO": "UPS %s: no longer in ECO mode",
	"ALARM":    "UPS %s: one or more active alarms: [%s]",
	"NOTALARM": "UPS %s is no longer in an alarm state (no active alarms)",
	"OVER":     "UPS %s: overloaded", "NOTOVER": "UPS %s: no longer overloaded",
	"TRIM": "UPS %s: trimming incoming voltage", "NOTTRIM": "UPS %s: no longer trimming incoming voltage",
	"BOOST": "UPS %s: boosting incoming voltage", "NOTBOOST": "UPS %s: no longer boosting incoming voltage",
	"OTHER":    "UPS %s: has at least one unclassified status token: [%s]",
	"NOTOTHER": "UPS %s has no unclassified status tokens anymore",
}
