package udev

import (
	"slices"

	qxids "gonut/drivers/qx/usbids"
	"gonut/drivers/usb"
	hidids "gonut/drivers/usbhidups/usbids"
)

// Tables are the USB ID tables of gonut's drivers, in the order their
// rules are written. A device two drivers claim goes to the first.
// nutdrv_qx's Armac row (0925:1234) is left to richcomm_usb, pending, as
// NUT's rules give it (richcomm_usb had it first); nutdrv_qx still takes
// the device when ups.conf names it.
func Tables() []usb.IDTable {
	return []usb.IDTable{hidids.USBIDs(), withoutPending(qxids.USBIDs())}
}

// withoutPending is a table without the IDs that Pending gives another
// driver.
func withoutPending(t usb.IDTable) usb.IDTable {
	out := usb.IDTable{Driver: t.Driver}
	for _, id := range t.IDs {
		if !slices.ContainsFunc(Pending, func(p usb.IDTable) bool {
			return p.Driver != t.Driver && slices.ContainsFunc(p.IDs, func(o usb.DeviceID) bool {
				return o.VendorID == id.VendorID && o.ProductID == id.ProductID
			})
		}) {
			out.IDs = append(out.IDs, id)
		}
	}
	return out
}

// Pending are the devices NUT 2.8.0's rules (Debian's
// /lib/udev/rules.d/62-nut-usbups.rules) give to drivers gonut does not
// have yet, with the models NUT's comments name: their permission lines
// stay, so that NUT's driver of that name works with gonut's rules, and
// the enumerator says which driver is missing when one is plugged in. A
// driver that joins Tables takes its rows out of here (TestPendingDrivers).
var Pending = []usb.IDTable{
	{Driver: "bcmxcp_usb", IDs: []usb.DeviceID{
		{VendorID: 0x03f0, ProductID: 0x1f01, Comment: "HP T500"},
		{VendorID: 0x03f0, ProductID: 0x1f02, Comment: "HP T750"},
		{VendorID: 0x0592, ProductID: 0x0002, Comment: "Powerware, various models"},
	}},
	{Driver: "riello_usb", IDs: []usb.DeviceID{
		{VendorID: 0x04b4, ProductID: 0x5500, Comment: "Riello, various models"},
	}},
	{Driver: "richcomm_usb", IDs: []usb.DeviceID{
		{VendorID: 0x0925, ProductID: 0x1234, Comment: "Sweex 1000VA"},
	}},
	{Driver: "tripplite_usb", IDs: []usb.DeviceID{
		{VendorID: 0x09ae, ProductID: 0x0001, Comment: "e.g. OMNIVS1000, SMART550USB, ..."},
	}},
}
