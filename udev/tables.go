package udev

import (
	"gonut/drivers/usb"
	"gonut/drivers/usbhidups"
)

// Tables are the USB ID tables of gonut's drivers, in the order their
// rules are written. A device two drivers claim goes to the first.
func Tables() []usb.IDTable {
	return []usb.IDTable{usbhidups.USBIDs()}
}

// Pending are the devices NUT 2.8.0's rules (Debian's
// /lib/udev/rules.d/62-nut-usbups.rules) give to drivers gonut does not
// have yet, with the models NUT's comments name: their permission lines
// stay, so that NUT's driver of that name works with gonut's rules, and
// the enumerator says which driver is missing when one is plugged in. A
// driver that joins Tables takes its rows out of here (TestPendingDrivers).
var Pending = []usb.IDTable{
	{Driver: "nutdrv_qx", IDs: []usb.DeviceID{
		{VendorID: 0x0001, ProductID: 0x0000, Comment: "SNR-UPS-LID-XXXX UPSes"},
		{VendorID: 0x0483, ProductID: 0x0035, Comment: "TS Shara UPSes; vendor ID 0x0483 is from ST Microelectronics - with product IDs delegated to different OEMs"},
		{VendorID: 0x05b8, ProductID: 0x0000, Comment: "Agiler UPS"},
		{VendorID: 0x0665, ProductID: 0x5161, Comment: "Belkin F6C1200-UNV/Voltronic Power UPSes"},
		{VendorID: 0x06da, ProductID: 0x0002, Comment: "Online Yunto YQ450"},
		{VendorID: 0x06da, ProductID: 0x0003, Comment: "Mustek Powermust"},
		{VendorID: 0x06da, ProductID: 0x0004, Comment: "Phoenixtec Innova 3/1 T"},
		{VendorID: 0x06da, ProductID: 0x0005, Comment: "Phoenixtec Innova RT"},
		{VendorID: 0x06da, ProductID: 0x0201, Comment: "Phoenixtec Innova T"},
		{VendorID: 0x06da, ProductID: 0x0601, Comment: "Online Zinto A"},
		{VendorID: 0x0f03, ProductID: 0x0001, Comment: "Unitek Alpha 1200Sx"},
		{VendorID: 0x14f0, ProductID: 0x00c9, Comment: "GE EP series"},
		{VendorID: 0x1cb0, ProductID: 0x0035, Comment: "Legrand Daker DK / DK Plus"},
		{VendorID: 0xffff, ProductID: 0x0000, Comment: `Ablerex 625L USB (Note: earlier best-fit was "krauler_subdriver" before PR #1135)`},
	}},
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
