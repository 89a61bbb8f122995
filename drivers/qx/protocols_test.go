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
	return &Driver{dev: dev, sub: sub, items: cloneItems(sub.table()), status: map[string]bool{}}
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
		"(0000000100000000000000000000000000000000000000000000000000100000\r", "(B\r", "#20\r"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, answer string) {
		for _, sub := range subdrivers() {
			d := testDriver(sub)
			d.dev.Tree.Set("battery.voltage.nominal", "24.0")
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
