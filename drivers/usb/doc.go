// Package usb is what gonut's USB drivers (usbhid-ups, nutdrv_qx) and the
// hot-plug enumerator share: choosing a device with ups.conf's matching
// options as NUT does (Matcher), the tables of the devices each driver
// claims (IDTable), finding and opening the device (Open) and talking to it
// (Conn: HID reports, descriptors, strings, interrupt reads), with errors
// that tell a device that is gone from one that is slow or refuses a
// request. It speaks to the hardware through the small Bus and Handle
// interfaces: package libusb implements them with libusb, package replay
// with scripted devices for tests.
package usb
