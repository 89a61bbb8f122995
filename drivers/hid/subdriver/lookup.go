package subdriver

import (
	"fmt"
	"strconv"
	"strings"
)

// A Lookup converts a HID value to a NUT value and back (NUT's
// info_lkp_t): by a list of pairs, or, for values computed rather than
// listed (dates, strings), by functions.
type Lookup struct {
	// Name is NUT's name of the lookup ("online_info").
	Name  string
	Pairs []Pair
	// ToNUT, if set, converts instead of Pairs.
	ToNUT func(c Context, v float64) (string, bool)
	// ToHID, if set, converts back instead of Pairs.
	ToHID func(c Context, s string) (float64, bool)
}

// A Pair is a HID value and the NUT value it stands for.
type Pair struct {
	HID int64
	NUT string
}

// NUT is the NUT value of HID value v: the first pair whose HID value is v
// with its fraction dropped, as NUT compares them.
func (l *Lookup) NUT(c Context, v float64) (string, bool) {
	if l.ToNUT != nil {
		return l.ToNUT(c, v)
	}
	for _, p := range l.Pairs {
		if p.HID == int64(v) {
			return p.NUT, true
		}
	}
	return "", false
}

// HID is the HID value of NUT value s: by ToHID if set, else the first
// pair whose NUT value is s.
func (l *Lookup) HID(c Context, s string) (float64, bool) {
	if l.ToHID != nil {
		return l.ToHID(c, s)
	}
	for _, p := range l.Pairs {
		if p.NUT == s {
			return float64(p.HID), true
		}
	}
	return 0, false
}

// Enum is the enumeration of a variable whose row has HIDEnum: the NUT
// value of each pair that converts (with ToNUT, if set; NUT offers only
// the values a device's conversion accepts).
func (l *Lookup) Enum(c Context) []string {
	var values []string
	for _, p := range l.Pairs {
		if _, ok := l.NUT(c, float64(p.HID)); ok {
			values = append(values, p.NUT)
		}
	}
	return values
}

// flag is the lookup of a status bit, NUT's name_info: 1 sets it, 0
// clears it.
func flag(nutName, name string) *Lookup {
	return &Lookup{Name: nutName, Pairs: []Pair{{1, name}, {0, "!" + name}}}
}

// scaled is the lookup that prints the value times factor(c), to decimals
// decimals.
func scaled(name string, decimals int, factor func(c Context) float64) *Lookup {
	return &Lookup{Name: name, ToNUT: func(c Context, v float64) (string, bool) {
		return strconv.FormatFloat(v*factor(c), 'f', decimals, 64), true
	}}
}

// flagIf is the lookup of a status flag that is set when set(value) holds,
// and cleared ("!" before it) otherwise.
func flagIf(nutName, flag string, set func(v float64) bool) *Lookup {
	return &Lookup{Name: nutName, ToNUT: func(_ Context, v float64) (string, bool) {
		if set(v) {
			return flag, true
		}
		return "!" + flag, true
	}}
}

// The lookups of usbhid-ups.c that subdrivers share. The status lookups
// feed ups.status and ups.alarm (NUT's online_info and so on).
var (
	OnlineInfo           = flag("online_info", "online")
	DischargingInfo      = flag("discharging_info", "dischrg")
	ChargingInfo         = flag("charging_info", "chrg")
	LowBattInfo          = flag("lowbatt_info", "lowbatt")
	OverloadInfo         = flag("overload_info", "overload")
	ReplaceBattInfo      = flag("replacebatt_info", "replacebatt")
	TrimInfo             = flag("trim_info", "trim")
	BoostInfo            = flag("boost_info", "boost")
	BypassAutoInfo       = flag("bypass_auto_info", "bypassauto")
	BypassManualInfo     = flag("bypass_manual_info", "bypassman")
	CalibrationInfo      = flag("calibration_info", "cal")
	FanFailInfo          = flag("fanfail_info", "fanfail")
	ShutdownImmInfo      = flag("shutdownimm_info", "shutdownimm")
	OverheatInfo         = flag("overheat_info", "overheat")
	AwaitingPowerInfo    = flag("awaitingpower_info", "awaitingpower")
	CommFaultInfo        = flag("commfault_info", "commfault")
	TimeLimitExpiredInfo = flag("timelimitexpired_info", "timelimitexp")
	BattVoltLoInfo       = flag("battvoltlo_info", "battvoltlo")
	BattVoltHiInfo       = flag("battvolthi_info", "battvolthi")
	ChargerFailInfo      = flag("chargerfail_info", "chargerfail")
	FullyChargedInfo     = flag("fullycharged_info", "fullycharged")
	DepletedInfo         = flag("depleted_info", "depleted")
	VRangeInfo           = flag("vrange_info", "vrange")
	FRangeInfo           = flag("frange_info", "frange")

	// OffInfo and NoBatteryInfo are reversed: a device without the
	// usage is on and has a battery.
	OffInfo       = &Lookup{Name: "off_info", Pairs: []Pair{{0, "off"}, {1, "!off"}}}
	NoBatteryInfo = &Lookup{Name: "nobattery_info", Pairs: []Pair{{1, "!nobattery"}, {0, "nobattery"}}}

	TestWriteInfo = &Lookup{Name: "test_write_info", Pairs: []Pair{{0, "No test"}, {1, "Quick test"}, {2, "Deep test"}, {3, "Abort test"}}}
	TestReadInfo  = &Lookup{Name: "test_read_info", Pairs: []Pair{
		{1, "Done and passed"}, {2, "Done and warning"}, {3, "Done and error"}, {4, "Aborted"},
		{5, "In progress"}, {6, "No test initiated"}, {7, "Test scheduled"},
	}}
	BeeperInfo = &Lookup{Name: "beeper_info", Pairs: []Pair{{1, "disabled"}, {2, "enabled"}, {3, "muted"}}}
	YesNoInfo  = &Lookup{Name: "yes_no_info", Pairs: []Pair{{0, "no"}, {1, "yes"}}}
	OnOffInfo  = &Lookup{Name: "on_off_info", Pairs: []Pair{{0, "off"}, {1, "on"}}}

	// DateConversion reads a HID date: days in bits 0-4, month in bits
	// 5-8, years since 1980 above ("2006/04/07").
	DateConversion = &Lookup{Name: "date_conversion", ToNUT: dateToNUT, ToHID: dateToHID}
	// HexConversion prints a value in hex, 8 digits at least.
	HexConversion = &Lookup{Name: "hex_conversion", ToNUT: func(_ Context, v float64) (string, bool) {
		return fmt.Sprintf("%08x", uint64(int64(v))), true
	}}
	// StringIDConversion reads the USB string a value is the index of;
	// one the device does not give reads as empty, as in NUT, and an
	// index that is none (beyond 0..255) converts to nothing. NUT cuts
	// the string at 19 bytes; it is whole here.
	StringIDConversion = &Lookup{Name: "stringid_conversion", ToNUT: stringID}
	// DivideBy10Conversion prints a tenth of the value, to one decimal.
	DivideBy10Conversion = scaled("divide_by_10_conversion", 1, func(Context) float64 { return 0.1 })
	// KelvinCelsiusConversion prints a temperature in Celsius, to one
	// decimal: a value from 273 to 373 is taken as kelvin, anything
	// else as Celsius already (some HP units send Celsius).
	KelvinCelsiusConversion = &Lookup{Name: "kelvin_celsius_conversion", ToNUT: func(_ Context, v float64) (string, bool) {
		if v >= 273 && v <= 373 {
			v -= 273.15
		}
		return strconv.FormatFloat(v, 'f', 1, 64), true
	}}
)

func stringID(c Context, v float64) (string, bool) {
	if v < 0 || v > 255 {
		return "", false
	}
	s, _ := c.String(int(v))
	return strings.TrimRight(s, "\n"), true
}

func dateToNUT(_ Context, v float64) (string, bool) {
	n := int64(v)
	if n == 0 {
		return "not set", true
	}
	return fmt.Sprintf("%04d/%02d/%02d", 1980+n>>9, n>>5&0xf, n&0x1f), true
}

// dateToHID reads a date as dateToNUT writes it. NUT writes 0 for a date
// it cannot store, and scans without checking what it read; a date that
// is not YYYY/MM/DD is refused here.
func dateToHID(_ Context, s string) (float64, bool) {
	var y, m, d int64
	if n, err := fmt.Sscanf(s, "%4d/%2d/%2d", &y, &m, &d); n != 3 || err != nil {
		return 0, false
	}
	if y-1980 > 127 || m > 12 || d > 31 {
		return 0, true
	}
	return float64((y-1980)<<9 + m<<5 + d), true
}
