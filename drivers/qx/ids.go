package qx

import "gonut/drivers/usb"

// USBIDs are the USB-serial bridges NUT 2.8.0's nutdrv_qx claims (its
// qx_usb_id table), in its order, with the bridge each speaks through.
// Rows of the same IDs differ by the strings NUT matches too (noted).
// The bridges themselves are not here yet, so the udev rules still take
// these devices from udev.Pending; once they are, this table joins
// udev.Tables and its rows leave Pending.
func USBIDs() usb.IDTable {
	return usb.IDTable{Driver: "nutdrv_qx", IDs: []usb.DeviceID{
		row(0x05b8, 0x0000, "cypress", "Agiler UPS"),
		row(0xffff, 0x0000, "ablerex", "Ablerex 625L USB"),
		row(0x1cb0, 0x0035, "krauler", "Legrand Daker DK / DK Plus"),
		row(0x0665, 0x5161, "cypress", "Belkin F6C1200-UNV/Voltronic Power UPSes"),
		row(0x06da, 0x0002, "phoenixtec", "Masterguard A Series (vendor \"Phoenixtec Power\", product \"USB Cable (V2.00)\")"),
		row(0x06da, 0x0002, "cypress", "Online Yunto YQ450"),
		row(0x06da, 0x0003, "ippon", "Mustek Powermust"),
		row(0x06da, 0x0004, "cypress", "Phoenixtec Innova 3/1 T"),
		row(0x06da, 0x0005, "cypress", "Phoenixtec Innova RT"),
		row(0x06da, 0x0201, "cypress", "Phoenixtec Innova T"),
		row(0x06da, 0x0601, "phoenix", "Online Zinto A"),
		row(0x0f03, 0x0001, "cypress", "Unitek Alpha 1200Sx"),
		row(0x14f0, 0x00c9, "phoenix", "GE EP series"),
		row(0x0483, 0x0035, "sgs", "TS Shara UPSes"),
		row(0x0001, 0x0000, "fabula", "Fideltronik/MEC LUPUS 500 USB (vendor \"MEC\", product \"MEC0003\")"),
		row(0x0001, 0x0000, "hunnox", "Hunnox HNX 850 (product \"MEC0003\")"),
		row(0x0001, 0x0000, "fuji", "Fuji UPSes (vendor and product \"ATCL FOR UPS\")"),
		row(0x0001, 0x0000, "krauler", "Krauler UP-M500VA"),
		row(0x0001, 0x0000, "snr", "SNR-UPS-LID-XXXX UPSes (product \"MEC0003\")"),
		row(0x0925, 0x1234, "armac", "Armac UPS and maybe other richcomm-like or using old PowerManagerII software"),
	}}
}

func row(vendorID, productID uint16, bridge, comment string) usb.DeviceID {
	return usb.DeviceID{VendorID: vendorID, ProductID: productID, Subdriver: bridge, Comment: comment}
}
