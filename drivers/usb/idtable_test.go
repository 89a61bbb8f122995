package usb

import (
	"reflect"
	"testing"
)

// Two drivers' tables, in the shape NUT's subdrivers have them.
var (
	hidTable = IDTable{Driver: "usbhid-ups", IDs: []DeviceID{
		{0x0463, 0xffff, "mge", "various models"},
		{0x06da, 0xffff, "mge", "AEG PROTECT B / NAS"},
		{0x051d, 0x0002, "apc", "various models"},
		{0x06da, 0xffff, "liebert", "various models"},
	}}
	qxTable = IDTable{Driver: "nutdrv_qx", IDs: []DeviceID{
		{0x0665, 0x5161, "cypress", "Cypress Semiconductor bridge"},
		{0x06da, 0x0003, "phoenix", "Mustek Powermust"},
	}}
)

// is_usb_device_supported (usb-common.c l. 23-51 at v2.8.0): SUPPORTED
// when a row has vendor and product, POSSIBLY_SUPPORTED when a row has the
// vendor only, NOT_SUPPORTED otherwise; rows are compared exactly (0xffff
// is a product ID, not a wildcard).
func TestSubdriverSupport(t *testing.T) {
	for _, c := range []struct {
		sub      string
		vid, pid uint16
		want     Support
	}{
		{"mge", 0x0463, 0xffff, Supported},
		{"mge", 0x0463, 0x0001, PossiblySupported},
		{"mge", 0x051d, 0x0002, NotSupported},
		{"apc", 0x051d, 0x0002, Supported},
		{"apc", 0x051d, 0x0003, PossiblySupported},
		{"liebert", 0x06da, 0xffff, Supported},
		{"liebert", 0x06da, 0x0003, PossiblySupported},
	} {
		if got, _ := hidTable.SubdriverSupport(c.sub, c.vid, c.pid); got != c.want {
			t.Errorf("%s %04x:%04x: %v, want %v", c.sub, c.vid, c.pid, got, c.want)
		}
	}
}

func TestLookup(t *testing.T) {
	for _, c := range []struct {
		vid, pid uint16
		want     []Claim
	}{
		{0x0463, 0xffff, []Claim{{"usbhid-ups", "mge", Supported, DeviceID{0x0463, 0xffff, "mge", "various models"}}}},
		{0x0463, 0x1234, []Claim{{"usbhid-ups", "mge", PossiblySupported, DeviceID{}}}},
		// Phoenixtec's vendor ID: two usbhid-ups subdrivers in their
		// order, and nutdrv_qx knows the vendor.
		{0x06da, 0xffff, []Claim{
			{"usbhid-ups", "mge", Supported, DeviceID{0x06da, 0xffff, "mge", "AEG PROTECT B / NAS"}},
			{"usbhid-ups", "liebert", Supported, DeviceID{0x06da, 0xffff, "liebert", "various models"}},
			{"nutdrv_qx", "phoenix", PossiblySupported, DeviceID{}},
		}},
		{0x06da, 0x0003, []Claim{
			{"usbhid-ups", "mge", PossiblySupported, DeviceID{}},
			{"usbhid-ups", "liebert", PossiblySupported, DeviceID{}},
			{"nutdrv_qx", "phoenix", Supported, DeviceID{0x06da, 0x0003, "phoenix", "Mustek Powermust"}},
		}},
		{0x1d6b, 0x0002, nil}, // a root hub
	} {
		if got := Lookup(c.vid, c.pid, hidTable, qxTable); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%04x:%04x: %+v, want %+v", c.vid, c.pid, got, c.want)
		}
	}
	if s := hidTable.Support(0x06da, 0x0003); s != PossiblySupported {
		t.Errorf("Support = %v", s)
	}
	if s := qxTable.Support(0x06da, 0x0003); s != Supported {
		t.Errorf("Support = %v", s)
	}
	if got := hidTable.Subdrivers(); !reflect.DeepEqual(got, []string{"mge", "apc", "liebert"}) {
		t.Errorf("Subdrivers = %q", got)
	}
}
