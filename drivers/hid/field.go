package hid

// A Usage is a usage page in the high 16 bits and a usage ID in the low 16,
// as HID's extended usages are written (0x00840030 is Power Device:Voltage).
type Usage uint32

// Page is the usage page.
func (u Usage) Page() uint16 { return uint16(u >> 16) }

// ID is the usage ID within its page.
func (u Usage) ID() uint16 { return uint16(u) }

// Common usage pages of power devices.
const (
	PagePowerDevice   = 0x84
	PageBatterySystem = 0x85
)

// indexPage marks a path node that is not a usage but the index of a
// collection whose type byte is 0x80 or more (MGE uses these to number
// phases and outlets): NUT writes it "[n]".
const indexPage = 0x00ff

// IndexNode is the path node of collection index n (0-127).
func IndexNode(n int) Usage { return Usage(indexPage<<16 | n&0x7f) }

// IsIndex reports whether a path node is a collection index, and which.
func (u Usage) IsIndex() (int, bool) {
	if u.Page() != indexPage {
		return 0, false
	}
	return int(u.ID()), true
}

// A Path is where a field is: the usage of each enclosing collection (with
// a collection's index after it, if it has one), then the field's own
// usage. NUT names it with dots: UPS.PowerSummary.RemainingCapacity.
type Path []Usage

// Equal reports whether two paths are the same.
func (p Path) Equal(q Path) bool {
	if len(p) != len(q) {
		return false
	}
	for i := range p {
		if p[i] != q[i] {
			return false
		}
	}
	return true
}

// Last is the field's own usage (0 for an empty path).
func (p Path) Last() Usage {
	if len(p) == 0 {
		return 0
	}
	return p[len(p)-1]
}

// A ReportType is the kind of report a field travels in.
type ReportType uint8

// Report types, numbered as GET_REPORT's wValue high byte numbers them.
const (
	Input   ReportType = 1
	Output  ReportType = 2
	Feature ReportType = 3
)

// String is NUT's name of the type: "Input", "Output" or "Feature".
func (t ReportType) String() string {
	switch t {
	case Input:
		return "Input"
	case Output:
		return "Output"
	case Feature:
		return "Feature"
	}
	return "Unknown"
}

// Main item data bits of Input, Output and Feature items (HID 1.11,
// 6.2.2.5).
const (
	FlagConstant      = 1 << 0 // not data: padding, or a value that never changes
	FlagVariable      = 1 << 1 // a value, not an array of selectors
	FlagRelative      = 1 << 2
	FlagWrap          = 1 << 3
	FlagNonLinear     = 1 << 4
	FlagNoPreferred   = 1 << 5
	FlagNullState     = 1 << 6
	FlagVolatile      = 1 << 7
	FlagBufferedBytes = 1 << 8
)

// A Field is one value a report carries: what NUT calls a HID object
// (HIDData_t). Only fields that have a usage of their own are fields;
// the rest of a report is padding.
type Field struct {
	Path     Path
	Type     ReportType
	ReportID uint8 // 0: the device declares no report IDs
	Offset   int   // bits from the start of the report's data, after its ID byte
	Size     int   // bits
	Flags    uint32

	LogMin, LogMax int64
	PhyMin, PhyMax int64
	HasPhyMin      bool // a Physical Minimum was declared (it persists, as all global state)
	HasPhyMax      bool
	Unit           uint32
	UnitExp        int8 // as NUT reads it: 8-15 are -8..-1

	// LogMaxAssumed is set when the descriptor's Logical Maximum, read
	// as the signed number HID says it is, was below the Logical Minimum,
	// and was read as unsigned instead: firmware that writes 0..65535 as
	// "15 00 26 ff ff" means 65535, not -1.
	LogMaxAssumed bool

	Item int // offset of its Input, Output or Feature item in the descriptor
}

// Signed reports whether the field's values are two's complement: HID
// says they are unless both logical extents are 0 or more.
func (f *Field) Signed() bool { return f.LogMin < 0 || f.LogMax < 0 }
