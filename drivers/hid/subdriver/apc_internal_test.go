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

// TestAPCTableIsNUTs compares the APC table, row for row, with
// apc_hid2nut in a NUT 2.8.0 source tree (NUT_SOURCE_DIR).
func TestAPCTableIsNUTs(t *testing.T) {
	dir := os.Getenv("NUT_SOURCE_DIR")
	if dir == "" {
		t.Skip("NUT_SOURCE_DIR is not set (a NUT 2.8.0 source tree)")
	}
	src, err := os.ReadFile(filepath.Join(dir, "drivers", "apc-hid.c"))
	if err != nil {
		t.Fatal(err)
	}
	body := regexp.MustCompile(`(?s)hid_info_t apc_hid2nut\[\] = \{(.*?)\n\};`).FindSubmatch(src)
	if body == nil {
		t.Fatal("no apc_hid2nut in apc-hid.c")
	}
	text := regexp.MustCompile(`(?s)/\*.*?\*/`).ReplaceAll(body[1], nil)
	row := regexp.MustCompile(`\{\s*"([^"]*)"\s*,\s*([^,]+?)\s*,\s*(\d+)\s*,\s*"([^"]*)"\s*,\s*NULL\s*,\s*("[^"]*"|DEFAULT_\w+|NULL)\s*,\s*([^,]+?)\s*,\s*(\w+)\s*\}`)
	var want []string
	for _, m := range row.FindAllStringSubmatch(string(text), -1) {
		want = append(want, strings.Join(m[1:], "|"))
	}
	var got []string
	for _, r := range APC.Info {
		got = append(got, strings.Join([]string{r.Var, cFlags(r.Flags), fmt.Sprint(r.Len), r.Path, cFormat(r), cHIDFlags(r.HID), lookupName(r.Lookup)}, "|"))
	}
	if len(got) != len(want) {
		t.Fatalf("%d rows, NUT's apc_hid2nut has %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("row %d:\n got  %s\n NUT's %s", i, got[i], want[i])
		}
	}
}

func cFlags(f state.Flags) string {
	switch f {
	case 0:
		return "0"
	case state.RW | state.String:
		return "ST_FLAG_RW | ST_FLAG_STRING"
	}
	return fmt.Sprint(f)
}

func cFormat(r Info) string {
	switch r.Format {
	case defaultOnDelay:
		return "DEFAULT_ONDELAY"
	case defaultOffDelay:
		return "DEFAULT_OFFDELAY"
	case "":
		return "NULL"
	}
	return `"` + r.Format + `"`
}

func cHIDFlags(f HIDFlags) string {
	return map[HIDFlags]string{0: "0", HIDSemiStatic: "HU_FLAG_SEMI_STATIC", HIDAbsent: "HU_FLAG_ABSENT",
		HIDQuickPoll: "HU_FLAG_QUICK_POLL", HIDCommand: "HU_TYPE_CMD", HIDStatic: "HU_FLAG_STATIC"}[f]
}

// lookupName is the NUT name of a lookup.
func lookupName(l *Lookup) string {
	if l == nil {
		return "NULL"
	}
	for name, known := range map[string]*Lookup{
		"online_info": OnlineInfo, "discharging_info": DischargingInfo, "charging_info": ChargingInfo,
		"lowbatt_info": LowBattInfo, "overload_info": OverloadInfo, "replacebatt_info": ReplaceBattInfo,
		"shutdownimm_info": ShutdownImmInfo, "timelimitexpired_info": TimeLimitExpiredInfo,
		"nobattery_info": NoBatteryInfo, "test_read_info": TestReadInfo, "beeper_info": BeeperInfo,
		"date_conversion": DateConversion, "kelvin_celsius_conversion": KelvinCelsiusConversion,
		"stringid_conversion": StringIDConversion, "apc_date_conversion": apcDateConversion,
		"apcstatusflag_info": apcStatusFlagInfo, "apc_linefailcause_vrange_info": apcLineFailCauseVRangeInfo,
		"apc_linefailcause_frange_info": apcLineFailCauseFRangeInfo, "apc_sensitivity_info": apcSensitivityInfo,
	} {
		if l == known {
			return name
		}
	}
	return "?"
}

func TestAPCDates(t *testing.T) {
	for v, s := range map[float64]string{0x092501: "2001/09/25", 0x102202: "2002/10/22", 0x123199: "1999/12/31", 0: "not set"} {
		if got, ok := apcDateConversion.NUT(nil, v); !ok || got != s {
			t.Errorf("NUT(%x) = %q %v, want %q", int(v), got, ok, s)
		}
		if v == 0 {
			continue
		}
		if back, ok := apcDateConversion.HID(s); !ok || back != v {
			t.Errorf("HID(%q) = %x %v, want %x", s, int(back), ok, int(v))
		}
	}
	if v, ok := apcDateConversion.HID("2070/01/01"); !ok || v != 0 {
		t.Errorf("2070: %v %v, want 0 (not set)", v, ok)
	}
	if _, ok := apcDateConversion.HID("soon"); ok {
		t.Error("read soon")
	}
}
