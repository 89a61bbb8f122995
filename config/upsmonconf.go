package config

import (
	"io"
	"sort"
	"strconv"
	"strings"

	"gonut/nutclient"
)

// Monitor is a MONITOR line of upsmon.conf.
type Monitor struct {
	UPS        string // the UPS name on its upsd
	Host       string
	Port       int
	PowerValue int // how many power supplies of this host it feeds (0: monitor only)
	User       string
	Password   string
	Primary    bool // "primary" (or the old "master"); otherwise secondary
	Line       int
}

// System is the upsname@host[:port] the line names.
func (m Monitor) System() string {
	host := m.Host
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if m.Port != DefaultPort {
		return m.UPS + "@" + host + ":" + strconv.Itoa(m.Port)
	}
	return m.UPS + "@" + host
}

// NotifyFlags say what upsmon does on an event.
type NotifyFlags uint8

const (
	NotifySyslog NotifyFlags = 1 << iota
	NotifyWall
	NotifyExec
	NotifyIgnore NotifyFlags = 0
)

// NotifyEvents are the events of NOTIFYMSG and NOTIFYFLAG, NUT master's
// newer ones included.
func NotifyEvents() []string {
	return []string{"ONLINE", "ONBATT", "LOWBATT", "FSD", "COMMOK", "COMMBAD", "SHUTDOWN",
		"SHUTDOWN_HOSTSYNC", "REPLBATT", "NOCOMM", "NOPARENT", "CAL", "NOTCAL", "OFF", "NOTOFF",
		"BYPASS", "NOTBYPASS", "ECO", "NOTECO", "ALARM", "NOTALARM", "OVER", "NOTOVER", "TRIM",
		"NOTTRIM", "BOOST", "NOTBOOST", "OTHER", "NOTOTHER", "SUSPEND_STARTING", "SUSPEND_FINISHED"}
}

func isEvent(s string) bool {
	for _, e := range NotifyEvents() {
		if e == s {
			return true
		}
	}
	return false
}

// CertHost is a CERTHOST line: the certificate a upsd host must show.
type CertHost struct {
	Host, CertName       string
	CertVerify, ForceSSL bool
}

// UpsmonConf is upsmon.conf.
type UpsmonConf struct {
	Monitors               []Monitor
	MinSupplies            int
	ShutdownCmd            string
	NotifyCmd              string
	NotifyMsg              map[string]string      // by event
	NotifyFlag             map[string]NotifyFlags // by event; events not set use SYSLOG+WALL
	PollFreq               int
	PollFreqAlert          int
	HostSync               int
	DeadTime               int
	PowerDownFlag          string
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
	OffDuration            int // seconds OFF before it counts as critical; <0 never
	OverDuration           int // seconds OVER before critical; <0 never
	OBLBDuration           int // seconds OB LB before critical; 0 at once
	ShutdownExit           string
	PollFailLogThrottleMax int
}

// NUT's defaults for upsmon.conf.
func defaultUpsmonConf() *UpsmonConf {
	return &UpsmonConf{
		MinSupplies: 1, PollFreq: 5, PollFreqAlert: 5, HostSync: 15, DeadTime: 15,
		PowerDownFlag: "/etc/killpower", RBWarnTime: 43200, NoCommWarnTime: 300, FinalDelay: 5,
		AlarmCritical: true, OffDuration: 30, OverDuration: -1, OBLBDuration: -1,
		ShutdownExit: "yes", PollFailLogThrottleMax: -1,
		NotifyMsg: map[string]string{}, NotifyFlag: map[string]NotifyFlags{},
	}
}

// Flags returns what to do on an event: its NOTIFYFLAG, or SYSLOG+WALL.
func (c *UpsmonConf) Flags(event string) NotifyFlags {
	if f, ok := c.NotifyFlag[event]; ok {
		return f
	}
	return NotifySyslog | NotifyWall
}

// ParseUpsmonConf reads upsmon.conf.
func ParseUpsmonConf(file string, r io.Reader) (*UpsmonConf, []error) {
	ds, p := directives(file, r)
	c := defaultUpsmonConf()
	minLine := 0
	ints := map[string]*int{
		"MINSUPPLIES": &c.MinSupplies, "POLLFREQ": &c.PollFreq, "POLLFREQALERT": &c.PollFreqAlert,
		"HOSTSYNC": &c.HostSync, "DEADTIME": &c.DeadTime, "RBWARNTIME": &c.RBWarnTime,
		"NOCOMMWARNTIME": &c.NoCommWarnTime, "FINALDELAY": &c.FinalDelay,
	}
	signed := map[string]*int{"OFFDURATION": &c.OffDuration, "OVERDURATION": &c.OverDuration,
		"OBLBDURATION": &c.OBLBDuration, "POLLFAIL_LOG_THROTTLE_MAX": &c.PollFailLogThrottleMax}
	strs := map[string]*string{"SHUTDOWNCMD": &c.ShutdownCmd, "NOTIFYCMD": &c.NotifyCmd,
		"POWERDOWNFLAG": &c.PowerDownFlag, "RUN_AS_USER": &c.RunAsUser, "CERTPATH": &c.CertPath,
		"CERTFILE": &c.CertFile, "SHUTDOWNEXIT": &c.ShutdownExit}
	bools := map[string]*bool{"CERTVERIFY": &c.CertVerify, "FORCESSL": &c.ForceSSL, "ALARMCRITICAL": &c.AlarmCritical}
	for _, d := range ds {
		switch {
		case ints[d.name] != nil:
			if n, ok := p.number(d, 0, 1<<30); ok {
				*ints[d.name] = n
			}
			if d.name == "MINSUPPLIES" {
				minLine = d.line
			}
		case signed[d.name] != nil:
			if n, ok := p.number(d, -1<<30, 1<<30); ok {
				*signed[d.name] = n
			}
		case strs[d.name] != nil:
			if len(d.args) == 0 {
				p.errorf(d.line, "%s needs a value", d.name)
				continue
			}
			// NUT master takes SHUTDOWNCMD and NOTIFYCMD as several
			// words too; they are one command line either way.
			*strs[d.name] = strings.Join(d.args, " ")
		case bools[d.name] != nil:
			if v, ok := p.boolean(d); ok {
				*bools[d.name] = v
			}
		case d.name == "MONITOR":
			if m, ok := parseMonitor(p, d); ok {
				c.Monitors = append(c.Monitors, m)
			}
		case d.name == "NOTIFYMSG":
			if !p.arity(d, 2, 2, `NOTIFYMSG <event> "<message>"`) {
				continue
			}
			if !isEvent(d.args[0]) {
				p.errorf(d.line, "NOTIFYMSG: unknown event %q (expected one of %s)", d.args[0], strings.Join(NotifyEvents(), " "))
				continue
			}
			c.NotifyMsg[d.args[0]] = d.args[1]
		case d.name == "NOTIFYFLAG":
			if !p.arity(d, 2, 2, "NOTIFYFLAG <event> SYSLOG[+WALL][+EXEC] or IGNORE") {
				continue
			}
			if !isEvent(d.args[0]) {
				p.errorf(d.line, "NOTIFYFLAG: unknown event %q (expected one of %s)", d.args[0], strings.Join(NotifyEvents(), " "))
				continue
			}
			var f NotifyFlags
			ok := true
			for _, w := range strings.Split(d.args[1], "+") {
				switch strings.ToUpper(w) {
				case "SYSLOG":
					f |= NotifySyslog
				case "WALL":
					f |= NotifyWall
				case "EXEC":
					f |= NotifyExec
				case "IGNORE":
				default:
					p.errorf(d.line, "NOTIFYFLAG %s: unknown flag %q (expected SYSLOG, WALL, EXEC or IGNORE, joined with +)", d.args[0], w)
					ok = false
				}
			}
			if ok {
				c.NotifyFlag[d.args[0]] = f
			}
		case d.name == "CERTIDENT":
			if p.arity(d, 2, 2, "CERTIDENT <certificate name> <password>") {
				c.CertIdent = CertIdent{d.args[0], d.args[1]}
			}
		case d.name == "CERTHOST":
			if !p.arity(d, 4, 4, "CERTHOST <hostname> <certificate name> <certverify 0|1> <forcessl 0|1>") {
				continue
			}
			h := CertHost{Host: d.args[0], CertName: d.args[1]}
			v1, ok1 := p.boolean(directive{name: "CERTHOST certverify", args: d.args[2:3], line: d.line})
			v2, ok2 := p.boolean(directive{name: "CERTHOST forcessl", args: d.args[3:4], line: d.line})
			if ok1 && ok2 {
				h.CertVerify, h.ForceSSL = v1, v2
				c.CertHosts = append(c.CertHosts, h)
			}
		default:
			p.warnf(d.line, "unknown directive %s (upsmon ignores it)", d.name)
		}
	}
	var need int
	for _, m := range c.Monitors {
		need += m.PowerValue
	}
	if len(c.Monitors) > 0 && need < c.MinSupplies {
		if minLine == 0 {
			minLine = c.Monitors[0].Line
		}
		p.errorf(minLine, "MINSUPPLIES %d, but the MONITOR lines add up to only %d power value: this host could never run", c.MinSupplies, need)
	}
	return c, p.errs
}

// parseMonitor reads MONITOR <ups>[@<host>[:<port>]] <powervalue> <user>
// <password> (primary|secondary|master|slave).
func parseMonitor(p *problems, d directive) (Monitor, bool) {
	m := Monitor{Line: d.line, Host: "localhost", Port: DefaultPort}
	if len(d.args) == 4 {
		p.errorf(d.line, "old-style MONITOR line without a username: add one (and to upsd.users)")
		return m, false
	}
	if !p.arity(d, 5, 5, "MONITOR <ups>@<host>[:<port>] <powervalue> <username> <password> primary|secondary") {
		return m, false
	}
	sys := d.args[0]
	ups, hostport, hasHost := strings.Cut(sys, "@")
	if ups == "" {
		p.errorf(d.line, "MONITOR %q: no UPS name", sys)
		return m, false
	}
	m.UPS = ups
	if hasHost {
		host, port, err := nutclient.SplitAddr(hostport)
		if err != nil {
			p.errorf(d.line, "MONITOR %q: %v", sys, err)
			return m, false
		}
		m.Host, m.Port = host, port
	}
	n, err := strconv.Atoi(d.args[1])
	if err != nil || n < 0 {
		p.errorf(d.line, "MONITOR %s: power value %q: expected a whole number, 0 or more", sys, d.args[1])
		return m, false
	}
	m.PowerValue, m.User, m.Password = n, d.args[2], d.args[3]
	switch strings.ToLower(d.args[4]) {
	case "primary", "master":
		m.Primary = true
	case "secondary", "slave":
	default:
		p.errorf(d.line, "MONITOR %s: %q: expected primary or secondary", sys, d.args[4])
		return m, false
	}
	return m, true
}

// LoadUpsmonConf reads upsmon.conf from disk.
func LoadUpsmonConf(path string) (*UpsmonConf, []error) { return load(path, ParseUpsmonConf) }

// Format writes the file back out.
func (c *UpsmonConf) Format() string {
	var b strings.Builder
	for _, m := range c.Monitors {
		role := "secondary"
		if m.Primary {
			role = "primary"
		}
		line(&b, "MONITOR", m.System(), strconv.Itoa(m.PowerValue), m.User, m.Password, role)
	}
	for _, kv := range []struct {
		k string
		v int
	}{{"MINSUPPLIES", c.MinSupplies}, {"POLLFREQ", c.PollFreq}, {"POLLFREQALERT", c.PollFreqAlert},
		{"HOSTSYNC", c.HostSync}, {"DEADTIME", c.DeadTime}, {"RBWARNTIME", c.RBWarnTime},
		{"NOCOMMWARNTIME", c.NoCommWarnTime}, {"FINALDELAY", c.FinalDelay}, {"OFFDURATION", c.OffDuration},
		{"OVERDURATION", c.OverDuration}, {"OBLBDURATION", c.OBLBDuration},
		{"POLLFAIL_LOG_THROTTLE_MAX", c.PollFailLogThrottleMax}} {
		line(&b, kv.k, strconv.Itoa(kv.v))
	}
	for _, kv := range [][2]string{{"SHUTDOWNCMD", c.ShutdownCmd}, {"NOTIFYCMD", c.NotifyCmd},
		{"POWERDOWNFLAG", c.PowerDownFlag}, {"RUN_AS_USER", c.RunAsUser}, {"CERTPATH", c.CertPath},
		{"CERTFILE", c.CertFile}, {"SHUTDOWNEXIT", c.ShutdownExit}} {
		if kv[1] != "" {
			line(&b, kv[0], kv[1])
		}
	}
	for _, kv := range []struct {
		k string
		v bool
	}{{"CERTVERIFY", c.CertVerify}, {"FORCESSL", c.ForceSSL}, {"ALARMCRITICAL", c.AlarmCritical}} {
		line(&b, kv.k, map[bool]string{true: "1", false: "0"}[kv.v])
	}
	if c.CertIdent != (CertIdent{}) {
		line(&b, "CERTIDENT", c.CertIdent.Name, c.CertIdent.Password)
	}
	for _, h := range c.CertHosts {
		line(&b, "CERTHOST", h.Host, h.CertName, map[bool]string{true: "1", false: "0"}[h.CertVerify], map[bool]string{true: "1", false: "0"}[h.ForceSSL])
	}
	for _, e := range sortedKeys(c.NotifyMsg) {
		line(&b, "NOTIFYMSG", e, c.NotifyMsg[e])
	}
	flagEvents := make([]string, 0, len(c.NotifyFlag))
	for e := range c.NotifyFlag {
		flagEvents = append(flagEvents, e)
	}
	sort.Strings(flagEvents)
	for _, e := range flagEvents {
		line(&b, "NOTIFYFLAG", e, c.NotifyFlag[e].String())
	}
	return b.String()
}

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

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
