package subdriver_test

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"

	"gonut/drivers/hid"
	"gonut/drivers/hid/internal/hidtest"
	"gonut/drivers/hid/internal/nutref"
	"gonut/drivers/hid/subdriver"
)

func TestAPCPathsParse(t *testing.T) {
	names := subdriver.APC.Names()
	for _, r := range subdriver.APC.Info {
		if _, err := names.Parse(r.Path); err != nil {
			t.Errorf("%s: %v", r.Var, err)
		}
	}
}

// shimStrings are the USB strings the libusb stand-in gives: "string<i>",
// none at index 0.
type shimStrings struct{}

func (shimStrings) String(i int) (string, error) {
	if i == 0 {
		return "", fmt.Errorf("no string 0")
	}
	return fmt.Sprintf("string%d", i), nil
}

// variables are the variables a subdriver's table gives a device at
// startup, read as usbhid-ups does: for each variable, the first row whose
// path the device has and whose value converts; a HIDAbsent row gives its
// default. Status rows (BOOL) and commands are left out.
func variables(sub *subdriver.Subdriver, d *hid.Descriptor, reports map[uint8][]byte) []string {
	names := sub.Names()
	set := map[string]string{}
	var order []string
	for _, r := range sub.Info {
		if r.Var == "BOOL" || r.HID&subdriver.HIDCommand != 0 || r.Path == "" {
			continue
		}
		if _, ok := set[r.Var]; ok {
			continue
		}
		p, err := names.Parse(r.Path)
		if err != nil {
			continue
		}
		f := d.Find(p, hid.Feature)
		if f == nil {
			continue
		}
		value := r.Format
		if r.HID&subdriver.HIDAbsent == 0 {
			v, err := f.Value(reports[f.ReportID])
			if err != nil {
				continue
			}
			if r.Lookup != nil {
				s, ok := r.Lookup.NUT(shimStrings{}, v)
				if !ok {
					continue
				}
				value = s
			} else {
				value = fmt.Sprintf(r.Format, v)
			}
		}
		set[r.Var] = value
		order = append(order, r.Var)
	}
	var lines []string
	for _, v := range order {
		lines = append(lines, v+": "+set[v])
	}
	return lines
}

// TestAPCVariables: on the Back-UPS XS 1400U, with its reports, the APC
// table gives the variables, and values, that Debian's usbhid-ups
// publishes (testdata/apc-back-ups-xs-1400u.dump, which -update-nut
// rewrites from it): the rows, lookups and conversions are NUT's.
func TestAPCVariables(t *testing.T) {
	var s = samples(t)
	for _, x := range s {
		if x.Name != "apc-back-ups-xs-1400u" {
			continue
		}
		golden := x.File(".dump")
		if err := nutref.Available(); err == nil {
			shim, err := nutref.BuildShim(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			var nut []string
			for _, l := range nutref.Dump(runDriver(t, shim, x)) {
				name, _, _ := strings.Cut(l, ": ")
				if strings.HasPrefix(name, "driver.") || strings.HasPrefix(name, "device.") || strings.HasPrefix(name, "ups.") &&
					strings.Contains(" ups.mfr ups.model ups.serial ups.productid ups.vendorid ups.status ", " "+name+" ") {
					continue // the driver's and the USB device's own, and the status
				}
				nut = append(nut, l)
			}
			if *updateNUT {
				header := "# The variables Debian's NUT 2.8.0 usbhid-ups -d 1 publishes for apc-back-ups-xs-1400u.hex\n# and its reports, but for driver.*, device.*, the USB strings and ups.status (-update-nut).\n"
				if err := os.WriteFile(golden, []byte(header+strings.Join(nut, "\n")+"\n"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, _ := readSorted(golden)
			diff(t, sorted(nut), want)
		}
		want, err := readSorted(golden)
		if err != nil {
			t.Fatal(err)
		}
		d, err := hid.Parse(x.Desc)
		if err != nil {
			t.Fatal(err)
		}
		subdriver.APC.Fix(device(x), d)
		diff(t, sorted(variables(subdriver.APC, d, d.ReportBuffers(x.Reports...))), want)
		return
	}
	t.Fatal("no sample apc-back-ups-xs-1400u")
}

func sorted(lines []string) []string {
	lines = append([]string(nil), lines...)
	sort.Strings(lines)
	return lines
}

func readSorted(path string) ([]string, error) {
	lines, err := hidtest.ReadLines(path)
	return sorted(lines), err
}
