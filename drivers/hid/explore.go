package hid

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// ExploreOptions say what Explore prints besides each field's place.
type ExploreOptions struct {
	// Reports are report bytes by report ID, ID byte first, as read from
	// the device (NUT reads every report, Input ones too, with a Feature
	// GET_REPORT). A field whose report is missing or too short is
	// printed without a value, as NUT prints a field it could not read.
	Reports map[uint8][]byte
	// Verbose adds the logical and physical ranges, unit, unit exponent
	// and flags to each line.
	Verbose bool
	// Skip leaves out the fields it reports true for: NUT does not list
	// reports 254 and 255 of Eaton and Dell units, which do not answer
	// them as others do.
	Skip func(*Field) bool
}

// Explore prints one line per field, in descriptor order, in the shape of
// NUT's usbhid-ups debug output (HIDDumpTree), which NUT's scripts and
// people compare by eye:
//
//	Path: UPS.PowerSummary.RemainingCapacity, Type: Feature, ReportID: 0x0c, Offset: 0, Size: 8, Value: 100
func Explore(w io.Writer, d *Descriptor, names *Names, opt ExploreOptions) error {
	for i := range d.Fields {
		f := &d.Fields[i]
		if opt.Skip != nil && opt.Skip(f) {
			continue
		}
		var value *float64
		if r, ok := opt.Reports[f.ReportID]; ok {
			if v, err := f.Value(r); err == nil {
				value = &v
			}
		}
		line := ExploreLine(f, names, value)
		if opt.Verbose {
			line += f.details()
		}
		if _, err := io.WriteString(w, line+"\n"); err != nil {
			return err
		}
	}
	return nil
}

// ExploreLine is the line Explore prints for one field, without a Value
// when value is nil.
func ExploreLine(f *Field, names *Names, value *float64) string {
	line := fmt.Sprintf("Path: %s, Type: %s, ReportID: 0x%02x, Offset: %d, Size: %d",
		names.Format(f.Path), f.Type, f.ReportID, f.Offset, f.Size)
	if value != nil {
		line += ", Value: " + FormatG(*value)
	}
	return line
}

func (f *Field) details() string {
	var b strings.Builder
	fmt.Fprintf(&b, ", LogMin: %d, LogMax: %d", f.LogMin, f.LogMax)
	if f.LogMaxAssumed {
		b.WriteString(" (read unsigned)")
	}
	if f.HasPhyMin || f.HasPhyMax {
		fmt.Fprintf(&b, ", PhyMin: %d, PhyMax: %d", f.PhyMin, f.PhyMax)
	}
	fmt.Fprintf(&b, ", Unit: 0x%08x, UnitExp: %d, Exponent: %d, Flags: 0x%02x", f.Unit, f.UnitExp, f.Exponent(), f.Flags)
	return b.String()
}

// FormatG formats x as C's printf("%g") does, which NUT uses for values:
// six significant digits, no trailing zeros, an exponent below 1e-4 and
// from 1e6.
func FormatG(x float64) string {
	switch {
	case math.IsNaN(x):
		return "nan"
	case math.IsInf(x, 1):
		return "inf"
	case math.IsInf(x, -1):
		return "-inf"
	}
	s := strconv.FormatFloat(x, 'e', 5, 64)
	exp, _ := strconv.Atoi(s[strings.IndexByte(s, 'e')+1:])
	if exp < -4 || exp >= 6 {
		mant, e, _ := strings.Cut(s, "e")
		return trimZeros(mant) + "e" + e
	}
	return trimZeros(strconv.FormatFloat(x, 'f', 5-exp, 64))
}

func trimZeros(s string) string {
	if strings.IndexByte(s, '.') < 0 {
		return s
	}
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}
