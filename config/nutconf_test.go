package config

import (
	"os/exec"
	"reflect"
	"strings"
	"testing"
)

var parseNut = parser[*NutConf](ParseNutConf)

func TestNutConfValues(t *testing.T) {
	for _, tc := range []struct {
		src, key, value string
	}{
		{"MODE=none", "MODE", "none"},
		{"UPSD_OPTIONS=", "UPSD_OPTIONS", ""},
		{`UPSD_OPTIONS=""`, "UPSD_OPTIONS", ""},
		{"UPSD_OPTIONS='-D -D'", "UPSD_OPTIONS", "-D -D"},
		{`UPSMON_OPTIONS="-p  \"x\" \\ \$HOME \q"`, "UPSMON_OPTIONS", `-p  "x" \ $HOME \q`},
		{`X='it'\''s'`, "X", "it's"},
		{`X=a'b c'"d e"f`, "X", "ab cd ef"},
		{`X=a\ b`, "X", "a b"},
		{"X=a#b", "X", "a#b"},
		{"X=v # comment", "X", "v"},
		{"  X=v\t", "X", "v"},
		{"X=*", "X", "*"},
		{"X=a=b", "X", "a=b"},
		{"X='multi\nline'", "X", "multi\nline"},
		{"X=\"con\\\ntinued\"", "X", "continued"},
		{"X=con\\\ntinued", "X", "continued"},
		{"export POWEROFF_WAIT=15m", "POWEROFF_WAIT", "15m"},
		{"X=caf\xc3\xa9", "X", "caf\xc3\xa9"},
	} {
		c, errs := parseNut.str("nut.conf", tc.src+"\n")
		if len(errs) > 0 || len(c.Settings) != 1 {
			t.Errorf("%q: %+v %v", tc.src, c.Settings, errs)
			continue
		}
		if v, _ := c.Get(tc.key); v != tc.value {
			t.Errorf("%q: %q, want %q", tc.src, v, tc.value)
		}
		roundTrip(t, parseNut, tc.src+"\n")
	}
}

func TestNutConf(t *testing.T) {
	src := `# /etc/nut/nut.conf.  See nut.conf(5)

MODE=netserver
UPSD_OPTIONS=""
UPSMON_OPTIONS=""
#POWEROFF_WAIT=15m
ALLOW_NO_DEVICE=true
export ALLOW_NO_DEVICE
export MODE NUT_DEBUG_LEVEL=2
MODE=standalone
`
	c, errs := parseNut.str("nut.conf", src)
	wantProblems(t, errs)
	want := &NutConf{Mode: ModeStandalone, Exported: []string{"ALLOW_NO_DEVICE", "MODE", "NUT_DEBUG_LEVEL"}, Settings: []Setting{
		{Key: "MODE", Value: "netserver", Line: 3}, {Key: "UPSD_OPTIONS", Line: 4}, {Key: "UPSMON_OPTIONS", Line: 5},
		{Key: "ALLOW_NO_DEVICE", Value: "true", Line: 7}, {Key: "NUT_DEBUG_LEVEL", Value: "2", Line: 9},
		{Key: "MODE", Value: "standalone", Line: 10}}}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("%+v\nwant %+v", c, want)
	}
	if empty, _ := parseNut.str("n", ""); empty.Mode != ModeNone {
		t.Errorf("MODE defaults to none")
	}
}

func TestNutConfProblems(t *testing.T) {
	src := `MODE=sometimes
EVIL=$(reboot)
EVIL2="$HOME/x"
EVIL3=` + "`id`" + `
A=1; B=2
TWO=a b
A=1 B=2
MODE = standalone
echo hello
. /etc/other
export
export 1X
export X=*.conf
HOME=~/nut
X="open
Y=2
`
	c, errs := parseNut.str("nut.conf", src)
	wantProblems(t, errs,
		`nut.conf:1: MODE=sometimes: expected one of none, standalone, netserver, netclient`,
		`nut.conf:2: shell expansion ($): gonut reads nut.conf, it does not run it; use single quotes for a literal $`,
		`nut.conf:3: shell expansion ($) inside double quotes: gonut reads nut.conf, it does not run it; use single quotes for a literal $`,
		"nut.conf:4: shell expansion (`): gonut reads nut.conf, it does not run it; use single quotes for a literal `",
		`nut.conf:5: shell syntax ';': nut.conf may hold only NAME=value assignments, export and comments`,
		`nut.conf:6: expected NAME=value, export NAME or a comment, got a command "TWO=a b": gonut reads nut.conf, it does not run it`,
		`nut.conf:7: several assignments on one line (A=1 B=2): a shell and systemd read this differently; write one NAME=value per line`,
		`nut.conf:8: expected NAME=value, export NAME or a comment, got a command "MODE = standalone" (no spaces around '=': a shell would run it as a command): gonut reads nut.conf, it does not run it`,
		`nut.conf:9: expected NAME=value, export NAME or a comment, got a command "echo hello": gonut reads nut.conf, it does not run it`,
		`nut.conf:10: expected NAME=value, export NAME or a comment, got a command ". /etc/other": gonut reads nut.conf, it does not run it`,
		`nut.conf:11: export without a name: expected export NAME`,
		`nut.conf:12: export "1X": expected export NAME or export NAME=value`,
		`nut.conf:13: export X=*.conf: a shell would expand the unquoted *, ? or [: quote the value`,
		`nut.conf:14: a shell would expand the unquoted ~: quote the value`,
		`nut.conf:15: unterminated double quote: expected a closing "`,
	)
	// Nothing bad was read; the good lines were.
	if c.Mode != ModeNone || len(c.Settings) != 1 || c.Settings[0].Key != "MODE" {
		t.Errorf("%+v", c)
	}
}

// A shell agrees with the parser on what each line sets.
func TestNutConfAgainstShell(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh on PATH to compare with")
	}
	src := `MODE=netclient
A='single quoted'
B="double \"quoted\" \\ \$x"
C=mixed'part'"s"\ and\ escapes
D=with#hash # and a comment
E=con\
tinued
F='multi
line'
export G=exported
H=
I=a=b
`
	c, errs := parseNut.str("n", src)
	wantProblems(t, errs)
	var script strings.Builder
	script.WriteString(src)
	for _, s := range c.Settings {
		script.WriteString(`printf '%s\0' "$` + s.Key + `"` + "\n")
	}
	out, err := exec.Command(sh, "-c", script.String()).Output()
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
	for i, s := range c.Settings {
		if i >= len(got) || got[i] != s.Value {
			t.Errorf("%s: parser %q, shell %q", s.Key, s.Value, got)
		}
	}
	// And on what Format writes.
	script.Reset()
	script.WriteString(c.Format())
	for _, s := range c.Settings {
		script.WriteString(`printf '%s\0' "$` + s.Key + `"` + "\n")
	}
	out, err = exec.Command(sh, "-c", script.String()).Output()
	if err != nil {
		t.Fatal(err)
	}
	if back := strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00"); !reflect.DeepEqual(back, got) {
		t.Errorf("formatted: %q\nwant %q", back, got)
	}
}

func TestNutConfFormat(t *testing.T) {
	c := &NutConf{Settings: []Setting{{Key: "MODE", Value: "standalone"}, {Key: "A", Value: "x y"}, {Key: "B", Value: "it's $x"},
		{Key: "C", Value: ""}, {Key: "D", Value: "/a/b-c.d:e,f+g@h%i"}}, Exported: []string{"A", "B"}}
	want := "MODE=standalone\nA='x y'\nB=\"it's \\$x\"\nC=''\nD=/a/b-c.d:e,f+g@h%i\nexport A B\n"
	if got := c.Format(); got != want {
		t.Errorf("format:\n%s\nwant:\n%s", got, want)
	}
}
