// Package hiddesc reads just enough of a HID report descriptor to know how
// long each report is: the report ID, size and count of every main item.
// It splits the descriptor into items with drivers/hid, and keeps only the
// report layout the simulator needs.
package hiddesc
