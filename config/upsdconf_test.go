package config

import (
	"reflect"
	"testing"
)

var parseUpsd = parser[*UpsdConf](ParseUpsdConf)

func TestUpsdConfDefaults(t *testing.T) {
	c, errs := parseUpsd.str("upsd.conf", "# nothing\n")
	wantProblems(t, errs)
	want := &UpsdConf{MaxAge: 15, TrackingDelay: 3600, DebugMin: -1}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("%+v", c)
	}
}

func TestUpsdConfDirectives(t *testing.T) {
	for _, tc := range []struct {
		line string
		want func(c *UpsdConf)
	}{
		{"LISTEN 127.0.0.1 3493", func(c *UpsdConf) { c.Listen = []Listen{{"127.0.0.1", 3493}} }},
		{"LISTEN ::1", func(c *UpsdConf) { c.Listen = []Listen{{"::1", 3493}} }},
		{"LISTEN * 3494", func(c *UpsdConf) { c.Listen = []Listen{{"*", 3494}} }},
		{"LISTEN myhostname.mydomain", func(c *UpsdConf) { c.Listen = []Listen{{"myhostname.mydomain", 3493}} }},
		{"MAXAGE 30", func(c *UpsdConf) { c.MaxAge = 30 }},
		{"MAXAGE 0", func(c *UpsdConf) { c.MaxAge = 0 }},
		{"MAXCONN 1024", func(c *UpsdConf) { c.MaxConn = 1024 }},
		{"TRACKINGDELAY 60", func(c *UpsdConf) { c.TrackingDelay = 60 }},
		{"ALLOW_NO_DEVICE true", func(c *UpsdConf) { c.AllowNoDevice = true }},
		{"ALLOW_NO_DEVICE Yes", func(c *UpsdConf) { c.AllowNoDevice = true }},
		{"ALLOW_NO_DEVICE 2", func(c *UpsdConf) { c.AllowNoDevice = true }},
		{"ALLOW_NO_DEVICE off", func(c *UpsdConf) {}},
		{"ALLOW_NOT_ALL_LISTENERS on", func(c *UpsdConf) { c.AllowNotAllListeners = true }},
		{"DISABLE_WEAK_SSL 1", func(c *UpsdConf) { c.DisableWeakSSL = true }},
		{"STATEPATH /var/run/nut", func(c *UpsdConf) { c.StatePath = "/var/run/nut" }},
		{"DATAPATH /usr/share/nut", func(c *UpsdConf) { c.DataPath = "/usr/share/nut" }},
		{"CERTFILE /etc/nut/upsd.pem", func(c *UpsdConf) { c.CertFile = "/etc/nut/upsd.pem" }},
		{"CERTPATH /etc/ssl/certs/ca-certificates.crt", func(c *UpsdConf) { c.CertPath = "/etc/ssl/certs/ca-certificates.crt" }},
		{`CERTIDENT "my nut server" "MyPasSw0rD"`, func(c *UpsdConf) { c.CertIdent = CertIdent{"my nut server", "MyPasSw0rD"} }},
		{"CERTREQUEST REQUIRE", func(c *UpsdConf) { c.CertRequest = CertRequestRequire }},
		{"CERTREQUEST 1", func(c *UpsdConf) { c.CertRequest = CertRequestRequest }},
		{"CERTREQUEST NO", func(c *UpsdConf) {}},
		{"DEBUG_MIN 2", func(c *UpsdConf) { c.DebugMin = 2 }},
		{"debug_min 2", func(c *UpsdConf) { c.DebugMin = 2 }},
		{"GONUT_IO_URING_LOOP yes", func(c *UpsdConf) { c.IOUringLoop = true }},
		{"GONUT_IO_URING_LOOP off", func(c *UpsdConf) {}},
	} {
		c, errs := parseUpsd.str("upsd.conf", tc.line+"\n")
		want := defaultUpsdConf()
		tc.want(want)
		if len(errs) > 0 || !reflect.DeepEqual(c, want) {
			t.Errorf("%s: %+v %v\nwant %+v", tc.line, c, errs, want)
		}
		roundTrip(t, parseUpsd, tc.line+"\n")
	}
}

func TestUpsdConfProblems(t *testing.T) {
	src := `LISTEN 127.0.0.1 3493
LISTEN 127.0.0.1
LISTEN myhostname 83493
LISTEN
MAXAGE x
MAXAGE 20s
MAXAGE -1
MAXCONN
ALLOW_NO_DEVICE perhaps
DISABLE_WEAK_SSL 2
CERTREQUEST require
CERTIDENT onlyname
DEBUG_MIN -1
ACL all 0.0.0.0/0
ACCEPT all
REJECT all
maxage 10
BOGUS 1
STATEPATH /a /b
GONUT_IO_URING_LOOP 2
gonut_io_uring_loop yes
`
	c, errs := parseUpsd.str("upsd.conf", src)
	wantProblems(t, errs,
		`upsd.conf:2: warning: LISTEN 127.0.0.1 3493 again (first at line 1): ignored, upsd could not listen twice`,
		`upsd.conf:3: LISTEN port "83493": expected a whole number from 1 to 65535`,
		`upsd.conf:4: LISTEN: expected LISTEN <address> [<port>]`,
		`upsd.conf:5: MAXAGE "x": expected a whole number, 0 or more`,
		`upsd.conf:6: warning: MAXAGE "20s": read as 20, as NUT does (write just the number)`,
		`upsd.conf:7: MAXAGE "-1": expected a whole number, 0 or more`,
		`upsd.conf:8: MAXCONN: expected MAXCONN <seconds>`,
		`upsd.conf:9: ALLOW_NO_DEVICE "perhaps": expected true or false (also on/off, yes/no, 1/0)`,
		`upsd.conf:10: DISABLE_WEAK_SSL "2": expected true or false (also on/off, yes/no, 1/0)`,
		`upsd.conf:11: CERTREQUEST "require": expected NO, REQUEST or REQUIRE (or 0, 1 or 2)`,
		`upsd.conf:12: CERTIDENT: expected CERTIDENT "<certificate name>" "<password>"`,
		`upsd.conf:13: DEBUG_MIN "-1": expected a whole number, 0 or more`,
		`upsd.conf:14: warning: ACL in upsd.conf is no longer supported: upsd ignores it (use LISTEN, and a firewall)`,
		`upsd.conf:15: warning: ACCEPT in upsd.conf is no longer supported: upsd ignores it (use LISTEN, and a firewall)`,
		`upsd.conf:16: warning: REJECT in upsd.conf is no longer supported: upsd ignores it (use LISTEN, and a firewall)`,
		`upsd.conf:17: warning: unknown directive maxage: upsd ignores it (directives are case-sensitive: did you mean MAXAGE?)`,
		`upsd.conf:18: warning: unknown directive BOGUS: upsd ignores it`,
		`upsd.conf:19: warning: STATEPATH: words after "/a" ignored (quote a value that has spaces)`,
		`upsd.conf:20: GONUT_IO_URING_LOOP "2": expected true or false (also on/off, yes/no, 1/0)`,
		`upsd.conf:21: warning: unknown directive gonut_io_uring_loop: upsd ignores it (directives are case-sensitive: did you mean GONUT_IO_URING_LOOP?)`,
	)
	// The good lines all count.
	if len(c.Listen) != 1 || c.MaxAge != 20 || c.StatePath != "/a" {
		t.Errorf("%+v", c)
	}
	// upsd cannot listen where those LISTEN lines meant.
	if !reflect.DeepEqual(c.BadListen, []int{3, 4}) {
		t.Errorf("LISTEN lines in error: %v, want [3 4]", c.BadListen)
	}
}

func TestUpsdConfFormat(t *testing.T) {
	c, _ := parseUpsd.str("upsd.conf", "LISTEN 127.0.0.1\nLISTEN \"::1\" 3494\nMAXAGE 20\nCERTREQUEST REQUEST\nCERTIDENT \"a b\" pw\nDISABLE_WEAK_SSL yes\n")
	want := "LISTEN 127.0.0.1 3493\nLISTEN ::1 3494\nMAXAGE 20\nDISABLE_WEAK_SSL true\nCERTIDENT \"a b\" pw\nCERTREQUEST REQUEST\n"
	if got := c.Format(); got != want {
		t.Errorf("format:\n%s\nwant:\n%s", got, want)
	}
	if got := defaultUpsdConf().Format(); got != "" {
		t.Errorf("defaults format to nothing, got %q", got)
	}
}
