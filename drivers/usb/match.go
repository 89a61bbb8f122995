package usb

import (
	"fmt"
	"strings"

	"gonut/config"
	"gonut/drivers/usb/ere"
)

// Identity is what a USB device says of itself and where it is plugged in:
// what the matching options are compared with (NUT's USBDevice_t).
type Identity struct {
	VendorID, ProductID uint16
	// Vendor, Product and Serial are the device's string descriptors, ""
	// when it has none or they could not be read.
	Vendor, Product, Serial string
	Bus                     string // bus number, three digits: "001"
	Device                  string // address on the bus, three digits
	BusPort                 string // port on the parent hub, three digits; "" for a root hub
	Release                 uint16 // bcdDevice
}

// MatchOptions are the settings that choose a device, with the help text
// NUT's drivers print for them: rows a USB driver adds to its ups.conf
// keys (core.Info.Options).
// They come in the order NUT 2.8.0's nut_usb_addvars declares them (its
// -h lists them so); busport, which NUT 2.8.1 added, is marked as
// gonut's.
func MatchOptions() config.UPSKeys {
	var opts config.UPSKeys
	for _, key := range [...]string{"vendor", "product", "serial", "vendorid", "productid", "bus", "device", "busport"} {
		for _, f := range fields {
			if f.key == key {
				o := config.DriverOption(f.key, f.help)
				o.Extra = key == "busport"
				opts = append(opts, o)
			}
		}
	}
	return opts
}

// field is one thing a Matcher compares, in the order NUT compares them.
type field struct {
	key  string // the ups.conf option
	name string // as NUT's debug lines name it
	help string
	get  func(Identity) string
}

var fields = [...]field{
	{"vendorid", "VendorID", "Regular expression to match UPS Manufacturer numerical ID (4 digits hexadecimal)",
		func(id Identity) string { return fmt.Sprintf("%04x", id.VendorID) }},
	{"productid", "ProductID", "Regular expression to match UPS Product numerical ID (4 digits hexadecimal)",
		func(id Identity) string { return fmt.Sprintf("%04x", id.ProductID) }},
	{"vendor", "Vendor", "Regular expression to match UPS Manufacturer string", func(id Identity) string { return id.Vendor }},
	{"product", "Product", "Regular expression to match UPS Product string", func(id Identity) string { return id.Product }},
	{"serial", "Serial", "Regular expression to match UPS Serial number", func(id Identity) string { return id.Serial }},
	{"bus", "Bus", "Regular expression to match USB bus name", func(id Identity) string { return id.Bus }},
	{"device", "Device", "Regular expression to match USB device name", func(id Identity) string { return id.Device }},
	{"busport", "Bus Port", "Regular expression to match USB bus port name", func(id Identity) string { return id.BusPort }},
}

// Matcher is NUT's pair of USB matchers: the regular expressions of the
// options, and, once a device was chosen, that device's exact identity, so
// that a reconnection finds the same UPS again.
type Matcher struct {
	res    [len(fields)]*ere.Regexp // nil: the option is not set, anything matches
	pinned *Identity
}

// OptionError is a matching option whose value cannot be used.
type OptionError struct {
	Option, Value string
	Err           error
}

func (e *OptionError) Error() string {
	return fmt.Sprintf("invalid regular expression for %s = %q: %v", e.Option, e.Value, e.Err)
}

func (e *OptionError) Unwrap() error { return e.Err }

// NewMatcher reads the matching options through value (a driver's view of
// its ups.conf section and -x flags). Each is a POSIX extended regular
// expression matched without regard to case against the whole of the
// device's string, as NUT reads it (package ere). An option that is not
// set matches anything; one set to "" matches only a device without that
// string.
//
// An expression that cannot be compiled is an error naming the option.
// (NUT 2.8.0 exits with "invalid regular expression: " followed by the
// value of the option after the bad one.) So is a vendorid or productid
// that no 4-digit hexadecimal ID can match, such as 0x051d: NUT starts
// and never finds the device.
func NewMatcher(value func(key string) (string, bool)) (*Matcher, error) {
	m := &Matcher{}
	for i, f := range fields {
		v, ok := value(f.key)
		if !ok {
			continue
		}
		re, err := ere.Compile(v)
		if err != nil {
			return nil, &OptionError{Option: f.key, Value: v, Err: err}
		}
		if i < 2 && !matchesSomeID(re) {
			return nil, &OptionError{Option: f.key, Value: v,
				Err: fmt.Errorf("it matches no USB ID: IDs are matched as 4 hexadecimal digits, such as 051d, without 0x")}
		}
		m.res[i] = re
	}
	return m, nil
}

func matchesSomeID(re *ere.Regexp) bool {
	for id := 0; id <= 0xffff; id++ {
		if re.MatchString(fmt.Sprintf("%04x", id)) {
			return true
		}
	}
	return false
}

// Match reports whether a device is the one the options ask for and, when
// it is not, why, in the words of NUT's debug output.
func (m *Matcher) Match(id Identity) (bool, string) {
	if m == nil {
		return true, ""
	}
	for i, f := range fields {
		if m.res[i] == nil {
			continue
		}
		v := f.get(id)
		// NUT compares the string less the spaces, tabs and newlines
		// around it.
		if !m.res[i].MatchString(strings.Trim(v, " \t\n")) {
			return false, fmt.Sprintf("failed match of %s: %s", f.name, v)
		}
	}
	if p := m.pinned; p != nil {
		switch {
		case id.VendorID != p.VendorID:
			return false, fmt.Sprintf("failed match of VendorID: %04x != %04x", id.VendorID, p.VendorID)
		case id.ProductID != p.ProductID:
			return false, fmt.Sprintf("failed match of ProductID: %04x != %04x", id.ProductID, p.ProductID)
		case id.Vendor != p.Vendor:
			return false, fmt.Sprintf("failed match of Vendor: %s != %s", id.Vendor, p.Vendor)
		case id.Product != p.Product:
			return false, fmt.Sprintf("failed match of Product: %s != %s", id.Product, p.Product)
		case id.Serial != p.Serial:
			return false, fmt.Sprintf("failed match of Serial: %s != %s", id.Serial, p.Serial)
		}
	}
	return true, ""
}

// Pin returns a Matcher that also asks for this device exactly: the same
// IDs and strings, wherever it is plugged in (NUT's exact matcher, which
// usbhid-ups adds once it has chosen a device, for its reconnections).
func (m *Matcher) Pin(id Identity) *Matcher {
	n := &Matcher{pinned: &id}
	if m != nil {
		n.res = m.res
	}
	return n
}
