// Package hidtest reads the real report descriptors in drivers/hid's
// testdata, for the tests of drivers/hid and its subpackages.
//
// A sample is NAME.hex: the descriptor in hex, after '#' comment lines
// that name its source and hold "# device: VVVV:PPPP [bcd BBBB]" and
// "# subdriver: NAME" (the NUT subdriver that claims it). Beside it may be
// NAME.reports (reports the device sent, one a line in hex, report ID
// first), NAME.nut (what Debian's NUT 2.8.0 usbhid-ups prints for it) and
// NAME.log (what NUT printed on the real device, from its user's log).
package hidtest
