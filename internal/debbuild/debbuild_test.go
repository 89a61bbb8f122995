package debbuild

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// TestPackagesBuildAndPassLintian builds gonut's packages with Debian's
// tools and runs lintian on them: no errors, and no warnings but the
// missing manual pages. Each package takes the place of Debian's own.
func TestPackagesBuildAndPassLintian(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root: make check installs debhelper, lintian and the build dependencies")
	}
	_, self, _, _ := runtime.Caller(0)
	top := filepath.Join(filepath.Dir(self), "..", "..")
	out := t.TempDir()
	debs, changes, err := Build(top, out)
	if err != nil {
		t.Fatal(err)
	}
	lint := exec.Command("lintian", "--fail-on", "error", changes)
	lint.Dir = out
	report, err := lint.CombinedOutput()
	t.Logf("lintian:\n%s", report)
	if err != nil {
		t.Fatalf("lintian: %v", err)
	}
	for _, l := range strings.Split(strings.TrimSpace(string(report)), "\n") {
		if regexp.MustCompile(`^[EW]: `).MatchString(l) && !strings.Contains(l, " no-manual-page ") {
			t.Errorf("lintian: %s", l)
		}
	}
	want := map[string]struct{ file, replaces string }{
		"gonut-server": {"./sbin/upsd", "nut-server, nut-snmp"},
		"gonut-client": {"./sbin/upsmon", "nut-client, ups-monitor"},
	}
	for _, deb := range debs {
		name := strings.SplitN(filepath.Base(deb), "_", 2)[0]
		w, ok := want[name]
		if !ok {
			continue
		}
		delete(want, name)
		fields, _ := exec.Command("dpkg-deb", "-f", deb, "Conflicts", "Replaces", "Provides").Output()
		for _, f := range []string{"Conflicts: " + w.replaces, "Replaces: " + w.replaces} {
			if !strings.Contains(string(fields), f) {
				t.Errorf("%s: no %q in\n%s", name, f, fields)
			}
		}
		list, _ := exec.Command("dpkg-deb", "-c", deb).Output()
		if !strings.Contains(string(list), " "+w.file+"\n") {
			t.Errorf("%s does not hold %s:\n%s", name, w.file, list)
		}
	}
	for name := range want {
		t.Errorf("no %s package among %v", name, debs)
	}
}
