// Package hid reads USB HID report descriptors and the reports they
// describe, as NUT's usbhid-ups sees them (hidparser.c and libhid.c), for
// UPSes and other HID power devices. It is pure Go: what reads and writes
// the device's reports is the driver's business.
//
// Parse turns a report descriptor into Fields: each value the reports
// carry, with its Path (the usages of its collections, then its own),
// report ID and type, bit offset and size, logical and physical range,
// unit and unit exponent. Names, built from usage tables (package
// usages), writes a path as NUT does (UPS.PowerSummary.RemainingCapacity)
// and reads it back, so that a subdriver's table rows find their fields.
//
// A driver keeps a buffer per report (Descriptor.ReportBuffers), copies
// what the device sends into it, and reads a field's value with
// Field.Value: its bits, sign-extended and masked by its logical range
// (Logical), scaled to its physical range and unit exponent (Physical),
// all as NUT computes them, so that values print as NUT's do. SetValue
// writes a value back into the buffer, leaving the other fields as they
// were, for a SET_REPORT.
//
// Explore prints every field in the shape of NUT's usbhid-ups debug
// output ("Path: ..., Type: Feature, ReportID: 0x0c, Offset: 0, Size: 8,
// Value: 100").
//
// Where NUT 2.8.0 is wrong, this package is not, and says so where it
// happens: report offsets past 255 bits (NUT keeps them in 8 bits),
// descriptors without report IDs, Push and Pop, Usage Minimum and Maximum,
// a Logical Maximum declared before its Minimum, paths deeper than NUT's
// 10 nodes, values written back (rounded, not truncated).
package hid
