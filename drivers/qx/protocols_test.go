package qx

import (
	"io"
	"log/slog"
	"strings"
	"testing"

	"gonut/drivers/core"
)

// NUT's own examples of BestUPS's ID answer (its table's comment): the
// first two line up, the third is longer than NUT takes.
func TestBestupsID(t *testing.T) {
	for in, want := range map[string]string{
		"FOR,750,120,120,20.0,27.6\r":   "FOR, 750,120,120,20.0, 27.6\r",
		"FOR,1500,120,120,20.0,27.6\r":  "FOR,1500,120,120,20.0, 27.6\r",
		"FOR,3000,120,120,20.0,100.6\r": "",
		"ID\r":                          "",
		"":                              "",
	} {
		got, err := bestupsID(in)
		if got != want || (want == "" && in != "" && err == nil) {
			t.Errorf("bestupsID(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

// testDriver is a driver of a subdriver's table on a device, with no
// port: for the items' functions alone.
func testDriver(sub *subdriver) *Driver {
	dev := core.NewDevice("t", nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
	return &Driver{dev: dev, sub: sub, items: cloneItems(sub.table()), status: map[string]bool{}, proto: newProtoState()}
}

func TestAblerexBytes(t *testing.T) {
	d := testDriver(subdriverNamed("ablerex"))
	d.dev.Tree.Set("battery.voltage.nominal", "24.0")
	q5 := "(\x01\xf4\x00\x00\x00\x00\x05\x5a\x03\xc0\x00\x00\x00\x07\x00\x19\x00\x00\x00\x00\r"
	it := d.find("output.frequency", 0)
	raw, err := it.extract(q5, "")
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := d.setItem(it, raw); v != 1 || get(d.dev, "output.frequency") != "50.0" || get(d.dev, "ups.alarm") != "7" ||
		get(d.dev, "output.current") != "2.5" {
		t.Errorf("Q5: %d, %q %q %q", v, get(d.dev, "output.frequency"), get(d.dev, "ups.alarm"), get(d.dev, "output.current"))
	}
	if v, _ := ablerexBatteryVoltage(d, nil, "02.1"); v != "27.40" {
		t.Errorf("battery.voltage from Q5's 1370: %q", v)
	}
	if v, _ := ablerexBatteryLimit(d, &item{from: 1}, ""); v != "19.20" {
		t.Errorf("battery.voltage.low from Q5's 960: %q", v)
	}
	if v, _ := ablerexRuntime(d, nil, "(\x00\x00\x07\x08\r"); v != "1800" {
		t.Errorf("At: %q", v)
	}
	for v, want := range map[string]string{"27.4": "100", "24.1": "55", "20.8": "11", "2.05": "62", "1.5": "0"} {
		if got, _ := ablerexBatteryCharge(d, nil, v); got != want {
			t.Errorf("charge at %s V: %s, want %s", v, got, want)
		}
	}
}

// Every item of every subdriver, its answer refined and its value
// worked out, takes any answer without a panic.
func FuzzValues(f *testing.F) {
	for _, s := range []string{"(230.4 140.0 229.8 014 50.0 27.4 30.0 00001001\r", "AX1,1500,230,230,20.0,27.6\r", "02\r", "4\r",
		"(\x01\xf4\x00\x00\x00\x00\x05\x5a\x03\xc0\x00\x00\x00\x07\x00\x19\x00\x00\x00\x00\r", "(\x00\x00\x07\x08\r", "#PASS\r", "", "(", "#",
		"(230.4 50.0 229.8 50.0 001.9 014 369.1 ---.- 027.4 ---.- 030.0 101100000001\r", "(PI01\r", "(027.4 02 01 100 025\r",
		"(0000000100000000000000000000000000000000000000000000000000100000\r", "(B\r", "#20\r", "(EpbarsjDocvdfglnqw\r",
		"(DDx\r", "(1\r", "(008\r", "(242 218\r", "(53.0 47.0\r", "(264 170\r", "(01\r", "(000 120\r", "(001\r",
		"(123.4 456.4 789.4 012.4 323.4 223.4\r"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, answer string) {
		for _, sub := range subdrivers() {
			d := testDriver(sub)
			d.dev.Tree.Set("battery.voltage.nominal", "24.0")
			d.dev.Tree.Set("ups.firmware.aux", "P01")
			d.dev.Tree.Set("output.voltage.nominal", "230.0")
			for i := range d.items {
				it := &d.items[i]
				ans := answer
				if it.refine != nil {
					var err error
					if ans, err = it.refine(ans); err != nil {
						continue
					}
				}
				if raw, err := it.extract(ans, sub.rejected); err == nil {
					d.setItem(it, raw)
				}
			}
		}
	})
}

// QWS's warnings: known ones by name (setting their status), unknown
// ones by bit, and bit numbers alone when the names are too long.
func TestVoltronicWarning(t *testing.T) {
	d := testDriver(subdriverNamed("voltronic"))
	bits := func(on ...int) string {
		b := []byte(strings.Repeat("0", 64))
		for _, i := range on {
			b[i] = '1'
		}
		return string(b)
	}
	for _, c := range []struct {
		raw, want string
	}{
		{bits(), ""},
		{bits(7, 58), "UPS warnings: Low battery. Unknown warnings [bit: #59]"},
		{bits(59, 62), "UPS warnings: Unknown warnings [bit: #60, #63]"},
		{bits(42, 43, 44, 45), "UPS warnings: Known (see log or manual) [bit: #43, #44, #45, #46]"},
	} {
		got, err := voltronicWarning(d, &item{name: "ups.alarm"}, c.raw)
		if err != nil || got != c.want {
			t.Errorf("%s: %q, %v; want %q", c.raw, got, err, c.want)
		}
	}
	if !d.status["LB"] {
		t.Error("a low battery warning did not set LB")
	}
	if _, err := voltronicWarning(d, &item{name: "ups.alarm"}, "0012"); err == nil {
		t.Error("a bit of 2 is taken")
	}
}

// The bypass limits' ranges, from NUT's range tables, by protocol and
// nominal input voltage or output frequency.
func TestVoltronicBypassRanges(t *testing.T) {
	for _, c := range []struct {
		proto, ivn, ofn string
		want            map[string][2]int
	}{
		{"P01", "230.0", "50.0", map[string][2]int{"max_bypass_volt": {230, 264}, "min_bypass_volt": {170, 220},
			"max_bypass_freq": {51, 60}, "min_bypass_freq": {40, 49}}},
		{"P01", "120.0", "60.0", map[string][2]int{"max_bypass_volt": {120, 140}, "min_bypass_volt": {85, 115},
			"max_bypass_freq": {61, 70}, "min_bypass_freq": {50, 59}}},
		{"P10", "230.0", "60.0", map[string][2]int{"max_bypass_volt": {231, 276}, "min_bypass_volt": {110, 209},
			"max_bypass_freq": {61, 64}, "min_bypass_freq": {56, 59}}},
		{"P99", "230.0", "50.0", map[string][2]int{"max_bypass_volt": {231, 261}, "min_bypass_volt": {149, 209}}},
		{"P09", "230.0", "50.0", map[string][2]int{"max_bypass_volt": {60, 140}, "min_bypass_volt": {60, 140}}},
	} {
		d := testDriver(subdriverNamed("voltronic"))
		d.dev.Tree.Set("ups.firmware.aux", c.proto)
		d.dev.Tree.Set("input.voltage.nominal", c.ivn)
		d.dev.Tree.Set("output.frequency.nominal", c.ofn)
		for name, want := range c.want {
			if got := voltronicBypassRanges(d, &item{name: name}); len(got) != 1 || got[0] != want {
				t.Errorf("%s %s %s: %s %v, want %v", c.proto, c.ivn, c.ofn, name, got, want)
			}
		}
	}
}
