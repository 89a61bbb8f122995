// Package gonut runs gonut's systemd units, enumerator and socket
// activation in a real Debian guest with systemd as PID 1 (../run.sh).
package gonut

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

func TestUnitsUnderSystemd(t *testing.T) {
	// Without hardware KVM the guest runs in software emulation (TCG):
	// slower, but the same checks, as CI has no KVM.
	_, work := installedWork(t, "guest-units.sh")
	limit := "1"
	if !HardwareKVM() {
		// Emulated, beside the host's tests: 9.8 s was seen on CI (the
		// figure itself is bench/results/enumerator.md's); this bound
		// catches only gross regressions (a missed edit, a poll).
		limit = "30"
	}
	runGuest(t, work, "EDIT_LIMIT="+limit+" bash guest-units.sh", 900)
}

// guestTest skips a guest test where it cannot run (not root: the
// harness builds its image with debootstrap) or must not (-short), and
// returns this folder and the work folder the guest gets.
func guestTest(t *testing.T) (here, work string) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("the VM harness needs root (it builds its image with debootstrap)")
	}
	if testing.Short() {
		t.Skip("-short: the VM tests take a few minutes")
	}
	_, self, _, _ := runtime.Caller(0)
	return filepath.Dir(self), t.TempDir()
}

// installedWork is guestTest's work folder holding `make install
// DESTDIR=root PREFIX=/usr` of this tree (static binaries: the guest's
// libraries are not the host's concern) and the guest script; it
// returns the tree's top too.
func installedWork(t *testing.T, script string) (top, work string) {
	t.Helper()
	here, work := guestTest(t)
	top = filepath.Join(here, "..", "..", "..")
	install := exec.Command("make", "-C", top, "install", "DESTDIR="+filepath.Join(work, "root"), "PREFIX=/usr")
	install.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := install.CombinedOutput(); err != nil {
		t.Fatalf("make install: %v\n%s", err, out)
	}
	b, err := os.ReadFile(filepath.Join(here, script))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(work, script), b, 0o755); err != nil {
		t.Fatal(err)
	}
	return top, work
}

// runGuest boots the guest with work shared at /host, runs cmd there and
// fails the test unless the guest printed "N passed, 0 failed" and no
// FAIL line. Everything the guest printed is logged.
func runGuest(t *testing.T, work, cmd string, timeoutSeconds int) {
	t.Helper()
	_, self, _, _ := runtime.Caller(0)
	run := exec.Command("bash", filepath.Join(filepath.Dir(self), "..", "run.sh"), work, cmd)
	run.Env = append(os.Environ(), fmt.Sprintf("NUTVM_TIMEOUT=%d", timeoutSeconds))
	out, err := run.CombinedOutput()
	t.Logf("guest:\n%s", out)
	if code := run.ProcessState.ExitCode(); code == 125 {
		t.Fatalf("the VM harness failed (exit 125): %v", err)
	}
	fails := regexp.MustCompile(`(?m)^FAIL: .*$`).FindAllString(string(out), -1)
	if len(fails) > 0 || err != nil || !strings.Contains(string(out), " passed, 0 failed") {
		t.Fatalf("%d checks failed in the guest: %s", len(fails), strings.Join(fails, "; "))
	}
}
