package gonut

import (
	"path/filepath"
	"testing"
)

// TestUSBHotplug boots the guest once and runs every check of
// guest-hotplug.sh: gonut installed as a systemd service set, with its
// udev rules, and simulated USB UPSes plugged and unplugged over USB/IP:
// each gets its driver and upsd serves it within the limit (a client
// connected before stays served), upsmon watching it sees it come and go
// (COMMOK, COMMBAD), unplugged it goes, replugged it has the same name;
// two of one model get two; the
// admin's section claims its UPS; a device that is no UPS, or whose
// driver is missing, starts nothing; a UPS behind a USB-serial bridge
// gets our nutdrv_qx; the enumerator restarted, or started
// from scratch, finds what is plugged in.
func TestUSBHotplug(t *testing.T) {
	// Two guests at a time once the others (whose limits want a guest
	// alone) are done: make check must stay under 20 minutes on CI.
	t.Parallel()
	here, work := guestTest(t)
	if err := HotplugWork(filepath.Join(here, "..", "..", ".."), work); err != nil {
		t.Fatal(err)
	}
	limit := "2"
	if !HardwareKVM() {
		limit = "30" // emulated, beside another guest: 2.6-10.3 s measured (bench/results/hotplug.md); this catches only gross regressions
	}
	runGuest(t, work, "HOTPLUG_LIMIT="+limit+" bash guest-hotplug.sh", 900)
}
