// Command usbhid-ups is NUT's driver for USB HID Power Devices.
package main
