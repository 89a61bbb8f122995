package hiddesc

import (
	"strings"
	"testing"
)

func TestLengths(t *testing.T) {
	desc := []byte{
		0x05, 0x84, 0x09, 0x04, 0xa1, 0x01, // Power Device, UPS, Application
		0x85, 0x0c, // Report ID 0c
		0x75, 0x08, 0x95, 0x01, // size 8, count 1
		0x09, 0x66, 0x81, 0xa2, // RemainingCapacity, Input
		0x09, 0x66, 0xb1, 0xa2, // RemainingCapacity, Feature
		0x75, 0x10, // size 16
		0x09, 0x68, 0xb1, 0xa2, // RunTimeToEmpty, Feature
		0x85, 0x16, 0x75, 0x01, 0x95, 0x05, // Report ID 16: 5 bits...
		0xb1, 0xa2,
		0xa4,                   // Push
		0x75, 0x08, 0x95, 0x02, // 2 bytes of output
		0x91, 0x02,
		0xb4,       // Pop: back to 5 x 1 bit
		0x81, 0x02, // input 16: 5 bits
		0xfe, 0x02, 0x10, 0xaa, 0xbb, // a long item, skipped
		0xc0,
	}
	l, err := Parse(desc)
	if err != nil {
		t.Fatal(err)
	}
	want := map[Report]int{
		{Input, 0x0c}:   2, // ID + 8 bits
		{Feature, 0x0c}: 4, // ID + 8 + 16 bits
		{Feature, 0x16}: 2, // ID + 5 bits rounded up
		{Output, 0x16}:  3,
		{Input, 0x16}:   2,
	}
	for r, n := range want {
		if got := l.Len(r); got != n {
			t.Errorf("%s %02x: length %d, want %d", r.Kind, r.ID, got, n)
		}
	}
	if l.Has(Report{Output, 0x0c}) || l.Len(Report{Output, 0x0c}) != 0 {
		t.Error("output 0c is not in the descriptor")
	}
	if !l.UsesIDs || l.MaxLen(Input) != 2 || l.MaxLen(Feature) != 4 {
		t.Errorf("UsesIDs %v, longest input %d, feature %d", l.UsesIDs, l.MaxLen(Input), l.MaxLen(Feature))
	}
}

func TestNoReportIDs(t *testing.T) {
	l, err := Parse([]byte{0x75, 0x08, 0x95, 0x03, 0x81, 0x02, 0x95, 0x01, 0xb1, 0x02})
	if err != nil {
		t.Fatal(err)
	}
	if l.UsesIDs || l.Len(Report{Input, 0}) != 3 || l.Len(Report{Feature, 0}) != 1 {
		t.Errorf("got %+v", l)
	}
}

func TestErrors(t *testing.T) {
	for _, c := range []struct {
		desc []byte
		want string
	}{
		{[]byte{0x05, 0x84, 0x27, 0xff}, "byte 2: global item 0x27 needs 4 data bytes, the descriptor holds 1 more"},
		{[]byte{0xb4}, "byte 0: Pop without Push"},
		{[]byte{0x85, 0x00}, "byte 0: report ID 0"},
		{[]byte{0x75, 0xff, 0x96, 0xff, 0xff, 0x81, 0x02}, "longer than"},
		{[]byte{0xfe, 0x05, 0x01}, "byte 0: long item (0xfe) announces 5 data bytes"},
	} {
		_, err := Parse(c.desc)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("% x: error %v, want %q", c.desc, err, c.want)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte{0x85, 0x01, 0x75, 0x08, 0x95, 0x02, 0xb1, 0x02, 0xa4, 0xb4})
	f.Add([]byte{0xfe, 0x00, 0x00})
	f.Fuzz(func(t *testing.T, desc []byte) {
		l, err := Parse(desc)
		if err != nil {
			return
		}
		for r, bits := range l.Bits {
			if bits < 0 || bits > maxReportBits || l.Len(r) > maxReportBits/8+2 {
				t.Fatalf("report %+v: %d bits", r, bits)
			}
		}
	})
}
