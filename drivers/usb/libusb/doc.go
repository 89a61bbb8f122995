// Package libusb is the system's USB for package usb, through libusb 1.0
// (a small cgo binding of its own): a usb.Bus that lists and opens the
// devices plugged in, and a usb.Handle that detaches the kernel's driver
// (usbhid) from the one interface a driver claims, as NUT's libusb1.c
// does. Nothing wakes while the device says nothing: a transfer's caller
// handles libusb's events until it ends, as libusb's synchronous calls do,
// and no thread polls on a timer.
package libusb
