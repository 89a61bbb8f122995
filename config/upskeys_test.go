package config

import "testing"

// The table answers what the core and the parser ask of a key: which row
// it is (in any case only where NUT allows it), where it may stand, and
// how a driver shows it.
func TestUPSKeys(t *testing.T) {
	mode := DriverOption("mode", "a mode")
	table := append(CoreUPSKeys().In(InSection), mode, DriverFlag("strict_start", ""))
	for _, c := range []struct {
		key, name string
		ok        bool
	}{
		{"port", "port", true},
		{"PORT", "", false}, // the core's keys are case-sensitive...
		{"DEBUG_MIN", "debug_min", true},
		{"MODE", "mode", true}, // ...a driver's are not
		{"chroot", "", false},  // global only
	} {
		k, ok := table.Find(c.key)
		if ok != c.ok || k.Name != c.name {
			t.Errorf("Find(%q) = %q, %v; want %q, %v", c.key, k.Name, ok, c.name, c.ok)
		}
	}
	for _, c := range []struct {
		key, value, shown, shownValue string
	}{
		{"port", "/dev/ttyS0", "driver.parameter.port", "/dev/ttyS0"},
		{"nolock", "", "driver.flag.nolock", "enabled"},
		{"allow_killpower", "", "driver.flag.allow_killpower", "1"},
		{"desc", "x", "", ""},
		{"MODE", "b", "driver.parameter.MODE", "b"}, // named as written, as NUT's storeval does
		{"strict_start", "", "driver.flag.strict_start", "enabled"},
	} {
		k, _ := table.Find(c.key)
		if got := k.ShownAs(c.key); got != c.shown {
			t.Errorf("%s shown as %q, want %q", c.key, got, c.shown)
		}
		if c.shown != "" && k.ShownValue(c.value) != c.shownValue {
			t.Errorf("%s shows %q, want %q", c.key, k.ShownValue(c.value), c.shownValue)
		}
	}
	if k, _ := CoreUPSKeys().Find("pollinterval"); k.Default != DefaultPollInterval || !k.Reloadable || k.Place != InGlobals|InSection {
		t.Errorf("pollinterval row: %+v", k)
	}
	// The copy is the caller's: changing it changes no one else's.
	c := CoreUPSKeys()
	c[0].Name = "changed"
	if CoreUPSKeys()[0].Name == "changed" {
		t.Fatal("CoreUPSKeys hands out the table itself")
	}
}
