package config

import (
	"reflect"
	"testing"
)

var parseUpsmon = parser[*UpsmonConf](ParseUpsmonConf)

func TestUpsmonConfDirectives(t *testing.T) {
	for _, tc := range []struct {
		line string
		want func(c *UpsmonConf)
	}{
		{"MINSUPPLIES 0", func(c *UpsmonConf) { c.MinSupplies = 0 }},
		{"POLLFREQ 2", func(c *UpsmonConf) { c.PollFreq = 2 }},
		{"POLLFREQALERT 1", func(c *UpsmonConf) { c.PollFreqAlert = 1 }},
		{"HOSTSYNC 30", func(c *UpsmonConf) { c.HostSync = 30 }},
		{"DEADTIME 25", func(c *UpsmonConf) { c.DeadTime = 25 }},
		{"RBWARNTIME 3600", func(c *UpsmonConf) { c.RBWarnTime = 3600 }},
		{"NOCOMMWARNTIME 60", func(c *UpsmonConf) { c.NoCommWarnTime = 60 }},
		{"FINALDELAY 0", func(c *UpsmonConf) { c.FinalDelay = 0 }},
		{"OFFDURATION -1", func(c *UpsmonConf) { c.OffDuration = -1 }},
		{"OVERDURATION 0", func(c *UpsmonConf) { c.OverDuration = 0 }},
		{"OBLBDURATION 10", func(c *UpsmonConf) { c.OBLBDuration = 10 }},
		{"OBLBDURATION -5", func(c *UpsmonConf) { c.OBLBDuration = 0 }},
		{"POLLFAIL_LOG_THROTTLE_MAX 100", func(c *UpsmonConf) { c.PollFailLogThrottleMax = 100 }},
		{"POLLFAIL_LOG_THROTTLE_MAX -7", func(c *UpsmonConf) { c.PollFailLogThrottleMax = -1 }},
		{"DEBUG_MIN 3", func(c *UpsmonConf) { c.DebugMin = 3 }},
		{"debug_min 3", func(c *UpsmonConf) { c.DebugMin = 3 }},
		{"POWERDOWNFLAG /run/nut/killpower", func(c *UpsmonConf) { c.PowerDownFlag = "/run/nut/killpower" }},
		{`POWERDOWNFLAG "C:\\killpower"`, func(c *UpsmonConf) { c.PowerDownFlag = `C:\killpower` }},
		{"RUN_AS_USER nut", func(c *UpsmonConf) { c.RunAsUser = "nut" }},
		{"CERTPATH /etc/ssl/certs", func(c *UpsmonConf) { c.CertPath = "/etc/ssl/certs" }},
		{"CERTFILE /etc/nut/upsmon.pem", func(c *UpsmonConf) { c.CertFile = "/etc/nut/upsmon.pem" }},
		{`CERTIDENT "my nut monitor" "MyPasSw0rD"`, func(c *UpsmonConf) { c.CertIdent = CertIdent{"my nut monitor", "MyPasSw0rD"} }},
		{`CERTHOST "localhost:34930" "My nut server" 1 0`, func(c *UpsmonConf) {
			c.CertHosts = []CertHost{{"localhost:34930", "My nut server", true, false}}
		}},
		{"CERTVERIFY 1", func(c *UpsmonConf) { c.CertVerify = true }},
		{"FORCESSL 1", func(c *UpsmonConf) { c.ForceSSL = true }},
		{"ALARMCRITICAL 0", func(c *UpsmonConf) { c.AlarmCritical = false }},
		{"SHUTDOWNEXIT no", func(c *UpsmonConf) { c.ShutdownExit = -1 }},
		{"SHUTDOWNEXIT Off", func(c *UpsmonConf) { c.ShutdownExit = -1 }},
		{"SHUTDOWNEXIT yes", func(c *UpsmonConf) { c.ShutdownExit = 0 }},
		{"SHUTDOWNEXIT 120", func(c *UpsmonConf) { c.ShutdownExit = 120 }},
		{`SHUTDOWNCMD "/sbin/shutdown -h +0"`, func(c *UpsmonConf) { c.ShutdownCmd = []string{"/sbin/shutdown -h +0"} }},
		{`SHUTDOWNCMD "/sbin/shutdown" "-h" "+0"`, func(c *UpsmonConf) { c.ShutdownCmd = []string{"/sbin/shutdown", "-h", "+0"} }},
		{`SHUTDOWNCMD /sbin/shutdown -h +0`, func(c *UpsmonConf) { c.ShutdownCmd = []string{"/sbin/shutdown", "-h", "+0"} }},
		{`NOTIFYCMD /usr/sbin/upssched`, func(c *UpsmonConf) { c.NotifyCmd = []string{"/usr/sbin/upssched"} }},
		{`NOTIFYCMD "/usr/bin/script" "--debug" "-v"`, func(c *UpsmonConf) { c.NotifyCmd = []string{"/usr/bin/script", "--debug", "-v"} }},
		{`NOTIFYMSG ONLINE "UPS %s is getting line power"`, func(c *UpsmonConf) { c.NotifyMsg["ONLINE"] = "UPS %s is getting line power" }},
		{`NOTIFYMSG onbatt "Someone pulled the plug on %s"`, func(c *UpsmonConf) { c.NotifyMsg["ONBATT"] = "Someone pulled the plug on %s" }},
		{`NOTIFYMSG ALARM "UPS %s: alarms [%s], 100%% sure"`, func(c *UpsmonConf) { c.NotifyMsg["ALARM"] = "UPS %s: alarms [%s], 100%% sure" }},
		{`NOTIFYMSG NOPARENT "no placeholder"`, func(c *UpsmonConf) { c.NotifyMsg["NOPARENT"] = "no placeholder" }},
		{"NOTIFYFLAG ONLINE SYSLOG", func(c *UpsmonConf) { c.NotifyFlag["ONLINE"] = NotifySyslog }},
		{"NOTIFYFLAG ONBATT SYSLOG+WALL+EXEC", func(c *UpsmonConf) { c.NotifyFlag["ONBATT"] = NotifySyslog | NotifyWall | NotifyExec }},
		{"NOTIFYFLAG lowbatt EXEC+SYSLOG", func(c *UpsmonConf) { c.NotifyFlag["LOWBATT"] = NotifySyslog | NotifyExec }},
		{"NOTIFYFLAG REPLBATT IGNORE", func(c *UpsmonConf) { c.NotifyFlag["REPLBATT"] = NotifyIgnore }},
		{"NOTIFYFLAG SUSPEND_STARTING WALL", func(c *UpsmonConf) { c.NotifyFlag["SUSPEND_STARTING"] = NotifyWall }},
	} {
		c, errs := parseUpsmon.str("upsmon.conf", tc.line+"\n")
		want := DefaultUpsmonConf()
		tc.want(want)
		if len(errs) > 0 || !reflect.DeepEqual(c, want) {
			t.Errorf("%s: %+v %v\nwant %+v", tc.line, c, msgs(errs), want)
		}
		roundTrip(t, parseUpsmon, tc.line+"\n")
	}
}

func TestUpsmonConfMonitors(t *testing.T) {
	src := `MONITOR myups@localhost 1 upsmon pass primary
MONITOR ups2@[::1]:3494 2 mon "p w" slave
MONITOR fenton@bigbox:5678 0 observer abcd SECONDARY
MONITOR local 1 u p master
MONITOR other@host 1 u p boss
POWERDOWNFLAG /run/killpower
`
	c, errs := parseUpsmon.str("upsmon.conf", src)
	wantProblems(t, errs, `upsmon.conf:5: warning: MONITOR other@host: "boss" is not primary or secondary: upsmon takes it as secondary`)
	want := []Monitor{
		{"myups@localhost", "myups", "localhost", 3493, 1, "upsmon", "pass", RolePrimary, 1},
		{"ups2@[::1]:3494", "ups2", "::1", 3494, 2, "mon", "p w", RoleSecondary, 2},
		{"fenton@bigbox:5678", "fenton", "bigbox", 5678, 0, "observer", "abcd", RoleSecondary, 3},
		{"local", "local", "localhost", 3493, 1, "u", "p", RolePrimary, 4},
		{"other@host", "other", "host", 3493, 1, "u", "p", RoleSecondary, 5},
	}
	if !reflect.DeepEqual(c.Monitors, want) {
		t.Errorf("monitors:\n%+v\nwant\n%+v", c.Monitors, want)
	}
	if !c.Monitors[0].IsPrimary() || c.Monitors[1].IsPrimary() {
		t.Errorf("IsPrimary")
	}
}

func TestUpsmonConfHelpers(t *testing.T) {
	c, _ := parseUpsmon.str("u", "NOTIFYFLAG ONBATT EXEC\nNOTIFYMSG fsd \"down %s\"\nSHUTDOWNCMD /sbin/shutdown -h \"+0 it's time\"\n")
	if c.Flags("ONBATT") != NotifyExec || c.Flags("onbatt") != NotifyExec || c.Flags("ONLINE") != NotifyDefault {
		t.Errorf("Flags")
	}
	if m, ok := c.Message("FSD"); !ok || m != "down %s" {
		t.Errorf("Message %q", m)
	}
	if _, ok := c.Message("ONLINE"); ok {
		t.Errorf("Message of an event without NOTIFYMSG")
	}
	if got := c.ShutdownCommandLine(); got != `/sbin/shutdown '-h' '+0 it'\''s time'` {
		t.Errorf("ShutdownCommandLine %q", got)
	}
	if (&UpsmonConf{}).ShutdownCommandLine() != "" {
		t.Errorf("no SHUTDOWNCMD")
	}
	for f, s := range map[NotifyFlags]string{NotifyIgnore: "IGNORE", NotifySyslog: "SYSLOG", NotifyDefault: "SYSLOG+WALL",
		NotifyExec | NotifyWall: "WALL+EXEC"} {
		if f.String() != s {
			t.Errorf("%d: %s, want %s", f, f, s)
		}
	}
}

func TestUpsmonConfProblems(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      []string
	}{
		{"old-style MONITOR", "MONITOR ups@host 1 pass primary\n", []string{
			`u:1: MONITOR without a username (the old style): upsmon refuses it; expected MONITOR <ups>@<host> <powervalue> <username> <password> primary|secondary, with the user in upsd.users`}},
		{"short MONITOR", "MONITOR ups@host 1 u\n", []string{
			`u:1: MONITOR: expected MONITOR <ups>[@<host>[:<port>]] <powervalue> <username> <password> primary|secondary`}},
		{"bad system", "MONITOR @host 1 u p primary\nMONITOR ups: 1 u p primary\nMONITOR ups@host:99999 1 u p primary\nMONITOR ups@ 1 u p primary\n", []string{
			`u:1: MONITOR "@host": no UPS name before the '@' (expected upsname[@hostname[:port]])`,
			`u:2: MONITOR "ups:": a port, but no hostname (expected upsname@hostname:port)`,
			`u:3: MONITOR "ups@host:99999": port "99999": expected a number from 1 to 65535`,
			`u:4: MONITOR "ups@": nothing after the '@' (expected upsname@hostname[:port])`}},
		{"bad power value", "MONITOR a@b -1 u p primary\nMONITOR a@c x u p primary\n", []string{
			`u:1: MONITOR a@b power value "-1": expected a whole number, 0 or more`,
			`u:2: MONITOR a@c power value "x": expected a whole number, 0 or more`}},
		{"repeated MONITOR", "MONITOR a@b 1 u p secondary\nMONITOR a@b 1 v q secondary\n", []string{
			`u:2: warning: MONITOR a@b again (first at line 1): upsmon ignores the repeat`}},
		{"too little power", "MONITOR a@b 1 u p secondary\nMINSUPPLIES 2\n", []string{
			`u:2: MINSUPPLIES 2, but the MONITOR lines add up to a power value of 1: upsmon refuses to run (lower MINSUPPLIES or raise a power value)`}},
		{"no power at all", "MONITOR a@b 0 u p secondary\n", []string{
			`u:1: MINSUPPLIES 1, but the MONITOR lines add up to a power value of 0: upsmon refuses to run (lower MINSUPPLIES or raise a power value)`}},
		{"primary without POWERDOWNFLAG", "MONITOR a@b 1 u p primary\n", []string{
			`u:1: warning: MONITOR a@b is primary but there is no POWERDOWNFLAG: the UPS cannot be powered off at the end of a shutdown`}},
		{"numbers", "POLLFREQ five\nPOLLFREQ -1\nDEADTIME 20s\nFINALDELAY\nHOSTSYNC 1 2\nPOLLFAIL_LOG_THROTTLE_MAX 2147483647\n", []string{
			`u:1: POLLFREQ "five": expected a whole number, 0 or more`,
			`u:2: POLLFREQ "-1": expected a whole number, 0 or more`,
			`u:3: warning: DEADTIME "20s": read as 20, as NUT does (write just the number)`,
			`u:4: FINALDELAY: expected FINALDELAY <number>`,
			`u:5: warning: HOSTSYNC: words after "1" ignored (quote a value that has spaces)`,
			`u:6: POLLFAIL_LOG_THROTTLE_MAX "2147483647": expected a whole number from -2147483648 to 2147483646`}},
		{"atoi booleans", "ALARMCRITICAL yes\nCERTVERIFY 2\n", []string{
			`u:1: ALARMCRITICAL "yes": expected a whole number`}},
		{"SHUTDOWNEXIT", "SHUTDOWNEXIT maybe\n", []string{
			`u:1: warning: SHUTDOWNEXIT "maybe": not yes, no or a number of seconds; upsmon reads it as yes`}},
		{"NOTIFYCMD with spaces", "NOTIFYCMD \"/usr/bin/notify --all\"\n", []string{
			`u:1: warning: NOTIFYCMD "/usr/bin/notify --all" has spaces: NUT master runs it as one program path, spaces included; give any arguments as separate quoted words`}},
		{"NOTIFYMSG", "NOTIFYMSG WHATEVER \"x\"\nNOTIFYMSG ONLINE \"%d on\"\nNOTIFYMSG ONLINE \"%s %s %s\"\nNOTIFYMSG ONLINE \"100%\"\nNOTIFYMSG ONLINE\nNOTIFYMSG ONLINE UPS %s\n", []string{
			`u:1: warning: NOTIFYMSG: unknown event "WHATEVER", upsmon ignores the line (events: ONLINE ONBATT LOWBATT FSD COMMOK COMMBAD SHUTDOWN SHUTDOWN_HOSTSYNC REPLBATT NOCOMM NOPARENT CAL NOTCAL OFF NOTOFF BYPASS NOTBYPASS ECO NOTECO ALARM NOTALARM OVER NOTOVER TRIM NOTTRIM BOOST NOTBOOST OTHER NOTOTHER SUSPEND_TIMEJUMP_UNEXPECTED SUSPEND_STARTING SUSPEND_FINISHED)`,
			`u:2: NOTIFYMSG ONLINE "%d on": %d: only %s (the UPS, then a detail) and %% may appear`,
			`u:3: NOTIFYMSG ONLINE "%s %s %s": more than two %s: upsmon fills in the UPS and, for some events, one detail`,
			`u:4: NOTIFYMSG ONLINE "100%": a lone % at the end: write %% for a percent sign`,
			`u:5: NOTIFYMSG: expected NOTIFYMSG <event> "<message>"`,
			`u:6: warning: NOTIFYMSG: words after "UPS" ignored (quote a value that has spaces)`}},
		{"NOTIFYFLAG", "NOTIFYFLAG FSD SYSLOG+BEEP\nNOTIFYFLAG ONLINE syslog\nNOTIFYFLAG ONBATT SYSLOG+IGNORE\nNOTIFYFLAG NOPE SYSLOG\n", []string{
			`u:1: NOTIFYFLAG FSD: unknown flag "BEEP": expected SYSLOG, WALL, EXEC or IGNORE, joined with +`,
			`u:2: NOTIFYFLAG ONLINE: unknown flag "syslog" (flags are upper case): expected SYSLOG, WALL, EXEC or IGNORE, joined with +`,
			`u:3: warning: NOTIFYFLAG ONBATT: IGNORE with other flags: upsmon does nothing on this event`,
			`u:4: warning: NOTIFYFLAG: unknown event "NOPE", upsmon ignores the line (events: ONLINE ONBATT LOWBATT FSD COMMOK COMMBAD SHUTDOWN SHUTDOWN_HOSTSYNC REPLBATT NOCOMM NOPARENT CAL NOTCAL OFF NOTOFF BYPASS NOTBYPASS ECO NOTECO ALARM NOTALARM OVER NOTOVER TRIM NOTTRIM BOOST NOTBOOST OTHER NOTOTHER SUSPEND_TIMEJUMP_UNEXPECTED SUSPEND_STARTING SUSPEND_FINISHED)`}},
		{"CERTHOST", "CERTHOST host name yes 1\nCERTHOST host name\n", []string{
			`u:1: CERTHOST certverify "yes": expected a whole number`,
			`u:2: CERTHOST: expected CERTHOST <host[:port]> "<certificate name>" <certverify 0|1> <forcessl 0|1>`}},
		{"unknown directives", "pollfreq 5\nRUN_AS_GROUP nut\n", []string{
			`u:1: warning: unknown directive pollfreq: upsmon ignores it (directives are case-sensitive: did you mean POLLFREQ?)`,
			`u:2: warning: unknown directive RUN_AS_GROUP: upsmon ignores it`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, errs := parseUpsmon.str("u", tc.src)
			wantProblems(t, errs, tc.want...)
		})
	}
	// NOTIFYFLAG keeps the flags it knows, as upsmon does.
	c, _ := parseUpsmon.str("u", "NOTIFYFLAG FSD SYSLOG+BEEP\n")
	if c.Flags("FSD") != NotifySyslog {
		t.Errorf("partial NOTIFYFLAG: %v", c.Flags("FSD"))
	}
	// The values of bad lines stay at upsmon's defaults.
	c, _ = parseUpsmon.str("u", "POLLFREQ five\nALARMCRITICAL yes\nCERTVERIFY 2\n")
	if c.PollFreq != 5 || !c.AlarmCritical || !c.CertVerify {
		t.Errorf("%+v", c)
	}
}

func TestUpsmonConfFormat(t *testing.T) {
	c, _ := parseUpsmon.str("u", "MONITOR u@h 1 a b master\nNOTIFYFLAG ONBATT EXEC\nNOTIFYMSG ONLINE \"%s back\"\nSHUTDOWNCMD \"/bin/echo x\"\nPOWERDOWNFLAG /k\n")
	want := `MONITOR u@h 1 a b primary
MINSUPPLIES 1
POLLFREQ 5
POLLFREQALERT 5
HOSTSYNC 15
DEADTIME 15
RBWARNTIME 43200
NOCOMMWARNTIME 300
FINALDELAY 5
OFFDURATION 30
OVERDURATION -1
OBLBDURATION 0
POLLFAIL_LOG_THROTTLE_MAX -1
SHUTDOWNEXIT 0
SHUTDOWNCMD "/bin/echo x"
POWERDOWNFLAG /k
CERTVERIFY 0
FORCESSL 0
ALARMCRITICAL 1
NOTIFYMSG ONLINE "%s back"
NOTIFYFLAG ONBATT EXEC
`
	if got := c.Format(); got != want {
		t.Errorf("format:\n%s\nwant:\n%s", got, want)
	}
	// A Monitor built by a program, without System, is written from its parts.
	m := &UpsmonConf{Monitors: []Monitor{{UPS: "u", Host: "::1", Port: 3493, PowerValue: 1, User: "a", Password: "b"}}}
	back, _ := parseUpsmon.str("u", m.Format())
	if got := back.Monitors[0]; got.UPS != "u" || got.Host != "::1" || got.Role != RoleSecondary {
		t.Errorf("%+v", got)
	}
}
