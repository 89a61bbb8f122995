package hiddesc

import (
	"fmt"

	"gonut/drivers/hid"
	"gonut/drivers/usb"
)

// Kind is a HID report type, numbered as GET_REPORT's wValue high byte and
// named as drivers/usb names it ("feature").
type Kind = usb.ReportType

const (
	Input   = usb.Input
	Output  = usb.Output
	Feature = usb.Feature
)

// ParseKind is the inverse of String.
func ParseKind(s string) (Kind, bool) {
	for _, k := range []Kind{Input, Output, Feature} {
		if s == k.String() {
			return k, true
		}
	}
	return 0, false
}

// Report names one report: its type and ID (0 when the descriptor uses no
// report IDs).
type Report struct {
	Kind Kind
	ID   uint8
}

// Layout is what a descriptor says of its reports.
type Layout struct {
	// Bits counts the data bits of each report, without the ID byte.
	Bits map[Report]int
	// UsesIDs tells whether the descriptor declares report IDs, so that
	// every report starts with its ID byte.
	UsesIDs bool
}

// Has tells whether the descriptor defines the report.
func (l Layout) Has(r Report) bool {
	_, ok := l.Bits[r]
	return ok
}

// Len is the report's length in bytes as GET_REPORT returns it: the ID
// byte (when the descriptor uses IDs) and the data, rounded up to whole
// bytes. 0 for a report the descriptor does not define.
func (l Layout) Len(r Report) int {
	bits, ok := l.Bits[r]
	if !ok {
		return 0
	}
	n := (bits + 7) / 8
	if l.UsesIDs {
		n++
	}
	return n
}

// MaxLen is the length of the longest report of a kind (0 if none).
func (l Layout) MaxLen(k Kind) int {
	longest := 0
	for r := range l.Bits {
		if r.Kind == k {
			longest = max(longest, l.Len(r))
		}
	}
	return longest
}

// maxReportBits keeps a hostile descriptor from asking for absurd sizes:
// HID reports are at most a few KiB.
const maxReportBits = 1 << 16

type globals struct {
	size, count uint32
	id          uint8
}

// Parse walks the descriptor's items, as drivers/hid splits them. It fails
// on a truncated item, a Pop without a Push, a report ID of 0 (reserved) or
// a report longer than a HID report can be; errors give the byte offset of
// the item.
func Parse(desc []byte) (Layout, error) {
	l := Layout{Bits: map[Report]int{}}
	items, cut := hid.Items(desc)
	var g globals
	var stack []globals
	for _, it := range items {
		if it.Long { // carries no report layout
			continue
		}
		i, v := it.Offset, it.Data
		switch {
		case it.Type == hid.GlobalItem && it.Tag == tagReportSize:
			g.size = v
		case it.Type == hid.GlobalItem && it.Tag == tagReportCount:
			g.count = v
		case it.Type == hid.GlobalItem && it.Tag == tagReportID:
			if v == 0 || v > 0xff {
				return l, fmt.Errorf("byte %d: report ID %d (must be 1-255)", i, v)
			}
			g.id = uint8(v)
			l.UsesIDs = true
		case it.Type == hid.GlobalItem && it.Tag == tagPush:
			if len(stack) == hid.MaxDepth {
				return l, fmt.Errorf("byte %d: more than %d nested Push items", i, hid.MaxDepth)
			}
			stack = append(stack, g)
		case it.Type == hid.GlobalItem && it.Tag == tagPop:
			if len(stack) == 0 {
				return l, fmt.Errorf("byte %d: Pop without Push", i)
			}
			g = stack[len(stack)-1]
			stack = stack[:len(stack)-1]
		case it.Type == hid.MainItem && (it.Tag == tagInput || it.Tag == tagOutput || it.Tag == tagFeature):
			kind := map[byte]Kind{tagInput: Input, tagOutput: Output, tagFeature: Feature}[it.Tag]
			r := Report{kind, g.id}
			bits := uint64(g.size)*uint64(g.count) + uint64(l.Bits[r])
			if bits > maxReportBits {
				return l, fmt.Errorf("byte %d: %s report %02x longer than %d bits", i, kind, g.id, maxReportBits)
			}
			l.Bits[r] = int(bits)
		}
	}
	if pe, ok := cut.(*hid.ParseError); ok {
		return l, fmt.Errorf("byte %d: %s", pe.Offset, pe.Msg)
	}
	return l, cut
}

// Item tags (HID 1.11, 6.2.2) of the items that lay reports out.
const (
	tagInput   = 0x8
	tagOutput  = 0x9
	tagFeature = 0xb

	tagReportSize  = 0x7
	tagReportID    = 0x8
	tagReportCount = 0x9
	tagPush        = 0xa
	tagPop         = 0xb
)

// Check tells whether data can be report r of this descriptor: the
// descriptor defines r, and the data starts with r's ID byte when the
// descriptor uses IDs. The length is not checked: real devices answer
// reports shorter (or longer) than their descriptor says.
func (l Layout) Check(r Report, data []byte) error {
	switch {
	case !l.UsesIDs && r.ID != 0:
		return fmt.Errorf("the report descriptor declares no report IDs: expected 00")
	case l.UsesIDs && r.ID == 0:
		return fmt.Errorf("the report descriptor declares report IDs: expected one of them, not 00")
	case !l.Has(r):
		return fmt.Errorf("the report descriptor has no such report")
	case len(data) == 0:
		return fmt.Errorf("expected the report's bytes")
	case l.UsesIDs && data[0] != r.ID:
		return fmt.Errorf("expected the report to start with its ID byte %02x, not %02x", r.ID, data[0])
	}
	return nil
}

// Line writes a report as device files and the control interface show it:
// "feature 0c: 0c 64".
func (r Report) Line(data []byte) string {
	return fmt.Sprintf("%s %02x: % x", r.Kind, r.ID, data)
}
