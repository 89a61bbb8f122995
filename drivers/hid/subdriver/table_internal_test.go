package subdriver

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gonut/state"
)

// nutTables are the subdrivers' tables in NUT's sources: file and name.
var nutTables = []struct {
	sub         *Subdriver
	file, table string
}{
	{APC, "apc-hid.c", "apc_hid2nut"},
	{CyberPower, "cps-hid.c", "cps_hid2nut"},
	{MGE, "mge-hid.c", "mge_hid2nut"},
	{TrippLite, "tripplite-hid.c", "tripplite_hid2nut"},
	{Belkin, "belkin-hid.c", "belkin_hid2nut"},
	{Liebert, "liebert-hid.c", "liebert_hid2nut"},
	{Powercom, "powercom-hid.c", "powercom_hid2nut"},
	{Delta, "delta_ups-hid.c", "delta_ups_hid2nut"},
	{Powervar, "powervar-hid.c", "powervar_hid2nut"},
	{Salicru, "salicru-hid.c", "salicru_hid2nut"},
	{Legrand, "legrand-hid.c", "legrand_hid2nut"},
	{Ever, "ever-hid.c", "ever_hid2nut"},
	{IDowell, "idowell-hid.c", "idowell_hid2nut"},
	{OpenUPS, "openups-hid.c", "openups_hid2nut"},
	{Arduino, "arduino-hid.c", "arduino_hid2nut"},
}

// Debian builds NUT with strptime, and without the debugging rows of
// some tables.
var nutDefined = map[string]bool{"HAVE_STRPTIME": true}

// TestTablesAreNUTs compares each subdriver's rows, one for one, with its
// table in a NUT 2.8.0 source tree (NUT_SOURCE_DIR): variable, flags,
// length, path, format or default, driver flags and lookup (by NUT's name).
func TestTablesAreNUTs(t *testing.T) {
	dir := os.Getenv("NUT_SOURCE_DIR")
	if dir == "" {
		t.Skip("NUT_SOURCE_DIR is not set (a NUT 2.8.0 source tree)")
	}
	for _, tab := range nutTables {
		t.Run(tab.file, func(t *testing.T) {
			src, err := os.ReadFile(filepath.Join(dir, "drivers", tab.file))
			if err != nil {
				t.Fatal(err)
			}
			want, err := nutRows(string(src), tab.table)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range tab.sub.Info {
				got = append(got, strings.Join([]string{r.Var, cFlags(r.Flags), fmt.Sprint(r.Len), r.Path, cFormat(r),
					cHIDFlags(r.HID), lookupName(r.Lookup)}, "|"))
			}
			if len(got) != len(want) {
				t.Errorf("%d rows, NUT's %s has %d", len(got), tab.table, len(want))
			}
			for i := range min(len(got), len(want)) {
				if got[i] != want[i] {
					t.Errorf("row %d:\n got  %s\n NUT's %s", i, got[i], want[i])
				}
			}
		})
	}
}

// nutRows are the rows of a hid_info_t table in C source, after the
// preprocessor (#if 0, #ifdef of nutDefined) and without comments, as
// "var|flags|len|path|format|hidflags|lookup".
func nutRows(src, table string) ([]string, error) {
	m := regexp.MustCompile(`(?s)hid_info_t\s+` + table + `\[\]\s*=\s*\{(.*?)\n\};`).FindStringSubmatch(src)
	if m == nil {
		return nil, fmt.Errorf("no %s", table)
	}
	var kept []string
	var on []bool
	for _, line := range strings.Split(m[1], "\n") {
		f := strings.Fields(line)
		switch {
		case len(f) == 0:
		case f[0] == "#ifdef" || f[0] == "#ifndef":
			on = append(on, nutDefined[f[1]] == (f[0] == "#ifdef"))
			continue
		case f[0] == "#if":
			on = append(on, len(f) > 1 && f[1] != "0")
			continue
		case f[0] == "#else":
			on[len(on)-1] = !on[len(on)-1]
			continue
		case f[0] == "#endif":
			on = on[:len(on)-1]
			continue
		}
		all := true
		for _, o := range on {
			all = all && o
		}
		if all {
			kept = append(kept, line)
		}
	}
	text := regexp.MustCompile(`(?s)/\*.*?\*/`).ReplaceAllString(strings.Join(kept, "\n"), "")
	row := regexp.MustCompile(`\{\s*"([^"]*)"\s*,\s*([^,]+?)\s*,\s*(\d+)\s*,\s*"([^"]*)"\s*,\s*NULL\s*,\s*("[^"]*"|DEFAULT_\w+|NULL)\s*,\s*([^,]+?)\s*,\s*(\w+)\s*\}`)
	var rows []string
	for _, m := range row.FindAllStringSubmatch(text, -1) {
		m[2] = strings.Join(strings.Fields(m[2]), " ")
		m[6] = strings.Join(strings.Fields(m[6]), " ")
		rows = append(rows, strings.Join(m[1:], "|"))
	}
	return rows, nil
}

func cFlags(f state.Flags) string {
	var words []string
	if f&state.RW != 0 {
		words = append(words, "ST_FLAG_RW")
	}
	if f&state.String != 0 {
		words = append(words, "ST_FLAG_STRING")
	}
	if f&state.Number != 0 {
		words = append(words, "ST_FLAG_NUMBER")
	}
	if len(words) == 0 {
		return "0"
	}
	return strings.Join(words, " | ")
}

func cFormat(r Info) string {
	switch r.Format {
	case defaultOnDelay:
		if r.HID&(HIDAbsent|HIDCommand) != 0 {
			return "DEFAULT_ONDELAY"
		}
	case defaultOffDelay:
		if r.HID&(HIDAbsent|HIDCommand) != 0 {
			return "DEFAULT_OFFDELAY"
		}
	case "":
		return "NULL"
	}
	return `"` + r.Format + `"`
}

func cHIDFlags(f HIDFlags) string {
	var words []string
	for _, b := range []struct {
		f    HIDFlags
		name string
	}{{HIDStatic, "HU_FLAG_STATIC"}, {HIDSemiStatic, "HU_FLAG_SEMI_STATIC"}, {HIDAbsent, "HU_FLAG_ABSENT"},
		{HIDQuickPoll, "HU_FLAG_QUICK_POLL"}, {HIDCommand, "HU_TYPE_CMD"}, {HIDEnum, "HU_FLAG_ENUM"}} {
		if f&b.f != 0 {
			words = append(words, b.name)
		}
	}
	if len(words) == 0 {
		return "0"
	}
	return strings.Join(words, " | ")
}

func lookupName(l *Lookup) string {
	if l == nil {
		return "NULL"
	}
	return l.Name
}
