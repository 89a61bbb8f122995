package subdriver

import (
	"fmt"
	"strings"

	"gonut/drivers/hid"
	"gonut/drivers/hid/usages"
	"gonut/drivers/usb"
)

// Device is what a subdriver knows of the USB device it serves: its IDs,
// release and strings.
type Device = usb.Identity

// A FixFunc corrects a parsed report descriptor that a device's firmware
// declares wrongly, before any value is read (NUT's fix_report_desc). It
// returns a line for each change it made, for the driver's debug log, and
// nothing for a device it does not apply to.
type FixFunc func(dev Device, d *hid.Descriptor) []string

// A Subdriver is one vendor's part of usbhid-ups.
type Subdriver struct {
	// Name is NUT's name and version of the subdriver, which usbhid-ups
	// reports as driver.version.data ("APC HID 0.98").
	Name string
	// ID names the subdriver in usbhid-ups's table of USB IDs
	// (usb.DeviceID.Subdriver: "mge", "delta_ups"); "" for explore.
	ID string
	// Maker is how NUT names the vendor when it turns away a device it
	// does not know ("CyberPower", "Eaton / MGE"), and, unless the
	// subdriver says otherwise, ups.mfr when the device has no vendor
	// string.
	Maker string
	// Usages are its own usage names, searched before usages.Standard.
	Usages hid.UsageTable
	// Info maps HID paths to NUT variables and commands.
	Info []Info
	// Fix, if set, corrects its devices' report descriptors.
	Fix FixFunc

	// claim, if set, replaces the claim of most subdrivers (claimDefault).
	claim func(s *Subdriver, dev Device, support usb.Support, opt ClaimOptions) Claim
	// labels, if set, replaces the naming of most (labelsDefault).
	labels func(s *Subdriver, c Context) Labels
	// mfr is ups.mfr for a device without a vendor string, if any.
	mfr string
}

// Names are the usage names of s's paths: its own table, then the
// standard one, as NUT searches them.
func (s *Subdriver) Names() *hid.Names {
	return hid.NewNames(s.Usages, usages.Standard)
}

// ClaimOptions are the ups.conf settings a subdriver's claim looks at.
type ClaimOptions struct {
	Explore   bool // the explore flag
	ProductID bool // a productid is given
}

// A Claim is a subdriver's answer for a device: whether it takes it, and
// how usbhid-ups is to talk to it then.
type Claim struct {
	OK bool
	// Note is what NUT logs when the subdriver turns away a device of a
	// vendor it knows ("This CyberPower device (0764:0123) is not (or
	// perhaps not yet) supported..."), or "".
	Note string
	// Interface is the interface and endpoint, when not the first.
	Interface usb.Interface
	// InterruptOnly: read values from interrupt reports only, of
	// InterruptSize bytes (PowerCOM's 0d9f:0001).
	InterruptOnly bool
	InterruptSize int
	// PollOnly: do not read the interrupt pipe (Legrand's).
	PollOnly bool
}

// Claim says whether s takes a device, given what usbhid-ups's table of
// USB IDs says of it for s (usb.IDTable.SubdriverSupport with s.ID) and
// the options: NUT's claim functions. A device the table supports is
// taken, one of a vendor it knows only with the productid option.
func (s *Subdriver) Claim(dev Device, support usb.Support, opt ClaimOptions) Claim {
	if s.claim != nil {
		return s.claim(s, dev, support, opt)
	}
	return claimDefault(s, dev, support, opt)
}

func claimDefault(s *Subdriver, dev Device, support usb.Support, opt ClaimOptions) Claim {
	switch support {
	case usb.Supported:
		return Claim{OK: true}
	case usb.PossiblySupported:
		if opt.ProductID {
			return Claim{OK: true}
		}
		return Claim{Note: possiblySupported(s.Maker, dev)}
	}
	return Claim{}
}

// possiblySupported is NUT's message for a device of a vendor a
// subdriver knows, without the productid option.
func possiblySupported(maker string, dev Device) string {
	return fmt.Sprintf("This %s device (%04x:%04x) is not (or perhaps not yet) supported\n"+
		"by usbhid-ups. Please make sure you have an up-to-date version of NUT. If\n"+
		"this does not fix the problem, try running the driver with the\n"+
		"'-x productid=%04x' option. Please report your results to the NUT user's\n"+
		"mailing list <nut-upsuser@lists.alioth.debian.org>.\n",
		maker, dev.VendorID, dev.ProductID, dev.ProductID)
}

// Labels are the values of ups.mfr, ups.model and ups.serial; an empty
// one is not published.
type Labels struct {
	Mfr, Model, Serial string
	// Vars are other variables the naming sets (APC's firmware, from
	// its product string).
	Vars map[string]string
}

// Labels are what s publishes as the device's maker, model and serial
// number (NUT's format_mfr, format_model and format_serial), from the
// device's USB strings (c.State().Device()) and, for some subdrivers,
// from values of the device. Some remember what they learn of the model
// in c.State().
func (s *Subdriver) Labels(c Context) Labels {
	if s.labels != nil {
		return s.labels(s, c)
	}
	return labelsDefault(s, c)
}

// labelsDefault: the USB strings, and the subdriver's ups.mfr for a
// device without a vendor string.
func labelsDefault(s *Subdriver, c Context) Labels {
	dev := c.State().Device()
	l := Labels{Mfr: dev.Vendor, Model: dev.Product, Serial: dev.Serial}
	if l.Mfr == "" {
		l.Mfr = s.mfr
	}
	return l
}

// indexedString is the USB string whose index is the value at path (NUT's
// HIDGetItemString), "" if none.
func indexedString(c Context, path string) string {
	i, ok := c.Value(path)
	if !ok || i < 0 || i > 255 {
		return ""
	}
	s, _ := c.String(int(i))
	return strings.TrimRight(s, "\n")
}

// NUT 2.8.0's subdrivers: their names and usage tables, and the descriptor
// fixes of those that have one. Arduino, CyberPower, iDowell, Legrand,
// Liebert (Phoenixtec) and Salicru have no usage table of their own.
var (
	Explore = &Subdriver{Name: "EXPLORE HID 0.2", claim: claimExplore, labels: labelsUSB}
	APC     = &Subdriver{Name: "APC HID 0.98", ID: "apc", Maker: "APC", mfr: "APC", labels: labelsAPC,
		Usages: usages.APC, Info: apcInfo, Fix: FixAPC}
	Arduino = &Subdriver{Name: "Arduino HID 0.2", ID: "arduino", Maker: "Arduino", mfr: "Arduino",
		claim: claimOn(usb.Interface{Number: 2, EndpointIn: 0x84}), Info: arduinoInfo}
	Belkin = &Subdriver{Name: "Belkin/Liebert HID 0.18", ID: "belkin", Maker: "Belkin", claim: claimBelkin,
		labels: labelsBelkin, Usages: usages.Belkin, Info: belkinInfo}
	Delta = &Subdriver{Name: "Delta UPS HID 0.6", ID: "delta_ups", Maker: "Delta", mfr: "Delta", labels: labelsDelta,
		Usages: usages.Delta, Info: deltaInfo}
	Ever    = &Subdriver{Name: "Ever HID 0.1", ID: "ever", Maker: "Ever", mfr: "Ever", Usages: usages.Ever, Info: everInfo}
	IDowell = &Subdriver{Name: "iDowell HID 0.2", ID: "idowell", Maker: "iDowell", mfr: "iDowell", Info: idowellInfo}
	Legrand = &Subdriver{Name: "Legrand HID 0.2", ID: "legrand", Maker: "Legrand", mfr: "Legrand", claim: claimLegrand,
		Info: legrandInfo}
	Liebert = &Subdriver{Name: "Phoenixtec/Liebert HID 0.41", ID: "liebert", Maker: "Liebert", mfr: "Liebert", Info: liebertInfo}
	MGE     = &Subdriver{Name: "MGE HID 1.46", ID: "mge", Maker: "Eaton / MGE", mfr: "Eaton", claim: claimMGE,
		labels: labelsMGE, Usages: usages.MGE, Info: mgeInfo}
	OpenUPS = &Subdriver{Name: "openUPS HID 0.5", ID: "openups", Maker: "openUPS", mfr: "openUPS", Usages: usages.OpenUPS,
		Info: openupsInfo}
	Powercom = &Subdriver{Name: "PowerCOM HID 0.6", ID: "powercom", Maker: "PowerCOM", mfr: "PowerCOM", claim: claimPowercom,
		Usages: usages.Powercom, Info: powercomInfo}
	Powervar = &Subdriver{Name: "Powervar HID 0.20", ID: "powervar", Maker: "Powervar", mfr: "Powervar",
		claim: claimOn(usb.Interface{Number: 1}), Usages: usages.Powervar, Info: powervarInfo}
	Salicru   = &Subdriver{Name: "Salicru HID 0.3", ID: "salicru", Maker: "Salicru", mfr: "Salicru", Info: salicruInfo}
	TrippLite = &Subdriver{Name: "TrippLite HID 0.84", ID: "tripplite", Maker: "TrippLite", claim: claimTrippLite,
		Usages: usages.TrippLite, Info: trippliteInfo}
)

// All are usbhid-ups's subdrivers in the order NUT tries them (its
// subdriver_list): the first whose Claim takes a device serves it.
var All = []*Subdriver{Explore, MGE, APC, Arduino, Belkin, CyberPower, Delta, Ever, IDowell, Legrand,
	Liebert, OpenUPS, Powercom, Powervar, Salicru, TrippLite}

// claimExplore takes any device, with the explore flag.
func claimExplore(_ *Subdriver, _ Device, _ usb.Support, opt ClaimOptions) Claim {
	return Claim{OK: opt.Explore}
}

// labelsUSB: the USB strings as they are.
func labelsUSB(_ *Subdriver, c Context) Labels {
	dev := c.State().Device()
	return Labels{Mfr: dev.Vendor, Model: dev.Product, Serial: dev.Serial}
}

// DumpSkip is the reports NUT leaves out of its dump of a device's fields
// (HIDDumpTree), which would be slow or wrong to read: 254 and 255 of
// Eaton and Dell units, 0x54 of Tripp Lite's SU3000LCD2UHV (09ae:1330),
// whose firmware mishandles it.
func DumpSkip(dev Device) func(*hid.Field) bool {
	return func(f *hid.Field) bool {
		switch {
		case dev.VendorID == 0x0463 || dev.VendorID == 0x047c:
			return f.ReportID == 254 || f.ReportID == 255
		case dev.VendorID == 0x09ae && dev.ProductID == 0x1330:
			return f.ReportID == 0x54
		}
		return false
	}
}
