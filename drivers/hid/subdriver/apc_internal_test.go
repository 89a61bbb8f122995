package subdriver

import "testing"

func TestAPCDates(t *testing.T) {
	for v, s := range map[float64]string{0x092501: "2001/09/25", 0x102202: "2002/10/22", 0x123199: "1999/12/31", 0: "not set"} {
		if got, ok := apcDateConversion.NUT(nil, v); !ok || got != s {
			t.Errorf("NUT(%x) = %q %v, want %q", int(v), got, ok, s)
		}
		if v == 0 {
			continue
		}
		if back, ok := apcDateConversion.HID(nil, s); !ok || back != v {
			t.Errorf("HID(%q) = %x %v, want %x", s, int(back), ok, int(v))
		}
	}
	if v, ok := apcDateConversion.HID(nil, "2070/01/01"); !ok || v != 0 {
		t.Errorf("2070: %v %v, want 0 (not set)", v, ok)
	}
	if _, ok := apcDateConversion.HID(nil, "soon"); ok {
		t.Error("read soon")
	}
}
