package hid

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
)

// Reports are passed as the device sends them: the report ID first, then
// the data, unless the descriptor declares no report IDs (ReportID 0),
// when there is only the data.

// ErrConstant is the error of writing a field declared Constant.
var ErrConstant = errors.New("the field is constant")

// span is where the field's bits are in report, after checking that the
// report is the field's and holds them.
func (f *Field) span(report []byte) (data []byte, err error) {
	data = report
	if f.ReportID != 0 {
		if len(report) == 0 || report[0] != f.ReportID {
			return nil, fmt.Errorf("report 0x%02x expected, got %s", f.ReportID, reportName(report))
		}
		data = report[1:]
	}
	if need := (f.Offset + f.Size + 7) / 8; len(data) < need {
		return nil, fmt.Errorf("report 0x%02x has %d data bytes, its field at bits %d-%d needs %d", f.ReportID, len(data), f.Offset, f.Offset+f.Size-1, need)
	}
	return data, nil
}

func reportName(report []byte) string {
	if len(report) == 0 {
		return "an empty report"
	}
	return fmt.Sprintf("report 0x%02x", report[0])
}

// Raw is the field's bits as an unsigned number, the lowest 64 if it has
// more.
func (f *Field) Raw(report []byte) (uint64, error) {
	data, err := f.span(report)
	if err != nil {
		return 0, err
	}
	var v uint64
	for i := 0; i < f.Size && i < 64; i++ {
		bit := f.Offset + i
		v |= uint64(data[bit/8]>>(bit%8)&1) << i
	}
	return v, nil
}

// Logical is the field's logical value in report, as NUT reads it
// (hidparser.c's GetValue): bits beyond what the logical range needs are
// dropped (firmware puts garbage there), a field whose range goes below 0
// is sign-extended at the top bit of that range, and the value is clamped
// to the range.
//
// The logical range decides, not the field's size: a status bit declared
// with a range of -1..127 left over from the field before it reads 1, not
// -1, and NUT's subdriver tables rely on that.
func (f *Field) Logical(report []byte) (int64, error) {
	raw, err := f.Raw(report)
	if err != nil {
		return 0, err
	}
	return f.logical(raw), nil
}

func (f *Field) logical(raw uint64) int64 {
	width := bits.Len64(max(magnitude(f.LogMax), magnitude(f.LogMin)))
	if f.LogMin < 0 {
		width++ // the sign bit, above the magnitude
	}
	v := int64(raw)
	if width < 64 {
		v = int64(raw & (1<<width - 1))
		if f.LogMin < 0 && v>>(width-1)&1 == 1 {
			v -= 1 << width
		}
	}
	if v < f.LogMin {
		return f.LogMin
	}
	if v > f.LogMax {
		return f.LogMax
	}
	return v
}

// magnitude is what a number needs without its sign bit.
func magnitude(v int64) uint64 {
	if v < 0 {
		return uint64(-(v + 1))
	}
	return uint64(v)
}

// PutLogical writes v into the field's bits of report, leaving the other
// bits as they are (a SET_REPORT sends the whole report, so the rest is
// what was last read). v must be in the logical range when the range is
// sound (LogMin <= LogMax), and the field's bits must hold it so that
// Logical reads it back: a range wider than the field can hold only what
// its bits hold unsigned.
func (f *Field) PutLogical(report []byte, v int64) error {
	data, err := f.span(report)
	if err != nil {
		return err
	}
	if f.LogMin <= f.LogMax && (v < f.LogMin || v > f.LogMax) {
		return fmt.Errorf("%d is outside the field's logical range %d..%d", v, f.LogMin, f.LogMax)
	}
	raw := uint64(v)
	if f.Size < 64 {
		raw &= 1<<f.Size - 1
	}
	if f.logical(raw) != v {
		return fmt.Errorf("%d does not fit the field's %d bits", v, f.Size)
	}
	f.putBits(data, v)
	return nil
}

// putBits writes the field's bits of v, two's complement, into data.
func (f *Field) putBits(data []byte, v int64) {
	for i := 0; i < f.Size; i++ {
		bit := f.Offset + i
		b := &data[bit/8]
		*b &^= 1 << (bit % 8)
		*b |= byte(v>>min(i, 63)&1) << (bit % 8)
	}
}

// Exponent is the power of ten that turns a physical value into the unit
// NUT reports it in: the field's unit exponent, less the exponent its unit
// carries by HID's definition (the volt is 10^7 of HID's gram-centimetre
// unit; NUT corrects volts, volt-amperes and watts this way).
func (f *Field) Exponent() int {
	e := int(f.UnitExp)
	for _, u := range unitExponents {
		if u.unit == f.Unit {
			return e - u.exp
		}
	}
	return e
}

// unitExponents are the units NUT's libhid.c knows, with the exponent each
// carries. Units that carry none are listed for documentation.
var unitExponents = []struct {
	unit uint32
	exp  int
}{
	{0x00000000, 0}, // none, percent
	{0x00f0d121, 7}, // volt
	{0x00100001, 0}, // ampere
	{0x0000d121, 7}, // volt-ampere, watt
	{0x00001001, 0}, // second
	{0x00010001, 0}, // kelvin
	{0x0000f001, 0}, // hertz
	{0x00101001, 0}, // ampere-second
}

// hasPhysical reports whether the field maps logical to physical values:
// HID says physical equals logical unless both physical extents are
// declared and not both 0; NUT also keeps logical values when either range
// is empty or reversed.
func (f *Field) hasPhysical() bool {
	return f.HasPhyMin && f.HasPhyMax && !(f.PhyMin == 0 && f.PhyMax == 0) &&
		f.PhyMax > f.PhyMin && f.LogMax > f.LogMin
}

// Physical is what logical value v stands for, in NUT's units: scaled from
// the logical to the physical range (clamped to it) and by Exponent, as
// NUT's HIDGetDataValue.
func (f *Field) Physical(v int64) float64 {
	x := float64(v)
	if f.hasPhysical() {
		factor := float64(f.PhyMax-f.PhyMin) / float64(f.LogMax-f.LogMin)
		x = float64(v-f.LogMin)*factor + float64(f.PhyMin)
		x = math.Min(math.Max(x, float64(f.PhyMin)), float64(f.PhyMax))
	}
	return x * pow10(f.Exponent())
}

// LogicalOf is the logical value that stands for physical value x, the
// inverse of Physical, as NUT's physical_to_logical makes it: the number
// of logical steps x is above the physical minimum is truncated, so that x
// is written as the step at or below it, and a field with a physical range
// clamps to its logical range. That truncation is what makes a cancel
// reach the device: CyberPower's delays have a step of 60 s from -60 s
// (logical -1), and -1 s, 59/60 of a step above, must be written as -1,
// not rounded to 0, which the CP1500AVRLCDa takes as "now". Without a
// physical range the value is truncated toward zero, unclamped (PutLogical
// refuses what is outside the range).
//
// Where NUT truncates a value that is a whole step but for floating point
// (27.5 at exponent -2 is 2749.9999999999995 steps, 2.3 at -1 is
// 22.999999999999996), ours takes the step: 2750 and 23.
func (f *Field) LogicalOf(x float64) int64 {
	x /= pow10(f.Exponent())
	if !f.hasPhysical() {
		return saturate(steps(x))
	}
	factor := float64(f.LogMax-f.LogMin) / float64(f.PhyMax-f.PhyMin)
	n := steps((x - float64(f.PhyMin)) * factor)
	return saturate(math.Min(math.Max(n+float64(f.LogMin), float64(f.LogMin)), float64(f.LogMax)))
}

// steps is x truncated toward zero, but a whole number when x is one to
// within floating point's error (a few units in the last place).
func steps(x float64) float64 {
	if r := math.Round(x); math.Abs(x-r) <= 1e-9*math.Max(1, math.Abs(r)) {
		return r
	}
	return math.Trunc(x)
}

// saturate is x as an int64, the nearest one when x is beyond them.
func saturate(x float64) int64 {
	switch {
	case x >= math.MaxInt64:
		return math.MaxInt64
	case x <= math.MinInt64:
		return math.MinInt64
	case math.IsNaN(x):
		return 0
	}
	return int64(x)
}

// pow10 is 10^e computed as NUT's libhid.c does, by repeated products of
// 10 or of 0.1, so that values come out as NUT's do: 1325 at -2 is
// 13.250000000000002 there (0.1*0.1 is 0.010000000000000002), which
// prints 13.3 with one decimal where 13.25 would print 13.2.
func pow10(e int) float64 {
	p := 1.0
	for ; e > 0; e-- {
		p *= 10
	}
	for ; e < 0; e++ {
		p *= 0.1
	}
	return p
}

// Value is the field's physical value in report: Physical of Logical.
func (f *Field) Value(report []byte) (float64, error) {
	v, err := f.Logical(report)
	if err != nil {
		return 0, err
	}
	return f.Physical(v), nil
}

// SetValue writes physical value x into report, as NUT's HIDSetDataValue
// prepares a SET_REPORT: converted by LogicalOf, the rest of the report
// left as it is. A Constant field is not written (ErrConstant). NUT
// refuses only a field whose flags are exactly Constant, and writes a
// constant variable field.
//
// A value outside the logical range is refused (NUT writes its low bits),
// but for -1, a delay's "cancel" (shutdown.stop, load.on.delay -1):
// written in a field declared without it (Tripp Lite's DelayBeforeShutdown
// is 0..65535) it is all ones, as NUT sends it, since refusing it would
// leave a shutdown counting down.
func (f *Field) SetValue(report []byte, x float64) error {
	if f.Flags&FlagConstant != 0 {
		return ErrConstant
	}
	if math.IsNaN(x) {
		return errors.New("NaN is no value to write")
	}
	v := f.LogicalOf(x)
	if v == -1 && f.LogMin > -1 {
		data, err := f.span(report)
		if err != nil {
			return err
		}
		f.putBits(data, v)
		return nil
	}
	return f.PutLogical(report, v)
}
