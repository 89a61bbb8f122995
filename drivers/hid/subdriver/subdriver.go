// Package subdriver holds what NUT's usbhid-ups subdrivers are made of
// (usbhid-ups.h): the rows that map a HID path to a NUT variable or
// instant command (Info), the conversions between HID and NUT values
// (Lookup), and the fixes for report descriptors that firmware gets wrong
// (FixFunc). A subdriver is data: a usage table, a list of rows, a fix.
package subdriver

import (
	"gonut/drivers/hid"
	"gonut/drivers/hid/usages"
)

// Device is what a subdriver knows of the USB device it serves.
type Device struct {
	VendorID, ProductID uint16
	Release             uint16 // bcdDevice
	Vendor, Product     string // USB strings
	Serial              string
}

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
	// Usages are its own usage names, searched before usages.Standard.
	Usages hid.UsageTable
	// Info maps HID paths to NUT variables and commands.
	Info []Info
	// Fix, if set, corrects its devices' report descriptors.
	Fix FixFunc
}

// Names are the usage names of s's paths: its own table, then the
// standard one, as NUT searches them.
func (s *Subdriver) Names() *hid.Names {
	return hid.NewNames(s.Usages, usages.Standard)
}

// NUT 2.8.0's subdrivers: their names and usage tables, and the descriptor
// fixes of those that have one. Arduino, CyberPower, iDowell, Legrand,
// Liebert (Phoenixtec) and Salicru have no usage table of their own.
var (
	Explore    = &Subdriver{Name: "EXPLORE HID 0.2"}
	APC        = &Subdriver{Name: "APC HID 0.98", Usages: usages.APC, Info: apcInfo, Fix: FixAPC}
	Arduino    = &Subdriver{Name: "Arduino HID 0.2"}
	Belkin     = &Subdriver{Name: "Belkin/Liebert HID 0.18", Usages: usages.Belkin}
	CyberPower = &Subdriver{Name: "CyberPower HID 0.6", Fix: FixCyberPower}
	Delta      = &Subdriver{Name: "Delta UPS HID 0.6", Usages: usages.Delta}
	Ever       = &Subdriver{Name: "Ever HID 0.1", Usages: usages.Ever}
	IDowell    = &Subdriver{Name: "iDowell HID 0.2"}
	Legrand    = &Subdriver{Name: "Legrand HID 0.2"}
	Liebert    = &Subdriver{Name: "Phoenixtec/Liebert HID 0.41"}
	MGE        = &Subdriver{Name: "MGE HID 1.46", Usages: usages.MGE}
	OpenUPS    = &Subdriver{Name: "openUPS HID 0.5", Usages: usages.OpenUPS}
	Powercom   = &Subdriver{Name: "PowerCOM HID 0.6", Usages: usages.Powercom}
	Powervar   = &Subdriver{Name: "Powervar HID 0.20", Usages: usages.Powervar}
	Salicru    = &Subdriver{Name: "Salicru HID 0.3"}
	TrippLite  = &Subdriver{Name: "TrippLite HID 0.84", Usages: usages.TrippLite}
)

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
