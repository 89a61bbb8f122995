package usb

import "fmt"

// DeviceID is one row of a driver's table of the USB devices it claims.
type DeviceID struct {
	VendorID, ProductID uint16
	// Subdriver is the part of the driver that talks to the device
	// ("mge", "apc", ... for usbhid-ups; the USB bridge for nutdrv_qx);
	// "" for a driver without subdrivers.
	Subdriver string
	// Comment names the models, as the udev rules say them.
	Comment string
}

func (d DeviceID) String() string {
	return fmt.Sprintf("%04x:%04x", d.VendorID, d.ProductID)
}

// IDTable is every USB device one driver claims, in the order its
// subdrivers are tried. The drivers fill one each; the udev rules and the
// hot-plug enumerator are made from them.
type IDTable struct {
	Driver string // program name: "usbhid-ups"
	IDs    []DeviceID
}

// Support is what a table knows of a device (NUT's is_usb_device_supported).
type Support int

const (
	NotSupported Support = iota
	// PossiblySupported: the table has the vendor, not the product. NUT's
	// subdrivers then claim the device only when the productid option is
	// set (and say so in the log), some not even then.
	PossiblySupported
	Supported // a row has the vendor and the product
)

func (s Support) String() string {
	switch s {
	case Supported:
		return "supported"
	case PossiblySupported:
		return "possibly supported"
	}
	return "not supported"
}

// Claim is what one subdriver's rows say of a device.
type Claim struct {
	Driver, Subdriver string
	Support           Support
	ID                DeviceID // the row that has the device, when Supported
}

// Subdrivers lists the table's subdrivers in the order they are tried.
func (t IDTable) Subdrivers() []string {
	var subs []string
	seen := map[string]bool{}
	for _, id := range t.IDs {
		if !seen[id.Subdriver] {
			seen[id.Subdriver] = true
			subs = append(subs, id.Subdriver)
		}
	}
	return subs
}

// SubdriverSupport is what one subdriver's rows say of a device: what
// NUT's is_usb_device_supported says of that subdriver's table, on which
// its claim function decides.
func (t IDTable) SubdriverSupport(subdriver string, vendorID, productID uint16) (Support, DeviceID) {
	s := NotSupported
	for _, id := range t.IDs {
		if id.Subdriver != subdriver || id.VendorID != vendorID {
			continue
		}
		if id.ProductID == productID {
			return Supported, id
		}
		s = PossiblySupported
	}
	return s, DeviceID{}
}

// Claims lists, subdriver by subdriver in the table's order, those whose
// rows know the device at all.
func (t IDTable) Claims(vendorID, productID uint16) []Claim {
	var out []Claim
	for _, sub := range t.Subdrivers() {
		s, id := t.SubdriverSupport(sub, vendorID, productID)
		if s != NotSupported {
			out = append(out, Claim{Driver: t.Driver, Subdriver: sub, Support: s, ID: id})
		}
	}
	return out
}

// Support is the best any subdriver of the table says of a device.
func (t IDTable) Support(vendorID, productID uint16) Support {
	best := NotSupported
	for _, c := range t.Claims(vendorID, productID) {
		best = max(best, c.Support)
	}
	return best
}

// Lookup lists what every table says of a device: which drivers, and which
// of their subdrivers, claim it (Supported) or know its vendor
// (PossiblySupported), tables in the order given.
func Lookup(vendorID, productID uint16, tables ...IDTable) []Claim {
	var out []Claim
	for _, t := range tables {
		out = append(out, t.Claims(vendorID, productID)...)
	}
	return out
}
