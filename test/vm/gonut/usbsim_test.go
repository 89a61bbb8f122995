package gonut

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// debianUsbhidUps is Debian 12's usbhid-ups (nut-server), which the guest
// (Debian 12 too) runs as it is: it needs only libusb, libudev and libc,
// which the guest image has. The guest does not install nut-server itself,
// whose units would stand beside gonut's of the same names.
const debianUsbhidUps = "/lib/nut/usbhid-ups"

// TestUSBSimulatorWithUsbhidUps boots the guest once and runs every check
// of guest-usbsim.sh: the USB simulator brought in through USB/IP and
// vhci-hcd, seen by lsusb and udev, and read by Debian's usbhid-ups
// through gonut's upsd: a UPS on mains, then on battery, its charge
// falling, a command received, unplugged and plugged in again; ours
// through a device that stalls, one that goes mute and an unplug, in one
// process; then, for each simulated vendor (APC, CyberPower, Eaton,
// Tripp Lite), Debian's driver and ours against the same device: upsc,
// upsrw, upscmd -l and the SET_REPORTs of a command and a SET; then, for
// nutdrv_qx's USB-serial bridges (cypress, krauler, ippon, fuji), Debian's nutdrv_qx and ours against the same
// simulated bridge: upsc, upscmd -l and a command's transfers, and
// Debian's nut-scanner -U and ours.
func TestUSBSimulatorWithUsbhidUps(t *testing.T) {
	// Two guests at a time once the others (whose limits want a guest
	// alone) are done: make check must stay under 20 minutes on CI.
	t.Parallel()
	here, work := guestTest(t)
	if _, err := os.Stat(debianUsbhidUps); err != nil {
		t.Skipf("%s not found: apt-get install nut-server, or run make check", debianUsbhidUps)
	}
	build := exec.Command("go", "build", "-o", filepath.Join(work, "bin")+"/",
		"gonut/test/usbsim", "gonut/cmd/upsd", "gonut/cmd/upsc", "gonut/cmd/upscmd", "gonut/cmd/upsrw")
	build.Env = append(os.Environ(), "CGO_ENABLED=0") // static: the guest's libraries are not the host's concern
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	// Our usbhid-ups needs libusb (cgo): linked as Debian's is, against
	// the host's Debian 12 libraries, which the guest has too.
	ours := exec.Command("go", "build", "-o", filepath.Join(work, "bin")+"/", "gonut/cmd/usbhid-ups", "gonut/cmd/nutdrv_qx", "gonut/cmd/nut-scanner")
	ours.Env = append(os.Environ(), "CGO_ENABLED=1")
	if out, err := ours.CombinedOutput(); err != nil {
		t.Fatalf("go build usbhid-ups: %v\n%s", err, out)
	}
	copies := []struct{ from, to string }{
		{debianUsbhidUps, "nut/usbhid-ups"},
		{"/lib/nut/nutdrv_qx", "nut/nutdrv_qx"},
		{"/usr/bin/nut-scanner", "nut/nut-scanner"},
		{"/lib/x86_64-linux-gnu/libnutscan.so.2", "nut/lib/libnutscan.so.2"},
		{"/lib/x86_64-linux-gnu/libltdl.so.7", "nut/lib/libltdl.so.7"},
		{filepath.Join(here, "guest-usbsim.sh"), "guest-usbsim.sh"},
	}
	devices, _ := filepath.Glob(filepath.Join(here, "..", "..", "usbsim", "devices", "*.usbdev"))
	for _, d := range devices {
		copies = append(copies, struct{ from, to string }{d, filepath.Join("devices", filepath.Base(d))})
	}
	for _, c := range copies {
		b, err := os.ReadFile(c.from)
		if err != nil {
			t.Fatal(err)
		}
		to := filepath.Join(work, c.to)
		os.MkdirAll(filepath.Dir(to), 0o755)
		if err := os.WriteFile(to, b, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	runGuest(t, work, "bash guest-usbsim.sh", 1500)
}
