// Package libusb is the system's USB for package usb, through libusb 1.0
// (github.com/google/gousb): a usb.Bus that lists and opens the devices
// plugged in, and a usb.Handle that detaches the kernel's driver (usbhid)
// from the one interface a driver claims, as NUT's libusb1.c does.
package libusb
