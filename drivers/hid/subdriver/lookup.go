package subdriver

import (
	"fmt"
	"strconv"
)

// A Lookup converts a HID value to a NUT value and back (NUT's
// info_lkp_t): by a list of pairs, or, for values computed rather than
// listed (dates, strings), by functions.
type Lookup struct {
	Pairs []Pair
	// ToNUT, if set, converts instead of Pairs.
	ToNUT func(c Context, v float64) (string, bool)
	// ToHID, if set, converts back instead of Pairs; nil with ToNUT
	// set: the value cannot be written.
	ToHID func(s string) (float64, bool)
}

// A Pair is a HID value and the NUT value it stands for.
type Pair struct {
	HID int64
	NUT string
}

// Context is what a conversion may need from the device.
type Context interface {
	// String is the USB string descriptor of index i.
	String(i int) (string, error)
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

// HID is the HID value of NUT value s: the first pair whose NUT value is s.
func (l *Lookup) HID(s string) (float64, bool) {
	if l.ToNUT != nil {
		if l.ToHID == nil {
			return 0, false
		}
		return l.ToHID(s)
	}
	for _, p := range l.Pairs {
		if p.NUT == s {
			return float64(p.HID), true
		}
	}
	return 0, false
}

// flag is the lookup of a status bit: 1 sets it, 0 clears it.
func flag(name string) *Lookup {
	return &Lookup{Pairs: []Pair{{1, name}, {0, "!" + name}}}
}

// The lookups of usbhid-ups.c that subdrivers share. The status lookups
// feed ups.status and ups.alarm (NUT's online_info and so on).
var (
	OnlineInfo           = flag("online")
	DischargingInfo      = flag("dischrg")
	ChargingInfo         = flag("chrg")
	LowBattInfo          = flag("lowbatt")
	OverloadInfo         = flag("overload")
	ReplaceBattInfo      = flag("replacebatt")
	TrimInfo             = flag("trim")
	BoostInfo            = flag("boost")
	BypassAutoInfo       = flag("bypassauto")
	BypassManualInfo     = flag("bypassman")
	CalibrationInfo      = flag("cal")
	FanFailInfo          = flag("fanfail")
	ShutdownImmInfo      = flag("shutdownimm")
	OverheatInfo         = flag("overheat")
	AwaitingPowerInfo    = flag("awaitingpower")
	CommFaultInfo        = flag("commfault")
	TimeLimitExpiredInfo = flag("timelimitexp")
	BattVoltLoInfo       = flag("battvoltlo")
	BattVoltHiInfo       = flag("battvolthi")
	ChargerFailInfo      = flag("chargerfail")
	FullyChargedInfo     = flag("fullycharged")
	DepletedInfo         = flag("depleted")
	VRangeInfo           = flag("vrange")
	FRangeInfo           = flag("frange")

	// OffInfo and NoBatteryInfo are reversed: a device without the
	// usage is on and has a battery.
	OffInfo       = &Lookup{Pairs: []Pair{{0, "off"}, {1, "!off"}}}
	NoBatteryInfo = &Lookup{Pairs: []Pair{{1, "!nobattery"}, {0, "nobattery"}}}

	TestWriteInfo = &Lookup{Pairs: []Pair{{0, "No test"}, {1, "Quick test"}, {2, "Deep test"}, {3, "Abort test"}}}
	TestReadInfo  = &Lookup{Pairs: []Pair{
		{1, "Done and passed"}, {2, "Done and warning"}, {3, "Done and error"}, {4, "Aborted"},
		{5, "In progress"}, {6, "No test initiated"}, {7, "Test scheduled"},
	}}
	BeeperInfo = &Lookup{Pairs: []Pair{{1, "disabled"}, {2, "enabled"}, {3, "muted"}}}
	YesNoInfo  = &Lookup{Pairs: []Pair{{0, "no"}, {1, "yes"}}}
	OnOffInfo  = &Lookup{Pairs: []Pair{{0, "off"}, {1, "on"}}}

	// DateConversion reads a HID date: days in bits 0-4, month in bits
	// 5-8, years since 1980 above ("2006/04/07").
	DateConversion = &Lookup{ToNUT: dateToNUT, ToHID: dateToHID}
	// HexConversion prints a value in hex, 8 digits at least.
	HexConversion = &Lookup{ToNUT: func(_ Context, v float64) (string, bool) {
		return fmt.Sprintf("%08x", uint64(int64(v))), true
	}}
	// StringIDConversion reads the USB string a value is the index of;
	// one the device does not give reads as empty, as in NUT.
	StringIDConversion = &Lookup{ToNUT: func(c Context, v float64) (string, bool) {
		s, _ := c.String(int(v))
		return s, true
	}}
	// DivideBy10Conversion prints a tenth of the value, to one decimal.
	DivideBy10Conversion = &Lookup{ToNUT: func(_ Context, v float64) (string, bool) {
		return strconv.FormatFloat(v*0.1, 'f', 1, 64), true
	}}
	// KelvinCelsiusConversion prints a temperature in Celsius, to one
	// decimal: a value from 273 to 373 is taken as kelvin, anything
	// else as Celsius already (some HP units send Celsius).
	KelvinCelsiusConversion = &Lookup{ToNUT: func(_ Context, v float64) (string, bool) {
		if v >= 273 && v <= 373 {
			v -= 273.15
		}
		return strconv.FormatFloat(v, 'f', 1, 64), true
	}}
)

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
func dateToHID(s string) (float64, bool) {
	var y, m, d int64
	if n, err := fmt.Sscanf(s, "%4d/%2d/%2d", &y, &m, &d); n != 3 || err != nil {
		return 0, false
	}
	if y-1980 > 127 || m > 12 || d > 31 {
		return 0, true
	}
	return float64((y-1980)<<9 + m<<5 + d), true
}
