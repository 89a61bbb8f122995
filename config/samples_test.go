package config

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"gonut/words"
)

// The sample files NUT ships, read at test time: Debian's installed copies
// in /etc/nut, and NUT's own conf/*.sample and *.sample.in from a source
// tree ($NUT_SOURCE_DIR, else /work/nut).

var sampleNames = []string{UPSConfFile, UpsdConfFile, UpsdUsersFile, UpsmonConfFile, UpsschedConfFile, NutConfFile}

type sample struct {
	name string // ups.conf, ...
	path string
	text string // @VAR@ placeholders filled in
}

func debianSamples(t *testing.T) []sample {
	var out []sample
	for _, name := range sampleNames {
		p := filepath.Join("/etc/nut", name)
		if b, err := os.ReadFile(p); err == nil {
			out = append(out, sample{name, p, string(b)})
		}
	}
	if len(out) == 0 {
		t.Skip("no samples in /etc/nut: install Debian's nut-server and nut-client (make check does)")
	}
	return out
}

func nutSourceDir() string {
	if d := os.Getenv("NUT_SOURCE_DIR"); d != "" {
		return d
	}
	if _, err := os.Stat("/work/nut/conf"); err == nil {
		return "/work/nut"
	}
	return ""
}

func nutSamples(t *testing.T) []sample {
	dir := nutSourceDir()
	if dir == "" {
		t.Skip("no NUT source tree: set NUT_SOURCE_DIR to one to parse NUT's own conf/*.sample files")
	}
	var out []sample
	for _, name := range sampleNames {
		found := false
		for _, suffix := range []string{".sample", ".sample.in"} {
			p := filepath.Join(dir, "conf", name+suffix)
			b, err := os.ReadFile(p)
			if err != nil {
				continue
			}
			found = true
			out = append(out, sample{name, p, substitute(t, p, string(b))})
		}
		if !found {
			t.Errorf("%s/conf has no %s.sample or %s.sample.in", dir, name, name)
		}
	}
	return out
}

// substitute fills the @VAR@ placeholders of NUT's .sample.in files with
// Debian's values.
func substitute(t *testing.T, path, s string) string {
	values := map[string]string{"@BINDIR@": "/usr/bin", "@CONFPATH@": "/etc/nut", "@STATEPATH@": "/run/nut",
		"@RUN_AS_USER@": "nut", "@POWERDOWNFLAG@": "/etc/killpower"}
	return regexp.MustCompile(`@[A-Z_]+@`).ReplaceAllStringFunc(s, func(v string) string {
		if r, ok := values[v]; ok {
			return r
		}
		t.Errorf("%s: no value for the placeholder %s", path, v)
		return v
	})
}

func parseSample(name, file, text string) (any, []error) {
	r := strings.NewReader(text)
	switch name {
	case UPSConfFile:
		return ParseUPSConf(file, r)
	case UpsdConfFile:
		return ParseUpsdConf(file, r)
	case UpsdUsersFile:
		return ParseUsers(file, r)
	case UpsmonConfFile:
		return ParseUpsmonConf(file, r)
	case UpsschedConfFile:
		c, errs := ParseUpsschedConf(file, r)
		return c, append(errs, c.AtProblems()...)
	}
	return ParseNutConf(file, r)
}

func TestDebianSamplesAsShipped(t *testing.T) { samplesAsShipped(t, debianSamples(t)) }
func TestNUTSamplesAsShipped(t *testing.T)    { samplesAsShipped(t, nutSamples(t)) }

// As shipped, each sample reads without a single problem, with the few
// settings it leaves uncommented.
func samplesAsShipped(t *testing.T, samples []sample) {
	for _, s := range samples {
		v, errs := parseSample(s.name, s.path, s.text)
		wantProblems(t, errs)
		switch c := v.(type) {
		case *UPSConf:
			if c.MaxRetry() != 3 || len(c.UPS) != 0 {
				t.Errorf("%s: %+v", s.path, c)
			}
		case *UpsdConf:
			if !reflect.DeepEqual(c, defaultUpsdConf()) {
				t.Errorf("%s: %+v", s.path, c)
			}
		case *Users:
			if len(c.Users) != 0 {
				t.Errorf("%s: %+v", s.path, c)
			}
		case *UpsmonConf:
			want := DefaultUpsmonConf()
			want.ShutdownCmd = []string{"/sbin/shutdown -h +0"}
			want.PowerDownFlag = "/etc/killpower"
			if !reflect.DeepEqual(c, want) {
				t.Errorf("%s: %+v", s.path, c)
			}
		case *UpsschedConf:
			if len(c.CmdScript) != 1 || !strings.HasSuffix(c.CmdScript[0], "/upssched-cmd") || len(c.At) != 0 {
				t.Errorf("%s: %+v", s.path, c)
			}
		case *NutConf:
			if c.Mode != ModeNone || len(c.Settings) != 1 {
				t.Errorf("%s: %+v", s.path, c)
			}
		}
	}
}

// Uncommented: the samples explain each directive with commented-out
// examples. Those lines, uncommented, must read without errors and mean
// what the comments say. Prose and templates ("<name>", "[upsname]") are
// left commented.

// looksLike tells an example line (its comment sign removed) from prose.
var looksLike = map[string]func(ws []string) bool{
	UPSConfFile: func(ws []string) bool {
		switch {
		case len(ws) == 1 && isHeader(ws[0]):
			return ws[0] != "[upsname]" // the template of "The general form"
		case len(ws) == 1:
			return ws[0] == "nowait" || ws[0] == "nolock" || ws[0] == "ignorelb" || ws[0] == "allow_killpower"
		}
		return len(ws) == 3 && ws[1] == "=" && regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_.]*$`).MatchString(ws[0])
	},
	UpsdConfFile: directiveOf(upsdDirectives),
	UpsdUsersFile: func(ws []string) bool {
		switch {
		case len(ws) == 1:
			return isHeader(ws[0])
		case len(ws) == 2:
			return ws[0] == "upsmon"
		}
		return ws[1] == "=" && (ws[0] == "password" || ws[0] == "actions" || ws[0] == "instcmds")
	},
	UpsmonConfFile:   directiveOf(upsmonDirectives),
	UpsschedConfFile: directiveOf(upsschedDirectives),
}

// directiveOf accepts lines that start with one of the directives and
// read like a value, not a sentence (no directive takes more than 7 words).
func directiveOf(names []string) func(ws []string) bool {
	return func(ws []string) bool {
		if len(ws) < 2 || len(ws) > 7 || !contains(names, ws[0]) {
			return false
		}
		for _, w := range ws[1:] {
			if w == "-" || w == ":" || strings.HasPrefix(w, "(") || strings.HasSuffix(w, ",") || strings.HasSuffix(w, ".") {
				return false
			}
		}
		return true
	}
}

var nutConfExample = regexp.MustCompile(`^(export )?[A-Z_]+(=\S*)?$`)

// uncomment removes the comment sign of the example lines of a sample.
// Lines that stay commented are kept, so line numbers do not move.
func uncomment(name, text string) (string, int) {
	var out []string
	n := 0
	for _, line := range strings.Split(text, "\n") {
		body := strings.TrimSpace(line)
		if !strings.HasPrefix(body, "#") {
			out = append(out, line)
			continue
		}
		body = strings.TrimSpace(strings.TrimLeft(body, "#"))
		var example bool
		if name == NutConfFile {
			example = nutConfExample.MatchString(body)
		} else if ws, err := words.Split(body); err == nil && len(ws) > 0 && !strings.Contains(body, "<") {
			example = looksLike[name](ws)
		}
		if example {
			out = append(out, body)
			n++
		} else {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n"), n
}

func TestDebianSamplesUncommented(t *testing.T) { samplesUncommented(t, debianSamples(t), false) }
func TestNUTSamplesUncommented(t *testing.T)    { samplesUncommented(t, nutSamples(t), true) }

func samplesUncommented(t *testing.T, samples []sample, master bool) {
	total := 0
	for _, s := range samples {
		text, n := uncomment(s.name, s.text)
		total += n
		file := s.path + " (uncommented)"
		v, errs := parseSample(s.name, file, text)
		fatal := Fatal(errs)
		if s.name == UpsdConfFile {
			// The sample shows "LISTEN myhostname 83493" among its
			// examples: no port is that high, upsd could not bind it.
			if len(fatal) != 1 || !strings.Contains(fatal[0].Error(), `LISTEN port "83493"`) {
				t.Errorf("%s: want only the error about port 83493, got %v", file, fatal)
			}
			fatal = nil
		}
		wantProblems(t, fatal)
		t.Logf("%s: %d example lines uncommented, %d warnings", s.path, n, len(Warnings(errs)))
		checkMeaning(t, file, v, master)
	}
	if total < 50 {
		t.Errorf("only %d example lines found in the samples", total)
	}
}

// checkMeaning checks that what the uncommented samples set is what their
// comments describe.
func checkMeaning(t *testing.T, file string, v any, master bool) {
	t.Helper()
	fail := func(what string, got any) { t.Errorf("%s: %s: got %+v", file, what, got) }
	switch c := v.(type) {
	case *UPSConf:
		if c.MaxRetry() != 3 {
			fail("maxretry", c.Globals)
		}
		if u := c.Find("powerpal"); u == nil || u.Driver != "blazer_ser" || u.Port != "/dev/ttyS0" || u.Desc != "Web server" {
			fail("[powerpal]", u)
		}
		if u := c.Find("myups"); u == nil || u.Driver != "mydriver" || u.Port != "/dev/ttyS1" || u.Desc != "Something descriptive" {
			fail("[myups]", u)
		} else if v, _ := u.Get("cable"); v != "1234" {
			fail("[myups] cable", u.Settings)
		}
	case *UpsdConf:
		want := []Listen{{"127.0.0.1", 3493}, {"::1", 3493}, {"myhostname.mydomain", 3493}}
		if !reflect.DeepEqual(c.Listen, want) {
			fail("LISTEN", c.Listen)
		}
		if c.MaxAge != 15 || c.MaxConn != 1024 || !c.AllowNoDevice || c.StatePath != "/var/run/nut" ||
			c.CertIdent != (CertIdent{"my nut server", "MyPasSw0rD"}) || !c.DisableWeakSSL {
			fail("directives", c)
		}
		if master && (!c.AllowNotAllListeners || c.CertRequest != CertRequestRequire || c.DebugMin != 2 ||
			c.CertFile != "/usr/local/ups/etc/upsd.pem" || c.TrackingDelay != 3600) {
			fail("NUT master's directives", c)
		}
	case *Users:
		admin, test := c.Find("admin"), c.Find("testuser")
		if admin == nil || admin.Password != "mypass" || !admin.Can("SET") || !admin.CanRun("anything") {
			fail("[admin]", admin)
		}
		if test == nil || test.Password != "pass" || !reflect.DeepEqual(test.InstCmds, []string{"test.battery.start", "test.battery.stop"}) || test.Can("SET") {
			fail("[testuser]", test)
		}
		mon := c.Find("monuser")
		if mon == nil {
			mon = c.Find("upsmon") // Debian's name for it
		}
		if mon == nil || mon.Password != "pass" || mon.Upsmon != RolePrimary {
			fail("upsmon user", mon)
		}
	case *UpsmonConf:
		var systems []string
		for _, m := range c.Monitors {
			systems = append(systems, m.System+" "+m.Role)
		}
		want := []string{"myups@bigserver primary", "su700@server.example.com secondary", "myups@localhost primary"}
		if !reflect.DeepEqual(systems, want) {
			fail("MONITOR", systems)
		}
		if m := c.Monitors[1]; m.UPS != "su700" || m.Host != "server.example.com" || m.Port != 3493 || m.PowerValue != 1 {
			fail("MONITOR su700", m)
		}
		if len(c.NotifyMsg) < 10 || len(c.NotifyFlag) < 10 || c.Flags("ONBATT") != NotifySyslog|NotifyWall {
			fail("NOTIFYMSG and NOTIFYFLAG", c.NotifyFlag)
		}
		if m, _ := c.Message("ONLINE"); m != "UPS %s on line power" {
			fail("NOTIFYMSG ONLINE", m)
		}
		if c.RunAsUser != "nut" || c.MinSupplies != 1 || c.DeadTime != 15 || !c.CertVerify || !c.ForceSSL {
			fail("directives", c)
		}
		if len(c.CertHosts) == 0 || c.CertHosts[0] != (CertHost{"localhost", "My nut server", true, true}) {
			fail("CERTHOST", c.CertHosts)
		}
		if master {
			for _, e := range NotifyEvents() {
				_, msg := c.NotifyMsg[e]
				_, flag := c.NotifyFlag[e]
				if e != "SUSPEND_TIMEJUMP_UNEXPECTED" && (!msg || !flag) {
					fail("NOTIFYMSG and NOTIFYFLAG "+e, c.NotifyFlag)
				}
			}
			if m, _ := c.Message("ALARM"); m != "UPS %s: one or more active alarms: [%s]" {
				fail("NOTIFYMSG ALARM", m)
			}
			if c.ShutdownExit != 0 || c.OBLBDuration != 0 || c.PollFailLogThrottleMax != 100 || c.OverDuration != -1 ||
				c.CertIdent != (CertIdent{"my nut monitor", "MyPasSw0rD"}) || len(c.CertHosts) != 2 ||
				!reflect.DeepEqual(c.NotifyCmd, []string{"/usr/bin/notifyme"}) {
				fail("NUT master's directives", c)
			}
		}
	case *UpsschedConf:
		var got []string
		for _, a := range c.At {
			got = append(got, strings.Join(append([]string{a.Event, a.UPS, a.Action}, a.Args...), " "))
		}
		for _, want := range []string{"COMMBAD * START-TIMER upsgone 10", "ONBATT * START-TIMER onbattwarn 30",
			"COMMOK myups@localhost CANCEL-TIMER upsgone", "ONLINE * CANCEL-TIMER onbattwarn", "ONLINE * EXECUTE ups-back-on-line"} {
			if !contains(got, want) {
				fail("AT "+want, got)
			}
		}
		if master && !contains(got, "ONLINE * CANCEL-TIMER-MATCHED onbattwarn") {
			fail("AT ... CANCEL-TIMER-MATCHED", got)
		}
		if !strings.HasSuffix(c.PipeFn, "/upssched/upssched.pipe") || !strings.HasSuffix(c.LockFn, "/upssched/upssched.lock") {
			fail("PIPEFN and LOCKFN", c)
		}
	case *NutConf:
		if c.Mode != ModeNone {
			fail("MODE", c.Mode)
		}
		if v, _ := c.Get("ALLOW_NO_DEVICE"); v != "true" {
			fail("ALLOW_NO_DEVICE", c.Settings)
		}
		if master && (!contains(c.Exported, "ALLOW_NO_DEVICE") || !contains(c.Exported, "NUT_DEBUG_LEVEL")) {
			fail("export", c.Exported)
		}
	}
}

// The MONITOR lines that ups.conf and upsd.users show in their comments
// are good upsmon.conf lines.
func TestSampleMonitorLines(t *testing.T) {
	var samples []sample
	for _, get := range []func(*testing.T) []sample{debianSamples, nutSamples} {
		t.Run("", func(t *testing.T) { samples = append(samples, get(t)...) })
	}
	n := 0
	for _, s := range samples {
		if s.name != UPSConfFile && s.name != UpsdUsersFile {
			continue
		}
		for _, line := range strings.Split(s.text, "\n") {
			body := strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(line), "#"))
			if !strings.HasPrefix(body, "MONITOR ") {
				continue
			}
			body, _, _ = strings.Cut(body, "(") // "primary (or secondary)"
			c, errs := ParseUpsmonConf(s.path, strings.NewReader(body+"\n"))
			if len(Fatal(errs)) > 0 || len(c.Monitors) != 1 || c.Monitors[0].PowerValue != 1 {
				t.Errorf("%s: %q: %v", s.path, body, errs)
			}
			n++
		}
	}
	if n == 0 && len(samples) > 0 {
		t.Errorf("no MONITOR examples found")
	}
}
