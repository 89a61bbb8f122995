package config

import (
	"reflect"
	"strings"
	"testing"
)

var parseUPS = parser[*UPSConf](ParseUPSConf)

func TestUPSConfValues(t *testing.T) {
	// Each line's value as a driver sees it, through NUT's quoting rules.
	for _, tc := range []struct {
		line, key, value string
	}{
		{"port = /dev/ttyS0", "port", "/dev/ttyS0"},
		{"port=/dev/ttyS0", "port", "/dev/ttyS0"},
		{"port =/dev/ttyS0", "port", "/dev/ttyS0"},
		{"port= /dev/ttyS0", "port", "/dev/ttyS0"},
		{"\tport\t=\t/dev/ttyS0\t", "port", "/dev/ttyS0"},
		{`desc = "Server room, rack 4"`, "desc", "Server room, rack 4"},
		{`desc = "say \"hi\""`, "desc", `say "hi"`},
		{`desc = "a = b"`, "desc", "a = b"},
		{`desc = ""`, "desc", ""},
		{`desc = 'single'`, "desc", "'single'"}, // single quotes are not quotes to NUT
		{`desc = a#comment`, "desc", "a"},
		{`desc = "a\#b"`, "desc", "a#b"},
		{`desc = a\#b`, "desc", "a#b"},
		{`port = "\\\\.\\COM1"`, "port", `\\.\COM1`}, // NUT's Windows example
		{`port = /dev/my\ port`, "port", "/dev/my port"},
		{"port = \\\n    /dev/ttyS1", "port", "/dev/ttyS1"},
		{`desc = mid"quote`, "desc", `mid"quote`},
		{`override.battery.charge.low = 30`, "override.battery.charge.low", "30"},
		{`"quoted key" = v`, "quoted key", "v"},
	} {
		c, errs := parseUPS.str("u", "[u]\ndriver = d\n"+tc.line+"\nport = p\n")
		if len(Fatal(errs)) > 0 {
			t.Errorf("%q: %v", tc.line, errs)
			continue
		}
		u := c.Find("u")
		if s := u.Settings[1]; s.Key != tc.key || s.Value != tc.value || s.Flag {
			t.Errorf("%q: got %+v, want %s = %q", tc.line, s, tc.key, tc.value)
		}
	}
}

func TestUPSConfStructure(t *testing.T) {
	src := `# globals
maxretry = 3
nowait
chroot = /var/lib/nut

[ups1]
	driver = usbhid-ups
	port = auto
	desc = "Server room"
	sdorder = 2
	maxstartdelay = 120
	ignorelb
	vendorid = 051d
	override.battery.charge.low = 30
[ups2]
	driver = dummy-ups
	port = ups2.dev
	sdorder = -1
	maxretry = 5
	retrydelay = 1
`
	c, errs := parseUPS.str("ups.conf", src)
	wantProblems(t, errs)
	wantGlobals := []Setting{{"maxretry", "3", false, 2}, {"nowait", "", true, 3}, {"chroot", "/var/lib/nut", false, 4}}
	if !reflect.DeepEqual(c.Globals, wantGlobals) {
		t.Errorf("globals %+v", c.Globals)
	}
	want1 := &UPS{Name: "ups1", Line: 6, EndLine: 14, Driver: "usbhid-ups", Port: "auto", Desc: "Server room",
		SDOrder: 2, MaxStartDelay: 120, MaxRetry: -1, RetryDelay: -1, Settings: []Setting{
			{"driver", "usbhid-ups", false, 7}, {"port", "auto", false, 8}, {"desc", "Server room", false, 9},
			{"sdorder", "2", false, 10}, {"maxstartdelay", "120", false, 11}, {"ignorelb", "", true, 12},
			{"vendorid", "051d", false, 13}, {"override.battery.charge.low", "30", false, 14}}, File: "ups.conf"}
	if !reflect.DeepEqual(c.Find("ups1"), want1) {
		t.Errorf("ups1:\n%+v\nwant\n%+v", c.Find("ups1"), want1)
	}
	u2 := c.Find("ups2")
	if u2.SDOrder != -1 || u2.MaxRetry != 5 || u2.RetryDelay != 1 || u2.MaxStartDelay != -1 {
		t.Errorf("ups2 %+v", u2)
	}
	u1 := c.Find("ups1")
	if v, ok := u1.Get("vendorid"); !ok || v != "051d" || !u1.Flag("ignorelb") || u1.Flag("vendorid") || u1.Flag("nolock") {
		t.Errorf("Get/Flag")
	}
	if _, ok := u1.Get("ignorelb"); ok {
		t.Errorf("a flag has no value")
	}
	if c.Find("nope") != nil {
		t.Errorf("Find of a missing UPS")
	}
	if v, ok := c.Global("chroot"); !ok || v != "/var/lib/nut" || !c.GlobalFlag("nowait") {
		t.Errorf("Global/GlobalFlag")
	}
}

func TestUPSConfAccessors(t *testing.T) {
	empty, _ := parseUPS.str("u", "")
	got := []any{empty.MaxStartDelay(), empty.MaxRetry(), empty.RetryDelay(), empty.PollInterval(), empty.DebugMin(),
		empty.NoWait(), empty.User(), empty.Group(), empty.Chroot(), empty.DriverPath(), empty.StatePath(), empty.Synchronous()}
	want := []any{75, 1, 5, 2, -1, false, "nut", "nut", "", "/lib/nut", "/run/nut", "auto"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("defaults %v, want %v", got, want)
	}
	c, errs := parseUPS.str("u", `maxstartdelay = 30
maxretry = 2
retrydelay = 9
pollinterval = 4
DEBUG_MIN = 3
nowait = yes
user = ups
group = dialout
chroot = /c
driverpath = /opt/nut/bin
STATEPATH = /var/state/ups
synchronous = yes
reconnect_max_tries = 10
reconnect_report_freq = 2
[a]
	driver = d
	port = p
	user = root
	pollinterval = 10
	maxstartdelay = -1
	synchronous = maybe
	debug_min = 7
[b]
	driver = d
	port = p
`)
	wantProblems(t, errs,
		`u:6: warning: nowait is a flag: NUT turns it on whatever the value (write just nowait, or remove the line)`,
		`u:21: warning: synchronous = "maybe": NUT reads it as no (expected yes, no or auto)`)
	got = []any{c.MaxStartDelay(), c.MaxRetry(), c.RetryDelay(), c.PollInterval(), c.DebugMin(),
		c.NoWait(), c.User(), c.Group(), c.Chroot(), c.DriverPath(), c.StatePath(), c.Synchronous()}
	want = []any{30, 2, 9, 4, 3, true, "ups", "dialout", "/c", "/opt/nut/bin", "/var/state/ups", "yes"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("globals %v, want %v", got, want)
	}
	ra := c.Resolve(c.Find("a"))
	wa := Resolved{User: "root", Group: "dialout", PollInterval: 10, Synchronous: "no", MaxStartDelay: -1,
		MaxRetry: 2, RetryDelay: 9, DebugMin: 7, ReconnectMaxTries: 10, ReconnectReportFreq: 2}
	if ra != wa {
		t.Errorf("resolved a: %+v\nwant %+v", ra, wa)
	}
	rb := c.Resolve(c.Find("b"))
	wb := Resolved{User: "ups", Group: "dialout", PollInterval: 4, Synchronous: "yes", MaxStartDelay: 30,
		MaxRetry: 2, RetryDelay: 9, DebugMin: 3, ReconnectMaxTries: 10, ReconnectReportFreq: 2}
	if rb != wb {
		t.Errorf("resolved b: %+v\nwant %+v", rb, wb)
	}
}

func TestUPSConfProblems(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      []string
	}{
		{"header with spaces skips its settings", "[a]\ndriver = x\nport = p\n[my ups]\ndriver = y\n[b]\ndriver = z\nport = q\n", []string{
			`u:4: malformed section header "[my ups]": expected one word in brackets, such as [myups]; the settings after it are skipped until the next section`,
			`u:5: driver skipped: it is under the malformed section header at line 4`}},
		{"empty header", "[]\ndriver = x\n", []string{
			`u:1: malformed section header "[]": expected one word in brackets, such as [myups]; the settings after it are skipped until the next section`,
			`u:2: driver skipped: it is under the malformed section header at line 1`}},
		{"open bracket", "[a\n", []string{
			`u:1: malformed section header "[a": expected one word in brackets, such as [myups]; the settings after it are skipped until the next section`}},
		{"words after a header", "[a] driver = x\ndriver = d\nport = p\n", []string{`u:1: warning: words after [a] ignored`}},
		{"missing driver and port", "[a]\ndesc = x\n", []string{
			`u:1: [a] has no driver: expected driver = <name>, such as usbhid-ups`,
			`u:1: [a] has no port: expected port = <device>, auto for USB`}},
		{"keys are case-sensitive", "[a]\nDRIVER = x\nPort = p\n", []string{
			`u:1: [a] has no driver: expected driver = <name>, such as usbhid-ups (keys are case-sensitive: line 2 has DRIVER)`,
			`u:1: [a] has no port: expected port = <device>, auto for USB (keys are case-sensitive: line 3 has Port)`}},
		{"repeated section is merged", "[a]\ndriver = x\n[b]\ndriver = y\nport = q\n[a]\nport = p\n", []string{
			`u:6: section [a] again (first at line 1): NUT merges the two into one; give each UPS one section`}},
		{"names differing in case", "[a]\ndriver = x\nport = p\n[A]\ndriver = x\nport = p\n", []string{
			`u:4: section [A] and [a] (line 1) differ only in case: upsd serves only the first`}},
		{"default is upsd's", "[default]\ndriver = x\nport = p\n", []string{
			`u:1: warning: [default] is a name upsd uses for itself: name this UPS otherwise`}},
		{"key without =", "[a]\ndriver = x\nport p\n", []string{
			`u:3: expected key = value, a flag or a [section], got "port p"`,
			`u:1: [a] has no port: expected port = <device>, auto for USB`}},
		{"key = nothing", "[a]\ndriver = x\nport =\n", []string{
			`u:3: port = without a value: expected port = <value> ("" for an empty one)`,
			`u:1: [a] has no port: expected port = <device>, auto for USB`}},
		{"lone =", "=\n", []string{`u:1: expected key = value, a flag or a [section], got "="`}},
		{"value with spaces", "[a]\ndriver = x\nport = p\ndesc = Web server\n", []string{
			`u:4: warning: words after desc = "Web" ignored (quote a value that has spaces)`}},
		{"value key as a flag", "[a]\ndriver = x\nport = p\ndesc\n", []string{`u:4: desc needs a value: expected desc = <value>`}},
		{"flag with a value", "[a]\ndriver = x\nport = p\nnolock = no\n", []string{
			`u:4: warning: nolock is a flag: NUT turns it on whatever the value (write just nolock, or remove the line)`}},
		{"repeated key", "[a]\ndriver = x\nport = p\nport = q\n", []string{
			`u:4: warning: [a] port again (was "p"): the last one is used`}},
		{"obsolete sddelay", "[a]\ndriver = x\nport = p\nsddelay = 5\n", []string{`u:4: warning: sddelay is obsolete: NUT ignores it`}},
		{"bad numbers", "[a]\ndriver = x\nport = p\nsdorder = soon\npollinterval = 0\nmaxretry = -1\ndebug_min = 2x\n", []string{
			`u:4: sdorder "soon": expected a whole number`,
			`u:5: pollinterval "0": expected a whole number, 1 or more`,
			`u:6: maxretry "-1": expected a whole number, 0 or more`,
			`u:7: debug_min "2x": expected a whole number, 0 or more`}},
		{"numbers read as atoi does", "[a]\ndriver = x\nport = p\nmaxstartdelay = 30s\n", []string{
			`u:4: warning: maxstartdelay "30s": read as 30, as NUT does (write just the number)`}},
		{"unknown global", "vendorid = 0463\nnowait\n", []string{
			`u:1: warning: unknown global setting vendorid: NUT ignores it (settings for one UPS go in its [section])`}},
		{"section key as a global", "driver = x\n", []string{
			`u:1: warning: driver is not a global setting: NUT ignores it here (put it in a UPS's [section])`}},
		{"global needing a value", "pollinterval\n", []string{`u:1: pollinterval needs a value: expected pollinterval = <value>`}},
		{"tokenizer problems", "[a]\ndriver = x\nport = \"p#x\"\ndesc = caf\xc3\xa9\nport = p\n", []string{
			`u:3: unbalanced quotes: unescaped # inside a quoted word (write \# or close the quote)`,
			`u:4: warning: dropped character 0xc3 (only printable ASCII is kept)`,
			`u:4: warning: dropped character 0xa9 (only printable ASCII is kept)`}},
		{"unterminated quote", "[a]\ndriver = x\nport = p\ndesc = \"open\n", []string{
			`u:4: unterminated quoted word at end of input (missing closing ")`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, errs := parseUPS.str("u", tc.src)
			wantProblems(t, errs, tc.want...)
		})
	}
}

func TestUPSConfBadLinesKeepTheGoodOnes(t *testing.T) {
	c, _ := parseUPS.str("u", "[a]\ndriver = x\nthis line is wrong\nport = p\n[b c]\ndriver = y\n[d]\ndriver = z\nport = q\n[a]\ndesc = again\n")
	if len(c.UPS) != 2 {
		t.Fatalf("sections %+v", c.UPS)
	}
	a, d := c.Find("a"), c.Find("d")
	if a.Driver != "x" || a.Port != "p" || a.Desc != "again" || a.EndLine != 11 || d.Driver != "z" || d.Port != "q" {
		t.Errorf("a %+v\nd %+v", a, d)
	}
}

func TestUPSConfSectionNames(t *testing.T) {
	for _, name := range []string{`a\b`, `q"x`, "h#sh", "sp ace", "eq=ual", "x]y", "[in]"} {
		c := &UPSConf{UPS: []*UPS{{Name: name, Settings: []Setting{{Key: "driver", Value: "d"}, {Key: "port", Value: "p"}}}}}
		back, errs := parseUPS.str("u", c.Format())
		if len(errs) > 0 || len(back.UPS) != 1 || back.UPS[0].Name != name {
			t.Errorf("section %q: %v %+v\n%s", name, errs, back.UPS, c.Format())
		}
	}
}

func TestUPSConfFormat(t *testing.T) {
	c, _ := parseUPS.str("u", "maxretry = 3\nnowait\n[a]\ndriver = x\nport = \"p q\"\nnolock\ndesc = \"say \\\"hi\\\" \\#1\"\n[b]\ndriver = y\nport = z\n")
	want := "maxretry = 3\nnowait\n\n[a]\n\tdriver = x\n\tport = \"p q\"\n\tnolock\n\tdesc = \"say \\\"hi\\\" \\#1\"\n\n[b]\n\tdriver = y\n\tport = z\n"
	if got := c.Format(); got != want {
		t.Errorf("format:\n%s\nwant:\n%s", got, want)
	}
	if !strings.HasPrefix((&UPSConf{UPS: c.UPS}).Format(), "[a]\n") {
		t.Errorf("no blank line before the first section without globals")
	}
}

// A port in NUT's upsname@host notation names a UPS of a NUT server,
// whatever the driver; upsd does not wait at start for such a driver.
func TestUPSConfFromNUTServer(t *testing.T) {
	c, _ := parseUPS.str("u", "[r]\ndriver = dummy-ups\nport = ups@localhost:3493\n[d]\ndriver = dummy-ups\nport = d.dev\n[usb]\ndriver = usbhid-ups\nport = auto\n")
	for name, want := range map[string]bool{"r": true, "d": false, "usb": false} {
		if got := c.Find(name).FromNUTServer(); got != want {
			t.Errorf("[%s] FromNUTServer = %v, want %v", name, got, want)
		}
	}
}
