// Package usbids is the table of the USB-serial bridges NUT 2.8.0's
// nutdrv_qx claims (its qx_usb_id table): apart from the driver, so that
// the udev rules, the enumerator and nut-scanner read it without the
// driver's code (nor its serial lines, which not every system has).
package usbids

import (
	"strings"

	"gonut/drivers/usb"
)

// Row is a row of the table: the IDs, the bridge (the ID's Subdriver),
// and the strings the device must give too ("" any).
type Row struct {
	ID              usb.DeviceID
	Vendor, Product string
}

// Rows are the table, in NUT's order; rows of the same IDs differ by the
// strings matched. The first row that fits a device gives its bridge.
var Rows = []Row{
	row(0x05b8, 0x0000, "cypress", "Agiler UPS"),
	row(0xffff, 0x0000, "ablerex", "Ablerex 625L USB"),
	row(0x1cb0, 0x0035, "krauler", "Legrand Daker DK / DK Plus"),
	row(0x0665, 0x5161, "cypress", "Belkin F6C1200-UNV/Voltronic Power UPSes"),
	row(0x06da, 0x0002, "phoenixtec", "Masterguard A Series", "Phoenixtec Power", "USB Cable (V2.00)"),
	row(0x06da, 0x0002, "cypress", "Online Yunto YQ450"),
	row(0x06da, 0x0003, "ippon", "Mustek Powermust"),
	row(0x06da, 0x0004, "cypress", "Phoenixtec Innova 3/1 T"),
	row(0x06da, 0x0005, "cypress", "Phoenixtec Innova RT"),
	row(0x06da, 0x0201, "cypress", "Phoenixtec Innova T"),
	row(0x06da, 0x0601, "phoenix", "Online Zinto A"),
	row(0x0f03, 0x0001, "cypress", "Unitek Alpha 1200Sx"),
	row(0x14f0, 0x00c9, "phoenix", "GE EP series"),
	row(0x0483, 0x0035, "sgs", "TS Shara UPSes"),
	row(0x0001, 0x0000, "fabula", "Fideltronik/MEC LUPUS 500 USB", "MEC", "MEC0003"),
	row(0x0001, 0x0000, "hunnox", "Hunnox HNX 850", "", "MEC0003"),
	row(0x0001, 0x0000, "fuji", "Fuji UPSes", "ATCL FOR UPS", "ATCL FOR UPS"),
	row(0x0001, 0x0000, "krauler", "Krauler UP-M500VA"),
	row(0x0001, 0x0000, "snr", "SNR-UPS-LID-XXXX UPSes", "", "MEC0003"),
	row(0x0925, 0x1234, "armac", "Armac UPS and maybe other richcomm-like or using old PowerManagerII software"),
}

// USBIDs is the table the udev rules and the enumerator are made from.
func USBIDs() usb.IDTable {
	t := usb.IDTable{Driver: "nutdrv_qx"}
	for _, r := range Rows {
		t.IDs = append(t.IDs, r.ID)
	}
	return t
}

// Bridge is the bridge of the first row that fits a device (NUT's
// qx_is_usb_device_supported); "" when none does.
func Bridge(id usb.Identity) string {
	for _, r := range Rows {
		if r.ID.VendorID != id.VendorID || r.ID.ProductID != id.ProductID {
			continue
		}
		if r.Vendor != "" && !strings.EqualFold(r.Vendor, id.Vendor) || r.Product != "" && !strings.EqualFold(r.Product, id.Product) {
			continue
		}
		return r.ID.Subdriver
	}
	return ""
}

// row is a table row; strings are the vendor and product it needs.
func row(vendorID, productID uint16, bridge, comment string, strings ...string) Row {
	r := Row{ID: usb.DeviceID{VendorID: vendorID, ProductID: productID, Subdriver: bridge, Comment: comment}}
	if len(strings) == 2 {
		r.Vendor, r.Product = strings[0], strings[1]
	}
	return r
}
