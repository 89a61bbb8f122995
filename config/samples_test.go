package config

import (
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// parsers by file name, for the sample tests.
func parsers() map[string]func(string, io.Reader) []error {
	return map[string]func(string, io.Reader) []error{
		"ups.conf":      func(f string, r io.Reader) []error { _, e := ParseUPSConf(f, r); return e },
		"upsd.conf":     func(f string, r io.Reader) []error { _, e := ParseUpsdConf(f, r); return e },
		"upsd.users":    func(f string, r io.Reader) []error { _, e := ParseUsers(f, r); return e },
		"upsmon.conf":   func(f string, r io.Reader) []error { _, e := ParseUpsmonConf(f, r); return e },
		"upssched.conf": func(f string, r io.Reader) []error { _, e := ParseUpsschedConf(f, r); return e },
		"nut.conf":      func(f string, r io.Reader) []error { _, e := ParseNutConf(f, r); return e },
	}
}

// sampleDirs are where samples are: Debian's installed files, and NUT's
// own conf/*.sample from a source tree ($NUT_SOURCE_DIR).
func sampleFiles(t *testing.T) map[string][]string {
	found := map[string][]string{}
	for name := range parsers() {
		if p := filepath.Join("/etc/nut", name); exists(p) {
			found[name] = append(found[name], p)
		}
		if dir := os.Getenv("NUT_SOURCE_DIR"); dir != "" {
			for _, suffix := range []string{".sample", ".sample.in"} {
				if p := filepath.Join(dir, "conf", name+suffix); exists(p) {
					found[name] = append(found[name], p)
				}
			}
		}
	}
	if len(found) == 0 {
		t.Skip("no sample configuration files: install Debian's nut-server and nut-client (make check does), or set NUT_SOURCE_DIR to a NUT source tree")
	}
	if os.Getenv("NUT_SOURCE_DIR") == "" {
		t.Log("NUT_SOURCE_DIR not set: NUT's own conf/*.sample files are not read, only Debian's")
	}
	return found
}

func exists(p string) bool { _, err := os.Stat(p); return err == nil }

// Every sample parses without an error, as it is.
func TestSamplesAsShipped(t *testing.T) {
	for name, paths := range sampleFiles(t) {
		for _, path := range paths {
			body := substitute(readFile(t, path))
			if errs := Fatal(parsers()[name](path, strings.NewReader(body))); len(errs) > 0 {
				t.Errorf("%s: %v", path, errs)
			}
		}
	}
}

// The samples are mostly comments that show each directive. Uncommented,
// those examples parse too, except lines that are templates ("<system>",
// "a|b") rather than examples.
func TestSamplesUncommented(t *testing.T) {
	example := map[string]*regexp.Regexp{
		"ups.conf":      regexp.MustCompile(`^\[[A-Za-z0-9_-]+\]$|^(driver|port|desc|sdorder|maxstartdelay|maxretry|retrydelay|pollinterval|nowait|user|group|serial|vendorid|productid|mfr|model) *= *\S`),
		"upsd.conf":     regexp.MustCompile(`^(LISTEN|MAXAGE|MAXCONN|TRACKINGDELAY|ALLOW_NO_DEVICE|ALLOW_NOT_ALL_LISTENERS|STATEPATH|CERTFILE|DISABLE_WEAK_SSL|DEBUG_MIN) \S`),
		"upsd.users":    regexp.MustCompile(`^\[[A-Za-z0-9_-]+\]$|^(password|actions|instcmds) *= *\S|^upsmon (primary|secondary|master|slave)$`),
		"upsmon.conf":   regexp.MustCompile(`^(MONITOR|MINSUPPLIES|SHUTDOWNCMD|NOTIFYCMD|POLLFREQ|POLLFREQALERT|HOSTSYNC|DEADTIME|POWERDOWNFLAG|NOTIFYMSG|NOTIFYFLAG|RBWARNTIME|NOCOMMWARNTIME|FINALDELAY|RUN_AS_USER|CERTPATH|CERTIDENT|CERTHOST|CERTVERIFY|FORCESSL|OFFDURATION|OVERDURATION|OBLBDURATION|ALARMCRITICAL|SHUTDOWNEXIT) \S`),
		"upssched.conf": regexp.MustCompile(`^(CMDSCRIPT|PIPEFN|LOCKFN|AT) \S`),
		"nut.conf":      regexp.MustCompile(`^[A-Z_]+=`),
	}
	template := regexp.MustCompile(`<|>|\.\.\.|\||^\S+ - | the | this | an? |\w, `)
	total := 0
	for name, paths := range sampleFiles(t) {
		for _, path := range paths {
			var kept []string
			for _, l := range strings.Split(substitute(readFile(t, path)), "\n") {
				body := strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(l), "#"))
				if example[name].MatchString(body) && !template.MatchString(body) {
					kept = append(kept, body)
				}
			}
			total += len(kept)
			text := strings.Join(kept, "\n") + "\n"
			for _, e := range Fatal(parsers()[name](path+" (uncommented)", strings.NewReader(text))) {
				ce, ok := e.(*Error)
				if !ok {
					t.Errorf("%v", e)
					continue
				}
				// Sections shown without their driver or port in the
				// sample are incomplete on purpose; anything else fails.
				if strings.Contains(ce.Msg, "has no driver") || strings.Contains(ce.Msg, "has no port") ||
					strings.Contains(ce.Msg, "again (first at") || strings.Contains(ce.Msg, "MINSUPPLIES") ||
					strings.Contains(ce.Msg, "timers need PIPEFN") ||
					// NUT's sample shows an impossible port on purpose
					// next to the real examples; upsd would fail to bind.
					strings.Contains(kept[ce.Line-1], "83493") {
					continue
				}
				t.Errorf("%v\n  line: %s", e, kept[ce.Line-1])
			}
		}
	}
	if total == 0 {
		t.Fatal("no example lines found in the samples")
	}
	t.Logf("%d example lines uncommented and parsed", total)
}

// substitute fills the @VAR@ placeholders of NUT's .sample.in files.
func substitute(s string) string {
	return regexp.MustCompile(`@[A-Z_]+@`).ReplaceAllStringFunc(s, func(v string) string {
		switch v {
		case "@RUN_AS_USER@":
			return "nut"
		case "@PORT@":
			return "3493"
		}
		return "/run/nut"
	})
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
