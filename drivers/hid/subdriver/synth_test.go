package subdriver_test

import (
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonut/drivers/hid"
	"gonut/drivers/hid/internal/hidtest"
	"gonut/drivers/hid/internal/nutref"
	"gonut/drivers/hid/subdriver"
	"gonut/drivers/usbhidups"
)

// A synthesized device has a field at each path of a subdriver's rows
// (and of its naming), each in a report of its own, with values derived
// from the rows: the first pair of a row's lookup, bits for the status
// words, a number otherwise. It reaches the rows and conversions that no
// real descriptor in testdata has.

// synthField is one field of a synthesized descriptor.
type synthField struct {
	path  hid.Path
	id    uint8
	value int64
}

// synthPaths are the paths, beyond its rows', that a subdriver's naming
// reads.
var synthPaths = map[*subdriver.Subdriver][]string{
	subdriver.MGE:    {"UPS.PowerSummary.iModel"},
	subdriver.Belkin: {"UPS.PowerSummary.iSerialNumber"},
	subdriver.Delta:  {"UPS.DeltaCustom.[1].DeltaModelName"},
}

// everReports are the reports Ever's conversions read whole.
var everReports = map[string]uint8{
	"UPS.EVER1.EVER97.EVER98": 74, "UPS.EVER1.EVER97.EVER102": 74, "UPS.EVER1.EVER18.EVER28": 75,
	"UPS.EVER1.EVER32.EVER33": 76, "UPS.EVER1.EVER72": 210, "UPS.EVER1.EVER73": 211, "UPS.EVER1.EVER77": 215,
	"UPS.EVER1.EVER78": 216, "UPS.EVER1.EVER79": 217, "UPS.EVER1.EVER80": 218, "UPS.EVER1.EVER93": 230,
	"UPS.EVER1.EVER94": 231, "UPS.EVER1.EVER95": 232,
}

// synthFields are the fields of a subdriver's synthesized device.
func synthFields(t *testing.T, sub *subdriver.Subdriver) []synthField {
	t.Helper()
	names := sub.Names()
	var fields []synthField
	seen := map[string]bool{}
	reserved := map[uint8]bool{}
	for _, id := range everReports {
		reserved[id] = true
	}
	next := uint8(1)
	add := func(path string, r *subdriver.Info) {
		p, err := names.Parse(path)
		if err != nil {
			t.Fatal(err)
		}
		if seen[fmt.Sprint(p)] {
			return
		}
		seen[fmt.Sprint(p)] = true
		id, ok := everReports[path]
		if !ok || sub != subdriver.Ever {
			for reserved[next] {
				next++
			}
			id = next
			next++
		}
		fields = append(fields, synthField{path: p, id: id, value: synthValue(path, r)})
	}
	for i := range sub.Info {
		add(sub.Info[i].Path, &sub.Info[i])
	}
	for _, p := range synthPaths[sub] {
		add(p, nil)
	}
	if len(fields) > 250 {
		t.Fatalf("%d fields: more than reports", len(fields))
	}
	return fields
}

// synthValue is the value of a row's field: its lookup's first pair, bits
// for a status word, a number from 1 to 999 otherwise (from the path, so
// that values differ).
func synthValue(path string, r *subdriver.Info) int64 {
	switch {
	case r == nil:
		return 7
	case r.Lookup != nil && len(r.Lookup.Pairs) > 0:
		return r.Lookup.Pairs[0].HID
	case r.Lookup == subdriver.StringIDConversion || r.Lookup != nil && strings.HasSuffix(r.Lookup.Name, "chemistry"):
		return 4 // a string index (NUT reads whatever its buffer held for one beyond 255)
	case r.Lookup != nil && r.Lookup.Name == "ever_format_hardware":
		return 0x0203 // revision B (NUT reads beyond its list for one beyond Z)
	case r.Var == "BOOL" || r.Lookup != nil && strings.Contains(r.Lookup.Name, "ever_"):
		return 0x24b5
	}
	h := fnv.New32a()
	h.Write([]byte(path))
	return int64(h.Sum32()%999) + 1
}

// synthDescriptor writes the fields as a report descriptor: collections
// as their paths nest them (a field before the collections at its
// level), each field a signed 16-bit Feature in its report, and the
// reports with their values.
func synthDescriptor(fields []synthField) (desc []byte, reports [][]byte) {
	var b []byte
	page := uint16(0)
	usage := func(u hid.Usage) {
		if u.Page() != page {
			page = u.Page()
			b = append(b, 0x06, byte(page), byte(page>>8))
		}
		b = append(b, 0x0a, byte(u.ID()), byte(u.ID()>>8))
	}
	var emit func(prefix hid.Path, fs []synthField)
	emit = func(prefix hid.Path, fs []synthField) {
		var sub []synthField
		for _, f := range fs {
			if len(f.path) == len(prefix)+1 && len(prefix) > 0 {
				usage(f.path.Last())
				b = append(b, 0x85, f.id, 0x75, 16, 0x95, 1, 0x16, 0x00, 0x80, 0x26, 0xff, 0x7f, 0xb1, 0x02)
				reports = append(reports, []byte{f.id, byte(f.value), byte(f.value >> 8)})
				continue
			}
			sub = append(sub, f)
		}
		// the collections, in the order their first field comes: a usage,
		// and its index if it has one (a collection type of 0x80 and more)
		type key struct {
			node  hid.Usage
			index int
		}
		var keys []key
		groups := map[key][]synthField{}
		for _, f := range sub {
			k := key{f.path[len(prefix)], -1}
			if i, ok := f.path[len(prefix)+1].IsIndex(); ok && len(f.path) > len(prefix)+2 {
				k.index = i
			}
			if _, ok := groups[k]; !ok {
				keys = append(keys, k)
			}
			groups[k] = append(groups[k], f)
		}
		for _, k := range keys {
			usage(k.node)
			inner := append(hid.Path{}, prefix...)
			inner = append(inner, k.node)
			if k.index >= 0 {
				b = append(b, 0xa1, byte(0x80|k.index))
				inner = append(inner, hid.IndexNode(k.index))
			} else if len(prefix) == 0 {
				b = append(b, 0xa1, 0x01) // application
			} else {
				b = append(b, 0xa1, 0x00)
			}
			emit(inner, groups[k])
			b = append(b, 0xc0)
		}
	}
	emit(nil, fields)
	return b, reports
}

// synthSample is a subdriver's synthesized device as a sample, in files of
// a test directory, with the IDs of its first row in usbhid-ups's table
// of USB IDs and USB strings of its own.
func synthSample(t *testing.T, sub *subdriver.Subdriver) hidtest.Sample {
	t.Helper()
	fields := synthFields(t, sub)
	desc, reports := synthDescriptor(fields)
	var id struct{ v, p uint16 }
	for _, row := range usbhidups.USBIDs().IDs {
		if row.Subdriver == sub.ID {
			id.v, id.p = row.VendorID, row.ProductID
			break
		}
	}
	dir := t.TempDir()
	s := hidtest.Sample{Name: "synth-" + sub.ID, Path: filepath.Join(dir, "synth-"+sub.ID+".hex"), Desc: desc,
		VendorID: id.v, ProductID: id.p, BCD: 0x0100, Subdriver: sub.ID, Reports: reports}
	writeHex(t, s.Path, [][]byte{desc})
	writeHex(t, s.File(".reports"), reports)
	strs := "1 Maker Inc.\n2 Model 1500\n3\n7 1500\n"
	if err := os.WriteFile(s.File(".strings"), []byte(strs), 0o644); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestSynthesizedMatchNUT: on each subdriver's synthesized device, the
// rows, conversions and naming publish what Debian's usbhid-ups
// publishes (testdata/synth-ID.dstate, rewritten with -update-nut).
func TestSynthesizedMatchNUT(t *testing.T) {
	var shims nutShims
	if nutref.Available() == nil {
		shims = buildShims(t)
	}
	for _, sub := range subdriver.All {
		if len(sub.Info) == 0 {
			continue // explore, or a subdriver without its rows yet
		}
		t.Run(sub.ID, func(t *testing.T) {
			s := synthSample(t, sub)
			header := fmt.Sprintf("# What Debian's NUT 2.8.0 usbhid-ups publishes for the device synth_test.go\n"+
				"# synthesizes for %s (go test ./subdriver -update-nut rewrites this file).\n", sub.Name)
			checkGolden(t, shims, sub, s, filepath.Join("testdata", s.Name+".dstate"), header)
		})
	}
}
