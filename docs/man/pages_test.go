package man_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// configFiles are NUT's configuration files, each with a page in section 5.
var configFiles = []string{"ups.conf", "upsd.conf", "upsd.users", "upsmon.conf", "upssched.conf", "nut.conf"}

// drivers are the programs whose options are shared with nutupsdrv(8).
var drivers = map[string]bool{"dummy-ups": true, "usbhid-ups": true, "apcsmart": true, "genericups": true,
	"snmp-ups": true, "nutdrv_qx": true}

// render runs make man into a temporary directory, as a build does, and
// returns it.
func render(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("go-md2man"); err != nil {
		t.Skip("go-md2man is not installed: apt-get install go-md2man, or make check")
	}
	dir := t.TempDir()
	cmd := exec.Command("make", "-s", "man", "MANBUILD="+dir)
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("make man: %v\n%s", err, out)
	}
	return dir
}

// TestPagesRenderCleanly renders every page and has groff check it: no
// warning of any kind, and each page has its NAME.
func TestPagesRenderCleanly(t *testing.T) {
	if _, err := exec.LookPath("groff"); err != nil {
		t.Skip("groff is not installed (apt-get install groff-base)")
	}
	dir := render(t)
	pages, _ := filepath.Glob(filepath.Join(dir, "*"))
	sources, _ := filepath.Glob(filepath.Join(root, "docs", "man", "*.md"))
	if len(pages) == 0 || len(pages) != len(sources) {
		t.Fatalf("make man rendered %d pages from %d sources", len(pages), len(sources))
	}
	for _, p := range pages {
		out, err := exec.Command("groff", "-k", "-t", "-man", "-ww", "-z", p).CombinedOutput()
		if err != nil || len(out) > 0 {
			t.Errorf("%s: groff: %v\n%s", filepath.Base(p), err, out)
		}
		text, _ := os.ReadFile(p)
		name := filepath.Base(p)
		name = name[:strings.LastIndex(name, ".")]
		if !regexp.MustCompile(`(?m)^\.SH NAME\n\.PP\n` + regexp.QuoteMeta(name) + ` - `).Match(text) {
			t.Errorf("%s: no NAME section naming %s", filepath.Base(p), name)
		}
	}
}

// page is the markdown source of a page, "" when there is none.
func page(name, section string) string {
	b, _ := os.ReadFile(filepath.Join(root, "docs", "man", name+"."+section+".md"))
	return string(b)
}

// TestEveryProgramAndFileHasAPage: a page for each program of cmd/ and
// each configuration file.
func TestEveryProgramAndFileHasAPage(t *testing.T) {
	for _, name := range commands(t) {
		if page(name, "8") == "" {
			t.Errorf("%s has no page: write docs/man/%s.8.md", name, name)
		}
	}
	for _, name := range configFiles {
		if page(name, "5") == "" {
			t.Errorf("%s has no page: write docs/man/%s.5.md", name, name)
		}
	}
}

var (
	// helpOption is an option as -h lists it: -x, -FF, --daemon...
	helpOption = regexp.MustCompile(`(?:^|[\s\[(|,'])(--?[A-Za-z0-9][A-Za-z0-9_-]*)`)
	// helpSetting is a driver's setting, in the list of -h (not the
	// example of -x).
	helpSetting = regexp.MustCompile(` : -x ([A-Za-z0-9_]+)`)
)

// helpOptions are the options and driver settings that a program's -h
// lists (ours, with gonut's additions).
func helpOptions(t *testing.T, bin, name string) []string {
	t.Helper()
	out, errOut, _ := help(t, filepath.Join(bin, name), name)
	text := out + errOut
	seen := map[string]bool{}
	for _, m := range helpOption.FindAllStringSubmatch(text, -1) {
		seen[m[1]] = true
	}
	for _, m := range helpSetting.FindAllStringSubmatch(text, -1) {
		seen[m[1]] = true
	}
	var opts []string
	for o := range seen {
		opts = append(opts, o)
	}
	sort.Strings(opts)
	return opts
}

// mentions reports whether text names opt as a word of its own.
func mentions(text, opt string) bool {
	return regexp.MustCompile(`(^|[^A-Za-z0-9_-])` + regexp.QuoteMeta(opt) + `($|[^A-Za-z0-9_-])`).MatchString(text)
}

// TestPagesListEveryHelpOption: every option and setting a program's -h
// lists is in its page (a driver's: in its page or nutupsdrv(8)'s), so a
// page cannot fall behind its program.
func TestPagesListEveryHelpOption(t *testing.T) {
	bin := programs(t)
	for _, name := range commands(t) {
		t.Run(name, func(t *testing.T) {
			text := page(name, "8")
			if text == "" {
				t.Skip("no page (TestEveryProgramAndFileHasAPage)")
			}
			if drivers[name] {
				text += page("nutupsdrv", "8")
			}
			opts := helpOptions(t, bin, name)
			if name != "upssched" && len(opts) == 0 {
				t.Fatalf("%s -h lists no option", name)
			}
			for _, o := range opts {
				if !mentions(text, o) {
					t.Errorf("%s -h lists %s, which its page does not", name, o)
				}
			}
		})
	}
}
