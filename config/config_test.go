package config

import (
	"reflect"
	"strings"
	"testing"
)

func msgs(errs []error) string {
	var s []string
	for _, e := range errs {
		s = append(s, e.Error())
	}
	return strings.Join(s, "\n")
}

func TestUPSConf(t *testing.T) {
	src := `# globals
maxretry = 3
nowait
[ups1]
	driver = usbhid-ups
	port = auto
	desc = "Server room, rack 4"
	sdorder = 2
	pollinterval=5
	ignorelb
	vendorid = 051d
[my ups]
[bad]
	driver = dummy-ups
	this line is wrong
	sdorder = soon
	port = x.dev
[ups1]
	driver = dummy-ups
	port = a.dev
[noport]
	driver = dummy-ups
`
	c, errs := ParseUPSConf("ups.conf", strings.NewReader(src))
	want := []string{
		"ups.conf:12: section name \"[my ups]\" has spaces: NUT ignores this header; the settings after it are skipped until the next section",
		"ups.conf:15: expected 'key = value', a flag or a [section], got \"this line is wrong\"",
		"ups.conf:16: sdorder = \"soon\": expected a whole number",
		"ups.conf:18: section [ups1] again (first at line 4): names must be unique",
		"ups.conf:21: [noport] has no port: add 'port = <device>' (auto for USB)",
	}
	if got := msgs(errs); got != strings.Join(want, "\n") {
		t.Fatalf("errors:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
	}
	if c.MaxRetry() != 3 || !c.GlobalFlag("nowait") || c.MaxStartDelay() != DefaultMaxStartDelay {
		t.Fatalf("globals: %+v", c.Globals)
	}
	u := c.Find("ups1")
	if u.Driver != "usbhid-ups" || u.Port != "auto" || u.Desc != "Server room, rack 4" || u.SDOrder != 2 || !u.Flag("ignorelb") {
		t.Fatalf("ups1: %+v", u)
	}
	if v, _ := u.Get("pollinterval"); v != "5" {
		t.Fatalf("pollinterval=5 without spaces: %q", v)
	}
	if b := c.Find("bad"); b == nil || b.Port != "x.dev" || len(b.Settings) != 2 {
		t.Fatalf("the good lines of a section with bad ones are kept: %+v", b)
	}
	if u.Line != 4 || u.EndLine != 11 {
		t.Fatalf("ups1 spans %d-%d", u.Line, u.EndLine)
	}
}

func TestUpsdConf(t *testing.T) {
	src := "LISTEN 127.0.0.1 3493\nLISTEN ::1\nMAXAGE 30\nMAXCONN 2048\nALLOW_NO_DEVICE true\nCERTFILE /etc/nut/cert.pem\n" +
		"DISABLE_WEAK_SSL yes\nTRACKINGDELAY 60\nACL all 0.0.0.0/0\nBOGUS 1\nMAXAGE x\nLISTEN a 99999\nCERTREQUEST REQUIRE\n"
	c, errs := ParseUpsdConf("upsd.conf", strings.NewReader(src))
	want := []string{
		"upsd.conf:9: warning: ACL in upsd.conf is no longer supported: use LISTEN",
		"upsd.conf:10: warning: unknown directive BOGUS (upsd ignores it)",
		"upsd.conf:11: MAXAGE \"x\": expected a whole number from 1 to 1073741824",
		"upsd.conf:12: LISTEN port \"99999\": expected a number from 1 to 65535",
	}
	if got := msgs(errs); got != strings.Join(want, "\n") {
		t.Fatalf("errors:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
	}
	wantConf := &UpsdConf{Listen: []Listen{{"127.0.0.1", 3493}, {"::1", 3493}}, MaxAge: 30, MaxConn: 2048,
		TrackingDelay: 60, AllowNoDevice: true, CertFile: "/etc/nut/cert.pem", DisableWeakSSL: true, CertRequest: 2, DebugMin: -1}
	if !reflect.DeepEqual(c, wantConf) {
		t.Fatalf("got %+v\nwant %+v", c, wantConf)
	}
}

func TestUsers(t *testing.T) {
	src := `[admin]
	password = "s3cr#t = yes"
	actions = SET
	actions = fsd
	instcmds = test.battery.start test.battery.stop
	instcmds = load.off
[mon]
	password = pw
	upsmon master
[mon2]
	password = pw
	upsmon = secondary
	allowfrom = localhost
[mon3]
	upsmon boss
`
	u, errs := ParseUsers("upsd.users", strings.NewReader(src))
	want := []string{
		"upsd.users:2: unbalanced quotes: unescaped # inside a quoted word (write \\# or close the quote)",
		"upsd.users:13: warning: allowfrom in upsd.users is no longer used",
		"upsd.users:15: upsmon \"boss\": expected primary or secondary",
	}
	if got := msgs(errs); got != strings.Join(want, "\n") {
		t.Fatalf("errors:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
	}
	a := u.Find("admin")
	if !a.Can("SET") || !a.Can("fsd") || !a.CanRun("load.off") || !a.CanRun("test.battery.stop") || a.CanRun("shutdown.return") {
		t.Fatalf("admin: %+v", a)
	}
	if u.Find("mon").Upsmon != "primary" || u.Find("mon2").Upsmon != "secondary" {
		t.Fatal("upsmon roles")
	}
}

func TestUpsmonConf(t *testing.T) {
	src := `MONITOR myups@localhost 1 upsmon pass primary
MONITOR ups2@[::1]:3494 2 mon "p w" slave
MONITOR ups3@host 1 u
MINSUPPLIES 2
SHUTDOWNCMD "/sbin/shutdown -h +0"
NOTIFYCMD /usr/sbin/upssched
NOTIFYMSG ONBATT "UPS %s is on battery"
NOTIFYFLAG ONBATT SYSLOG+WALL+EXEC
NOTIFYFLAG LOWBATT IGNORE
NOTIFYFLAG FSD SYSLOG+BEEP
NOTIFYMSG WHATEVER "x"
POLLFREQ 2
DEADTIME 25
OBLBDURATION 10
FORCESSL 1
CERTHOST upsd.example CN 1 0
RUN_AS_USER nut
`
	c, errs := ParseUpsmonConf("upsmon.conf", strings.NewReader(src))
	want := []string{
		"upsmon.conf:3: expected MONITOR <ups>@<host>[:<port>] <powervalue> <username> <password> primary|secondary",
		"upsmon.conf:10: NOTIFYFLAG FSD: unknown flag \"BEEP\" (expected SYSLOG, WALL, EXEC or IGNORE, joined with +)",
	}
	got := msgs(errs)
	if !strings.HasPrefix(got, strings.Join(want, "\n")) || !strings.Contains(got, "upsmon.conf:11: NOTIFYMSG: unknown event \"WHATEVER\"") {
		t.Fatalf("errors:\n%s", got)
	}
	m := c.Monitors
	if len(m) != 2 || m[0] != (Monitor{"myups", "localhost", 3493, 1, "upsmon", "pass", true, 1}) ||
		m[1] != (Monitor{"ups2", "::1", 3494, 2, "mon", "p w", false, 2}) {
		t.Fatalf("monitors: %+v", m)
	}
	if m[1].System() != "ups2@[::1]:3494" {
		t.Fatalf("system %q", m[1].System())
	}
	if c.ShutdownCmd != "/sbin/shutdown -h +0" || c.MinSupplies != 2 || c.PollFreq != 2 || c.DeadTime != 25 ||
		c.HostSync != 15 || c.OBLBDuration != 10 || !c.ForceSSL || c.RunAsUser != "nut" {
		t.Fatalf("conf: %+v", c)
	}
	if c.Flags("ONBATT") != NotifySyslog|NotifyWall|NotifyExec || c.Flags("LOWBATT") != NotifyIgnore || c.Flags("ONLINE") != NotifySyslog|NotifyWall {
		t.Fatalf("flags: %v", c.NotifyFlag)
	}
	if c.NotifyMsg["ONBATT"] != "UPS %s is on battery" {
		t.Fatalf("msg %q", c.NotifyMsg["ONBATT"])
	}
	_, errs = ParseUpsmonConf("u", strings.NewReader("MONITOR a@b 1 u p primary\nMINSUPPLIES 2\n"))
	if !strings.Contains(msgs(errs), "u:2: MINSUPPLIES 2, but the MONITOR lines add up to only 1") {
		t.Fatalf("MINSUPPLIES check: %v", errs)
	}
}

func TestUpsschedConf(t *testing.T) {
	src := `CMDSCRIPT /usr/bin/upssched-cmd
PIPEFN /run/nut/upssched.pipe
LOCKFN /run/nut/upssched.lock
AT ONBATT * START-TIMER onbatt 30
AT ONLINE * CANCEL-TIMER onbatt online
AT ONLINE ups@host CANCEL-TIMER-MATCHED onbatt
AT LOWBATT * EXECUTE lowbatt
AT ONBATT * START-TIMER x soon
AT ONBATT * PAUSE x
`
	c, errs := ParseUpsschedConf("upssched.conf", strings.NewReader(src))
	want := "upssched.conf:8: START-TIMER x: \"soon\": expected a whole number of seconds\n" +
		"upssched.conf:9: AT: unknown action \"PAUSE\" (expected START-TIMER, CANCEL-TIMER, CANCEL-TIMER-MATCHED or EXECUTE)"
	if got := msgs(errs); got != want {
		t.Fatalf("errors:\n%s\nwant:\n%s", got, want)
	}
	wantAt := []At{
		{Event: "ONBATT", UPS: "*", Action: "START-TIMER", Timer: "onbatt", Seconds: 30, Line: 4},
		{Event: "ONLINE", UPS: "*", Action: "CANCEL-TIMER", Timer: "onbatt", Command: "online", Line: 5},
		{Event: "ONLINE", UPS: "ups@host", Action: "CANCEL-TIMER-MATCHED", Timer: "onbatt", Line: 6},
		{Event: "LOWBATT", UPS: "*", Action: "EXECUTE", Command: "lowbatt", Line: 7},
	}
	if !reflect.DeepEqual(c.At, wantAt) || c.CmdScript != "/usr/bin/upssched-cmd" {
		t.Fatalf("got %+v", c)
	}
}

func TestNutConf(t *testing.T) {
	src := `# comment
MODE=netserver
UPSD_OPTIONS='-D'
UPSMON_OPTIONS="-p  \"x\""
export POWEROFF_WAIT=15m # trailing comment
export MODE
EVIL=$(reboot)
TWO=a b
MODE2="unterminated
`
	c, errs := ParseNutConf("nut.conf", strings.NewReader(src))
	want := []string{
		"nut.conf:7: EVIL: shell syntax '$' is not supported in nut.conf values",
		"nut.conf:8: TWO: more than one word after '=' (quote the value)",
		"nut.conf:9: MODE2: unterminated double quote",
	}
	if got := msgs(errs); got != strings.Join(want, "\n") {
		t.Fatalf("errors:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
	}
	if c.Mode != "netserver" {
		t.Fatalf("mode %q", c.Mode)
	}
	for k, v := range map[string]string{"UPSD_OPTIONS": "-D", "UPSMON_OPTIONS": `-p  "x"`, "POWEROFF_WAIT": "15m"} {
		if got, _ := c.Get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	if _, errs := ParseNutConf("n", strings.NewReader("MODE=sometimes\n")); !strings.Contains(msgs(errs), "expected one of none, standalone, netserver, netclient") {
		t.Fatalf("bad MODE: %v", errs)
	}
}

// stripLines zeroes line numbers, which formatting changes.
func stripLines(v any) any {
	switch c := v.(type) {
	case *UPSConf:
		for i := range c.Globals {
			c.Globals[i].Line = 0
		}
		for _, u := range c.UPS {
			u.Line, u.EndLine = 0, 0
			for i := range u.Settings {
				u.Settings[i].Line = 0
			}
		}
	case *Users:
		for _, u := range c.Users {
			u.Line = 0
		}
	case *UpsmonConf:
		for i := range c.Monitors {
			c.Monitors[i].Line = 0
		}
	case *UpsschedConf:
		for i := range c.At {
			c.At[i].Line = 0
		}
	case *NutConf:
		for i := range c.Settings {
			c.Settings[i].Line = 0
		}
	}
	return v
}

type formatter interface{ Format() string }

// roundTrip checks that what a parser read, formatted and read again, is
// the same.
func roundTrip[T formatter](t *testing.T, name string, parse func(string, string) (T, []error), src string) {
	t.Helper()
	a, errs := parse(name, src)
	if len(Fatal(errs)) > 0 {
		return // only well-formed input must round-trip
	}
	text := a.Format()
	b, errs := parse(name+" (formatted)", text)
	if len(Fatal(errs)) > 0 {
		t.Fatalf("%s: formatted output does not parse: %v\n%s", name, errs, text)
	}
	if !reflect.DeepEqual(stripLines(a), stripLines(b)) {
		t.Fatalf("%s: round trip changed it\nfirst:  %+v\nsecond: %+v\ntext:\n%s", name, a, b, text)
	}
}

func p[T any](f func(string, *strings.Reader) (T, []error)) func(string, string) (T, []error) {
	return func(n, s string) (T, []error) { return f(n, strings.NewReader(s)) }
}

func TestRoundTrips(t *testing.T) {
	roundTrip(t, "ups.conf", p(func(n string, r *strings.Reader) (*UPSConf, []error) { return ParseUPSConf(n, r) }),
		"chroot = /x\n[a]\n\tdriver = d\n\tport = \"p q\"\n\tflag\n\tdesc = \"say \\\"hi\\\" #1\"\n")
	roundTrip(t, "upsd.conf", p(func(n string, r *strings.Reader) (*UpsdConf, []error) { return ParseUpsdConf(n, r) }),
		"LISTEN ::1 3493\nMAXAGE 20\nCERTIDENT \"my cert\" \"pa ss\"\nCERTREQUEST REQUEST\nDEBUG_MIN 3\n")
	roundTrip(t, "upsd.users", p(func(n string, r *strings.Reader) (*Users, []error) { return ParseUsers(n, r) }),
		"[u]\npassword = \"a b\"\nactions = SET FSD\ninstcmds = ALL\nupsmon slave\n")
	roundTrip(t, "upsmon.conf", p(func(n string, r *strings.Reader) (*UpsmonConf, []error) { return ParseUpsmonConf(n, r) }),
		"MONITOR u@[::1]:99 1 a b master\nNOTIFYMSG ONLINE \"%s back\"\nNOTIFYFLAG ONBATT EXEC\nSHUTDOWNCMD \"/bin/echo x\"\n")
	roundTrip(t, "upssched.conf", p(func(n string, r *strings.Reader) (*UpsschedConf, []error) { return ParseUpsschedConf(n, r) }),
		"CMDSCRIPT /x\nPIPEFN /p\nLOCKFN /l\nAT ONBATT * START-TIMER t 5\nAT ONLINE * CANCEL-TIMER t x\n")
	roundTrip(t, "nut.conf", p(func(n string, r *strings.Reader) (*NutConf, []error) { return ParseNutConf(n, r) }),
		"MODE=standalone\nX='it'\\''s'\n")
}
