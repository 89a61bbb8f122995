package hid

import "fmt"

// ItemType is the type of a short item: bits 2-3 of its prefix byte.
type ItemType uint8

// Item types (HID 1.11, 6.2.2.2).
const (
	MainItem     ItemType = 0
	GlobalItem   ItemType = 1
	LocalItem    ItemType = 2
	ReservedItem ItemType = 3
)

// Main item tags.
const (
	tagInput         = 0x8
	tagOutput        = 0x9
	tagCollection    = 0xA
	tagFeature       = 0xB
	tagEndCollection = 0xC
)

// Global item tags.
const (
	tagUsagePage   = 0x0
	tagLogicalMin  = 0x1
	tagLogicalMax  = 0x2
	tagPhysicalMin = 0x3
	tagPhysicalMax = 0x4
	tagUnitExp     = 0x5
	tagUnit        = 0x6
	tagReportSize  = 0x7
	tagReportID    = 0x8
	tagReportCount = 0x9
	tagPush        = 0xA
	tagPop         = 0xB
)

// Local item tags.
const (
	tagUsage    = 0x0
	tagUsageMin = 0x1
	tagUsageMax = 0x2
)

// longItemPrefix starts a long item: a data size byte, a tag byte, then
// the data (HID 1.11, 6.2.2.3).
const longItemPrefix = 0xFE

// An Item is one item of a report descriptor.
type Item struct {
	Offset int      // where its prefix byte is in the descriptor
	Prefix byte     // the prefix byte itself
	Type   ItemType // short items only
	Tag    uint8    // bits 4-7 of the prefix; a long item's bLongItemTag
	Long   bool
	Size   int    // data bytes: 0, 1, 2 or 4 for short items
	Data   uint32 // a short item's data, little-endian
}

// Signed is the item's data as a two's complement number of its own size,
// as HID encodes logical and physical extents. Empty data is 0.
func (it Item) Signed() int64 {
	switch it.Size {
	case 1:
		return int64(int8(it.Data))
	case 2:
		return int64(int16(it.Data))
	case 4:
		return int64(int32(it.Data))
	}
	return 0
}

// String names the item as descriptor dumps do, e.g. "Report Size (8)".
func (it Item) String() string {
	if it.Long {
		return fmt.Sprintf("Long Item (tag 0x%02x, %d bytes)", it.Tag, it.Size)
	}
	name := itemNames[[2]uint8{uint8(it.Type), it.Tag}]
	if name == "" {
		name = fmt.Sprintf("Item 0x%02x", it.Prefix)
	}
	return fmt.Sprintf("%s (%d)", name, it.Data)
}

var itemNames = map[[2]uint8]string{
	{0, tagInput}: "Input", {0, tagOutput}: "Output", {0, tagFeature}: "Feature",
	{0, tagCollection}: "Collection", {0, tagEndCollection}: "End Collection",
	{1, tagUsagePage}: "Usage Page", {1, tagLogicalMin}: "Logical Minimum",
	{1, tagLogicalMax}: "Logical Maximum", {1, tagPhysicalMin}: "Physical Minimum",
	{1, tagPhysicalMax}: "Physical Maximum", {1, tagUnitExp}: "Unit Exponent",
	{1, tagUnit}: "Unit", {1, tagReportSize}: "Report Size", {1, tagReportID}: "Report ID",
	{1, tagReportCount}: "Report Count", {1, tagPush}: "Push", {1, tagPop}: "Pop",
	{2, tagUsage}: "Usage", {2, tagUsageMin}: "Usage Minimum", {2, tagUsageMax}: "Usage Maximum",
	{2, 0x3}: "Designator Index", {2, 0x4}: "Designator Minimum", {2, 0x5}: "Designator Maximum",
	{2, 0x7}: "String Index", {2, 0x8}: "String Minimum", {2, 0x9}: "String Maximum",
	{2, 0xA}: "Delimiter",
}

// Items splits a report descriptor into its items. On a malformed item it
// returns the items before it and a *ParseError naming its offset.
func Items(desc []byte) ([]Item, error) {
	var items []Item
	for pos := 0; pos < len(desc); {
		it, next, err := readItem(desc, pos)
		if err != nil {
			return items, err
		}
		items = append(items, it)
		pos = next
	}
	return items, nil
}

// readItem reads the item whose prefix is at desc[pos] and returns it with
// the offset of the next one.
func readItem(desc []byte, pos int) (Item, int, error) {
	prefix := desc[pos]
	it := Item{Offset: pos, Prefix: prefix}
	if prefix == longItemPrefix {
		if pos+3 > len(desc) {
			return it, 0, errorAt(pos, "long item (0xfe) needs a size and a tag byte, the descriptor ends after %d", len(desc)-pos-1)
		}
		it.Long = true
		it.Size = int(desc[pos+1])
		it.Tag = desc[pos+2]
		end := pos + 3 + it.Size
		if end > len(desc) {
			return it, 0, errorAt(pos, "long item (0xfe) announces %d data bytes, the descriptor holds %d more", it.Size, len(desc)-pos-3)
		}
		return it, end, nil
	}
	it.Type = ItemType(prefix >> 2 & 3)
	it.Tag = prefix >> 4
	it.Size = [4]int{0, 1, 2, 4}[prefix&3]
	end := pos + 1 + it.Size
	if end > len(desc) {
		return it, 0, errorAt(pos, "%s item 0x%02x needs %d data bytes, the descriptor holds %d more", itemTypeNames[it.Type], prefix, it.Size, len(desc)-pos-1)
	}
	for i := 0; i < it.Size; i++ {
		it.Data |= uint32(desc[pos+1+i]) << (8 * i)
	}
	return it, end, nil
}

var itemTypeNames = [4]string{"main", "global", "local", "reserved"}

// A ParseError is a report descriptor that does not parse: Offset is the
// byte where the fault is.
type ParseError struct {
	Offset int
	Msg    string
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("HID report descriptor, byte %d: %s", e.Offset, e.Msg)
}

func errorAt(offset int, format string, args ...any) *ParseError {
	return &ParseError{Offset: offset, Msg: fmt.Sprintf(format, args...)}
}
