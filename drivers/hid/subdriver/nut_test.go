package subdriver_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"gonut/drivers/hid"
	"gonut/drivers/hid/internal/hidtest"
	"gonut/drivers/hid/internal/nutref"
	"gonut/drivers/hid/subdriver"
)

var updateNUT = flag.Bool("update-nut", false, "rewrite ../testdata/*.nut from Debian's usbhid-ups")

// subdrivers are the subdrivers by the names samples give them (the IDs of
// usbhid-ups's table of USB IDs).
var subdrivers = func() map[string]*subdriver.Subdriver {
	m := map[string]*subdriver.Subdriver{"explore": subdriver.Explore}
	for _, s := range subdriver.All {
		if s.ID != "" {
			m[s.ID] = s
		}
	}
	return m
}()

func samples(t *testing.T) []hidtest.Sample {
	t.Helper()
	s, err := hidtest.Load("../testdata")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func device(s hidtest.Sample) subdriver.Device {
	return subdriver.Device{VendorID: s.VendorID, ProductID: s.ProductID, Release: s.BCD}
}

// explore is what gonut prints for a sample as NUT's usbhid-ups does at
// startup: parsed, fixed by its subdriver, every report read (as the
// sample's reports, or zeros, as the libusb stand-in answers), each line
// with the conversion details NUT prints at debug level 5.
func explore(t *testing.T, s hidtest.Sample) (lines, fixes []string) {
	t.Helper()
	sub := subdrivers[s.Subdriver]
	if sub == nil {
		t.Fatalf("%s: no subdriver %q", s.Name, s.Subdriver)
	}
	d, err := hid.Parse(s.Desc)
	if err != nil {
		t.Fatalf("%s: %v", s.Name, err)
	}
	if sub.Fix != nil {
		fixes = sub.Fix(device(s), d)
	}
	return exploreLines(d, sub.Names(), d.ReportBuffers(s.Reports...), subdriver.DumpSkip(device(s))), fixes
}

// exploreLines are hid.Explore's lines, each with what NUT prints at
// debug level 5 as it converts the value (nutref.Paths).
func exploreLines(d *hid.Descriptor, names *hid.Names, reports map[uint8][]byte, skip func(*hid.Field) bool) []string {
	var lines []string
	for i := range d.Fields {
		f := &d.Fields[i]
		if skip(f) {
			continue
		}
		v, err := f.Value(reports[f.ReportID])
		if err != nil {
			lines = append(lines, hid.ExploreLine(f, names, nil))
			continue
		}
		lines = append(lines, hid.ExploreLine(f, names, &v)+fmt.Sprintf(
			" | LogMin: %d, LogMax: %d, PhyMin: %d, PhyMax: %d, Unit: %08x, UnitExp: %d, Exponent: %d",
			f.LogMin, f.LogMax, f.PhyMin, f.PhyMax, f.Unit, f.UnitExp, f.Exponent()))
	}
	return lines
}

// TestExploreMatchesNUT: for each real descriptor, gonut lists the fields
// NUT 2.8.0's usbhid-ups lists, line for line: the same paths (names from
// the same usage tables), types, report IDs, offsets, sizes, logical and
// physical ranges, units, exponents and values, after the same descriptor
// fixes.
func TestExploreMatchesNUT(t *testing.T) {
	for _, s := range samples(t) {
		t.Run(s.Name, func(t *testing.T) {
			want, err := hidtest.ReadLines(s.File(".nut"))
			if err != nil {
				t.Fatal(err)
			}
			got, _ := explore(t, s)
			diff(t, got, want)
		})
	}
}

func diff(t *testing.T, got, want []string) {
	t.Helper()
	n := 0
	for i := 0; i < max(len(got), len(want)); i++ {
		var g, w string
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if g != w {
			if n++; n <= 5 {
				t.Errorf("line %d:\n got  %s\n want %s", i+1, g, w)
			}
		}
	}
	if n > 0 {
		t.Errorf("%d of %d lines differ", n, len(want))
	}
}

// nutShim skips the test unless Debian's usbhid-ups can run here, and
// builds the stand-in for libusb it runs on in a new temporary directory:
// the shim's path and the directory.
func nutShim(t *testing.T) (shim, dir string) {
	t.Helper()
	if err := nutref.Available(); err != nil {
		t.Skip(err)
	}
	dir = t.TempDir()
	shim, err := nutref.BuildShim(dir)
	if err != nil {
		t.Fatal(err)
	}
	return shim, dir
}

// TestGoldenIsNUTs runs Debian's usbhid-ups on each descriptor, through a
// stand-in for libusb, and checks that testdata/*.nut is what it prints:
// the golden files are NUT's output, not ours. -update-nut rewrites them.
func TestGoldenIsNUTs(t *testing.T) {
	shim, _ := nutShim(t)
	for _, s := range samples(t) {
		t.Run(s.Name, func(t *testing.T) {
			got := runNUT(t, shim, s)
			if *updateNUT {
				header := fmt.Sprintf("# What Debian's NUT 2.8.0 usbhid-ups -DDDDD prints for %s.hex%s:\n# each field, then how it converted the value (internal/nutref runs it on a\n# libusb stand-in; go test ./subdriver -update-nut rewrites this file).\n",
					s.Name, map[bool]string{true: " and its reports", false: ", every report read as zeros"}[len(s.Reports) > 0])
				if err := os.WriteFile(s.File(".nut"), []byte(header+strings.Join(got, "\n")+"\n"), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := hidtest.ReadLines(s.File(".nut"))
			if err != nil {
				t.Fatal(err)
			}
			diff(t, got, want)
		})
	}
}

func runNUT(t *testing.T, shim string, s hidtest.Sample) []string {
	t.Helper()
	args := []string{"-DDDD"} // debug level 5: the ranges, units and exponents of each value
	if s.Subdriver == "explore" {
		args = append(args, "-x", "explore", "-x", fmt.Sprintf("vendorid=%04x", s.VendorID))
	} else {
		args = append(args, "-x", fmt.Sprintf("productid=%04x", s.ProductID)) // a device the subdriver knows the vendor of
	}
	lines := nutref.Paths(runDriver(t, shim, s, args...))
	if len(lines) == 0 {
		t.Fatal("usbhid-ups listed no fields")
	}
	return lines
}

// runDriver runs Debian's usbhid-ups on a sample and its reports.
func runDriver(t *testing.T, shim string, s hidtest.Sample, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	dev := nutref.Device{VendorID: s.VendorID, ProductID: s.ProductID, BCD: s.BCD, Descriptor: s.Path}
	if len(s.Reports) > 0 {
		dev.Reports = s.File(".reports")
	}
	out, err := nutref.Run(ctx, shim, dev, args...)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestRealDeviceLogs: where a sample has the lines NUT printed on the real
// device (NAME.log, from its user's debug log, with the reports that log
// shows), gonut prints each of them: same field, same value.
func TestRealDeviceLogs(t *testing.T) {
	n := 0
	for _, s := range samples(t) {
		want, err := hidtest.ReadLines(s.File(".log"))
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		n++
		t.Run(s.Name, func(t *testing.T) {
			got, _ := explore(t, s)
			values := map[string]string{}
			for _, l := range got {
				l, _, _ = strings.Cut(l, " | ")
				field, value, _ := strings.Cut(l, ", Value: ")
				values[field] = value
			}
			for _, l := range want {
				field, value, _ := strings.Cut(l, ", Value: ")
				v, ok := values[field]
				if !ok {
					t.Errorf("missing: %s", l)
					continue
				}
				if !sameNumber(v, value) {
					t.Errorf("%s: value %s, NUT on the device %s", field, v, value)
				}
			}
		})
	}
	if n == 0 {
		t.Fatal("no sample has a .log")
	}
}

func sameNumber(a, b string) bool {
	x, err1 := strconv.ParseFloat(a, 64)
	y, err2 := strconv.ParseFloat(b, 64)
	return err1 == nil && err2 == nil && math.Abs(x-y) <= 1e-9*math.Max(1, math.Abs(y))
}

// TestNUTMisreads shows, on Debian's usbhid-ups, each misreading of NUT
// 2.8.0 that drivers/hid does not share, next to what gonut reads: the
// fields as "path report-ID offset value", every report 01 c8.
func TestNUTMisreads(t *testing.T) {
	shim, dir := nutShim(t)
	descFile, reportFile := filepath.Join(dir, "desc.hex"), filepath.Join(dir, "reports.hex")
	report := []byte{0x01, 0xc8}
	writeHex(t, reportFile, [][]byte{report})
	for _, c := range []struct {
		name, desc string
		nut, ours  []string
	}{
		{"a field past 32 bytes: NUT's 8-bit offset wraps",
			"06 86 ff 09 01 a1 01 85 89 15 00 26 ff 00 75 08 95 23 09 fd 81 02 95 01 09 fe 81 02 c0",
			[]string{"ff860001.ff8600fd 0x89 0 0", "ff860001.ff8600fe 0x89 24 0"},
			[]string{"ff860001.ff8600fd 0x89 0 0", "ff860001.ff8600fe 0x89 280 0"}},
		{"no report IDs: NUT puts every field at 0",
			"05 84 09 04 a1 01 75 08 95 01 25 64 09 30 b1 02 09 31 b1 02 c0",
			[]string{"UPS.Voltage 0x00 0 0", "UPS.Current 0x00 0 0"},
			[]string{"UPS.Voltage 0x00 0 0", "UPS.Current 0x00 8 0"}},
		{"a Report Count of 0: NUT counts 256",
			"05 84 09 04 a1 01 85 01 75 08 95 00 09 30 b1 02 95 01 26 ff 00 09 31 b1 02 c0",
			[]string{"UPS.Voltage 0x01 0 0", "UPS.Current 0x01 0 200"},
			[]string{"UPS.Current 0x01 0 200"}},
		{"a collection on page 0x00ff: NUT closes its parent too",
			"05 84 09 04 a1 01 85 01 75 08 95 01 09 1a a1 00 05 ff 09 10 a1 00 c0 05 84 09 30 b1 02 c0 c0",
			[]string{"UPS.Voltage 0x01 0 0"},
			[]string{"UPS.Input.Voltage 0x01 0 0"}},
		{"Usage Minimum and Maximum: NUT finds no field, and refuses the device",
			"05 85 09 01 a1 01 85 01 75 01 95 02 25 01 19 44 29 45 81 02 c0",
			nil,
			[]string{"SMBBatteryMode.Charging 0x01 0 0", "SMBBatteryMode.Discharging 0x01 1 0"}},
		{"a Logical Maximum before its Minimum: NUT reads it signed",
			"05 84 09 04 a1 01 85 01 75 08 95 01 15 ff 25 ff 15 00 09 30 b1 02 c0",
			[]string{"UPS.Voltage 0x01 0 -1"},
			[]string{"UPS.Voltage 0x01 0 200"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			desc, err := hex.DecodeString(strings.ReplaceAll(c.desc, " ", ""))
			if err != nil {
				t.Fatal(err)
			}
			writeHex(t, descFile, [][]byte{desc})
			out, err := nutref.Run(context.Background(), shim, nutref.Device{VendorID: 0x1234, ProductID: 1,
				Descriptor: descFile, Reports: reportFile}, "-x", "explore", "-x", "vendorid=1234")
			if err != nil && !bytes.Contains(out, []byte("Failed to parse report descriptor")) {
				t.Fatal(err) // NUT refuses a descriptor it finds no field in; anything else is a fault
			}
			var nut []string
			for _, l := range nutref.Paths(out) {
				var path, typ, id, value string
				var off, size int
				fmt.Sscanf(strings.ReplaceAll(l, ",", ""), "Path: %s Type: %s ReportID: %s Offset: %d Size: %d Value: %s", &path, &typ, &id, &off, &size, &value)
				nut = append(nut, fmt.Sprintf("%s %s %d %s", path, id, off, value))
			}
			d, _ := hid.Parse(desc)
			bufs := d.ReportBuffers(report)
			var ours []string
			for _, f := range d.Fields {
				v, _ := f.Value(bufs[f.ReportID])
				ours = append(ours, fmt.Sprintf("%s 0x%02x %d %s", subdriver.Explore.Names().Format(f.Path), f.ReportID, f.Offset, hid.FormatG(v)))
			}
			if fmt.Sprint(nut) != fmt.Sprint(c.nut) {
				t.Errorf("NUT reads %q, want %q", nut, c.nut)
			}
			if fmt.Sprint(ours) != fmt.Sprint(c.ours) {
				t.Errorf("gonut reads %q, want %q", ours, c.ours)
			}
		})
	}
}
