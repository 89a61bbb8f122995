package hid

import (
	"math"
	"strings"
	"testing"
)

// FormatG against what glibc's printf("%g") prints for the same doubles.
func TestFormatG(t *testing.T) {
	for x, want := range map[float64]string{
		0: "0", math.Copysign(0, -1): "-0", 1: "1", -1: "-1", 0.5: "0.5", 100: "100",
		100000: "100000", 999999: "999999", 999999.5: "1e+06", 1000000: "1e+06",
		1234567: "1.23457e+06", 12.340000000000002: "12.34", 24.000000000000004: "24",
		0.0001: "0.0001", 0.00009999: "9.999e-05", 0.000123456: "0.000123456",
		1e-300: "1e-300", 1.5e300: "1.5e+300", 2.5: "2.5", 0.15: "0.15", 65535: "65535",
		4294967295: "4.29497e+09", -2147483648: "-2.14748e+09", 0.30000000000000004: "0.3",
		123456.5: "123456", 1e15: "1e+15", 5.8: "5.8", 229.9: "229.9", -60: "-60",
		1966020: "1.96602e+06", 0.01: "0.01", 7.000001: "7",
		math.Inf(1): "inf", math.Inf(-1): "-inf", math.NaN(): "nan",
	} {
		if got := FormatG(x); got != want {
			t.Errorf("FormatG(%v) = %q, want %q", x, got, want)
		}
	}
}

func TestExplore(t *testing.T) {
	d := mustParse(t, upsDesc)
	names := NewNames(UsageTable{
		{Name: "UPS", Usage: 0x00840004}, {Name: "PowerSummary", Usage: 0x00840024},
		{Name: "RemainingCapacity", Usage: 0x00850066}, {Name: "Input", Usage: 0x0084001a},
		{Name: "Voltage", Usage: 0x00840030}, {Name: "PresentStatus", Usage: 0x00840002},
	})
	var b strings.Builder
	err := Explore(&b, d, names, ExploreOptions{
		Reports: map[uint8][]byte{0x0c: {0x0c, 0x64, 0xb8, 0x05}, 0x31: {0x31, 0xf4, 0x01}, 0x16: {0x16}},
		Skip:    func(f *Field) bool { return f.Type == Input && f.ReportID == 0x0c },
	})
	if err != nil {
		t.Fatal(err)
	}
	want := `Path: UPS.PowerSummary.RemainingCapacity, Type: Feature, ReportID: 0x0c, Offset: 0, Size: 8, Value: 100
Path: UPS.PowerSummary.00850068, Type: Feature, ReportID: 0x0c, Offset: 8, Size: 16, Value: 1464
Path: UPS.PowerSummary.PresentStatus.008500d0, Type: Input, ReportID: 0x16, Offset: 0, Size: 1
Path: UPS.PowerSummary.PresentStatus.00850044, Type: Input, ReportID: 0x16, Offset: 1, Size: 1
Path: UPS.Input.Voltage, Type: Feature, ReportID: 0x31, Offset: 0, Size: 16, Value: 5
`
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}

	b.Reset()
	if err := Explore(&b, d, names, ExploreOptions{Verbose: true}); err != nil {
		t.Fatal(err)
	}
	last := strings.Split(strings.TrimSpace(b.String()), "\n")[len(d.Fields)-1]
	if want := "Path: UPS.Input.Voltage, Type: Feature, ReportID: 0x31, Offset: 0, Size: 16, LogMin: 0, LogMax: 500, Unit: 0x00f0d121, UnitExp: 5, Exponent: -2, Flags: 0xa2"; last != want {
		t.Errorf("verbose:\n got %s\nwant %s", last, want)
	}
}
