package qx

import (
	"gonut/drivers/qx/usbids"
	"gonut/drivers/usb"
)

// USBIDs is the table the udev rules and the enumerator are made from
// (package usbids).
func USBIDs() usb.IDTable { return usbids.USBIDs() }

// bridgeFor is the bridge of the first row of the table that fits a
// device (NUT's qx_is_usb_device_supported); nil when none does.
func bridgeFor(id usb.Identity) *bridge {
	if name := usbids.Bridge(id); name != "" {
		return bridgeNamed(name)
	}
	return nil
}
