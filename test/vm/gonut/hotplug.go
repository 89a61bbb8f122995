package gonut

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// HotplugWork fills work for guest-hotplug.sh (TestUSBHotplug, and
// bench/hotplugbench with BENCH=n): gonut installed under work/root as
// `make install PREFIX=/usr` puts it, the enumerator, usbhid-ups and
// nutdrv_qx built with cgo, the USB simulator, the simulated devices and the script. top
// is the tree's top directory.
func HotplugWork(top, work string) error {
	root := filepath.Join(work, "root")
	install := exec.Command("make", "-C", top, "install", "DESTDIR="+root, "PREFIX=/usr")
	install.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := install.CombinedOutput(); err != nil {
		return fmt.Errorf("make install: %v\n%s", err, out)
	}
	// The enumerator (libudev), usbhid-ups and nutdrv_qx (libusb) need cgo: linked
	// against the host's Debian 12 libraries, which the guest has too.
	for _, b := range []struct{ pkg, dir string }{
		{"gonut/cmd/nut-driver-enumerator", "usr/sbin"},
		{"gonut/cmd/usbhid-ups", "usr/lib/nut"},
		{"gonut/cmd/nutdrv_qx", "usr/lib/nut"},
	} {
		build := exec.Command("go", "build", "-ldflags", "-X gonut/config.driverDir=/usr/lib/nut", "-o", filepath.Join(root, b.dir)+"/", b.pkg)
		build.Dir, build.Env = top, append(os.Environ(), "CGO_ENABLED=1")
		if out, err := build.CombinedOutput(); err != nil {
			return fmt.Errorf("go build %s: %v\n%s", b.pkg, err, out)
		}
	}
	sim := exec.Command("go", "build", "-o", filepath.Join(work, "bin")+"/", "gonut/test/usbsim")
	sim.Dir, sim.Env = top, append(os.Environ(), "CGO_ENABLED=0")
	if out, err := sim.CombinedOutput(); err != nil {
		return fmt.Errorf("go build usbsim: %v\n%s", err, out)
	}
	devices := filepath.Join(top, "test", "usbsim", "devices")
	files := map[string]string{}
	for _, n := range []string{"apc-back-ups-xs-1400u.usbdev", "ups-5131-2007.usbdev", "cps-cp1500avrlcda.usbdev"} {
		b, err := os.ReadFile(filepath.Join(devices, n))
		if err != nil {
			return err
		}
		files[n] = string(b)
	}
	apc, unknown := files["apc-back-ups-xs-1400u.usbdev"], files["ups-5131-2007.usbdev"]
	out := map[string]string{
		"apc.usbdev": apc,
		// The same model, another serial number.
		"apc-b.usbdev": strings.Replace(apc, `serial 2 "3B0000X00000"`, `serial 2 "3B0000X00001"`, 1),
		"cps.usbdev":   files["cps-cp1500avrlcda.usbdev"],
		// A HID device no driver's table lists.
		"unknown.usbdev": unknown,
		// A UPS of a driver gonut does not have (bcmxcp_usb's 0592:0002).
		"pending.usbdev": strings.Replace(strings.Replace(unknown, "vendorid 5131", "vendorid 0592", 1), "productid 2007", "productid 0002", 1),
	}
	if out["apc-b.usbdev"] == apc || out["pending.usbdev"] == unknown {
		return fmt.Errorf("%s changed: the serial or IDs to replace are not found", devices)
	}
	os.MkdirAll(filepath.Join(work, "dev"), 0o755)
	for name, text := range out {
		if err := os.WriteFile(filepath.Join(work, "dev", name), []byte(text), 0o644); err != nil {
			return err
		}
	}
	script, err := os.ReadFile(filepath.Join(top, "test", "vm", "gonut", "guest-hotplug.sh"))
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(work, "guest-hotplug.sh"), script, 0o755)
}
