// Package hiddev is the USB simulator's device: a USB HID device made from
// a device file, answering the standard requests and HID's GET_REPORT and
// SET_REPORT, and sending input reports on its interrupt pipe. Tests
// change it as it runs (mains lost, charge falling) and read what the host
// sent it.
package hiddev
