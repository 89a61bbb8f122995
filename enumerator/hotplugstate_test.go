package enumerator

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gonut/config"
	"gonut/drivers/usb"
	"gonut/enumerator/hotplug"
	"gonut/enumerator/udevwatch"
	"gonut/internal/cli"
	"gonut/nutenv"
)

func ups(serial, sysPath string) hotplug.Device {
	return hotplug.Device{SysPath: sysPath, Driver: "usbhid-ups", Identity: usb.Identity{
		VendorID: 0x051d, ProductID: 0x0002, Vendor: "American Power Conversion", Product: "Back-UPS XS 1400U",
		Serial: serial, Bus: "003", Device: "002", BusPort: "001"}}
}

// hotplugRig is the daemon's loop without udev and systemd: devices are
// applied by hand, the service manager is memBackend.
type hotplugRig struct {
	t      *testing.T
	vars   nutenv.Env
	hp     *Hotplug
	b      *memBackend
	log    bytes.Buffer
	policy hotplug.Policy
}

func newRig(t *testing.T, upsConf string, present ...hotplug.Device) *hotplugRig {
	dir := t.TempDir()
	drivers := filepath.Join(dir, "drivers")
	os.MkdirAll(drivers, 0o755)
	os.WriteFile(filepath.Join(drivers, "usbhid-ups"), []byte("#!/bin/sh\n"), 0o755)
	os.WriteFile(filepath.Join(dir, "ups.conf"), []byte("driverpath = "+drivers+"\n"+upsConf), 0o644)
	vars := nutenv.Env(func(k string) string {
		return map[string]string{"NUT_CONFPATH": dir, "NUT_STATEPATH": filepath.Join(dir, "state")}[k]
	})
	return &hotplugRig{t: t, vars: vars, hp: NewHotplug(vars.HotplugDir(), present), b: newMem(), policy: hotplug.All}
}

// run is one turn of the daemon's loop.
func (r *hotplugRig) run() Changes {
	r.t.Helper()
	conf, errs := config.LoadUPSConf(r.vars.ConfFile("ups.conf"))
	if len(config.Fatal(errs)) > 0 {
		r.t.Fatal(errs)
	}
	claimed, err := r.hp.Sync(conf, r.policy, &r.log)
	if err != nil {
		r.t.Fatal(err)
	}
	if errs := config.AddRuntimeSections(conf, r.hp.Dir); len(errs) > 0 {
		r.t.Fatal(errs)
	}
	ch, err := Reconcile(context.Background(), r.b, Plan(conf), nil, true, &r.log)
	if err != nil {
		r.t.Fatal(err)
	}
	startClaimed(context.Background(), r.b, claimed, &r.log)
	return ch
}

func (r *hotplugRig) files() []string {
	m, _ := filepath.Glob(filepath.Join(r.hp.Dir, "*"))
	for i := range m {
		m[i] = filepath.Base(m[i])
	}
	return m
}

const adminConf = `[dummy]
	driver = dummy-ups
	port = d.dev
[mine]
	driver = usbhid-ups
	port = auto
	vendorid = 051d
	serial = 3B0000X0000C
	pollinterval = 5
`

func TestHotplugDaemon(t *testing.T) {
	keyboard := hotplug.Device{SysPath: "/sys/x/3-3", Identity: usb.Identity{VendorID: 0x0627, ProductID: 0x0001, Product: "QEMU USB Keyboard"}}
	qx := hotplug.Device{SysPath: "/sys/x/3-4", Driver: "nutdrv_qx", Identity: usb.Identity{VendorID: 0x0665, ProductID: 0x5161}}
	// Coldplug: two UPSes of one model, a keyboard, a UPS whose driver
	// is missing.
	r := newRig(t, adminConf, ups("3B0000X0000A", "/sys/x/3-1"), ups("3B0000X0000B", "/sys/x/3-2"), keyboard, qx)
	ch := r.run()
	a, b := "usb-051d-0002-3B0000X0000A", "usb-051d-0002-3B0000X0000B"
	if got := strings.Join(ch.Added, " "); got != "dummy mine "+a+" "+b {
		t.Fatalf("added %q\n%s", got, r.log.String())
	}
	if got := strings.Join(r.files(), " "); got != a+".conf "+b+".conf" {
		t.Errorf("runtime files %q", got)
	}
	if !r.b.defined[a].Runtime || r.b.defined["mine"].Runtime {
		t.Error("runtime instances not marked as such")
	}
	log := r.log.String()
	for _, want := range []string{
		"USB device 0627:0001 (QEMU USB Keyboard) at /sys/x/3-3: not a UPS (no driver's USB table lists it)\n",
		"USB device 0665:5161 at /sys/x/3-4: its driver nutdrv_qx is not installed\n",
		"runtime section [" + a + "] for usbhid-ups\n",
	} {
		if strings.Count(log, want) != 1 {
			t.Errorf("log has not %q once:\n%s", want, log)
		}
	}

	// The same devices told of again (udev's event after the scan), and
	// a periodic turn: nothing starts twice, nothing is logged again.
	r.log.Reset()
	r.b.calls = nil
	r.hp.Apply(udevwatch.Event{Device: ups("3B0000X0000A", "/sys/x/3-1")})
	r.hp.Apply(udevwatch.Event{Device: keyboard})
	if ch := r.run(); ch.Any() || len(r.b.calls) != 0 || r.log.Len() != 0 {
		t.Errorf("again: %+v %q\n%s", ch, r.b.calls, r.log.String())
	}

	// Unplugged: stopped, its section gone, upsd reloaded.
	r.b.calls = nil
	r.hp.Apply(udevwatch.Event{Remove: true, Device: hotplug.Device{SysPath: "/sys/x/3-1"}})
	ch = r.run()
	if strings.Join(ch.Removed, " ") != a || r.b.active[a] || !slices.Contains(r.b.calls, "reload upsd") {
		t.Errorf("unplugged: %+v %q", ch, r.b.calls)
	}
	if got := strings.Join(r.files(), " "); got != b+".conf" {
		t.Errorf("runtime files %q", got)
	}
	// Plugged in again elsewhere: the same name.
	r.hp.Apply(udevwatch.Event{Device: ups("3B0000X0000A", "/sys/x/1-7")})
	if ch := r.run(); strings.Join(ch.Added, " ") != a || !r.b.active[a] {
		t.Errorf("replugged: %+v", ch)
	}

	// The admin's UPS: its section's driver, which had stopped, starts;
	// no runtime section.
	r.b.active["mine"] = false
	r.b.calls = nil
	r.hp.Apply(udevwatch.Event{Device: ups("3B0000X0000C", "/sys/x/3-5")})
	if ch := r.run(); ch.Any() || !slices.Equal(r.b.calls, []string{"start mine"}) {
		t.Errorf("admin's device: %+v %q", ch, r.b.calls)
	}
	if len(r.files()) != 2 {
		t.Errorf("runtime files %q", r.files())
	}
	// Unplugged, the admin's driver keeps running (it waits for its
	// device, as NUT's): ups.conf asks for it.
	r.hp.Apply(udevwatch.Event{Remove: true, Device: hotplug.Device{SysPath: "/sys/x/3-5"}})
	if ch := r.run(); ch.Any() || !r.b.active["mine"] {
		t.Errorf("admin's device unplugged: %+v", ch)
	}

	// Policy matched: the runtime sections go.
	r.policy = hotplug.Matched
	if ch := r.run(); len(ch.Removed) != 2 || len(r.files()) != 0 {
		t.Errorf("matched: %+v, files %q", ch, r.files())
	}
}

// A section of ups.conf for a serial device never claims a USB one,
// even when its driver is the one udev names.
func TestHotplugSerialSectionsDoNotClaim(t *testing.T) {
	qx := hotplug.Device{SysPath: "/sys/x/3-4", Driver: "usbhid-ups", Identity: usb.Identity{VendorID: 0x0665, ProductID: 0x5161}}
	r := newRig(t, "[ser]\n\tdriver = nutdrv_qx\n\tport = /dev/ttyS0\n", qx)
	qx.Driver = "nutdrv_qx"
	r.hp = NewHotplug(r.vars.HotplugDir(), []hotplug.Device{qx})
	os.WriteFile(filepath.Join(filepath.Dir(r.vars.ConfFile("ups.conf")), "drivers", "nutdrv_qx"), []byte("#!/bin/sh\n"), 0o755)
	r.run()
	if len(r.files()) != 1 || !strings.Contains(r.log.String(), "runtime section [usb-0665-5161-at-3-4] for nutdrv_qx") {
		t.Errorf("files %q\n%s", r.files(), r.log.String())
	}
}

// --list-devices and upsdrvsvcctl list mark the runtime sections.
func TestListMarksRuntimeSections(t *testing.T) {
	r := newRig(t, adminConf, ups("3B0000X0000A", "/sys/x/3-1"))
	r.run()
	var out, errb bytes.Buffer
	std := cli.Stdio{Out: &out, Err: &errb}
	if code := Main([]string{"nut-driver-enumerator", "--list-devices"}, r.vars, std); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if out.String() != "dummy\nmine\nusb-051d-0002-3B0000X0000A\n" ||
		!strings.Contains(errb.String(), "=== Runtime sections for hot-plugged USB devices, in '"+r.vars.HotplugDir()+"':") {
		t.Errorf("--list-devices:\n%s%s", out.String(), errb.String())
	}
	out.Reset()
	if code := SvcctlMain([]string{"upsdrvsvcctl", "list"}, r.vars, std); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	want := "dummy\tnut-driver@dummy.service\nmine\tnut-driver@mine.service\n" +
		"usb-051d-0002-3B0000X0000A\tnut-driver@usb-051d-0002-3B0000X0000A.service\truntime\n"
	if out.String() != want {
		t.Errorf("upsdrvsvcctl list:\n%s", out.String())
	}
}
