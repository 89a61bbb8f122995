package hid

import (
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// desc reads a descriptor written as hex bytes: spaces and "|" are
// ignored, and "//" starts a comment.
func desc(t testing.TB, s string) []byte {
	t.Helper()
	var h strings.Builder
	for _, line := range strings.Split(s, "\n") {
		line, _, _ = strings.Cut(line, "//")
		h.WriteString(strings.NewReplacer(" ", "", "\t", "", "|", "").Replace(line))
	}
	b, err := hex.DecodeString(h.String())
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mustParse(t *testing.T, s string) *Descriptor {
	t.Helper()
	d, err := Parse(desc(t, s))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestItems(t *testing.T) {
	items, err := Items(desc(t, "05 84 | 08 | 26 ff 00 | 27 01 02 03 04 | fe 02 10 aa bb | c0"))
	if err != nil {
		t.Fatal(err)
	}
	want := []Item{
		{Offset: 0, Prefix: 0x05, Type: GlobalItem, Tag: 0, Size: 1, Data: 0x84},
		{Offset: 2, Prefix: 0x08, Type: LocalItem, Tag: 0, Size: 0},
		{Offset: 3, Prefix: 0x26, Type: GlobalItem, Tag: 2, Size: 2, Data: 0xff},
		{Offset: 6, Prefix: 0x27, Type: GlobalItem, Tag: 2, Size: 4, Data: 0x04030201},
		{Offset: 11, Prefix: 0xfe, Tag: 0x10, Long: true, Size: 2},
		{Offset: 16, Prefix: 0xc0, Type: MainItem, Tag: 0xc},
	}
	if len(items) != len(want) {
		t.Fatalf("%d items, want %d: %+v", len(items), len(want), items)
	}
	for i := range want {
		if items[i] != want[i] {
			t.Errorf("item %d: %+v, want %+v", i, items[i], want[i])
		}
	}
	if s := items[2].String(); s != "Logical Maximum (255)" {
		t.Errorf("String: %q", s)
	}
	if v := (Item{Size: 2, Data: 0xffff}).Signed(); v != -1 {
		t.Errorf("Signed 2-byte 0xffff = %d", v)
	}
	if v := (Item{Size: 4, Data: 0x80000000}).Signed(); v != -1<<31 {
		t.Errorf("Signed 4-byte 0x80000000 = %d", v)
	}
}

// A UPS descriptor in the shape of the APC and CyberPower ones: a
// PowerSummary with Input and Feature copies of the same report, status
// bits, and an Input collection with a voltage in volts.
const upsDesc = `
05 84 09 04 a1 01 // UPS, application
  09 24 a1 00 // PowerSummary
    85 0c // report 0x0c
    05 85 09 66 // RemainingCapacity
    75 08 95 01 15 00 25 64
    81 a2 09 66 b1 a2 // Input, Feature
    09 68 // RunTimeToEmpty
    75 10 27 ff ff 00 00 66 01 10
    81 a2 09 68 b1 a2
    05 84 09 02 a1 02 // PresentStatus
      85 16 05 85 65 00 75 01 15 00 25 01
      09 d0 09 44 95 02 81 a2 // ACPresent, Charging: 2 bits
      95 06 81 01 // 6 bits of padding
    c0
  c0
  05 84 09 1a a1 00 // Input
    85 31 09 30 75 10 95 01
    15 00 26 f4 01
    67 21 d1 f0 00 55 05 // volts, exponent 5: hundredths
    b1 a2
  c0
c0`

func TestParse(t *testing.T) {
	d := mustParse(t, upsDesc)
	type want struct {
		path           Path
		typ            ReportType
		id             uint8
		offset, size   int
		logMin, logMax int64
		exp            int
	}
	ps := Usage(0x00840024)
	wants := []want{
		{Path{0x00840004, ps, 0x00850066}, Input, 0x0c, 0, 8, 0, 100, 0},
		{Path{0x00840004, ps, 0x00850066}, Feature, 0x0c, 0, 8, 0, 100, 0},
		{Path{0x00840004, ps, 0x00850068}, Input, 0x0c, 8, 16, 0, 65535, 0},
		{Path{0x00840004, ps, 0x00850068}, Feature, 0x0c, 8, 16, 0, 65535, 0},
		{Path{0x00840004, ps, 0x00840002, 0x008500d0}, Input, 0x16, 0, 1, 0, 1, 0},
		{Path{0x00840004, ps, 0x00840002, 0x00850044}, Input, 0x16, 1, 1, 0, 1, 0},
		{Path{0x00840004, 0x0084001a, 0x00840030}, Feature, 0x31, 0, 16, 0, 500, -2},
	}
	if len(d.Fields) != len(wants) {
		t.Fatalf("%d fields, want %d", len(d.Fields), len(wants))
	}
	for i, w := range wants {
		f := &d.Fields[i]
		if !f.Path.Equal(w.path) || f.Type != w.typ || f.ReportID != w.id || f.Offset != w.offset ||
			f.Size != w.size || f.LogMin != w.logMin || f.LogMax != w.logMax || f.Exponent() != w.exp {
			t.Errorf("field %d: %v %v id %x at %d+%d range %d..%d exp %d, want %+v",
				i, f.Path, f.Type, f.ReportID, f.Offset, f.Size, f.LogMin, f.LogMax, f.Exponent(), w)
		}
	}
	for id, n := range map[uint8]int{0x0c: 3, 0x16: 1, 0x31: 2, 0x01: 0} {
		if got := d.ReportLen(id); got != n {
			t.Errorf("ReportLen(0x%02x) = %d, want %d", id, got, n)
		}
	}
	if f := d.Find(Path{0x00840004, ps, 0x00850068}, Feature); f == nil || f.Type != Feature || f.Offset != 8 {
		t.Errorf("Find RunTimeToEmpty Feature: %v", f)
	}
	if f := d.Find(Path{0x00840004, ps}, Feature); f != nil {
		t.Errorf("Find of a collection's path found %v: paths match whole", f)
	}
	if f := d.FindByNode(0x0c, 0x00850068); f == nil || f.Type != Input {
		t.Errorf("FindByNode: %v, want the first, Input", f)
	}
	if fs := d.InputFields(0x16); len(fs) != 2 {
		t.Errorf("InputFields(0x16): %d fields", len(fs))
	}
}

// NUT reads a Logical Maximum that is negative but below the minimum as
// unsigned, when it comes after the minimum; so does this, and in either
// order.
func TestLogMaxReadUnsigned(t *testing.T) {
	for _, c := range []struct {
		name, desc     string
		logMin, logMax int64
		assumed        bool
	}{
		{"1-byte 0xff after min 0", "15 00 25 ff", 0, 255, true},
		{"2-byte 0xffff after min 0", "15 00 26 ff ff", 0, 65535, true},
		{"max before min", "25 ff 15 00", 0, 255, true},
		{"signed range", "15 ff 25 7f", -1, 127, false},
		{"both negative", "15 80 25 ff", -128, -1, false},
		// Once read unsigned, a maximum stays so when a later minimum
		// would make the signed reading valid, as in NUT.
		{"kept after a new minimum", "15 00 26 ff ff 16 ff ff", -1, 65535, true},
		// 4 bytes are enough for a real negative maximum: HID says
		// signed, and it is not below the minimum.
		{"4-byte -1 with min -5", "15 fb 27 ff ff ff ff", -5, -1, false},
	} {
		d := mustParse(t, "05 84 09 04 a1 01 85 01 75 10 95 01"+c.desc+"09 30 b1 02 c0")
		f := d.Fields[0]
		if f.LogMin != c.logMin || f.LogMax != c.logMax || f.LogMaxAssumed != c.assumed {
			t.Errorf("%s: %d..%d assumed %v, want %d..%d %v", c.name, f.LogMin, f.LogMax, f.LogMaxAssumed, c.logMin, c.logMax, c.assumed)
		}
	}
}

func TestUnitExponent(t *testing.T) {
	for data, want := range map[string]int8{"55 00": 0, "55 07": 7, "55 08": -8, "55 0e": -2, "55 0f": -1, "55 fe": -2, "56 fe ff": -2} {
		d := mustParse(t, "05 84 09 04 a1 01 85 01 75 08 95 01"+data+"09 30 b1 02 c0")
		if got := d.Fields[0].UnitExp; got != want {
			t.Errorf("%s: %d, want %d", data, got, want)
		}
	}
}

// MGE numbers collections with a vendor collection type (0x80 + n): the
// index follows the collection's usage in the path, and leaves with it.
func TestCollectionIndex(t *testing.T) {
	d := mustParse(t, `05 84 09 04 a1 01 85 01 75 08 95 01
		09 1e a1 81 09 42 b1 02 c0
		09 1e a1 82 09 42 b1 02 c0
		09 1e a1 00 09 42 b1 02 c0 c0`)
	wants := []Path{
		{0x00840004, 0x0084001e, IndexNode(1), 0x00840042},
		{0x00840004, 0x0084001e, IndexNode(2), 0x00840042},
		{0x00840004, 0x0084001e, 0x00840042},
	}
	for i, w := range wants {
		if !d.Fields[i].Path.Equal(w) {
			t.Errorf("field %d: %x, want %x", i, d.Fields[i].Path, w)
		}
	}
	if n, ok := IndexNode(5).IsIndex(); !ok || n != 5 {
		t.Errorf("IndexNode(5).IsIndex() = %d %v", n, ok)
	}
}

// Fields take the declared usages in order; fields left without one are
// padding: they take room in the report, and are not fields.
func TestUsagesAndPadding(t *testing.T) {
	d := mustParse(t, `05 84 09 04 a1 01 85 01 75 04 95 03
		09 30 09 31 b1 02 // 3 fields of 4 bits, 2 usages
		09 32 95 01 b1 02 // after 12 bits of the report
		09 40 09 41 b1 02 // 1 field, 2 usages: the second is dropped
		09 42 b1 02 c0`)
	var got []string
	for _, f := range d.Fields {
		got = append(got, fmt.Sprintf("%08x@%d", uint32(f.Path.Last()), f.Offset))
	}
	if s := strings.Join(got, " "); s != "00840030@0 00840031@4 00840032@12 00840040@16 00840042@20" {
		t.Errorf("fields: %s", s)
	}
	if d.ReportLen(1) != 3 {
		t.Errorf("ReportLen = %d, want 3", d.ReportLen(1))
	}
}

// Usage Minimum and Maximum declare a run of usages (NUT ignores them, and
// finds no field there).
func TestUsageRange(t *testing.T) {
	d := mustParse(t, "05 85 09 01 a1 01 85 02 75 01 95 04 19 44 29 46 81 02 c0")
	if len(d.Fields) != 3 {
		t.Fatalf("%d fields, want 3", len(d.Fields))
	}
	for i, f := range d.Fields {
		if f.Path.Last() != Usage(0x00850044+i) || f.Offset != i {
			t.Errorf("field %d: %08x at %d", i, uint32(f.Path.Last()), f.Offset)
		}
	}
	// Extended (4-byte) Usage Minimum and Maximum carry their page.
	d = mustParse(t, "05 84 09 04 a1 01 85 02 75 08 95 02 1b 10 00 86 ff 2b 11 00 86 ff b1 02 c0")
	if len(d.Fields) != 2 || d.Fields[1].Path.Last() != 0xff860011 {
		t.Errorf("extended range: %+v", d.Fields)
	}
}

// A usage of 4 bytes is an extended usage: page and ID in one.
func TestExtendedUsage(t *testing.T) {
	d := mustParse(t, "05 84 09 04 a1 01 85 01 75 08 95 01 0b 24 00 86 ff b1 02 c0")
	if u := d.Fields[0].Path.Last(); u != 0xff860024 {
		t.Errorf("usage %08x", uint32(u))
	}
}

// Push saves the global state, Pop restores it (NUT ignores both).
func TestPushPop(t *testing.T) {
	d := mustParse(t, `05 84 09 04 a1 01 85 01 75 08 95 01 15 00 25 64
		a4 85 02 75 10 26 e8 03 09 30 b1 02 b4
		09 31 b1 02 c0`)
	f0, f1 := d.Fields[0], d.Fields[1]
	if f0.ReportID != 2 || f0.Size != 16 || f0.LogMax != 1000 {
		t.Errorf("pushed field: %+v", f0)
	}
	if f1.ReportID != 1 || f1.Size != 8 || f1.LogMax != 100 || f1.Offset != 0 {
		t.Errorf("field after Pop: %+v", f1)
	}
}

func TestPhysicalExtents(t *testing.T) {
	d := mustParse(t, "05 84 09 04 a1 01 85 01 75 10 95 01 15 ff 26 ff 7f 35 c4 47 c4 ff 1d 00 66 01 10 09 57 b1 a2 c0")
	f := d.Fields[0]
	if !f.HasPhyMin || !f.HasPhyMax || f.PhyMin != -60 || f.PhyMax != 1966020 || f.Unit != 0x1001 {
		t.Errorf("%+v", f)
	}
}

func TestParseErrors(t *testing.T) {
	head := "05 84 09 04 a1 01 85 01 75 08 95 01 "
	for _, c := range []struct {
		name, desc string
		offset     int
		msg        string
		fields     int // fields before the fault
	}{
		{"truncated item", head + "09 30 b1 02 27 ff ff", 16, "needs 4 data bytes, the descriptor holds 2 more", 1},
		{"truncated long item", head + "fe 05 01 00", 12, "announces 5 data bytes, the descriptor holds 1 more", 0},
		{"long item without tag", head + "fe 05", 12, "needs a size and a tag byte", 0},
		{"end collection without collection", head + "c0 c0", 13, "End Collection with no Collection open", 0},
		{"unclosed collection", head + "09 30 b1 02", 16, "1 collection(s) open: expected End Collection", 1},
		{"pop without push", head + "b4", 12, "Pop with nothing pushed", 0},
		{"report ID 0", "85 00", 0, "Report ID 0: expected 1 to 255", 0},
		{"report ID 256", "86 00 01", 0, "Report ID 256: expected 1 to 255", 0},
		{"usage range across pages", "1b 01 00 84 00 2b 01 00 85 00", 5, "expected a range on one page", 0},
		{"report too long", head + "75 ff 96 ff ff 09 30 b1 02 c0", 19, "grows past 65535 bytes", 0},
		{"too deep", strings.Repeat("a1 00 ", MaxDepth+1), 2 * MaxDepth, "Collection nested 33 deep", 0},
	} {
		d, err := Parse(desc(t, c.desc))
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Errorf("%s: error %v, want a *ParseError", c.name, err)
			continue
		}
		if pe.Offset != c.offset || !strings.Contains(pe.Msg, c.msg) {
			t.Errorf("%s: %v, want byte %d: ...%s", c.name, err, c.offset, c.msg)
		}
		if d == nil || len(d.Fields) != c.fields {
			t.Errorf("%s: %v fields before the fault, want %d", c.name, d, c.fields)
		}
	}
	if err := (&ParseError{Offset: 7, Msg: "x"}).Error(); err != "HID report descriptor, byte 7: x" {
		t.Errorf("Error() = %q", err)
	}
}

func TestTooManyFields(t *testing.T) {
	b := desc(t, "05 84 09 04 a1 01 85 01 75 01 96 ff ff 19 01 2a ff ff")
	for len(b) < 1<<16 {
		b = append(b, 0xb1, 0x02) // a Feature item: fields for every usage of the range
		b = append(b, desc(t, "19 01 2a ff ff")...)
	}
	d, err := Parse(b)
	var pe *ParseError
	if !errors.As(err, &pe) || !strings.Contains(pe.Msg, "more than 4096 fields") {
		t.Fatalf("%v", err)
	}
	if len(d.Fields) != MaxFields {
		t.Errorf("%d fields kept, want %d", len(d.Fields), MaxFields)
	}
}

// A huge Report Count of padding costs nothing: fields are made only for
// usages.
func TestHugeCountIsCheap(t *testing.T) {
	d, err := Parse(desc(t, "05 84 09 04 a1 01 85 01 75 01 97 00 00 07 00 09 30 b1 02 c0"))
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Fields) != 1 || d.ReportLen(1) != 0x70000/8 {
		t.Errorf("%d fields, report of %d bytes", len(d.Fields), d.ReportLen(1))
	}
}

// Offsets count past 255 bits (NUT keeps them in 8 bits, so the field
// after a 35-byte buffer is at bit 24 there).
func TestLongReport(t *testing.T) {
	d := mustParse(t, "06 86 ff 09 01 a1 01 85 89 15 00 26 ff 00 75 08 95 23 09 fd 81 02 95 01 09 fe 81 02 c0")
	f := d.Fields[1]
	if f.Offset != 280 || d.ReportLen(0x89) != 36 {
		t.Errorf("field after 35 bytes at bit %d, report of %d bytes; want 280 and 36", f.Offset, d.ReportLen(0x89))
	}
	r := d.NewReport(0x89)
	r[36] = 42
	if v, err := f.Logical(r); err != nil || v != 42 {
		t.Errorf("value %d %v", v, err)
	}
}

// Without report IDs, fields follow each other from bit 0 of reports
// that have no ID byte (NUT puts every such field at offset 0, and skips a
// first byte that is not there).
func TestNoReportIDs(t *testing.T) {
	d := mustParse(t, "05 84 09 04 a1 01 75 08 95 01 25 64 09 30 b1 02 09 31 b1 02 c0")
	if d.Fields[0].Offset != 0 || d.Fields[1].Offset != 8 || d.ReportLen(0) != 2 {
		t.Fatalf("offsets %d, %d, report of %d bytes", d.Fields[0].Offset, d.Fields[1].Offset, d.ReportLen(0))
	}
	r := d.NewReport(0)
	if len(r) != 2 {
		t.Fatalf("NewReport(0) is %d bytes", len(r))
	}
	r[1] = 50
	if v, err := d.Fields[1].Logical(r); err != nil || v != 50 {
		t.Errorf("second field %d %v", v, err)
	}
}

// A Report Count of 0 declares nothing (NUT's 8-bit count wraps to 256:
// the item gets a field, and 2048 bits that wrap its 8-bit offsets to 0).
func TestReportCountZero(t *testing.T) {
	d := mustParse(t, "05 84 09 04 a1 01 85 01 75 08 95 00 09 30 b1 02 95 01 09 31 b1 02 c0")
	if len(d.Fields) != 1 || d.Fields[0].Path.Last() != 0x00840031 || d.Fields[0].Offset != 0 {
		t.Errorf("fields: %+v", d.Fields)
	}
}

// A collection whose usage is on page 0x00ff closes like any other (NUT
// takes the usage for a collection index and drops the parent too).
func TestCollectionOnPageFF(t *testing.T) {
	d := mustParse(t, "05 84 09 04 a1 01 85 01 75 08 95 01 09 1a a1 00 05 ff 09 10 a1 00 c0 05 84 09 30 b1 02 c0 c0")
	if want := (Path{0x00840004, 0x0084001a, 0x00840030}); !d.Fields[0].Path.Equal(want) {
		t.Errorf("path %x, want %x", d.Fields[0].Path, want)
	}
}
