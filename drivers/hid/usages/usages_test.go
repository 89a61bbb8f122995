package usages

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"gonut/drivers/hid"
)

// tables are the tables and the NUT source each comes from.
var tables = []struct {
	name  string
	table hid.UsageTable
	file  string // in NUT's drivers/
	array string
}{
	{"Standard", Standard, "libhid.c", "hid_usage_lkp"},
	{"APC", APC, "apc-hid.c", "apc_usage_lkp"},
	{"Belkin", Belkin, "belkin-hid.c", "belkin_usage_lkp"},
	{"Delta", Delta, "delta_ups-hid.c", "delta_ups_usage_lkp"},
	{"Ever", Ever, "ever-hid.c", "ever_usage_lkp"},
	{"MGE", MGE, "mge-hid.c", "mge_usage_lkp"},
	{"OpenUPS", OpenUPS, "openups-hid.c", "openups_usage_lkp"},
	{"Powercom", Powercom, "powercom-hid.c", "powercom_usage_lkp"},
	{"Powervar", Powervar, "powervar-hid.c", "powervar_usage_lkp"},
	{"TrippLite", TrippLite, "tripplite-hid.c", "tripplite_usage_lkp"},
}

// TestTablesAreNUTs compares every table, row for row, with the
// usage_lkp_t array it comes from in a NUT 2.8.0 source tree
// (NUT_SOURCE_DIR): paths are compared as strings, so a name spelt
// differently is a path that no longer matches.
func TestTablesAreNUTs(t *testing.T) {
	dir := os.Getenv("NUT_SOURCE_DIR")
	if dir == "" {
		t.Skip("NUT_SOURCE_DIR is not set (a NUT 2.8.0 source tree)")
	}
	comments := regexp.MustCompile(`(?s)/\*.*?\*/|//[^\n]*`)
	row := regexp.MustCompile(`\{\s*"([^"]*)"\s*,\s*(0[xX][0-9a-fA-F]+)\s*\}`)
	for _, tb := range tables {
		src, err := os.ReadFile(filepath.Join(dir, "drivers", tb.file))
		if err != nil {
			t.Fatal(err)
		}
		body := regexp.MustCompile(`(?s)usage_lkp_t\s+` + tb.array + `\[\]\s*=\s*\{(.*?)\n\};`).FindSubmatch(src)
		if body == nil {
			t.Errorf("%s: no %s in %s", tb.name, tb.array, tb.file)
			continue
		}
		var want hid.UsageTable
		for _, m := range row.FindAllSubmatch(comments.ReplaceAll(body[1], nil), -1) {
			u, _ := strconv.ParseUint(string(m[2]), 0, 32)
			want = append(want, hid.UsageName{Name: string(m[1]), Usage: hid.Usage(u)})
		}
		if len(want) != len(tb.table) {
			t.Errorf("%s: %d rows, NUT's %s has %d", tb.name, len(tb.table), tb.array, len(want))
			continue
		}
		for i := range want {
			if tb.table[i] != want[i] {
				t.Errorf("%s row %d: %+v, NUT's %+v", tb.name, i, tb.table[i], want[i])
			}
		}
	}
}

// Rows that paths in NUT's subdriver tables rely on, and NUT's own
// spellings.
func TestSomeRows(t *testing.T) {
	names := hid.NewNames(APC, Standard)
	for path, want := range map[string]hid.Path{
		"UPS.PowerSummary.RemainingCapacity":              {0x00840004, 0x00840024, 0x00850066},
		"UPS.PowerSummary.PresentStatus.ACPresent":        {0x00840004, 0x00840024, 0x00840002, 0x008500d0},
		"UPS.APCGeneralCollection.APCDelayBeforeShutdown": {0x00840004, 0xff860005, 0xff86007d},
		"UPS.PowerSummary.iDevicename":                    {0x00840004, 0x00840024, 0x00850088},
		"UPS.Output.SwitchOn/Off":                         {0x00840004, 0x0084001c, 0x0084006b},
		// two usages share this name: the Power Device one is read
		"UPS.PowerSummary.PresentStatus.VoltageOutOfRange": {0x00840004, 0x00840024, 0x00840002, 0x00840063},
	} {
		got, err := names.Parse(path)
		if err != nil || !got.Equal(want) {
			t.Errorf("%s: %x %v, want %x", path, got, err, want)
		}
	}
	if n := len(Standard); n != 170 {
		t.Errorf("Standard has %d rows, NUT's hid_usage_lkp 170", n)
	}
	tl := hid.NewNames(TrippLite, Standard)
	if s := tl.Format(hid.Path{0x00840004, 0x00840044}); s != "UPS.TLCharging" {
		t.Errorf("Tripp Lite's 0x00840044: %s", s)
	}
}
