// Package usbip serves one USB device over the USB/IP protocol (Linux's
// Documentation/usb/usbip_protocol.rst), so that `usbip attach` brings it
// into a kernel through vhci-hcd and the kernel, udev and libusb see a
// real USB device. Big-endian throughout; the device itself (descriptors,
// requests) is a Device.
package usbip
