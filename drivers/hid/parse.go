package hid

// Limits that keep a hostile descriptor from taking unbounded memory or
// time. Real UPS descriptors stay far below them: the largest seen have a
// few hundred fields, collections nested 5 deep and reports of 64 bytes.
const (
	MaxFields      = 4096
	MaxDepth       = 32
	MaxReportBytes = 65535 // a control transfer's wLength cannot ask for more
	maxReportBits  = MaxReportBytes * 8
)

// A Descriptor is a parsed report descriptor: its fields in descriptor
// order, and the length of each report.
type Descriptor struct {
	Fields    []Field
	reportLen [256]int
}

// ReportLen is the length in bytes of report id's data, not counting the
// ID byte: the longest of its Input, Output and Feature forms, as NUT
// sizes its report buffers. 0 for a report the descriptor does not declare.
func (d *Descriptor) ReportLen(id uint8) int { return d.reportLen[id] }

// NewReport is a zeroed buffer for report id as the device sends it: its
// ID byte (unless the descriptor declares no report IDs), then ReportLen
// bytes. A driver keeps one per report and copies what it reads into it,
// so that a device that sends a report shorter than it declares reads as
// zeros past its end, as NUT's report buffers do.
func (d *Descriptor) NewReport(id uint8) []byte {
	if id == 0 {
		return make([]byte, d.reportLen[0])
	}
	r := make([]byte, 1+d.reportLen[id])
	r[0] = id
	return r
}

// ReportBuffers are a NewReport for every report the descriptor declares,
// by report ID, with reports (as read from the device, ID byte first)
// copied into theirs.
func (d *Descriptor) ReportBuffers(reports ...[]byte) map[uint8][]byte {
	bufs := map[uint8][]byte{}
	for id, n := range d.reportLen {
		if n > 0 {
			bufs[uint8(id)] = d.NewReport(uint8(id))
		}
	}
	for _, r := range reports {
		if len(r) > 0 {
			if buf, ok := bufs[r[0]]; ok {
				copy(buf, r)
			}
		}
	}
	return bufs
}

// Find is the first field of type t at path p, or nil.
func (d *Descriptor) Find(p Path, t ReportType) *Field {
	for i := range d.Fields {
		if f := &d.Fields[i]; f.Type == t && f.Path.Equal(p) {
			return f
		}
	}
	return nil
}

// FindByNode is the first field, of any type, in report id whose own usage
// is u, or nil: how NUT's report descriptor fixes find the field they
// correct (FindObject_with_ID_Node).
func (d *Descriptor) FindByNode(id uint8, u Usage) *Field {
	for i := range d.Fields {
		if f := &d.Fields[i]; f.ReportID == id && len(f.Path) > 0 && f.Path.Last() == u {
			return f
		}
	}
	return nil
}

// InputFields are the Input fields of report id: what an interrupt
// transfer of that report carries.
func (d *Descriptor) InputFields(id uint8) []*Field {
	var fs []*Field
	for i := range d.Fields {
		if f := &d.Fields[i]; f.ReportID == id && f.Type == Input {
			fs = append(fs, f)
		}
	}
	return fs
}

// globals is the global item state (HID 1.11, 6.2.2.7), which Push and Pop
// save and restore.
type globals struct {
	page          uint16
	logMin        int64
	logMax        int64
	logMaxRaw     uint32 // the Logical Maximum's data as declared
	logMaxAssumed bool   // logMax is logMaxRaw read unsigned
	phyMin        int64
	phyMax        int64
	hasPhyMin     bool
	hasPhyMax     bool
	unitExp       int8
	unit          uint32
	reportSize    uint32
	reportID      uint8
	reportCount   uint32
}

// usageRange is a run of usages from a Usage item (min == max) or a
// Usage Minimum and Maximum pair.
type usageRange struct{ min, max Usage }

func (r usageRange) len() uint64 { return uint64(r.max-r.min) + 1 }

type parser struct {
	d       Descriptor
	g       globals
	stack   []globals
	usages  []usageRange
	min     Usage
	hasMin  bool
	max     Usage
	hasMax  bool
	path    Path  // the enclosing collections' nodes
	frames  []int // nodes each open collection added to path
	offsets [256][4]int
}

// Parse reads a report descriptor. It returns the descriptor even with an
// error: the fields declared before the fault, which is where NUT stops
// reading too. The error is a *ParseError naming the byte at fault.
func Parse(desc []byte) (*Descriptor, error) {
	p := &parser{}
	for pos := 0; pos < len(desc); {
		it, next, err := readItem(desc, pos)
		if err == nil {
			err = p.item(it)
		}
		if err != nil {
			return &p.d, err
		}
		pos = next
	}
	if n := len(p.frames); n > 0 {
		return &p.d, errorAt(len(desc), "the descriptor ends with %d collection(s) open: expected End Collection", n)
	}
	return &p.d, nil
}

func (p *parser) item(it Item) error {
	if it.Long {
		return nil // no long item is defined
	}
	switch it.Type {
	case MainItem:
		return p.main(it)
	case GlobalItem:
		return p.global(it)
	case LocalItem:
		return p.local(it)
	}
	return nil
}

func (p *parser) main(it Item) error {
	var err error
	switch it.Tag {
	case tagInput:
		err = p.fields(it, Input)
	case tagOutput:
		err = p.fields(it, Output)
	case tagFeature:
		err = p.fields(it, Feature)
	case tagCollection:
		err = p.collection(it)
	case tagEndCollection:
		if len(p.frames) == 0 {
			return errorAt(it.Offset, "End Collection with no Collection open")
		}
		n := p.frames[len(p.frames)-1]
		p.frames = p.frames[:len(p.frames)-1]
		p.path = p.path[:len(p.path)-n]
	}
	p.resetLocals()
	return err
}

// collection opens a collection: its path node is its first usage (0 when
// it has none, as NUT has it), then its index if its type byte is 0x80 or
// more (a vendor type, which MGE uses to number collections).
func (p *parser) collection(it Item) error {
	if len(p.frames) == MaxDepth {
		return errorAt(it.Offset, "Collection nested %d deep: at most %d", MaxDepth+1, MaxDepth)
	}
	var node Usage
	if len(p.usages) > 0 {
		node = p.usages[0].min
	}
	p.path = append(p.path, node)
	n := 1
	if it.Data >= 0x80 {
		p.path = append(p.path, IndexNode(int(it.Data&0x7f)))
		n++
	}
	p.frames = append(p.frames, n)
	return nil
}

// fields adds the fields of an Input, Output or Feature item: Report Count
// fields of Report Size bits each. A field takes the next usage declared
// before the item; fields left without one are padding, as in NUT, and
// take no usage (HID would repeat the last usage over them).
func (p *parser) fields(it Item, t ReportType) error {
	g := &p.g
	size, count := uint64(g.reportSize), uint64(g.reportCount)
	base := p.offsets[g.reportID][t]
	if size > 0 && count > uint64(maxReportBits-base)/size {
		return errorAt(it.Offset, "%s report 0x%02x grows past %d bytes (%d fields of %d bits after bit %d)", t, g.reportID, MaxReportBytes, count, size, base)
	}
	logMax, assumed := g.logMax, g.logMaxAssumed
	if logMax < g.logMin && !assumed && int64(g.logMaxRaw) >= g.logMin {
		// NUT reads the maximum unsigned only when it is declared after
		// the minimum; HID's state has no order, so neither does this.
		logMax, assumed = int64(g.logMaxRaw), true
	}
	var i uint64
	for _, r := range p.usages {
		for u := uint64(0); u < r.len() && i < count; u, i = u+1, i+1 {
			usage := r.min + Usage(u)
			if usage == 0 {
				continue
			}
			if len(p.d.Fields) == MaxFields {
				return errorAt(it.Offset, "more than %d fields", MaxFields)
			}
			path := make(Path, len(p.path)+1)
			copy(path, p.path)
			path[len(p.path)] = usage
			p.d.Fields = append(p.d.Fields, Field{
				Path: path, Type: t, ReportID: g.reportID,
				Offset: base + int(i*size), Size: int(size), Flags: it.Data,
				LogMin: g.logMin, LogMax: logMax, LogMaxAssumed: assumed,
				PhyMin: g.phyMin, PhyMax: g.phyMax, HasPhyMin: g.hasPhyMin, HasPhyMax: g.hasPhyMax,
				Unit: g.unit, UnitExp: g.unitExp, Item: it.Offset,
			})
		}
	}
	end := base + int(count*size)
	p.offsets[g.reportID][t] = end
	if n := (end + 7) / 8; n > p.d.reportLen[g.reportID] {
		p.d.reportLen[g.reportID] = n
	}
	return nil
}

func (p *parser) global(it Item) error {
	g := &p.g
	switch it.Tag {
	case tagUsagePage:
		g.page = uint16(it.Data)
	case tagLogicalMin:
		g.logMin = it.Signed()
	case tagLogicalMax:
		// HID extents are signed; firmware often writes an unsigned
		// maximum in too few bytes. Like NUT, read it unsigned when the
		// signed reading falls below the minimum.
		g.logMax, g.logMaxRaw, g.logMaxAssumed = it.Signed(), it.Data, false
		if g.logMax < g.logMin {
			g.logMax, g.logMaxAssumed = int64(it.Data), true
		}
	case tagPhysicalMin:
		g.phyMin, g.hasPhyMin = it.Signed(), true
	case tagPhysicalMax:
		g.phyMax, g.hasPhyMax = it.Signed(), true
	case tagUnitExp:
		// A 4-bit two's complement number by HID; some firmware writes a
		// whole signed byte. NUT's reading covers both.
		e := int8(uint8(it.Data))
		if e > 7 {
			e = int8(uint8(e) | 0xf0)
		}
		g.unitExp = e
	case tagUnit:
		g.unit = it.Data
	case tagReportSize:
		g.reportSize = it.Data
	case tagReportID:
		if it.Data == 0 || it.Data > 255 {
			return errorAt(it.Offset, "Report ID %d: expected 1 to 255", it.Data)
		}
		g.reportID = uint8(it.Data)
	case tagReportCount:
		g.reportCount = it.Data
	case tagPush:
		if len(p.stack) == MaxDepth {
			return errorAt(it.Offset, "Push nested %d deep: at most %d", MaxDepth+1, MaxDepth)
		}
		p.stack = append(p.stack, *g)
	case tagPop:
		if len(p.stack) == 0 {
			return errorAt(it.Offset, "Pop with nothing pushed")
		}
		*g = p.stack[len(p.stack)-1]
		p.stack = p.stack[:len(p.stack)-1]
	}
	return nil
}

func (p *parser) local(it Item) error {
	// A usage of 1 or 2 bytes is on the current usage page, taken when the
	// usage is declared (NUT's reading, on which its paths are built).
	u := Usage(it.Data)
	if it.Size < 4 {
		u = Usage(p.g.page)<<16 | Usage(it.Data&0xffff)
	}
	switch it.Tag {
	case tagUsage:
		p.usages = append(p.usages, usageRange{u, u})
	case tagUsageMin:
		p.min, p.hasMin = u, true
	case tagUsageMax:
		p.max, p.hasMax = u, true
	default:
		return nil
	}
	if p.hasMin && p.hasMax {
		if p.min.Page() != p.max.Page() || p.min > p.max {
			return errorAt(it.Offset, "Usage Minimum %08x and Maximum %08x: expected a range on one page", uint32(p.min), uint32(p.max))
		}
		p.usages = append(p.usages, usageRange{p.min, p.max})
		p.hasMin, p.hasMax = false, false
	}
	return nil
}

func (p *parser) resetLocals() {
	p.usages = p.usages[:0]
	p.hasMin, p.hasMax = false, false
}
