package man_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"gonut/internal/version"
)

// helpCase is one program's -h against Debian's NUT 2.8.0 program, with
// the differences gonut means (each says why), applied to Debian's text or
// to ours before they are compared.
type helpCase struct {
	debian string // Debian's program; its path is also argv[0] for both
	fix    func(deb, ours, binDir string) (string, string)
}

var helpCases = map[string]helpCase{
	"upsd":     {debian: "/lib/nut/upsd"},
	"nut-web":  {}, // gonut's own: no Debian program to compare with
	"upsmon":   {debian: "/lib/nut/upsmon"},
	"upscmd":   {debian: "/usr/bin/upscmd"},
	"upsrw":    {debian: "/usr/bin/upsrw"},
	"upslog":   {debian: "/usr/bin/upslog"},
	"upssched": {debian: "/usr/sbin/upssched"},
	"upsc": {debian: "/usr/bin/upsc", fix: func(deb, ours, _ string) (string, string) {
		// NUT master's -j (JSON), in master's words and place.
		ours = strings.ReplaceAll(ours, " [-j] ", " ")
		ours = strings.Replace(ours, "\nOption:\n  -j         - display output in JSON format\n", "", 1)
		return deb, ours
	}},
	"upsdrvctl": {debian: "/usr/sbin/upsdrvctl"},
	"upsdrvsvcctl": {debian: "/usr/sbin/upsdrvsvcctl", fix: func(deb, ours, bin string) (string, string) {
		// Debian's script shows no version; it calls its shell enumerator,
		// ours the one beside it.
		deb = strings.Replace(deb, "controller \n", "controller "+version.NUT+"\n", 1)
		deb = strings.ReplaceAll(deb, "/usr/libexec/nut-driver-enumerator.sh", filepath.Join(bin, "nut-driver-enumerator"))
		return deb, ours
	}},
	"nut-driver-enumerator": {debian: "/usr/libexec/nut-driver-enumerator.sh"},
	"nut-scanner": {debian: "/usr/bin/nut-scanner", fix: func(deb, ours, _ string) (string, string) {
		// Scans gonut does not have yet say so where Debian's lists them
		// or says its library is missing.
		// Debian's -M needs libneon (libneon27-gnutls); ours is built in.
		deb = strings.Replace(deb, "* Options for XML/HTTP devices scan not enabled: library not detected.\n",
			"  -M, --xml_scan: Scan XML/HTTP devices.\n", 1)
		// Debian's -A needs libavahi-client; ours speaks D-Bus.
		deb = strings.Replace(deb, "* Options for NUT devices (avahi method) scan not enabled: library not detected.\n",
			"  -A, --avahi_scan: Scan NUT devices (avahi method).\n", 1)
		deb = strings.ReplaceAll(deb, "library not detected.", "not in gonut yet.")
		return deb, ours
	}},
	"dummy-ups":  {debian: "/lib/nut/dummy-ups"},
	"apcsmart":   {debian: "/lib/nut/apcsmart"},
	"genericups": {debian: "/lib/nut/genericups"},
	"snmp-ups": {debian: "/lib/nut/snmp-ups", fix: func(deb, ours, _ string) (string, string) {
		// NUT's -h shows its sensitive settings as flags; they take a value.
		for _, k := range []string{"community", "secName", "authPassword", "privPassword"} {
			deb = strings.Replace(deb, ": -x "+k+"\n", ": -x "+k+"=<value>\n", 1)
		}
		return deb, ours
	}},
	"usbhid-ups": {debian: "/lib/nut/usbhid-ups"},
	"nutdrv_qx": {debian: "/lib/nut/nutdrv_qx", fix: func(deb, ours, _ string) (string, string) {
		// gonut's nutdrv_qx has not every protocol of NUT's yet: its
		// settings must be Debian's lines, in Debian's order, some left out.
		const list = "Acceptable values for -x or ups.conf in this driver:\n"
		head, settings, ok := strings.Cut(deb, list)
		_, mine, _ := strings.Cut(ours, list)
		if ok {
			deb = head + list + subsequence(settings, mine)
		}
		return deb, ours
	}},
}

// subsequence is the lines of theirs that make up ours in order (each
// taken at its first place after the last taken): ours itself when ours
// leaves some of theirs out but adds or reorders nothing.
func subsequence(theirs, ours string) string {
	want := strings.SplitAfter(ours, "\n")
	var kept strings.Builder
	i := 0
	for _, l := range strings.SplitAfter(theirs, "\n") {
		if i < len(want) && l == want[i] {
			kept.WriteString(l)
			i++
		}
	}
	return kept.String()
}

// versions are where gonut's version shows its mark.
var versions = strings.NewReplacer(version.Gonut, version.NUT, version.NUT+" (gonut)", version.NUT)

// TestHelpAsNUT runs every program of cmd/ with -h beside Debian's, as
// the same argv[0]: standard output, standard error and the exit code
// must be Debian's, but for the differences listed in helpCases, the
// version's mark and what follows version.Additions in ours.
func TestHelpAsNUT(t *testing.T) {
	bin := programs(t)
	for _, name := range commands(t) {
		t.Run(name, func(t *testing.T) {
			c, ok := helpCases[name]
			if !ok {
				t.Fatalf("%s has no case in helpCases: add Debian's program and the differences meant", name)
			}
			if c.debian == "" {
				t.Skipf("%s is gonut's own: NUT has no such program", name)
			}
			if _, err := os.Stat(c.debian); err != nil {
				t.Skipf("Debian's %s is not installed (apt-get install nut-server nut-client nut-snmp, or make check)", c.debian)
			}
			dOut, dErr, dCode := help(t, c.debian, c.debian)
			oOut, oErr, oCode := help(t, filepath.Join(bin, name), c.debian)
			if i := strings.Index(oOut, "\n\n"+version.Additions+"\n"); i >= 0 {
				oOut = oOut[:i+1]
			} else if strings.Contains(oOut, version.Additions) {
				t.Errorf("the additions' heading is not after a blank line:\n%s", oOut)
			}
			oOut, oErr = versions.Replace(oOut), versions.Replace(oErr)
			if c.fix != nil {
				dOut, oOut = c.fix(dOut, oOut, bin)
			}
			sameAsDebian(t, [3]string{dOut, dErr, strconv.Itoa(dCode)}, [3]string{oOut, oErr, strconv.Itoa(oCode)})
		})
	}
}

// sameAsDebian fails t where ours (standard output, standard error, exit
// code) is not Debian's.
func sameAsDebian(t *testing.T, deb, ours [3]string) {
	t.Helper()
	if deb[0] != ours[0] {
		t.Errorf("standard output differs from Debian's:\n%s", lineDiff(deb[0], ours[0]))
	}
	if deb[1] != ours[1] {
		t.Errorf("standard error differs from Debian's:\n%s", lineDiff(deb[1], ours[1]))
	}
	if deb[2] != ours[2] {
		t.Errorf("exit code %s, Debian's %s", ours[2], deb[2])
	}
}

// lineDiff shows the lines of a and b from the first that differs.
func lineDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	i := 0
	for i < len(al) && i < len(bl) && al[i] == bl[i] {
		i++
	}
	var s strings.Builder
	s.WriteString("from line " + strconv.Itoa(i+1) + "\n")
	for j := i; j < len(al) && j < i+6; j++ {
		s.WriteString("  Debian: " + strings.ReplaceAll(al[j], "\t", "\\t") + "\n")
	}
	for j := i; j < len(bl) && j < i+6; j++ {
		s.WriteString("  ours:   " + strings.ReplaceAll(bl[j], "\t", "\\t") + "\n")
	}
	return s.String()
}
