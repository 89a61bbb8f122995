// Package usbhidups is the usbhid-ups driver: it opens the first USB HID
// Power Device its options match, reads it through its subdriver's table
// (drivers/hid/subdriver) and publishes NUT's variables. The table of the
// USB devices its subdrivers claim is package usbids.
package usbhidups

import (
	"gonut/drivers/usb"
	"gonut/drivers/usbhidups/usbids"
)

// USBIDs are the devices usbhid-ups claims (package usbids).
func USBIDs() usb.IDTable { return usbids.USBIDs() }
