package hid

import (
	"errors"
	"math"
	"math/rand"
	"strings"
	"testing"
)

// NUT's own tests of GetValue (tests/getvaluetest.c): report bytes, ID
// first, the field's offset, size and logical range, the value.
func TestLogicalNUTVectors(t *testing.T) {
	for _, c := range []struct {
		report         string
		offset, size   int
		logMin, logMax int64
		want           int64
	}{
		{"00 ff ff ff ff", 0, 32, -1, 2147483647, -1},
		{"00 ff", 0, 8, -1, 127, -1},
		{"00 ff", 0, 8, 0, 127, 127},
		{"00 ff", 0, 8, 0, 255, 255},
		{"33 00 0a 08 80", 0, 32, 0, 65535, 2560}, // garbage above the range is dropped
		{"00 00 08 00 00", 0, 32, 0, 65535, 2048},
		{"06 00 00 08", 0, 8, 0, 255, 0},
		{"06 00 00 08", 8, 8, 0, 255, 0},
		{"06 00 00 08", 16, 8, 0, 255, 8},
		{"16 0c 00 00 00", 0, 1, 0, 1, 0},
		{"16 0c 00 00 00", 1, 1, 0, 1, 0},
		{"16 0c 00 00 00", 2, 1, 0, 1, 1},
		{"16 0c 00 00 00", 3, 1, 0, 1, 1},
		{"16 0c 00 00 00", 4, 1, 0, 1, 0},
		{"16 0c 00 00 00", 10, 1, 0, 1, 0},
	} {
		r := desc(t, c.report)
		id := r[0]
		if id == 0 {
			r = r[1:] // NUT always skips a byte; without report IDs there is none
		}
		f := &Field{ReportID: id, Offset: c.offset, Size: c.size, LogMin: c.logMin, LogMax: c.logMax}
		got, err := f.Logical(r)
		if err != nil || got != c.want {
			t.Errorf("%s at %d+%d, %d..%d: %d %v, want %d", c.report, c.offset, c.size, c.logMin, c.logMax, got, err, c.want)
		}
	}
}

func TestLogical(t *testing.T) {
	for _, c := range []struct {
		name           string
		report         string
		offset, size   int
		logMin, logMax int64
		want           int64
	}{
		{"16-bit -1", "15 ff ff", 0, 16, -1, 32767, -1},
		{"across bytes", "01 f0 0f", 4, 8, 0, 255, 0xff},
		{"bits above the range dropped", "01 c8", 0, 8, 0, 100, 72},
		{"clamped above", "01 7f", 0, 8, 0, 100, 100},
		{"clamped below", "01 01", 0, 8, 5, 100, 5},
		{"24-bit", "1c 01 25 09", 0, 24, 0, 16777215, 0x092501},
		// The range decides where the sign is, not the field's size: a
		// status bit with a range left over from a signed field reads 1.
		{"narrow field, wide signed range", "01 ff", 0, 8, -1, 32767, 255},
		{"status bit, signed range", "01 01", 0, 1, -1, 126, 1},
		{"signed 4-bit", "01 0e", 0, 4, -8, 7, -2},
		{"64 bits of a 72-bit field", "01 05 00 00 00 00 00 00 00 ff", 0, 72, 0, 255, 5},
	} {
		r := desc(t, c.report)
		f := &Field{ReportID: r[0], Offset: c.offset, Size: c.size, LogMin: c.logMin, LogMax: c.logMax}
		got, err := f.Logical(r)
		if err != nil || got != c.want {
			t.Errorf("%s: %d %v, want %d", c.name, got, err, c.want)
		}
	}
}

func TestLogicalErrors(t *testing.T) {
	f := &Field{ReportID: 0x0c, Offset: 8, Size: 16, LogMax: 65535}
	for report, msg := range map[string]string{
		"":         "report 0x0c expected, got an empty report",
		"0d 00 00": "report 0x0c expected, got report 0x0d",
		"0c 64 01": "report 0x0c has 2 data bytes, its field at bits 8-23 needs 3",
	} {
		_, err := f.Logical(desc(t, report))
		if err == nil || err.Error() != msg {
			t.Errorf("%q: %v, want %s", report, err, msg)
		}
	}
	// Without report IDs there is no ID byte.
	f = &Field{Offset: 8, Size: 8, LogMax: 255}
	if v, err := f.Logical([]byte{1, 2}); err != nil || v != 2 {
		t.Errorf("no report ID: %d %v", v, err)
	}
}

// PutLogical writes the field's bits and no other: whatever the offset,
// size and neighbouring bits, reading back gives the value written and the
// rest of the report is unchanged.
func TestPutLogicalRoundTrip(t *testing.T) {
	rnd := rand.New(rand.NewSource(1))
	for i := 0; i < 5000; i++ {
		size := 1 + rnd.Intn(32)
		f := &Field{ReportID: 7, Offset: rnd.Intn(40), Size: size}
		signed := rnd.Intn(2) == 0
		if signed {
			f.LogMin, f.LogMax = -1<<(size-1), 1<<(size-1)-1
		} else {
			f.LogMin, f.LogMax = 0, 1<<size-1
		}
		report := make([]byte, 1+(f.Offset+size+7)/8+rnd.Intn(3))
		rnd.Read(report)
		report[0] = 7
		before := append([]byte(nil), report...)
		v := f.LogMin + rnd.Int63n(f.LogMax-f.LogMin+1)
		if err := f.PutLogical(report, v); err != nil {
			t.Fatalf("%+v put %d: %v", f, v, err)
		}
		if got, err := f.Logical(report); err != nil || got != v {
			t.Fatalf("%+v: put %d, read %d %v", f, v, got, err)
		}
		for bit := 0; bit < 8*(len(report)-1); bit++ {
			if bit >= f.Offset && bit < f.Offset+size {
				continue
			}
			if report[1+bit/8]>>(bit%8)&1 != before[1+bit/8]>>(bit%8)&1 {
				t.Fatalf("%+v: put %d changed bit %d", f, v, bit)
			}
		}
	}
}

func TestPutLogicalErrors(t *testing.T) {
	f := &Field{ReportID: 1, Size: 8, LogMin: 0, LogMax: 100}
	for v, msg := range map[int64]string{
		101: "101 is outside the field's logical range 0..100",
		-1:  "-1 is outside the field's logical range 0..100",
	} {
		if err := f.PutLogical([]byte{1, 0}, v); err == nil || err.Error() != msg {
			t.Errorf("put %d: %v", v, err)
		}
	}
	// A broken range (minimum above maximum) still bounds by the size.
	f = &Field{ReportID: 1, Size: 4, LogMin: 10, LogMax: 5}
	if err := f.PutLogical([]byte{1, 0}, 16); err == nil || !strings.Contains(err.Error(), "does not fit the field's 4 bits") {
		t.Errorf("put 16 in 4 bits: %v", err)
	}
	if err := f.PutLogical([]byte{2, 0}, 1); err == nil {
		t.Error("put into another report: no error")
	}
	// A range wider than the field: the field holds what its bits hold
	// unsigned, as Logical reads them.
	f = &Field{ReportID: 1, Size: 16, LogMin: -31439, LogMax: 65329}
	if err := f.PutLogical([]byte{1, 0, 0}, 42859); err != nil {
		t.Errorf("put 42859 in 16 bits: %v", err)
	}
	if err := f.PutLogical([]byte{1, 0, 0}, -1); err == nil || !strings.Contains(err.Error(), "does not fit the field's 16 bits") {
		t.Errorf("put -1 in 16 bits read with a 17-bit range: %v", err)
	}
	f = &Field{ReportID: 1, Size: 0, LogMin: 0, LogMax: 1}
	if err := f.PutLogical([]byte{1}, 1); err == nil {
		t.Error("put 1 in 0 bits: no error")
	}
}

func TestPhysical(t *testing.T) {
	volts := &Field{LogMax: 65535, Unit: 0x00f0d121, UnitExp: 5} // APC's battery voltage: 2400 is 24 V
	cpsDelay := &Field{LogMin: -1, LogMax: 32767, PhyMin: -60, PhyMax: 1966020, HasPhyMin: true, HasPhyMax: true, Unit: 0x1001}
	for _, c := range []struct {
		name string
		f    *Field
		v    int64
		want string
	}{
		{"volts, exponent 5", volts, 2400, "24"},
		{"volts, exponent 7", &Field{LogMax: 255, Unit: 0x00f0d121, UnitExp: 7}, 230, "230"},
		{"watts, exponent 7", &Field{LogMax: 65535, Unit: 0x0000d121, UnitExp: 7}, 700, "700"},
		{"hertz, exponent -1", &Field{LogMax: 65535, Unit: 0xf001, UnitExp: -1}, 500, "50"},
		{"ampere-less unit, exponent -2", &Field{LogMax: 65535, Unit: 0x00100001, UnitExp: -2}, 1234, "12.34"},
		{"physical range: minutes in seconds", cpsDelay, 1, "60"},
		{"physical range: -1 stays -60", cpsDelay, -1, "-60"},
		{"both physical extents 0: logical", &Field{LogMax: 100, HasPhyMin: true, HasPhyMax: true}, 42, "42"},
		{"one physical extent: logical", &Field{LogMax: 100, PhyMax: 1000, HasPhyMax: true}, 42, "42"},
	} {
		if got := FormatG(c.f.Physical(c.v)); got != c.want {
			t.Errorf("%s: Physical(%d) = %v, want %v", c.name, c.v, got, c.want)
		}
	}
	// The power of ten is NUT's product of 0.1s, not 1/100, so that the
	// value is NUT's to the last bit and prints as NUT prints it.
	if got := (&Field{LogMax: 65535, UnitExp: -2}).Physical(1325); got != 13.250000000000002 {
		t.Errorf("1325 at -2 = %v, NUT's 13.250000000000002", got)
	}
	// The inverse: NUT's truncation, but a whole step floating point
	// misses is the step (NUT truncates 2.3 V at exponent -1, 22.999..., to 22).
	f := &Field{LogMax: 65535, Unit: 0x00f0d121, UnitExp: 6}
	noRange := &Field{LogMin: -1, LogMax: 32767, Unit: 0x1001}
	for _, c := range []struct {
		name string
		f    *Field
		x    float64
		want int64
	}{
		{"2.3 V at -1: a whole step", f, 2.3, 23},
		{"2.35 V at -1: truncated", f, 2.35, 23},
		{"2.39 V at -1: truncated", f, 2.39, 23},
		{"27.5 V at -2: a whole step", volts, 27.5, 2750},
		{"no physical range: -1", noRange, -1, -1},
		{"no physical range: -1.5 toward zero", noRange, -1.5, -1},
		{"no physical range: 1.9 toward zero", noRange, 1.9, 1},
		{"no physical range: unclamped", noRange, -5, -5},
		{"60 s a step: 60 s", cpsDelay, 60, 1},
		{"60 s a step: -1 s is the step at -60 s, a cancel", cpsDelay, -1, -1},
		{"60 s a step: -60 s", cpsDelay, -60, -1},
		{"60 s a step: 0 s", cpsDelay, 0, 0},
		{"60 s a step: 59 s is the step below", cpsDelay, 59, 0},
		{"60 s a step: 90 s is the step below", cpsDelay, 90, 1},
		{"60 s a step: below the range, clamped", cpsDelay, -600, -1},
		{"60 s a step: above the range, clamped", cpsDelay, 1e9, 32767},
		{"+Inf", volts, math.Inf(1), math.MaxInt64},
		{"-Inf", volts, math.Inf(-1), math.MinInt64},
	} {
		if got := c.f.LogicalOf(c.x); got != c.want {
			t.Errorf("%s: LogicalOf(%v) = %d, want %d", c.name, c.x, got, c.want)
		}
	}
}

// A cancel (-1) reaches a delay declared without it as all ones, as NUT
// sends it; other values outside the range are refused.
func TestSetValueCancel(t *testing.T) {
	f := &Field{ReportID: 0x15, Size: 16, LogMax: 65535, Unit: 0x1001, Flags: FlagVariable}
	report := []byte{0x15, 0x12, 0x34}
	if err := f.SetValue(report, -1); err != nil || report[1] != 0xff || report[2] != 0xff {
		t.Errorf("SetValue(-1) = %v, % x", err, report)
	}
	if err := f.SetValue(report, -2); err == nil {
		t.Errorf("SetValue(-2) = nil, % x", report)
	}
	if err := f.SetValue(report, math.NaN()); err == nil {
		t.Error("SetValue(NaN) = nil")
	}
	if err := f.SetValue([]byte{0x16, 0, 0}, -1); err == nil {
		t.Error("SetValue(-1) in the wrong report: nil")
	}
}

func TestValueAndSetValue(t *testing.T) {
	f := &Field{ReportID: 8, Offset: 0, Size: 16, LogMax: 65535, Unit: 0x00f0d121, UnitExp: 5, Flags: FlagVariable}
	report := []byte{8, 0x60, 0x09}
	if v, err := f.Value(report); err != nil || v != 24.000000000000004 { // NUT's 2400*0.1*0.1
		t.Errorf("Value = %v %v, want 24.000000000000004", v, err)
	}
	if err := f.SetValue(report, 27.5); err != nil {
		t.Fatal(err)
	}
	// 2750: NUT truncates 27.5/0.010000000000000002 = 2749.9999999999995
	// to 2749
	if report[1] != 0xbe || report[2] != 0x0a {
		t.Errorf("SetValue(27.5): % x", report)
	}
	// NUT refuses only flags of exactly Constant (0x01); a constant
	// variable (0x03) is not data either.
	f.Flags = FlagConstant | FlagVariable
	if err := f.SetValue(report, 24); !errors.Is(err, ErrConstant) {
		t.Errorf("SetValue on a constant field: %v", err)
	}
}
