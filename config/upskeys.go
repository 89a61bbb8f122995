package config

import (
	"slices"
	"strings"
)

// KeyKind is what a ups.conf key takes.
type KeyKind uint8

const (
	KeyText     KeyKind = iota // any value
	KeyFlag                    // a bare word; NUT turns it on whatever follows
	KeyNumber                  // a whole number in [Min, Max]
	KeySync                    // yes, no or auto
	KeyObsolete                // NUT logs that it is obsolete, and ignores it
)

// Place is where a key may stand in ups.conf.
type Place uint8

const (
	InGlobals Place = 1 << iota // before the first section, for every UPS
	InSection                   // in a UPS's [section]
)

// UPSKey is one row of the table of ups.conf keys: what the key takes,
// where it may stand, whether a running driver takes a new value without
// a restart, and whether the driver shows it in its state tree. The core's
// keys are CoreUPSKeys; a driver adds its own options as rows of the same
// kind (DriverOption, DriverFlag).
type UPSKey struct {
	Name string
	Kind KeyKind
	// KeyNumber: the range, NUT's default when nothing sets it (-1:
	// none), and whether the whole word must be a number (str_to_int)
	// or only its start (atoi).
	Min, Max int
	Default  int
	Strict   bool
	Fold     bool // the key is compared without regard to case
	Place    Place
	// Reloadable: a running driver applies a new value when it reloads;
	// other changes need a restart.
	Reloadable bool
	// Shown: the driver shows the setting as driver.parameter.<key>
	// (driver.flag.<key> for a flag), as NUT's drivers do.
	Shown bool
	// FlagValue is what a shown flag holds ("" for NUT's "enabled").
	FlagValue string
	// ValueIgnored: a flag the core also takes with a value, which it
	// ignores (allow_killpower = 1).
	ValueIgnored bool
	Help         string // a driver option's line in -h and -L
	// Extra: a driver option NUT 2.8.0 lacks, which -h lists apart,
	// among gonut's additions.
	Extra bool
}

// DriverOption is the row of a driver's own option that takes a value:
// in a section, in any case, shown as driver.parameter.<key>.
func DriverOption(name, help string) UPSKey {
	return UPSKey{Name: name, Kind: KeyText, Fold: true, Place: InSection, Shown: true, Help: help}
}

// DriverFlag is the row of a driver's own flag, shown as
// driver.flag.<key>.
func DriverFlag(name, help string) UPSKey {
	k := DriverOption(name, help)
	k.Kind = KeyFlag
	return k
}

// AsExtra is the row marked as one NUT 2.8.0 lacks (UPSKey.Extra).
func (k UPSKey) AsExtra() UPSKey {
	k.Extra = true
	return k
}

// Flag reports whether the key is a bare flag.
func (k UPSKey) Flag() bool { return k.Kind == KeyFlag }

// ShownAs is the variable that shows a setting of this key in the driver's
// state tree, named as the setting spells the key; "" when it is not shown.
func (k UPSKey) ShownAs(key string) string {
	switch {
	case !k.Shown:
		return ""
	case k.Flag():
		return "driver.flag." + key
	}
	return "driver.parameter." + key
}

// ShownValue is what that variable holds for a setting of this key.
func (k UPSKey) ShownValue(value string) string {
	switch {
	case !k.Flag():
		return value
	case k.FlagValue != "":
		return k.FlagValue
	}
	return "enabled"
}

// UPSKeys is a table of ups.conf keys: CoreUPSKeys, and a driver's rows
// after them.
type UPSKeys []UPSKey

// Find returns the row of a key: the first of its exact name, else the
// first that matches it without case and allows that.
func (t UPSKeys) Find(key string) (UPSKey, bool) {
	for _, k := range t {
		if k.Name == key {
			return k, true
		}
	}
	for _, k := range t {
		if k.Fold && strings.EqualFold(k.Name, key) {
			return k, true
		}
	}
	return UPSKey{}, false
}

// In returns the rows of the keys that may stand in a place.
func (t UPSKeys) In(p Place) UPSKeys {
	var out UPSKeys
	for _, k := range t {
		if k.Place&p != 0 {
			out = append(out, k)
		}
	}
	return out
}

// CoreUPSKeys are the keys that NUT's driver core (drivers/main.c),
// upsdrvctl and upsd know, for every driver; any other key of a section
// belongs to the driver. The slice is the caller's.
func CoreUPSKeys() UPSKeys { return slices.Clone(coreKeys) }

// coreKeys is the table CoreUPSKeys copies; never changed.
var coreKeys = func() UPSKeys {
	const both = InGlobals | InSection
	num := func(name string, min, max, def int, whole bool, place Place) UPSKey {
		return UPSKey{Name: name, Kind: KeyNumber, Min: min, Max: max, Default: def, Strict: whole, Place: place, Reloadable: true}
	}
	fold := func(k UPSKey) UPSKey { k.Fold = true; return k }
	shown := func(k UPSKey) UPSKey { k.Shown = true; return k }
	return UPSKeys{
		{Name: "chroot", Place: InGlobals},
		{Name: "driverpath", Place: InGlobals},
		{Name: "statepath", Place: InGlobals, Fold: true},
		{Name: "nowait", Kind: KeyFlag, Place: InGlobals},
		{Name: "driver", Place: InSection},
		{Name: "port", Place: InSection, Shown: true},
		{Name: "desc", Place: InSection, Reloadable: true},
		{Name: "user", Place: both},
		{Name: "group", Place: both},
		{Name: "sdcommands", Place: InSection, Reloadable: true, Shown: true},
		{Name: "synchronous", Kind: KeySync, Place: both, Reloadable: true, Shown: true},
		{Name: "nolock", Kind: KeyFlag, Place: InSection, Shown: true},
		{Name: "ignorelb", Kind: KeyFlag, Place: InSection, Reloadable: true, Shown: true},
		{Name: "allow_killpower", Kind: KeyFlag, Place: InSection, Reloadable: true, Shown: true, FlagValue: "1", ValueIgnored: true},
		{Name: "sddelay", Kind: KeyObsolete, Place: InSection, Reloadable: true},
		num("sdorder", minInt, maxInt, 0, false, InSection),
		shown(num("pollinterval", 1, maxInt, DefaultPollInterval, false, both)),
		num("maxstartdelay", minInt, maxInt, DefaultMaxStartDelay, false, both),
		num("maxretry", 0, maxInt, DefaultMaxRetry, false, both),
		num("retrydelay", 0, maxInt, DefaultRetryDelay, false, both),
		num("reconnect_max_tries", minInt, maxInt, -1, true, both),
		num("reconnect_report_freq", minInt, maxInt, -1, true, both),
		fold(num("debug_min", 0, maxInt, -1, true, both)),
		num("LIBUSB_DEBUG", 0, maxInt, -1, true, both),
	}
}()

// coreKey is the row of one of the core's keys.
func coreKey(name string) UPSKey {
	k, _ := coreKeys.Find(name)
	return k
}
