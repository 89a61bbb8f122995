package subdriver

import (
	"fmt"

	"gonut/state"
)

// An Info is one row of a subdriver's table (NUT's hid_info_t): a NUT
// variable or instant command, and where its value is on the device.
// Several rows may name the same variable with different paths, for
// different models: the first path the device has wins.
type Info struct {
	// Var is the NUT variable or command ("battery.charge",
	// "test.battery.start.quick"), or "BOOL" for a row that feeds
	// ups.status and ups.alarm through its Lookup's NUT values
	// ("online", "!online", "lowbatt", ...).
	Var string
	// Flags are the variable's state flags (RW, String).
	Flags state.Flags
	// Len is the maximum length of a String variable.
	Len int
	// Path is the HID path of its value, "" for a variable the driver
	// keeps itself (ups.delay.shutdown...).
	Path string
	// Format formats the physical value ("%.1f"), or, with HIDAbsent,
	// is the default value; for a command (HIDCommand) it is the value
	// written.
	Format string
	// HID are the driver's flags for the row (HIDStatic, HIDCommand...).
	HID HIDFlags
	// Lookup, if set, converts between HID and NUT values; with
	// HIDEnum its NUT values are also the variable's enumeration.
	Lookup *Lookup
}

// HIDFlags are usbhid-ups's own flags of a row (HU_FLAG_*, HU_TYPE_CMD),
// with NUT's values.
type HIDFlags uint

const (
	HIDStatic     HIDFlags = 2   // read once
	HIDSemiStatic HIDFlags = 4   // read at full updates only
	HIDAbsent     HIDFlags = 8   // not on the device: Format is its default
	HIDQuickPoll  HIDFlags = 16  // read at every update, interrupt or poll
	HIDStale      HIDFlags = 32  // set at run time: not readable, do not insist
	HIDCommand    HIDFlags = 64  // an instant command
	HIDEnum       HIDFlags = 128 // its Lookup's values are the enumeration
)

// Value is the NUT value of HID value v for the row: by its Lookup, or
// formatted with Format. It is false when the lookup has no value for v.
func (r *Info) Value(c Context, v float64) (string, bool) {
	if r.Lookup != nil {
		return r.Lookup.NUT(c, v)
	}
	return fmt.Sprintf(r.Format, v), true
}
