// Package usbids is the table of the USB devices usbhid-ups's
// subdrivers claim, from NUT 2.8.0's drivers/*-hid.c (the
// *_usb_device_table of each subdriver): apart from the driver, so that
// the udev rules, the enumerator and nut-scanner read it without the
// driver's code.
package usbids

import "gonut/drivers/usb"

// USBIDs are the devices usbhid-ups claims, subdrivers in the order NUT's
// usbhid-ups tries them (its subdriver_list; explore, which claims
// anything when asked to, has no rows).
func USBIDs() usb.IDTable {
	return usb.IDTable{Driver: "usbhid-ups", IDs: []usb.DeviceID{
		// mge-hid.c: Eaton, MGE, Powerware, and their OEMs.
		row(0x0463, 0x0001, "mge", "various models"),
		row(0x0463, 0xffff, "mge", "various models"),
		row(0x047c, 0xffff, "mge", "Dell, various models"),
		row(0x0592, 0x0004, "mge", "PW 9140"),
		row(0x03f0, 0x1fe5, "mge", "HP R/T3000"),
		row(0x03f0, 0x1fe6, "mge", "HP R/T3000"),
		row(0x03f0, 0x1fe7, "mge", "HP, various models"),
		row(0x03f0, 0x1fe8, "mge", "HP, various models"),
		row(0x2b2d, 0xffff, "mge", "AEG PROTECT B / NAS"),
		// Phoenixtec's ID: mge-hid claims it only when a string says AEG,
		// and leaves it to liebert-hid otherwise.
		row(0x06da, 0xffff, "mge", "AEG PROTECT B / NAS"),
		row(0x04b3, 0x0001, "mge", "IBM 6000 VA LCD 4U Rack UPS; 5396-1Kx"),

		// apc-hid.c
		row(0x051d, 0x0000, "apc", "APC AP9584 Serial->USB kit"),
		row(0x051d, 0x0002, "apc", "various models"),
		row(0x051d, 0x0003, "apc", "various 5G models"),

		// arduino-hid.c
		row(0x2341, 0x0036, "arduino", "Arduino Leonardo, Leonardo ETH and Pro Micro"),
		row(0x2341, 0x8036, "arduino", "Arduino Leonardo, Leonardo ETH and Pro Micro"),
		row(0x2a03, 0x0036, "arduino", "Arduino Leonardo, Leonardo ETH and Pro Micro"),
		row(0x2a03, 0x8036, "arduino", "Arduino Leonardo, Leonardo ETH and Pro Micro"),
		row(0x2a03, 0x0040, "arduino", "Arduino Leonardo, Leonardo ETH and Pro Micro"),
		row(0x2a03, 0x8040, "arduino", "Arduino Leonardo, Leonardo ETH and Pro Micro"),

		// belkin-hid.c: Belkin, and Liebert's own vendor ID.
		row(0x050d, 0x0980, "belkin", "F6C800-UNV"),
		row(0x050d, 0x0900, "belkin", "F6C900-UNV"),
		row(0x050d, 0x0910, "belkin", "F6C100-UNV"),
		row(0x050d, 0x0912, "belkin", "F6C120-UNV"),
		row(0x050d, 0x0551, "belkin", "F6C550-AVR"),
		row(0x050d, 0x0750, "belkin", "F6C1250-TW-RK"),
		row(0x050d, 0x0751, "belkin", "F6C1500-TW-RK"),
		row(0x050d, 0x0375, "belkin", "F6H375-USB"),
		row(0x050d, 0x0f51, "belkin", "Regulator PRO-USB"),
		row(0x050d, 0x1100, "belkin", "F6C1100-UNV, F6C1200-UNV"),
		row(0x10af, 0x0004, "belkin", "Liebert GXT4 UPS, Liebert PowerSure PSI 1440"),
		row(0x10af, 0x0001, "belkin", "Liebert PowerSure PSA UPS"),
		row(0x10af, 0x0008, "belkin", "Liebert GXT3"),

		// cps-hid.c
		row(0x0764, 0x0005, "cps", "900AVR/BC900D"),
		row(0x0764, 0x0501, "cps", "Dynex DX-800U?, CP1200AVR/BC1200D, CP825AVR-G, CP1000AVRLCD, CP1000PFCLCD, CP1500C, CP550HG, etc."),
		row(0x0764, 0x0601, "cps", "OR2200LCDRM2U, OR700LCDRM1U, PR6000LCDRTXL5U"),

		// delta_ups-hid.c
		row(0x05dd, 0x041b, "delta_ups", "Delta RT Series and Amplon R Series, Single Phase UPS, 1/2/3 kVA"),

		// ever-hid.c
		row(0x0483, 0xa113, "ever", "Ever UPS (STMicroelectronics vendor ID)"),
		row(0x2e51, 0xffff, "ever", "Ever UPS"),
		row(0x2e51, 0x0000, "ever", "Ever UPS"),

		// idowell-hid.c
		row(0x075d, 0x0300, "idowell", "iDowell"),

		// legrand-hid.c
		row(0x1cb0, 0x0038, "legrand", "Legrand Keor PDU"),
		row(0x1cb0, 0x0032, "legrand", "Legrand Keor SP"),

		// liebert-hid.c: Phoenixtec's ID.
		row(0x06da, 0xffff, "liebert", "Phoenixtec/Liebert, various models"),

		// openups-hid.c
		row(0x04d8, 0xd004, "openups", "openUPS Intelligent UPS (minimum required firmware 1.4)"),
		row(0x04d8, 0xd005, "openups", "openUPS Intelligent UPS (minimum required firmware 1.4)"),

		// powercom-hid.c
		row(0x0d9f, 0x00a2, "powercom", "PowerCOM IMP - IMPERIAL Series"),
		row(0x0d9f, 0x00a3, "powercom", "PowerCOM SKP - Smart KING Pro (all Smart series)"),
		row(0x0d9f, 0x00a4, "powercom", "PowerCOM WOW"),
		row(0x0d9f, 0x00a5, "powercom", "PowerCOM VGD - Vanguard"),
		row(0x0d9f, 0x00a6, "powercom", "PowerCOM BNT - Black Knight Pro"),
		row(0x0d9f, 0x0004, "powercom", "PowerCOM Vanguard and BNT-xxxAP"),
		row(0x0d9f, 0x0001, "powercom", "PowerCOM Vanguard and BNT-xxxAP"),

		// powervar-hid.c
		row(0x4234, 0x0002, "powervar", "Powervar"),

		// salicru-hid.c
		row(0x2e66, 0x0201, "salicru", "Salicru SLC TWIN PRO2 (up to 3 kVA), TWIN PRO3, TWIN RT3"),
		row(0x2e66, 0x0202, "salicru", "Salicru SLC TWIN PRO2 (up to 3 kVA), TWIN PRO3, TWIN RT3"),
		row(0x2e66, 0x0203, "salicru", "Salicru SLC TWIN PRO2 (up to 3 kVA), TWIN PRO3, TWIN RT3"),
		row(0x2e66, 0x0300, "salicru", "Salicru SPS 850 HOME"),

		// tripplite-hid.c: Tripp Lite, HP and Delta/Minuteman.
		row(0x09ae, 0x1003, "tripplite", "e.g. TrippLite AVR550U"),
		row(0x09ae, 0x1007, "tripplite", "e.g. TrippLite AVR750U"),
		row(0x09ae, 0x1008, "tripplite", "e.g. TrippLite ECO550UPS"),
		row(0x09ae, 0x1009, "tripplite", "e.g. TrippLite ECO550UPS"),
		row(0x09ae, 0x1010, "tripplite", "e.g. TrippLite ECO550UPS"),
		row(0x09ae, 0x1330, "tripplite", "e.g. TrippLite SU3000LCD2UHV"),
		row(0x09ae, 0x2005, "tripplite", "e.g. TrippLite OMNI1000LCD"),
		row(0x09ae, 0x2007, "tripplite", "e.g. TrippLite OMNI900LCD"),
		row(0x09ae, 0x2008, "tripplite", "e.g. ?"),
		row(0x09ae, 0x2009, "tripplite", "e.g. TrippLite Smart1000LCD"),
		row(0x09ae, 0x2010, "tripplite", "e.g. ?"),
		row(0x09ae, 0x2011, "tripplite", "e.g. ?"),
		row(0x09ae, 0x2012, "tripplite", "e.g. ?"),
		row(0x09ae, 0x2013, "tripplite", "e.g. ?"),
		row(0x09ae, 0x2014, "tripplite", "e.g. ?"),
		row(0x09ae, 0x3008, "tripplite", "e.g. ?"),
		row(0x09ae, 0x3009, "tripplite", "e.g. ?"),
		row(0x09ae, 0x3010, "tripplite", "e.g. ?"),
		row(0x09ae, 0x3011, "tripplite", "e.g. ?"),
		row(0x09ae, 0x3012, "tripplite", "e.g. TrippLite smart2200RMXL2U"),
		row(0x09ae, 0x3013, "tripplite", "e.g. ?"),
		row(0x09ae, 0x3014, "tripplite", "e.g. ?"),
		row(0x09ae, 0x3015, "tripplite", "e.g. ?"),
		row(0x09ae, 0x3016, "tripplite", "e.g. TrippLite Smart1500LCD (newer unit)"),
		row(0x09ae, 0x3024, "tripplite", "e.g. TrippLite AVR750U (newer unit)"),
		row(0x09ae, 0x4001, "tripplite", "e.g. TrippLite SmartOnline SU1500RTXL2UA (older unit?)"),
		row(0x09ae, 0x4002, "tripplite", "e.g. TrippLite SmartOnline SU6000RT4U?"),
		row(0x09ae, 0x4003, "tripplite", "e.g. TrippLite SmartOnline SU1500RTXL2ua"),
		row(0x09ae, 0x4004, "tripplite", "e.g. TrippLite SmartOnline SU1000XLA"),
		row(0x09ae, 0x4005, "tripplite", "e.g. ?"),
		row(0x09ae, 0x4006, "tripplite", "e.g. ?"),
		row(0x09ae, 0x4007, "tripplite", "e.g. ?"),
		row(0x09ae, 0x4008, "tripplite", "e.g. ?"),
		row(0x03f0, 0x0001, "tripplite", "HP, e.g. ?"),
		row(0x03f0, 0x1fe0, "tripplite", "HP R1500 G2 and G3 INTL"),
		row(0x03f0, 0x1fe1, "tripplite", "HP T750 G2"),
		row(0x03f0, 0x1fe2, "tripplite", "HP, e.g. ?"),
		row(0x03f0, 0x1fe3, "tripplite", "HP T1500 G3"),
		row(0x03f0, 0x1f06, "tripplite", "HP T750 INTL"),
		row(0x03f0, 0x1f08, "tripplite", "HP T1000 INTL"),
		row(0x03f0, 0x1f09, "tripplite", "HP T1500 INTL"),
		row(0x03f0, 0x1f0a, "tripplite", "HP R/T 2200 INTL (like SMART2200RMXL2U)"),
		row(0x05dd, 0xa011, "tripplite", "Delta/Minuteman Enterprise Plus E1500RM2U"),
	}}
}

func row(vendorID, productID uint16, subdriver, comment string) usb.DeviceID {
	return usb.DeviceID{VendorID: vendorID, ProductID: productID, Subdriver: subdriver, Comment: comment}
}
