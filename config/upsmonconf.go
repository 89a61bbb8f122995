package config

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"gonut/upsname"
)

// Monitor is a MONITOR line of upsmon.conf.
type Monitor struct {
	System     string // upsname[@host[:port]] as written: upsmon's name for it (UPSNAME for NOTIFYCMD)
	UPS        string // the UPS name on its upsd
	Host       string // "localhost" when not given
	Port       int
	PowerValue int    // how many power supplies of this host it feeds (0: monitor only)
	User       string // as in upsd.users
	Password   string
	Role       string // RolePrimary or RoleSecondary (the old master and slave read as these)
	Line       int
}

// IsPrimary reports whether this upsmon manages the UPS's power.
func (m Monitor) IsPrimary() bool { return m.Role == RolePrimary }

// NotifyFlags say what upsmon does on an event. No flag set means IGNORE.
type NotifyFlags uint8

const (
	NotifySyslog NotifyFlags = 1 << iota
	NotifyWall
	NotifyExec
	NotifyIgnore NotifyFlags = 0

	// NotifyDefault is what upsmon does on an event with no NOTIFYFLAG.
	NotifyDefault = NotifySyslog | NotifyWall
)

func (f NotifyFlags) String() string {
	var parts []string
	for _, x := range []struct {
		f NotifyFlags
		n string
	}{{NotifySyslog, "SYSLOG"}, {NotifyWall, "WALL"}, {NotifyExec, "EXEC"}} {
		if f&x.f != 0 {
			parts = append(parts, x.n)
		}
	}
	if len(parts) == 0 {
		return "IGNORE"
	}
	return strings.Join(parts, "+")
}

// NotifyEvents are the event names of NOTIFYMSG, NOTIFYFLAG and
// upssched's AT, NUT master's newer ones included.
func NotifyEvents() []string {
	return []string{"ONLINE", "ONBATT", "LOWBATT", "FSD", "COMMOK", "COMMBAD", "SHUTDOWN",
		"SHUTDOWN_HOSTSYNC", "REPLBATT", "NOCOMM", "NOPARENT", "CAL", "NOTCAL", "OFF", "NOTOFF",
		"BYPASS", "NOTBYPASS", "ECO", "NOTECO", "ALARM", "NOTALARM", "OVER", "NOTOVER", "TRIM",
		"NOTTRIM", "BOOST", "NOTBOOST", "OTHER", "NOTOTHER", "SUSPEND_TIMEJUMP_UNEXPECTED",
		"SUSPEND_STARTING", "SUSPEND_FINISHED"}
}

// event returns the event name in upper case, as upsmon and upssched
// compare them without regard to case, and whether it is known.
func event(s string) (string, bool) {
	up := strings.ToUpper(s)
	for _, e := range NotifyEvents() {
		if e == up {
			return up, true
		}
	}
	return up, false
}

// CertHost is a CERTHOST line: what a upsd host must show.
type CertHost struct {
	Host       string // hostname, or hostname:port
	CertName   string
	CertVerify bool // verify its certificate
	ForceSSL   bool // never fall back to plain text
}

// UpsmonConf is upsmon.conf. Fields not in the file have upsmon's
// defaults.
type UpsmonConf struct {
	Monitors    []Monitor
	MinSupplies int
	// ShutdownCmd and NotifyCmd are the words of SHUTDOWNCMD and
	// NOTIFYCMD (NUT master takes the command and its arguments as
	// separate words, or all in one word; see ShutdownCommandLine).
	ShutdownCmd            []string
	NotifyCmd              []string
	NotifyMsg              map[string]string      // by event, upper case
	NotifyFlag             map[string]NotifyFlags // by event; see Flags
	PollFreq               int
	PollFreqAlert          int
	HostSync               int
	DeadTime               int
	PowerDownFlag          string // "": none (upsmon has no default)
	RBWarnTime             int
	NoCommWarnTime         int
	FinalDelay             int
	RunAsUser              string
	CertPath               string
	CertFile               string
	CertIdent              CertIdent
	CertHosts              []CertHost
	CertVerify             bool
	ForceSSL               bool
	AlarmCritical          bool
	OffDuration            int // seconds OFF before it counts as a lost feed; <0 never, 0 at once
	OverDuration           int // seconds OVER (and not communicating) before critical; <0 never
	OBLBDuration           int // seconds OB LB before critical; 0 at once
	ShutdownExit           int // seconds after SHUTDOWNCMD before upsmon exits; 0 at once, <0 never
	PollFailLogThrottleMax int // -1: log every poll failure; 0: only changes; N: every N polls
	DebugMin               int // -1: not set
}

// DefaultUpsmonConf returns upsmon's defaults (clients/upsmon.c).
func DefaultUpsmonConf() *UpsmonConf {
	return &UpsmonConf{
		MinSupplies: 1, PollFreq: 5, PollFreqAlert: 5, HostSync: 15, DeadTime: 15,
		RBWarnTime: 43200, NoCommWarnTime: 300, FinalDelay: 5, AlarmCritical: true,
		OffDuration: 30, OverDuration: -1, OBLBDuration: 0, ShutdownExit: 0,
		PollFailLogThrottleMax: -1, DebugMin: -1,
		NotifyMsg: map[string]string{}, NotifyFlag: map[string]NotifyFlags{},
	}
}

// Flags returns what to do on an event: its NOTIFYFLAG, or SYSLOG+WALL.
func (c *UpsmonConf) Flags(event string) NotifyFlags {
	if f, ok := c.NotifyFlag[strings.ToUpper(event)]; ok {
		return f
	}
	return NotifyDefault
}

// Message returns an event's NOTIFYMSG, if the file sets one.
func (c *UpsmonConf) Message(event string) (string, bool) {
	m, ok := c.NotifyMsg[strings.ToUpper(event)]
	return m, ok
}

// ShutdownCommandLine is the shell command upsmon runs to shut down, as
// NUT master builds it: the first word as written (it may hold a whole
// command line), each further word quoted.
func (c *UpsmonConf) ShutdownCommandLine() string {
	if len(c.ShutdownCmd) == 0 {
		return ""
	}
	parts := []string{c.ShutdownCmd[0]}
	for _, w := range c.ShutdownCmd[1:] {
		parts = append(parts, "'"+strings.ReplaceAll(w, "'", `'\''`)+"'")
	}
	return strings.Join(parts, " ")
}

// upsmonInts are upsmon.conf's numeric directives: where they go and what
// upsmon accepts (all read with atoi).
func (c *UpsmonConf) ints() map[string]struct {
	v        *int
	min, max int
} {
	type r = struct {
		v        *int
		min, max int
	}
	return map[string]r{
		"MINSUPPLIES":               {&c.MinSupplies, 0, maxInt},
		"POLLFREQ":                  {&c.PollFreq, 0, maxInt},
		"POLLFREQALERT":             {&c.PollFreqAlert, 0, maxInt},
		"HOSTSYNC":                  {&c.HostSync, minInt, maxInt},
		"DEADTIME":                  {&c.DeadTime, minInt, maxInt},
		"RBWARNTIME":                {&c.RBWarnTime, minInt, maxInt},
		"NOCOMMWARNTIME":            {&c.NoCommWarnTime, minInt, maxInt},
		"FINALDELAY":                {&c.FinalDelay, 0, maxInt},
		"OFFDURATION":               {&c.OffDuration, minInt, maxInt},
		"OVERDURATION":              {&c.OverDuration, minInt, maxInt},
		"OBLBDURATION":              {&c.OBLBDuration, minInt, maxInt},
		"POLLFAIL_LOG_THROTTLE_MAX": {&c.PollFailLogThrottleMax, minInt, maxInt - 1},
	}
}

func (c *UpsmonConf) texts() map[string]*string {
	return map[string]*string{"POWERDOWNFLAG": &c.PowerDownFlag, "RUN_AS_USER": &c.RunAsUser,
		"CERTPATH": &c.CertPath, "CERTFILE": &c.CertFile}
}

func (c *UpsmonConf) flags() map[string]*bool {
	return map[string]*bool{"CERTVERIFY": &c.CertVerify, "FORCESSL": &c.ForceSSL, "ALARMCRITICAL": &c.AlarmCritical}
}

var upsmonDirectives = []string{"MONITOR", "MINSUPPLIES", "SHUTDOWNCMD", "NOTIFYCMD", "NOTIFYMSG",
	"NOTIFYFLAG", "POLLFREQ", "POLLFREQALERT", "HOSTSYNC", "DEADTIME", "POWERDOWNFLAG", "RBWARNTIME",
	"NOCOMMWARNTIME", "FINALDELAY", "RUN_AS_USER", "CERTPATH", "CERTFILE", "CERTIDENT", "CERTHOST",
	"CERTVERIFY", "FORCESSL", "ALARMCRITICAL", "OFFDURATION", "OVERDURATION", "OBLBDURATION",
	"SHUTDOWNEXIT", "POLLFAIL_LOG_THROTTLE_MAX", "DEBUG_MIN"}

// ParseUpsmonConf reads upsmon.conf as upsmon does (clients/upsmon.c,
// parse_conf_arg). Directives are case-sensitive (except DEBUG_MIN);
// event names are not. An unknown directive, event or NOTIFYFLAG word is
// a warning, as upsmon logs it and goes on. A value upsmon cannot use is
// an error and the default stays, where upsmon would read a word as 0.
func ParseUpsmonConf(file string, r io.Reader) (*UpsmonConf, []error) {
	ds, p := directives(file, r)
	c := DefaultUpsmonConf()
	ints, texts, flags := c.ints(), c.texts(), c.flags()
	minLine := 0
	seen := map[string]int{}
	for _, d := range ds {
		name := d.name
		if strings.EqualFold(name, "DEBUG_MIN") {
			name = "DEBUG_MIN"
		}
		switch {
		case ints[name].v != nil:
			if !p.need(d, 1, 1, name+" <number>") {
				continue
			}
			iv := ints[name]
			n, ok := p.number(d.line, name, d.args[0], iv.min, iv.max, lenient)
			if !ok {
				continue
			}
			switch {
			case name == "OBLBDURATION" && n < 1:
				n = 0
			case name == "POLLFAIL_LOG_THROTTLE_MAX" && n < 0:
				n = -1
			case name == "MINSUPPLIES":
				minLine = d.line
			}
			*iv.v = n
		case texts[name] != nil:
			if p.need(d, 1, 1, name+" <value>") {
				*texts[name] = d.args[0]
			}
		case flags[name] != nil:
			if !p.need(d, 1, 1, name+" 0|1") {
				continue
			}
			// upsmon reads these with atoi: any number, non-zero
			// meaning on; a word would be 0.
			if n, ok := p.number(d.line, name, d.args[0], minInt, maxInt, lenient); ok {
				*flags[name] = n != 0
			}
		case name == "DEBUG_MIN":
			if p.need(d, 1, 1, "DEBUG_MIN <level>") {
				if n, ok := p.number(d.line, name, d.args[0], 0, maxInt, strict); ok {
					c.DebugMin = n
				}
			}
		case name == "SHUTDOWNCMD" || name == "NOTIFYCMD":
			if !p.need(d, 1, -1, name+` "<command>" ["<arg>" ...]`) {
				continue
			}
			if name == "NOTIFYCMD" && strings.Contains(d.args[0], " ") {
				p.warnf(d.line, "NOTIFYCMD %q has spaces: NUT master runs it as one program path, spaces included; give any arguments as separate quoted words", d.args[0])
			}
			cmd := append([]string(nil), d.args...)
			if name == "SHUTDOWNCMD" {
				c.ShutdownCmd = cmd
			} else {
				c.NotifyCmd = cmd
			}
		case name == "SHUTDOWNEXIT":
			if p.need(d, 1, 1, "SHUTDOWNEXIT yes|no|<seconds>") {
				c.ShutdownExit = shutdownExit(p, d)
			}
		case name == "MONITOR":
			if m, ok := parseMonitor(p, d); ok {
				if first, dup := seen[m.System]; dup {
					p.warnf(d.line, "MONITOR %s again (first at line %d): upsmon ignores the repeat", m.System, first)
					continue
				}
				seen[m.System] = d.line
				c.Monitors = append(c.Monitors, m)
			}
		case name == "NOTIFYMSG":
			if !p.need(d, 2, 2, `NOTIFYMSG <event> "<message>"`) {
				continue
			}
			ev, ok := event(d.args[0])
			if !ok {
				p.warnf(d.line, "NOTIFYMSG: unknown event %q, upsmon ignores the line (events: %s)", d.args[0], strings.Join(NotifyEvents(), " "))
				continue
			}
			if err := checkMessage(d.args[1]); err != "" {
				p.errorf(d.line, "NOTIFYMSG %s %q: %s", ev, d.args[1], err)
				continue
			}
			c.NotifyMsg[ev] = d.args[1]
		case name == "NOTIFYFLAG":
			if !p.need(d, 2, 2, "NOTIFYFLAG <event> SYSLOG[+WALL][+EXEC] or IGNORE") {
				continue
			}
			ev, ok := event(d.args[0])
			if !ok {
				p.warnf(d.line, "NOTIFYFLAG: unknown event %q, upsmon ignores the line (events: %s)", d.args[0], strings.Join(NotifyEvents(), " "))
				continue
			}
			c.NotifyFlag[ev] = notifyFlags(p, d.line, ev, d.args[1])
		case name == "CERTIDENT":
			if p.need(d, 2, 2, `CERTIDENT "<certificate name>" "<password>"`) {
				c.CertIdent = CertIdent{d.args[0], d.args[1]}
			}
		case name == "CERTHOST":
			if !p.need(d, 4, 4, `CERTHOST <host[:port]> "<certificate name>" <certverify 0|1> <forcessl 0|1>`) {
				continue
			}
			v, ok1 := p.number(d.line, "CERTHOST certverify", d.args[2], minInt, maxInt, lenient)
			f, ok2 := p.number(d.line, "CERTHOST forcessl", d.args[3], minInt, maxInt, lenient)
			if ok1 && ok2 {
				c.CertHosts = append(c.CertHosts, CertHost{Host: d.args[0], CertName: d.args[1], CertVerify: v != 0, ForceSSL: f != 0})
			}
		default:
			p.warnf(d.line, "unknown directive %s: upsmon ignores it%s", d.name, caseHint(d.name, upsmonDirectives))
		}
	}
	checkPower(p, c, minLine)
	return c, p.errs
}

// checkPower does upsmon's sums: the MONITOR lines must be able to feed
// MINSUPPLIES, and a primary that feeds this host needs a POWERDOWNFLAG.
// A file without MONITOR lines is not checked: it is not set up yet.
func checkPower(p *problems, c *UpsmonConf, minLine int) {
	if len(c.Monitors) == 0 {
		return
	}
	total := 0
	for _, m := range c.Monitors {
		total += m.PowerValue
	}
	if total < c.MinSupplies {
		if minLine == 0 {
			minLine = c.Monitors[0].Line
		}
		p.unusablef(minLine, "MINSUPPLIES %d, but the MONITOR lines add up to a power value of %d: upsmon refuses to run (lower MINSUPPLIES or raise a power value)", c.MinSupplies, total)
	}
	if c.PowerDownFlag != "" {
		return
	}
	for _, m := range c.Monitors {
		if m.IsPrimary() && m.PowerValue > 0 {
			p.warnf(m.Line, "MONITOR %s is primary but there is no POWERDOWNFLAG: the UPS cannot be powered off at the end of a shutdown", m.System)
			return
		}
	}
}

// parseMonitor reads MONITOR <system> <powervalue> <username> <password>
// primary|secondary.
func parseMonitor(p *problems, d directive) (Monitor, bool) {
	m := Monitor{Line: d.line}
	if len(d.args) == 4 {
		p.unusablef(d.line, "MONITOR without a username (the old style): upsmon refuses it; expected MONITOR <ups>@<host> <powervalue> <username> <password> primary|secondary, with the user in upsd.users")
		return m, false
	}
	if !p.need(d, 5, 5, "MONITOR <ups>[@<host>[:<port>]] <powervalue> <username> <password> primary|secondary") {
		return m, false
	}
	m.System = d.args[0]
	name, err := upsname.Parse(m.System)
	if err != nil {
		p.errorf(d.line, "MONITOR %v", err)
		return m, false
	}
	m.UPS, m.Host, m.Port = name.UPS, name.Host, name.Port
	n, ok := p.number(d.line, "MONITOR "+m.System+" power value", d.args[1], 0, maxInt, lenient)
	if !ok {
		return m, false
	}
	m.PowerValue, m.User, m.Password = n, d.args[2], d.args[3]
	switch strings.ToLower(d.args[4]) {
	case "primary", "master":
		m.Role = RolePrimary
	case "secondary", "slave":
		m.Role = RoleSecondary
	default:
		p.warnf(d.line, "MONITOR %s: %q is not primary or secondary: upsmon takes it as secondary", m.System, d.args[4])
		m.Role = RoleSecondary
	}
	return m, true
}

// shutdownExit reads SHUTDOWNEXIT: yes/on/true (0: exit at once),
// no/off/false (-1: never), or a number of seconds.
func shutdownExit(p *problems, d directive) int {
	switch strings.ToLower(d.args[0]) {
	case "yes", "on", "true":
		return 0
	case "no", "off", "false":
		return -1
	}
	if n, ok := strictNumber(d.args[0]); ok {
		return n
	}
	p.warnf(d.line, "SHUTDOWNEXIT %q: not yes, no or a number of seconds; upsmon reads it as yes", d.args[0])
	return 0
}

// notifyFlags reads SYSLOG+WALL+EXEC or IGNORE. As upsmon does, a word it
// does not know is reported and the others are used; IGNORE wins over
// the others.
func notifyFlags(p *problems, line int, ev, s string) NotifyFlags {
	var f NotifyFlags
	ignore := false
	for _, w := range strings.Split(s, "+") {
		switch w {
		case "SYSLOG":
			f |= NotifySyslog
		case "WALL":
			f |= NotifyWall
		case "EXEC":
			f |= NotifyExec
		case "IGNORE":
			ignore = true
		default:
			hint := ""
			if strings.ToUpper(w) != w {
				hint = " (flags are upper case)"
			}
			p.errorf(line, "NOTIFYFLAG %s: unknown flag %q%s: expected SYSLOG, WALL, EXEC or IGNORE, joined with +", ev, w, hint)
		}
	}
	if ignore {
		if f != 0 {
			p.warnf(line, "NOTIFYFLAG %s: IGNORE with other flags: upsmon does nothing on this event", ev)
		}
		return NotifyIgnore
	}
	return f
}

// checkMessage checks a NOTIFYMSG text: upsmon fills in at most two %s
// (the UPS, and for some events a detail); any other conversion would be
// refused. %% is a percent sign.
func checkMessage(msg string) string {
	count := 0
	for i := 0; i < len(msg); i++ {
		if msg[i] != '%' {
			continue
		}
		if i+1 >= len(msg) {
			return "a lone % at the end: write %% for a percent sign"
		}
		switch msg[i+1] {
		case '%':
		case 's':
			count++
		default:
			return fmt.Sprintf("%%%c: only %%s (the UPS, then a detail) and %%%% may appear", msg[i+1])
		}
		i++
	}
	if count > 2 {
		return "more than two %s: upsmon fills in the UPS and, for some events, one detail"
	}
	return ""
}

// LoadUpsmonConf reads upsmon.conf from disk (see Path).
func LoadUpsmonConf(path string) (*UpsmonConf, []error) { return load(path, ParseUpsmonConf) }

// Format writes the file back out, every directive given.
func (c *UpsmonConf) Format() string {
	var b strings.Builder
	for _, m := range c.Monitors {
		sys := m.System
		if sys == "" {
			sys = upsname.Name{UPS: m.UPS, Host: m.Host, Port: m.Port}.String()
		}
		role := m.Role
		if role == "" {
			role = RoleSecondary
		}
		writeLine(&b, "", "MONITOR", sys, strconv.Itoa(m.PowerValue), m.User, m.Password, role)
	}
	ints := c.ints()
	for _, name := range upsmonDirectives {
		if iv, ok := ints[name]; ok {
			writeLine(&b, "", name, strconv.Itoa(*iv.v))
		}
	}
	if c.DebugMin >= 0 {
		writeLine(&b, "", "DEBUG_MIN", strconv.Itoa(c.DebugMin))
	}
	writeLine(&b, "", "SHUTDOWNEXIT", strconv.Itoa(c.ShutdownExit))
	for _, kv := range []struct {
		k string
		v []string
	}{{"SHUTDOWNCMD", c.ShutdownCmd}, {"NOTIFYCMD", c.NotifyCmd}} {
		if len(kv.v) > 0 {
			writeLine(&b, "", append([]string{kv.k}, kv.v...)...)
		}
	}
	for _, kv := range [][2]string{{"POWERDOWNFLAG", c.PowerDownFlag}, {"RUN_AS_USER", c.RunAsUser},
		{"CERTPATH", c.CertPath}, {"CERTFILE", c.CertFile}} {
		if kv[1] != "" {
			writeLine(&b, "", kv[0], kv[1])
		}
	}
	for _, kv := range []struct {
		k string
		v bool
	}{{"CERTVERIFY", c.CertVerify}, {"FORCESSL", c.ForceSSL}, {"ALARMCRITICAL", c.AlarmCritical}} {
		writeLine(&b, "", kv.k, bit(kv.v))
	}
	if c.CertIdent != (CertIdent{}) {
		writeLine(&b, "", "CERTIDENT", c.CertIdent.Name, c.CertIdent.Password)
	}
	for _, h := range c.CertHosts {
		writeLine(&b, "", "CERTHOST", h.Host, h.CertName, bit(h.CertVerify), bit(h.ForceSSL))
	}
	for _, e := range sortedKeys(c.NotifyMsg) {
		writeLine(&b, "", "NOTIFYMSG", e, c.NotifyMsg[e])
	}
	for _, e := range sortedKeys(c.NotifyFlag) {
		writeLine(&b, "", "NOTIFYFLAG", e, c.NotifyFlag[e].String())
	}
	return b.String()
}

func bit(v bool) string {
	if v {
		return "1"
	}
	return "0"
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
