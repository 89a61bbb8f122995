package gonut

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// nut.conf's MODE under a real systemd (guest-mode.sh): none starts
// nothing, netclient nut-monitor alone, standalone all; the running
// enumerator follows MODE edits; the enumerator's hardened unit still
// adds an instance for a new section. One boot.
func TestModeUnderSystemd(t *testing.T) {
	top, work := installedWork(t, "guest-mode.sh")
	// The enumerator with libudev (cgo), as it runs for hot-plug: its
	// hardened unit must let it listen to udev.
	build := exec.Command("go", "build", "-ldflags", "-X gonut/config.driverDir=/usr/lib/nut", "-o", filepath.Join(work, "root", "usr", "sbin")+"/", "gonut/cmd/nut-driver-enumerator")
	build.Dir, build.Env = top, append(os.Environ(), "CGO_ENABLED=1")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build nut-driver-enumerator: %v\n%s", err, out)
	}
	runGuest(t, work, "bash guest-mode.sh", 900)
}
