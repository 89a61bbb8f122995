// Package hiddesc reads just enough of a HID report descriptor to know how
// long each report is: the report ID, size and count of every main item.
// It is the USB simulator's own, kept minimal on purpose; the HID parser
// that drivers use lives elsewhere.
package hiddesc
