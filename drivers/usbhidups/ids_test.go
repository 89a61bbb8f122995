package usbhidups

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"testing"

	"gonut/drivers/usb"

	"gonut/internal/nuttest"
)

// NUT's usbhid-ups tries its subdrivers in this order (usbhid-ups.c,
// subdriver_list, at v2.8.0), and the first that claims a device gets it.
func TestSubdriverOrder(t *testing.T) {
	want := []string{"mge", "apc", "arduino", "belkin", "cps", "delta_ups", "ever", "idowell", "legrand",
		"liebert", "openups", "powercom", "powervar", "salicru", "tripplite"}
	if got := USBIDs().Subdrivers(); !reflect.DeepEqual(got, want) {
		t.Errorf("subdrivers %q\nwant %q", got, want)
	}
	seen := map[string]bool{}
	for _, id := range USBIDs().IDs {
		k := id.String() + " " + id.Subdriver
		if seen[k] {
			t.Errorf("%s twice", k)
		}
		seen[k] = true
	}
}

// These rows are in NUT 2.8.0's arduino-hid.c but not in Debian's
// 62-nut-usbups.rules, which NUT's generator made without them.
var notInDebianRules = map[string]bool{"2a03:0036": true, "2a03:8036": true, "2a03:0040": true, "2a03:8040": true}

// Every device Debian's udev rules give to usbhid-ups (the comment line
// above each rule names the driver) is in the table, and every row of the
// table is in the rules but for the Arduino rows the rules miss.
func TestDebianUdevRules(t *testing.T) {
	rules := nuttest.DebianUdevRules
	inRules := nuttest.DebianUdevIDs(t, "usbhid-ups")
	if len(inRules) < 90 {
		t.Fatalf("only %d usbhid-ups rules read from %s", len(inRules), rules)
	}
	table := USBIDs()
	for id := range inRules {
		vid, pid := parseID(t, id)
		if s := table.Support(vid, pid); s != usb.Supported {
			t.Errorf("%s: in %s for usbhid-ups, %v by the table", id, rules, s)
		}
	}
	for _, id := range table.IDs {
		if !inRules[id.String()] && !notInDebianRules[id.String()] {
			t.Errorf("%s (%s) not in %s", id, id.Subdriver, rules)
		}
		if inRules[id.String()] && notInDebianRules[id.String()] {
			t.Errorf("%s is in %s after all", id, rules)
		}
	}
}

// With NUT_SOURCE_DIR set to a NUT 2.8.0 source tree, the table holds
// exactly the rows of its subdrivers' *_usb_device_table, each with its
// subdriver.
func TestNUTSources(t *testing.T) {
	dir := os.Getenv("NUT_SOURCE_DIR")
	if dir == "" {
		t.Skip("NUT_SOURCE_DIR is not set")
	}
	want := map[string]bool{}
	for _, sub := range USBIDs().Subdrivers() {
		src, err := os.ReadFile(filepath.Join(dir, "drivers", sub+"-hid.c"))
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range deviceTable(t, string(src)) {
			want[id+" "+sub] = true
		}
	}
	got := map[string]bool{}
	for _, id := range USBIDs().IDs {
		got[id.String()+" "+id.Subdriver] = true
	}
	for k := range want {
		if !got[k] {
			t.Errorf("%s: in NUT's sources, not in the table", k)
		}
	}
	for k := range got {
		if !want[k] {
			t.Errorf("%s: in the table, not in NUT's sources", k)
		}
	}
}

// deviceTable reads the USB_DEVICE(vendor, product) rows of a subdriver's
// table, its #defines resolved.
func deviceTable(t *testing.T, src string) []string {
	defines := map[string]string{}
	for _, m := range regexp.MustCompile(`#define\s+(\w+)\s+(0x[0-9a-fA-F]+)`).FindAllStringSubmatch(src, -1) {
		defines[m[1]] = m[2]
	}
	table := regexp.MustCompile(`(?s)_usb_device_table\[\]\s*=\s*\{(.*?)\n\};`).FindStringSubmatch(src)
	if table == nil {
		t.Fatal("no device table")
	}
	var ids []string
	for _, m := range regexp.MustCompile(`USB_DEVICE\(\s*(\w+)\s*,\s*(\w+)\s*\)`).FindAllStringSubmatch(table[1], -1) {
		num := func(s string) uint64 {
			if d, ok := defines[s]; ok {
				s = d
			}
			n, err := strconv.ParseUint(s, 0, 16)
			if err != nil {
				t.Fatalf("%s: %v", s, err)
			}
			return n
		}
		ids = append(ids, fmt.Sprintf("%04x:%04x", num(m[1]), num(m[2])))
	}
	return ids
}

func parseID(t *testing.T, s string) (uint16, uint16) {
	v, err1 := strconv.ParseUint(s[:4], 16, 16)
	p, err2 := strconv.ParseUint(s[5:], 16, 16)
	if err1 != nil || err2 != nil {
		t.Fatalf("bad ID %q", s)
	}
	return uint16(v), uint16(p)
}
