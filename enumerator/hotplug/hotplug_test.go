package hotplug

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"gonut/config"
	"gonut/drivers/usb"
)

func apc(serial, sysPath string) Device {
	return Device{SysPath: sysPath, Driver: "usbhid-ups", Identity: usb.Identity{
		VendorID: 0x051d, ProductID: 0x0002, Vendor: "American Power Conversion", Product: "Back-UPS XS 1400U",
		Serial: serial, Bus: "003", Device: "002", BusPort: "001"}}
}

func sections(t *testing.T, src string) []*config.UPS {
	t.Helper()
	c, errs := config.ParseUPSConf("ups.conf", strings.NewReader(src))
	if len(config.Fatal(errs)) > 0 {
		t.Fatal(errs)
	}
	return c.UPS
}

func installed(drivers ...string) func(string) bool {
	return func(d string) bool {
		for _, x := range drivers {
			if x == d {
				return true
			}
		}
		return false
	}
}

func TestDecide(t *testing.T) {
	admin := sections(t, `
[other]
	driver = usbhid-ups
	port = auto
	vendorid = 0764
[byserial]
	driver = usbhid-ups
	port = auto
	vendorid = 051D
	serial = "3b0000x00001"
[badregex]
	driver = usbhid-ups
	port = auto
	product = "("
`)
	have := installed("usbhid-ups")
	for _, c := range []struct {
		name    string
		dev     Device
		policy  Policy
		admin   []*config.UPS
		want    Action
		section string
		reason  string
	}{
		// The admin's section, matched as usbhid-ups matches (vendorid
		// without regard to case, the serial whole, without regard to case).
		{"admin's", apc("3B0000X00001", "/sys/devices/x/3-1"), All, admin, Admin, "byserial", "section [byserial] of ups.conf claims it"},
		{"admin's, policy matched", apc("3B0000X00001", "/sys/devices/x/3-1"), Matched, admin, Admin, "byserial", "claims it"},
		{"another serial: runtime", apc("3B0000X00002", "/sys/devices/x/3-1"), All, admin, Runtime, "usb-051d-0002-3B0000X00002", "runtime section [usb-051d-0002-3B0000X00002] for usbhid-ups"},
		{"another serial, matched", apc("3B0000X00002", "/sys/devices/x/3-1"), Matched, admin, Ignore, "", "no section of ups.conf matches it (NUT_HOTPLUG=matched)"},
		{"off", apc("3B0000X00001", "/sys/devices/x/3-1"), Off, admin, Ignore, "", "hot-plug is off (NUT_HOTPLUG=off)"},
		{"not a UPS", Device{SysPath: "/sys/devices/x/3-2", Identity: usb.Identity{VendorID: 0x0627, ProductID: 0x0001, Product: "QEMU USB Keyboard"}}, All, admin, Ignore, "",
			"0627:0001 (QEMU USB Keyboard) at /sys/devices/x/3-2: not a UPS (no driver's USB table lists it)"},
		{"a driver that is not installed", Device{SysPath: "/sys/devices/x/3-2", Driver: "blazer_usb", Identity: usb.Identity{VendorID: 0x0665, ProductID: 0x5161}}, All, admin, Ignore, "",
			"0665:5161 at /sys/devices/x/3-2: its driver blazer_usb is not installed"},
		{"a driver that has no USB yet", Device{SysPath: "/sys/devices/x/3-2", Pending: "nutdrv_qx", Identity: usb.Identity{VendorID: 0x0665, ProductID: 0x5161}}, All, admin, Ignore, "",
			"0665:5161 at /sys/devices/x/3-2: its driver nutdrv_qx does not serve USB devices in gonut yet"},
		// Without udev's properties (NUT's rules, say), the drivers'
		// tables say the same as our rules.
		{"no properties: the tables", Device{SysPath: "/sys/devices/x/3-1", Identity: usb.Identity{VendorID: 0x051d, ProductID: 0x0002, Serial: "S1"}}, All, nil, Runtime,
			"usb-051d-0002-S1", "runtime section [usb-051d-0002-S1] for usbhid-ups"},
		{"no properties, a pending driver", Device{SysPath: "/sys/devices/x/3-2", Identity: usb.Identity{VendorID: 0x0925, ProductID: 0x1234}}, All, nil, Ignore, "",
			"its driver richcomm_usb does not serve USB devices in gonut yet"},
		{"no admin sections", apc("3B0000X00001", "/sys/devices/x/3-1"), All, nil, Runtime, "usb-051d-0002-3B0000X00001", ""},
		// A runtime section (from an earlier plug) never claims a device
		// as the admin's.
		{"runtime sections are not the admin's", apc("3B0000X00002", "/sys/devices/x/3-1"), All,
			[]*config.UPS{{Name: "r", Driver: "usbhid-ups", Runtime: true}}, Runtime, "usb-051d-0002-3B0000X00002", ""},
	} {
		d := Decide(c.dev, c.admin, c.policy, have)
		if d.Action != c.want || d.Section != c.section || !strings.Contains(d.Reason, c.reason) {
			t.Errorf("%s: %v [%s] %q, want %v [%s] %q", c.name, d.Action, d.Section, d.Reason, c.want, c.section, c.reason)
		}
		if (d.Action == Runtime) != (d.UPS != nil) {
			t.Errorf("%s: UPS %v", c.name, d.UPS)
		}
	}
}

// The runtime section's options, read as the driver reads them, match
// its device and not another of the same model, whatever the serial
// holds; its name is the same at every plug, different for two serials,
// and one systemd takes as an instance name as it is.
func TestRuntimeSection(t *testing.T) {
	serials := []string{"3B0000X00000", "3B0000X00001", "a.b*c", "[x]", "(y)|z", "^1$", `back\slash`, "ümlaut", "with space",
		"  padded  ", "{1,2}", "+?", strings.Repeat("9", 100)}
	names := map[string]string{}
	for _, s := range serials {
		dev := apc(s, "/sys/devices/x/3-1")
		u := RuntimeSection(dev)
		if u.Name != Name(apc(s, "/sys/devices/y/1-4")) {
			t.Errorf("%q: the name changes with the port", s)
		}
		if prev, ok := names[u.Name]; ok {
			t.Errorf("%q and %q both named %s", s, prev, u.Name)
		}
		names[u.Name] = s
		// systemd's instance names (enumerator.ValidInstanceName) less ":",
		// which upsname@host:port would take for a port.
		if !regexp.MustCompile(`^[A-Za-z0-9_.-]{1,200}$`).MatchString(u.Name) {
			t.Errorf("%q: name %q is no instance name", s, u.Name)
		}
		// Through the file and back, as the driver reads it.
		text := (&config.UPSConf{UPS: []*config.UPS{u}}).Format()
		c, errs := config.ParseUPSConf("r.conf", strings.NewReader(text))
		if len(errs) > 0 || len(c.UPS) != 1 {
			t.Fatalf("%q: %v\n%s", s, errs, text)
		}
		m, err := usb.NewMatcher(c.UPS[0].Get)
		if err != nil {
			t.Errorf("%q: %v\n%s", s, err, text)
			continue
		}
		moved := apc(s, "/sys/devices/y/1-4")
		moved.Bus, moved.BusPort = "001", "004"
		if ok, why := m.Match(moved.Identity); !ok {
			t.Errorf("%q: the section does not match its device: %s\n%s", s, why, text)
		}
		if ok, _ := m.Match(apc(s+"0", "/sys/devices/x/3-1").Identity); ok {
			t.Errorf("%q: the section matches another serial\n%s", s, text)
		}
	}
}

// Without a serial, the name and the options follow the port.
func TestRuntimeSectionWithoutSerial(t *testing.T) {
	u := RuntimeSection(apc("", "/sys/devices/pci0000:00/usb3/3-1"))
	if u.Name != "usb-051d-0002-at-3-1" {
		t.Errorf("name %s", u.Name)
	}
	m, err := usb.NewMatcher(u.Get)
	if err != nil {
		t.Fatal(err)
	}
	here, there := apc("", "/sys/devices/pci0000:00/usb3/3-1"), apc("", "/sys/devices/pci0000:00/usb3/3-2")
	there.BusPort = "002"
	if ok, _ := m.Match(here.Identity); !ok {
		t.Error("no match for its device")
	}
	if ok, _ := m.Match(there.Identity); ok {
		t.Error("matches the device at another port")
	}
}

func TestParsePolicy(t *testing.T) {
	for in, want := range map[string]Policy{"": All, "all": All, "ALL": All, "matched": Matched, "off": Off, " off ": Off} {
		if p, err := ParsePolicy(in); err != nil || p != want {
			t.Errorf("%q: %v %v", in, p, err)
		}
	}
	if _, err := ParsePolicy("some"); err == nil || !strings.Contains(err.Error(), `NUT_HOTPLUG="some": expected off, matched or all (default all)`) {
		t.Errorf("bad value: %v", err)
	}
}

// Whatever strings a device gives, its runtime section reads back as
// written (no problem), its options compile and match the device alone,
// and its name is one systemd and upsd take.
func FuzzRuntimeSection(f *testing.F) {
	for _, s := range []string{"3B0000X00000", "a.b*c", "[x]", "ümlaut", "  padded ", "\x00\x01", `"quoted"`, "#hash", "back\\"} {
		f.Add(s, "Back-UPS XS 1400U")
	}
	name := regexp.MustCompile(`^[A-Za-z0-9_.-]{1,200}$`)
	f.Fuzz(func(t *testing.T, serial, product string) {
		if utf8.RuneCountInString(serial) > 126 {
			t.Skip("a USB string descriptor holds 126 characters at most")
		}
		dev := apc(serial, "/sys/devices/x/3-1")
		dev.Product = product
		u := RuntimeSection(dev)
		if !name.MatchString(u.Name) {
			t.Fatalf("name %q", u.Name)
		}
		text := (&config.UPSConf{UPS: []*config.UPS{u}}).Format()
		c, errs := config.ParseUPSConf("r.conf", strings.NewReader(text))
		if len(errs) > 0 || len(c.UPS) != 1 || c.UPS[0].Name != u.Name {
			t.Fatalf("%v\n%s", errs, text)
		}
		m, err := usb.NewMatcher(c.UPS[0].Get)
		if err != nil {
			t.Fatalf("%v\n%s", err, text)
		}
		if ok, why := m.Match(dev.Identity); !ok {
			t.Fatalf("no match for its device: %s\n%s", why, text)
		}
	})
}
