// Package nutref runs Debian's NUT 2.8.0 usbhid-ups on a report
// descriptor from a file, as the reference the tests of drivers/hid
// compare with: a small stand-in for libusb-1.0 (testdata/libusb_shim.c,
// loaded with LD_PRELOAD) plays a USB HID device whose descriptor and
// reports come from files, and the driver's debug output (HIDDumpTree's
// "Path: ..." lines) is collected.
//
// It needs gcc, libusb-1.0's header and /lib/nut/usbhid-ups; Available
// says which is missing.
package nutref
