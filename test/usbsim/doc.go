// Command usbsim serves a simulated USB HID device (a UPS, say) over
// USB/IP, so that `usbip attach -r HOST -b BUSID` brings it into a Linux
// kernel through vhci-hcd, where the kernel, udev, libusb and drivers see
// a real USB device. Test code: never installed.
//
//	usbsim -dev FILE [-listen 127.0.0.1:3240] [-busid 1-1] [-control ADDR] [-v]
//	usbsim -c ADDR COMMAND...
//
// FILE is a device file (see package devfile; examples in devices/). ADDR
// is the control interface (see package control): a path for a Unix
// socket, else host:port. The second form sends one control command and
// prints the answer; it exits 1 on ERR.
package main
