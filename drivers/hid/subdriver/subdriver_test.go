package subdriver_test

import (
	"encoding/hex"
	"strings"
	"testing"

	"gonut/drivers/hid"
	"gonut/drivers/hid/subdriver"
)

func sample(t *testing.T, name string) (*hid.Descriptor, subdriver.Device) {
	t.Helper()
	for _, s := range samples(t) {
		if s.Name == name {
			d, err := hid.Parse(s.Desc)
			if err != nil {
				t.Fatal(err)
			}
			return d, device(s)
		}
	}
	t.Fatalf("no sample %s", name)
	return nil, subdriver.Device{}
}

func logRange(t *testing.T, d *hid.Descriptor, id uint8, u hid.Usage) [2]int64 {
	t.Helper()
	f := d.FindByNode(id, u)
	if f == nil {
		t.Fatalf("no field %08x in report 0x%02x", uint32(u), id)
	}
	return [2]int64{f.LogMin, f.LogMax}
}

// The Back-UPS XS 1400U declares its input voltage 75..140 and its
// nominal input voltage 75..140 while it transfers at 280 V.
func TestFixAPC(t *testing.T) {
	d, dev := sample(t, "apc-back-ups-xs-1400u")
	if r := logRange(t, d, 0x31, 0x00840030); r != [2]int64{75, 140} {
		t.Fatalf("input voltage before the fix: %v", r)
	}
	notes := subdriver.FixAPC(dev, d)
	if r := logRange(t, d, 0x31, 0x00840030); r != [2]int64{0, 560} {
		t.Errorf("input voltage: %v, want 0..560", r)
	}
	if r := logRange(t, d, 0x30, 0x00840040); r != [2]int64{75, 255} {
		t.Errorf("nominal input voltage: %v, want 75..255", r)
	}
	if len(notes) != 2 || !strings.Contains(notes[0], "report 0x31: logical range 0..560, was 75..140") {
		t.Errorf("notes: %q", notes)
	}
	// Other APC products are left alone, and a fixed descriptor stays so.
	d, dev = sample(t, "apc-back-ups-xs-1400u")
	dev.ProductID = 0x0003
	if notes := subdriver.FixAPC(dev, d); notes != nil || logRange(t, d, 0x31, 0x00840030) != [2]int64{75, 140} {
		t.Errorf("051d:0003 fixed: %q", notes)
	}
	d, dev = sample(t, "apc-back-ups-xs-1400u")
	subdriver.FixAPC(dev, d)
	if notes := subdriver.FixAPC(dev, d); notes != nil {
		t.Errorf("fixed twice: %q", notes)
	}
}

// The CP900EPFCLCD declares its output voltage with the range of its high
// transfer voltage, 260..270.
func TestFixCyberPower(t *testing.T) {
	d, dev := sample(t, "cps-cp900epfclcd")
	if r := logRange(t, d, 0x12, 0x00840030); r != [2]int64{260, 270} {
		t.Fatalf("output voltage before the fix: %v", r)
	}
	notes := subdriver.FixCyberPower(dev, d)
	if r := logRange(t, d, 0x12, 0x00840030); r != [2]int64{0, 511} {
		t.Errorf("output voltage: %v, want 0..511", r)
	}
	if r := logRange(t, d, 0x0f, 0x00840030); r != [2]int64{0, 255} {
		t.Errorf("input voltage, which had its own range: %v, want 0..255 kept", r)
	}
	if len(notes) != 1 {
		t.Errorf("notes: %q", notes)
	}
	// NUT 2.8.0 fixes 0764:0501 only.
	d, dev = sample(t, "cps-powerwalker-vi-500-r1u")
	if notes := subdriver.FixCyberPower(dev, d); notes != nil {
		t.Errorf("0764:0601 fixed: %q", notes)
	}
}

// When the input voltage has the transfer voltage's range too, it is
// fixed as well (NUT 2.8.0 only logs it), and so are Input copies of the
// fields (NUT fixes the first field it finds).
func TestFixCyberPowerInputVoltage(t *testing.T) {
	b, err := hex.DecodeString(strings.Join(strings.Fields(`05 84 09 04 a1 01 75 10 95 01 16 04 01 26 0e 01
		09 1a a1 00 85 0f 09 30 b1 a2 85 10 09 54 b1 a2 c0
		09 1c a1 00 85 12 09 30 81 a2 09 30 b1 a2 c0 c0`), ""))
	if err != nil {
		t.Fatal(err)
	}
	d, err := hid.Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	notes := subdriver.FixCyberPower(subdriver.Device{VendorID: 0x0764, ProductID: 0x0501}, d)
	for _, f := range d.Fields {
		if f.Path.Last() == 0x00840030 && (f.LogMin != 0 || f.LogMax != 511) {
			t.Errorf("%v voltage of report 0x%02x: %d..%d", f.Type, f.ReportID, f.LogMin, f.LogMax)
		}
	}
	if len(notes) != 3 {
		t.Errorf("notes: %q", notes)
	}
}

func TestLookups(t *testing.T) {
	for _, c := range []struct {
		l    *subdriver.Lookup
		hid  float64
		nut  string
		back bool
	}{
		{subdriver.OnlineInfo, 1, "online", true},
		{subdriver.OnlineInfo, 0, "!online", true},
		{subdriver.OffInfo, 0, "off", true},
		{subdriver.NoBatteryInfo, 0, "nobattery", true},
		{subdriver.TestReadInfo, 6, "No test initiated", true},
		{subdriver.BeeperInfo, 2.7, "enabled", false}, // the fraction is dropped
		{subdriver.DateConversion, 18146, "2015/07/02", true},
		{subdriver.DateConversion, 0, "not set", false},
		{subdriver.HexConversion, 0x92501, "00092501", false},
		{subdriver.HexConversion, -1, "ffffffffffffffff", false},
		{subdriver.DivideBy10Conversion, 1234, "123.4", false},
		{subdriver.KelvinCelsiusConversion, 298.15, "25.0", false},
		{subdriver.KelvinCelsiusConversion, 25, "25.0", false},
	} {
		got, ok := c.l.NUT(nil, c.hid)
		if !ok || got != c.nut {
			t.Errorf("NUT(%v) = %q %v, want %q", c.hid, got, ok, c.nut)
		}
		if back, ok := c.l.HID(nil, c.nut); c.back && (!ok || back != c.hid) {
			t.Errorf("HID(%q) = %v %v, want %v", c.nut, back, ok, c.hid)
		}
	}
	if _, ok := subdriver.BeeperInfo.NUT(nil, 9); ok {
		t.Error("BeeperInfo.NUT(9) found a value")
	}
	if _, ok := subdriver.HexConversion.HID(nil, "00000001"); ok {
		t.Error("HexConversion converts back")
	}
	if v, ok := subdriver.DateConversion.HID(nil, "2200/01/01"); !ok || v != 0 {
		t.Errorf("a date NUT cannot store: %v %v, want 0 (not set)", v, ok)
	}
	if _, ok := subdriver.DateConversion.HID(nil, "yesterday"); ok {
		t.Error("DateConversion read yesterday")
	}
	if s, ok := subdriver.StringIDConversion.NUT(&testDevice{strings: map[int]string{3: "American Power Conversion"}}, 3); !ok || s != "American Power Conversion" {
		t.Errorf("StringIDConversion: %q %v", s, ok)
	}
	if s, ok := subdriver.StringIDConversion.NUT(&testDevice{strings: map[int]string{4: ""}}, 4); !ok || s != "" {
		t.Errorf("StringIDConversion of a missing string: %q %v, want it empty", s, ok)
	}
	if s, ok := subdriver.StringIDConversion.NUT(&testDevice{}, 256); ok {
		t.Errorf("StringIDConversion of index 256: %q, want nothing", s)
	}
}

func TestDumpSkip(t *testing.T) {
	eaton := subdriver.DumpSkip(subdriver.Device{VendorID: 0x0463, ProductID: 0xffff})
	apc := subdriver.DumpSkip(subdriver.Device{VendorID: 0x051d, ProductID: 0x0002})
	tl := subdriver.DumpSkip(subdriver.Device{VendorID: 0x09ae, ProductID: 0x1330})
	if !eaton(&hid.Field{ReportID: 0xfe}) || eaton(&hid.Field{ReportID: 0x54}) || apc(&hid.Field{ReportID: 0xff}) ||
		!tl(&hid.Field{ReportID: 0x54}) || tl(&hid.Field{ReportID: 0xff}) {
		t.Error("DumpSkip")
	}
}
