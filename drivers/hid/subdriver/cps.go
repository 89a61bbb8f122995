package subdriver

// CyberPower is cps-hid.c: CyberPower units (0764:0005, 0501, 0601) and
// their OEM versions (PowerWalker's).
var CyberPower = &Subdriver{Name: "CyberPower HID 0.6", ID: "cps", Maker: "CyberPower", mfr: "CPS",
	Fix: FixCyberPower}
