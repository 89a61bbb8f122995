package gonut

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// nut.conf's MODE under a real systemd (guest-mode.sh): none starts
// nothing, netclient nut-monitor alone, standalone all; the running
// enumerator follows MODE edits; the enumerator's hardened unit still
// adds an instance for a new section. One boot.
func TestModeUnderSystemd(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("the VM harness needs root (it builds its image with debootstrap)")
	}
	if testing.Short() {
		t.Skip("-short: the VM tests take a few minutes")
	}
	_, self, _, _ := runtime.Caller(0)
	here := filepath.Dir(self)
	work := t.TempDir()
	install := exec.Command("make", "-C", filepath.Join(here, "..", "..", ".."), "install", "DESTDIR="+filepath.Join(work, "root"), "PREFIX=/usr")
	install.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := install.CombinedOutput(); err != nil {
		t.Fatalf("make install: %v\n%s", err, out)
	}
	// The enumerator with libudev (cgo), as it runs for hot-plug: its
	// hardened unit must let it listen to udev.
	build := exec.Command("go", "build", "-ldflags", "-X gonut/config.driverDir=/usr/lib/nut", "-o", filepath.Join(work, "root", "usr", "sbin")+"/", "gonut/cmd/nut-driver-enumerator")
	build.Dir, build.Env = filepath.Join(here, "..", "..", ".."), append(os.Environ(), "CGO_ENABLED=1")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build nut-driver-enumerator: %v\n%s", err, out)
	}
	script, _ := os.ReadFile(filepath.Join(here, "guest-mode.sh"))
	os.WriteFile(filepath.Join(work, "guest-mode.sh"), script, 0o755)
	runGuest(t, work, "bash guest-mode.sh", 900)
}
