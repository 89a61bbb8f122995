package devfile

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"gonut/test/usbsim/hiddesc"
)

const sample = `# An APC-like device
vendorid 051d
productid 0002
bcddevice 0106
manufacturer 3 "American Power Conversion"  # index 3, as APC's
product 1 "Back-UPS \"XS\" 1400U"
serial 2 "3B0123X12345"
string 4 "PbAc #1"
report-descriptor
  05 84 09 04 a1 01 85 0c 75 08 95 01
  # RemainingCapacity, input and feature

  09 66 81 a2 09 66 b1 a2
	75 10 09 68 b1 a2 c0
feature 0c: 0c 64          # shorter than the descriptor says
input 0c: 0c 5a
`

func TestParse(t *testing.T) {
	d, err := Parse("sample", strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	if d.VendorID != 0x051d || d.ProductID != 0x0002 || d.BCDDevice != 0x0106 {
		t.Errorf("ids %04x:%04x %04x", d.VendorID, d.ProductID, d.BCDDevice)
	}
	wantStrings := map[uint8]string{1: `Back-UPS "XS" 1400U`, 2: "3B0123X12345", 3: "American Power Conversion", 4: "PbAc #1"}
	if !reflect.DeepEqual(d.Strings, wantStrings) || d.Manufacturer != 3 || d.Product != 1 || d.Serial != 2 {
		t.Errorf("strings %q, indexes %d %d %d", d.Strings, d.Manufacturer, d.Product, d.Serial)
	}
	if len(d.ReportDescriptor) != 27 || d.ReportDescriptor[26] != 0xc0 {
		t.Errorf("descriptor % x", d.ReportDescriptor)
	}
	feature := hiddesc.Report{Kind: hiddesc.Feature, ID: 0x0c}
	if got := d.Reports[feature]; !bytes.Equal(got, []byte{0x0c, 0x64}) {
		t.Errorf("feature 0c: % x", got)
	}
	if d.Layout.Len(feature) != 4 {
		t.Errorf("the descriptor gives feature 0c %d bytes, want 4", d.Layout.Len(feature))
	}
	if len(d.Inputs) != 1 || !bytes.Equal(d.Inputs[0], []byte{0x0c, 0x5a}) {
		t.Errorf("inputs % x", d.Inputs)
	}
}

// Only vendorid, productid and report-descriptor are required.
func TestMinimal(t *testing.T) {
	d, err := Parse("min", strings.NewReader("vendorid 1\nproductid 0x2\nreport-descriptor\n 75 08 95 01 b1 02\nfeature 00: 07\n"))
	if err != nil {
		t.Fatal(err)
	}
	if d.Manufacturer != 0 || len(d.Strings) != 0 || d.Layout.UsesIDs || d.VendorID != 1 || d.ProductID != 2 {
		t.Errorf("%+v", d)
	}
}

func TestErrors(t *testing.T) {
	head := "vendorid 051d\nproductid 0002\n"
	desc := "report-descriptor\n  85 0c 75 08 95 01 b1 02\n"
	for _, c := range []struct{ file, want string }{
		{"productid 0002\n" + desc, "f: no vendorid line"},
		{head, "f: no report-descriptor line"},
		{head + "report-descriptor\nfeature 0c: 0c\n", "f:3: report-descriptor: expected its bytes in hex"},
		{head + "vendorid 0001\n" + desc, "f:3: vendorid given twice (first at line 1)"},
		{"vendorid 51d0a\n", "f:1: vendorid: expected 4 hex digits, not \"51d0a\""},
		{"vendorid\n", "f:1: vendorid: expected one value"},
		{"productid 1 2\n", "f:1: productid: expected one value"},
		{"colour blue\n", `f:1: unknown keyword "colour"`},
		{"  vendorid 1\n", "f:1: expected a keyword at the start of the line"},
		{head + "report-descriptor 05\n", "f:3: report-descriptor: expected nothing after it"},
		{head + "report-descriptor\n  05 8\n  zz\n", `f:5: report descriptor: expected bytes as pairs of hex digits, not "zz"`},
		{head + "report-descriptor\n  05 84 27 ff\n", "f:3: report descriptor: byte 2: global item 0x27 needs 4 data bytes"},
		{head + desc + "feature 0c 0c 01\n", "f:5: feature: expected the report ID and a colon"},
		{head + desc + "feature zz: 0c\n", `f:5: feature: expected a report ID of 2 hex digits, not "zz"`},
		{head + desc + "feature 0c:\n", "f:5: feature 0c: expected the report's bytes after the colon"},
		{head + desc + "feature 0c: 0c 100\n", `f:5: feature 0c: expected bytes as pairs of hex digits, not "100"`},
		{head + desc + "feature 0c: 0d 01\n", "f:5: feature 0c: expected the report to start with its ID byte 0c, not 0d"},
		{head + desc + "feature 0c: 0c\n\nfeature 0c: 0c 01\n", "f:7: feature 0c given twice (first at line 5)"},
		{head + desc + "input 0c: 0c 01\n", "f:5: input 0c: the report descriptor has no such report"},
		{head + desc + "feature 00: 01\n", "f:5: feature 00: the report descriptor declares report IDs"},
		{head + "report-descriptor\n 75 08 95 01 b1 02\nfeature 01: 01\n", "f:5: feature 01: the report descriptor declares no report IDs: expected 00"},
		{`product "unterminated` + "\n", `f:1: unterminated quoted text`},
		{`product "a"b` + "\n", `f:1: expected a blank after the closing quote`},
		{"product Back-UPS\n", `f:1: product: expected a quoted text (product "text" or product 2 "text")`},
		{`product 0 "x"` + "\n", `f:1: product: expected a string index from 1 to 255, not "0"`},
		{`string "x"` + "\n", `f:1: string: expected a string index from 1 to 255, not "\"x"`},
		{"string\n", `f:1: string: expected a string index and a quoted text (string 4 "text")`},
		{`manufacturer "a"` + "\n" + `string 1 "b"` + "\n", "f:2: string: string index 1 is taken already (line 1)"},
		{`manufacturer 3 "a"` + "\n" + `serial "b"` + "\n", "f:2: serial: string index 3 is taken already (line 1)"},
	} {
		_, err := Parse("f", strings.NewReader(c.file))
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%q:\n  error %v\n  want  %s", c.file, err, c.want)
		}
	}
}

func TestFormatRoundTrip(t *testing.T) {
	d, err := Parse("sample", strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	again, err := Parse("formatted", bytes.NewReader(Format(d)))
	if err != nil {
		t.Fatalf("%v\n%s", err, Format(d))
	}
	if !reflect.DeepEqual(d, again) {
		t.Errorf("round trip changed the device:\n%+v\n%+v\n%s", d, again, Format(d))
	}
}

func FuzzParse(f *testing.F) {
	f.Add(sample)
	f.Add("vendorid 1\nproductid 2\nreport-descriptor\n 75 08 95 01 b1 02\nfeature 00: 07\n")
	f.Fuzz(func(t *testing.T, file string) {
		d, err := Parse("fuzz", strings.NewReader(file))
		if err != nil {
			if e, ok := err.(*Error); !ok || e.File != "fuzz" {
				t.Fatalf("error %v does not name the file", err)
			}
			return
		}
		again, err := Parse("formatted", bytes.NewReader(Format(d)))
		if err != nil {
			t.Fatalf("formatted file does not parse: %v\n%s", err, Format(d))
		}
		if !reflect.DeepEqual(d, again) {
			t.Fatalf("round trip changed the device:\n%+v\n%+v", d, again)
		}
	})
}
