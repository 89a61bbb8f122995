package hid

import (
	"errors"
	"io"
	"testing"

	"gonut/drivers/hid/internal/hidtest"
)

func addSamples(f *testing.F, add func(desc []byte)) {
	samples, err := hidtest.Load("testdata")
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range samples {
		add(s.Desc)
	}
	add(desc(f, upsDesc))
}

// FuzzParse: any bytes parse without a panic, into fields that fit their
// reports, or fail with a *ParseError at a byte of the descriptor; every
// field of the result reads from a report buffer of its declared size.
func FuzzParse(f *testing.F) {
	addSamples(f, func(d []byte) { f.Add(d) })
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := Parse(b)
		if d == nil {
			t.Fatal("nil descriptor")
		}
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Offset < 0 || pe.Offset > len(b) {
				t.Fatalf("error %v: want a *ParseError within the %d bytes", err, len(b))
			}
		}
		if len(d.Fields) > MaxFields {
			t.Fatalf("%d fields", len(d.Fields))
		}
		reports := map[uint8][]byte{}
		for i := range d.Fields {
			fd := &d.Fields[i]
			if reports[fd.ReportID] == nil {
				reports[fd.ReportID] = d.NewReport(fd.ReportID)
			}
			if len(fd.Path) == 0 || len(fd.Path) > 2*MaxDepth+1 {
				t.Fatalf("field %d: path of %d nodes", i, len(fd.Path))
			}
			if fd.Offset < 0 || fd.Size < 0 || fd.Offset+fd.Size > 8*d.ReportLen(fd.ReportID) {
				t.Fatalf("field %d: bits %d+%d outside report 0x%02x of %d bytes", i, fd.Offset, fd.Size, fd.ReportID, d.ReportLen(fd.ReportID))
			}
			if _, err := fd.Value(reports[fd.ReportID]); err != nil {
				t.Fatalf("field %d: %v", i, err)
			}
		}
		if err := Explore(io.Discard, d, NewNames(), ExploreOptions{Reports: reports, Verbose: true}); err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzReport: any report bytes decode without a panic, and whatever a
// field holds, writing a value of its range and reading it back gives
// that value and leaves the field's neighbours alone.
func FuzzReport(f *testing.F) {
	addSamples(f, func(d []byte) {
		f.Add(d, []byte{0x0c, 0x64, 0xb8, 0x05}, int64(42))
		f.Add(d, []byte{0x16, 0xff, 0xff}, int64(-1))
	})
	f.Fuzz(func(t *testing.T, b, report []byte, v int64) {
		d, _ := Parse(b)
		for i := range d.Fields {
			if i == 64 {
				break
			}
			fd := &d.Fields[i]
			if lv, err := fd.Logical(report); err == nil {
				fd.Physical(lv)
				if fd.LogMin <= fd.LogMax && (lv < fd.LogMin || lv > fd.LogMax) {
					t.Fatalf("field %d: %d outside %d..%d", i, lv, fd.LogMin, fd.LogMax)
				}
			}
			fd.LogicalOf(float64(v))
			fd.SetValue(d.NewReport(fd.ReportID), float64(v))
			fd.SetValue(d.NewReport(fd.ReportID), -1)
			if fd.LogMin > fd.LogMax || fd.Size > 64 {
				continue
			}
			// a value of the range, from v
			w := fd.LogMin + int64(uint64(v)%uint64(fd.LogMax-fd.LogMin+1))
			raw := uint64(w)
			if fd.Size < 64 {
				raw &= 1<<fd.Size - 1
			}
			if w < fd.LogMin || w > fd.LogMax || fd.logical(raw) != w {
				continue // the field's bits cannot hold w
			}
			buf := d.NewReport(fd.ReportID)
			copy(buf[min(1, len(buf)):], report)
			before := append([]byte(nil), buf...)
			if err := fd.PutLogical(buf, w); err != nil {
				t.Fatalf("field %d: put %d: %v", i, w, err)
			}
			if got, err := fd.Logical(buf); err != nil || got != w {
				t.Fatalf("field %d (%d..%d, %d bits): put %d, read %d %v", i, fd.LogMin, fd.LogMax, fd.Size, w, got, err)
			}
			base := 8 * (len(buf) - d.ReportLen(fd.ReportID))
			for bit := 0; bit < 8*len(buf); bit++ {
				if bit >= base+fd.Offset && bit < base+fd.Offset+fd.Size {
					continue
				}
				if buf[bit/8]>>(bit%8)&1 != before[bit/8]>>(bit%8)&1 {
					t.Fatalf("field %d: put %d changed bit %d of the report", i, w, bit)
				}
			}
		}
	})
}
