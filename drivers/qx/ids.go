package qx

import (
	"strings"

	"gonut/drivers/usb"
)

// usbRow is a row of NUT 2.8.0's qx_usb_id table: the IDs, the strings
// the device must give too ("" any), and its bridge.
type usbRow struct {
	id              usb.DeviceID
	vendor, product string
}

// usbRows are the USB-serial bridges NUT 2.8.0's nutdrv_qx claims, in its
// order; rows of the same IDs differ by the strings matched. The first
// row that fits a device gives its bridge.
var usbRows = []usbRow{
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
	for _, r := range usbRows {
		t.IDs = append(t.IDs, r.id)
	}
	return t
}

// bridgeFor is the bridge of the first row that fits a device (NUT's
// qx_is_usb_device_supported); nil when none does.
func bridgeFor(id usb.Identity) *bridge {
	for _, r := range usbRows {
		if r.id.VendorID != id.VendorID || r.id.ProductID != id.ProductID {
			continue
		}
		if r.vendor != "" && !strings.EqualFold(r.vendor, id.Vendor) || r.product != "" && !strings.EqualFold(r.product, id.Product) {
			continue
		}
		return bridgeNamed(r.id.Subdriver)
	}
	return nil
}

// row is a table row; strings are the vendor and product it needs.
func row(vendorID, productID uint16, bridge, comment string, strings ...string) usbRow {
	r := usbRow{id: usb.DeviceID{VendorID: vendorID, ProductID: productID, Subdriver: bridge, Comment: comment}}
	if len(strings) == 2 {
		r.vendor, r.product = strings[0], strings[1]
	}
	return r
}
