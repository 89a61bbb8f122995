// Package subdriver holds what NUT's usbhid-ups subdrivers are made of
// (usbhid-ups.h): the rows that map a HID path to a NUT variable or
// instant command (Info), the conversions between HID and NUT values
// (Lookup), the fixes for report descriptors that firmware gets wrong
// (FixFunc), which devices each takes (Claim) and how it names them
// (Labels). A subdriver is data: a usage table, a list of rows, a fix.
package subdriver
