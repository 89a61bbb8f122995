package usb

import (
	"errors"
	"strings"
	"testing"

	"gonut/drivers/usb/ere"
)

// An Eaton 5E as NUT 2.8.0's libusb1.c describes it with -DD.
var eaton = Identity{
	VendorID: 0x0463, ProductID: 0xffff,
	Vendor: "EATON", Product: "5E", Serial: "G201H29023",
	Bus: "002", Device: "003", BusPort: "001", Release: 0x0100,
}

func opts(kv ...string) func(string) (string, bool) {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

// Each case pins what NUT 2.8.0 does (drivers/usb-common.c, usbhid-ups.c,
// libusb1.c at tag v2.8.0; line numbers in the comments).
func TestMatcher(t *testing.T) {
	noSerial := eaton
	noSerial.Serial = ""
	padded := eaton
	padded.Product = " \t5E \n"
	cr := eaton
	cr.Product = "5E\r"
	rootHub := eaton
	rootHub.BusPort = ""
	apc := Identity{VendorID: 0x051d, ProductID: 0x0002, Vendor: "American Power Conversion",
		Product: "Back-UPS ES 700 FW:871.O3 .I USB FW:O3", Serial: "5B1234T12345", Bus: "001", Device: "004"}

	for _, c := range []struct {
		name string
		opts []string
		id   Identity
		want bool
		why  string
	}{
		// match_regex: a matcher without a regex matches anything (l. 246).
		{"no options", nil, eaton, true, ""},
		// match_regex_hex: the ID is printed "%04x" (l. 296), and usbhid-ups
		// compiles with REG_ICASE|REG_EXTENDED (usbhid-ups.c l. 1043).
		{"vendorid", []string{"vendorid", "0463"}, eaton, true, ""},
		{"vendorid upper case", []string{"vendorid", "051D"}, apc, true, ""},
		{"productid ffff", []string{"vendorid", "0463", "productid", "FFFF"}, eaton, true, ""},
		// The whole string must match: rm_so == 0 and rm_eo == len (l. 282).
		{"vendorid is 4 digits", []string{"vendorid", "0464|463"}, eaton, false, "failed match of VendorID: 0463"},
		{"vendorid prefix", []string{"vendorid", "04|0462"}, eaton, false, "failed match of VendorID: 0463"},
		{"documented example 051d*", []string{"vendorid", "051d*"}, apc, true, ""},
		{"vendor substring", []string{"vendor", "Power"}, apc, false, "failed match of Vendor: American Power Conversion"},
		{"vendor regex", []string{"vendor", "American.*"}, apc, true, ""},
		{"product documented example", []string{"product", ".*(Smart|Back)-?UPS.*"}, apc, true, ""},
		{"vendor case", []string{"vendor", "eaton"}, eaton, true, ""},
		// Spaces, tabs and newlines around the string are not compared
		// (l. 256, 266); a carriage return is.
		{"trimmed", []string{"product", "5E"}, padded, true, ""},
		{"carriage return kept", []string{"product", "5E"}, cr, false, "failed match of Product: 5E\r"},
		// A string the device lacks is compared as "" (l. 251).
		{"absent serial, empty option", []string{"serial", ""}, noSerial, true, ""},
		{"absent serial, .*", []string{"serial", ".*"}, noSerial, true, ""},
		{"absent serial, .", []string{"serial", "."}, noSerial, false, "failed match of Serial: "},
		{"present serial, empty option", []string{"serial", ""}, eaton, false, "failed match of Serial: G201H29023"},
		{"serial", []string{"serial", "G201H29023"}, eaton, true, ""},
		// bus is libusb's bus number printed "%03d" (libusb1.c l. 229).
		{"bus", []string{"bus", "002"}, eaton, true, ""},
		{"bus without zeros", []string{"bus", "2"}, eaton, false, "failed match of Bus: 002"},
		{"bus range", []string{"bus", "00[2-3]"}, eaton, true, ""},
		// device is the address printed "%03d" (NUT 2.8.1 on; 2.8.0's
		// libusb1.c never set it, so only "" or .* matched).
		{"device", []string{"device", "003"}, eaton, true, ""},
		{"device range", []string{"device", "00[1-2]"}, eaton, false, "failed match of Device: 003"},
		// busport is the hub port printed "%03d" (NUT 2.8.1 on); a root hub
		// has none.
		{"busport", []string{"busport", "001"}, eaton, true, ""},
		{"busport, root hub", []string{"busport", "001"}, rootHub, false, "failed match of Bus Port: "},
		// The first option that fails is the one reported, in NUT's order.
		{"order", []string{"serial", "x", "vendorid", "0000"}, eaton, false, "failed match of VendorID: 0463"},
		// Several options: all must match.
		{"all", []string{"vendorid", "0463", "productid", "ffff", "vendor", "EATON", "product", "5E",
			"serial", "G201H29023", "bus", "002", "device", "003", "busport", "001"}, eaton, true, ""},
	} {
		m, err := NewMatcher(opts(c.opts...))
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		ok, why := m.Match(c.id)
		if ok != c.want || why != c.why {
			t.Errorf("%s: Match = %v, %q; want %v, %q", c.name, ok, why, c.want, c.why)
		}
	}
}

// The exact matcher (usb-common.c match_function_exact, l. 80-130)
// compares IDs and strings, not where the device is plugged in.
func TestMatcherPin(t *testing.T) {
	m, err := NewMatcher(opts("vendorid", "0463"))
	if err != nil {
		t.Fatal(err)
	}
	p := m.Pin(eaton)
	moved := eaton
	moved.Bus, moved.Device, moved.BusPort = "003", "009", "004"
	other := eaton
	other.Serial = "G201H29024"
	noSerial := eaton
	noSerial.Serial = ""
	for _, c := range []struct {
		id   Identity
		want bool
		why  string
	}{
		{eaton, true, ""},
		{moved, true, ""},
		{other, false, "failed match of Serial: G201H29024 != G201H29023"},
		{noSerial, false, "failed match of Serial:  != G201H29023"},
	} {
		if ok, why := p.Match(c.id); ok != c.want || why != c.why {
			t.Errorf("%+v: Match = %v, %q; want %v, %q", c.id, ok, why, c.want, c.why)
		}
	}
	// The options still apply to a pinned matcher.
	if ok, _ := m.Pin(Identity{VendorID: 0x051d}).Match(Identity{VendorID: 0x051d}); ok {
		t.Error("pinned matcher ignores vendorid")
	}
	// The original is not changed.
	if ok, _ := m.Match(other); !ok {
		t.Error("Pin changed the matcher it was made from")
	}
}

// NUT 2.8.0 exits with "invalid regular expression: " and the value of the
// option after the bad one (usbhid-ups.c l. 1056: regex_array[ret] where
// USBNewRegexMatcher returns i+1); the error here names the bad option and
// its value.
func TestMatcherErrors(t *testing.T) {
	for _, c := range []struct {
		opts   []string
		option string
		says   string
	}{
		{[]string{"vendorid", "(", "productid", "ABC"}, "vendorid", `invalid regular expression for vendorid = "(": Unmatched ( or \(`},
		{[]string{"vendorid", "0463", "productid", "[", "vendor", "Eaton"}, "productid", `productid = "["`},
		{[]string{"serial", `\d+`}, "serial", `\d is not a POSIX regular expression escape`},
		{[]string{"busport", "*"}, "busport", "Invalid preceding regular expression"},
		{[]string{"vendorid", "0x051d"}, "vendorid", "matches no USB ID"},
		{[]string{"vendorid", "463"}, "vendorid", "matches no USB ID"},
		{[]string{"productid", "zzzz"}, "productid", "matches no USB ID"},
	} {
		_, err := NewMatcher(opts(c.opts...))
		var oe *OptionError
		if !errors.As(err, &oe) || oe.Option != c.option || !strings.Contains(err.Error(), c.says) {
			t.Errorf("%q: %v; want an error for %s saying %q", c.opts, err, c.option, c.says)
		}
	}
	_, err := NewMatcher(opts("vendor", `(a)\1`))
	var ee *ere.Error
	if !errors.As(err, &ee) || !ee.Unsupported {
		t.Errorf("back-reference: %v, want an unsupported ere.Error", err)
	}
}

func TestMatchOptions(t *testing.T) {
	var names []string
	for _, o := range MatchOptions() {
		names = append(names, o.Name)
		if o.Help == "" {
			t.Errorf("%s has no help", o.Name)
		}
		if o.Extra != (o.Name == "busport") {
			t.Errorf("%s: marked as not NUT 2.8.0's: %v", o.Name, o.Extra)
		}
		if o.Flag() || o.ShownAs(o.Name) != "driver.parameter."+o.Name {
			t.Errorf("%s is not a value option shown as driver.parameter.%s: %+v", o.Name, o.Name, o)
		}
	}
	// NUT 2.8.0 declares (and -h lists) them in this order; busport is
	// NUT 2.8.1's, listed among gonut's additions.
	if got := strings.Join(names, " "); got != "vendor product serial vendorid productid bus device busport" {
		t.Errorf("options %s", got)
	}
}
