// Package hotplug decides what a USB device that comes or goes means for
// the driver instances: which section of ups.conf claims it (as its
// driver's options would match it), or, when none does and the policy
// allows it, the runtime section nut-driver-enumerator writes for it, with
// a name that is the same at every plug. Pure: no udev, no service
// manager, so that it is tested on any host.
package hotplug

import (
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"strings"

	"gonut/config"
	"gonut/drivers/usb"
	"gonut/udev"
)

// Setting is nut.conf's variable that sets the policy.
const Setting = "NUT_HOTPLUG"

// Policy says which hot-plugged UPSes get a driver.
type Policy int

const (
	// Off: plugging a device starts nothing.
	Off Policy = iota
	// Matched: a section of ups.conf that matches the device starts.
	Matched
	// All: that, and a runtime section for a UPS no section matches.
	All
)

// DefaultPolicy is the policy when nut.conf does not set one.
const DefaultPolicy = All

func (p Policy) String() string { return [...]string{"off", "matched", "all"}[p] }

// ParsePolicy reads NUT_HOTPLUG's value ("" is the default).
func ParsePolicy(s string) (Policy, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "":
		return DefaultPolicy, nil
	case "off", "no", "none":
		return Off, nil
	case "matched":
		return Matched, nil
	case "all", "yes":
		return All, nil
	}
	return DefaultPolicy, fmt.Errorf("%s=%q: expected off, matched or all (default %s)", Setting, s, DefaultPolicy)
}

// Device is a USB device as udev tells of it.
type Device struct {
	// SysPath is the kernel's name for it while it is plugged in: its
	// add and its remove carry the same.
	SysPath string
	usb.Identity
	// Driver is the driver udev's rules give it (NUT_DRIVER); "" for a
	// device that is no UPS a driver lists. When udev gives neither it
	// nor Pending, Decide asks udev.Claim.
	Driver string
	// Pending is the driver of a UPS that gonut cannot serve over USB
	// yet (NUT_DRIVER_PENDING): nothing starts for it.
	Pending string
}

func (d Device) String() string {
	s := fmt.Sprintf("%04x:%04x", d.VendorID, d.ProductID)
	if name := strings.TrimSpace(d.Vendor + " " + d.Product); name != "" {
		s += " (" + name + ")"
	}
	if d.Serial != "" {
		s += " serial " + d.Serial
	}
	return s + " at " + d.SysPath
}

// Action is what a device's arrival leads to.
type Action int

const (
	Ignore  Action = iota // no driver: Reason says why
	Admin                 // the section of ups.conf named Section claims it
	Runtime               // the runtime section UPS, named Section, is for it
)

// Decision is what one device leads to.
type Decision struct {
	Action  Action
	Section string
	UPS     *config.UPS // the runtime section, for Runtime
	Reason  string      // a log line's worth
}

// Decide is what a device that is plugged in leads to: the first of
// usbSections (ups.conf's sections of USB drivers, enumerator.Media;
// runtime ones are passed over) whose driver is the one udev
// gives the device and whose matching options (vendorid, productid,
// vendor, product, serial, bus, device, busport) match it as that driver
// matches devices; else, with policy All and a driver that is installed
// (haveDriver), a runtime section.
func Decide(dev Device, usbSections []*config.UPS, policy Policy, haveDriver func(string) bool) Decision {
	if policy == Off {
		return Decision{Reason: fmt.Sprintf("%s: hot-plug is off (%s=off)", dev, Setting)}
	}
	if dev.Driver == "" && dev.Pending == "" {
		// udev's rules named no driver (not ours: NUT's rules, or
		// none): the drivers' tables, as our rules would have.
		if r, ok := udev.Claim(dev.VendorID, dev.ProductID); ok && r.Pending {
			dev.Pending = r.Driver
		} else if ok {
			dev.Driver = r.Driver
		}
	}
	if dev.Driver == "" && dev.Pending != "" {
		return Decision{Reason: fmt.Sprintf("%s: its driver %s does not serve USB devices in gonut yet", dev, dev.Pending)}
	}
	if dev.Driver == "" {
		return Decision{Reason: fmt.Sprintf("%s: not a UPS (no driver's USB table lists it)", dev)}
	}
	for _, u := range usbSections {
		if u.Runtime || u.Driver != dev.Driver {
			continue
		}
		m, err := usb.NewMatcher(u.Get)
		if err != nil {
			continue // the driver refuses to start: it cannot claim the device
		}
		if ok, _ := m.Match(dev.Identity); ok {
			return Decision{Action: Admin, Section: u.Name,
				Reason: fmt.Sprintf("%s: section [%s] of %s claims it", dev, u.Name, u.File)}
		}
	}
	if policy == Matched {
		return Decision{Reason: fmt.Sprintf("%s: no section of ups.conf matches it (%s=matched)", dev, Setting)}
	}
	if !haveDriver(dev.Driver) {
		return Decision{Reason: fmt.Sprintf("%s: its driver %s is not installed", dev, dev.Driver)}
	}
	u := RuntimeSection(dev)
	return Decision{Action: Runtime, Section: u.Name, UPS: u,
		Reason: fmt.Sprintf("%s: runtime section [%s] for %s", dev, u.Name, dev.Driver)}
}

// Name is a runtime section's name: "usb-", the vendor and product IDs,
// and the serial number, so that the same UPS gets the same name at every
// plug and two of a model get two. Characters that neither systemd's
// instance names nor NUT's UPS names take become "_", and then a hash of
// the serial keeps two serials apart. A device without a serial is named
// by where it is plugged in (its port path, such as 1-1.2).
func Name(dev Device) string {
	id := fmt.Sprintf("usb-%04x-%04x-", dev.VendorID, dev.ProductID)
	serial := trimSerial(dev.Serial)
	if serial == "" {
		return id + "at-" + clean(portPath(dev.SysPath))
	}
	c := clean(serial)
	if c != serial || len(c) > 64 {
		sum := md5.Sum([]byte(serial))
		c = c[:min(len(c), 64)] + "-" + hex.EncodeToString(sum[:4])
	}
	return id + c
}

// trimSerial is the serial number less what NUT's matcher trims before
// it compares: spaces, tabs and newlines around it.
func trimSerial(s string) string { return strings.Trim(s, " \t\n") }

// portPath is the last element of a USB device's sys path: "1-1.2".
func portPath(sysPath string) string { return sysPath[strings.LastIndexByte(sysPath, '/')+1:] }

func clean(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			return r
		}
		return '_'
	}, s)
}

// RuntimeSection is the section for a device no section of ups.conf
// claims: its driver, port auto, and options that match it alone, as the
// driver reads them (regular expressions, quoted): its IDs and serial
// number, or, without a serial, its bus and port.
func RuntimeSection(dev Device) *config.UPS {
	set := func(k, v string) config.Setting { return config.Setting{Key: k, Value: v} }
	u := &config.UPS{Name: Name(dev), Driver: dev.Driver, Port: "auto", Runtime: true}
	u.Settings = []config.Setting{set("driver", dev.Driver), set("port", "auto"),
		set("vendorid", fmt.Sprintf("%04x", dev.VendorID)), set("productid", fmt.Sprintf("%04x", dev.ProductID))}
	if serial := trimSerial(dev.Serial); serial != "" {
		u.Settings = append(u.Settings, set("serial", QuoteRegexp(serial)))
	} else {
		u.Settings = append(u.Settings, set("bus", dev.Bus))
		if dev.BusPort != "" {
			u.Settings = append(u.Settings, set("busport", dev.BusPort))
		}
	}
	desc := strings.TrimSpace(dev.Vendor + " " + dev.Product)
	if desc == "" {
		desc = fmt.Sprintf("%04x:%04x", dev.VendorID, dev.ProductID)
	}
	// ups.conf holds printable ASCII only, and words of 512 bytes at most.
	if len(desc) > 200 {
		desc = desc[:200]
	}
	u.Desc = strings.Map(func(r rune) rune {
		if r < ' ' || r > '~' {
			return '?'
		}
		return r
	}, desc) + ", hot-plugged"
	u.Settings = append(u.Settings, set("desc", u.Desc))
	return u
}

// QuoteRegexp makes a POSIX extended regular expression that matches s
// alone (NUT's matching options are ones). A character beyond ASCII, which
// ups.conf cannot hold and which USB libraries give as "?" or as UTF-8,
// becomes ".+".
func QuoteRegexp(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < ' ' || r > '~' {
			b.WriteString(".+")
			continue
		}
		if strings.ContainsRune(`\.[]()*+?{}|^$`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
