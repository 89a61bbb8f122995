package subdriver_test

import (
	"testing"

	"gonut/drivers/hid/subdriver"
)

// The 09ae:4003 unit's reports, with a battery reading 81.6 V, and a
// chemistry string, as other Tripp Lite models: the older ones read their
// battery voltage in tenths, the AVR550U's and OMNI1000LCD's firmware
// point to a wrong chemistry string, and the newer AVR750U's readings are
// scaled (here beyond what NUT prints whole).
func TestTrippLiteModels(t *testing.T) {
	s := sampleNamed(t, "tripplite-4003")
	reports := append(append([][]byte{}, s.Reports...), []byte{0x20, 0x30, 0x03}) // UPS.BatterySystem.Battery.Voltage: 816 (0.1 V)
	strs := []string{"1 Tripp Lite", "2 TRIPP LITE UPS", "10 PbAC"}
	for _, c := range []struct {
		pid  uint16
		want map[string]string
	}{
		{0x4003, map[string]string{"battery.voltage": "81.6", "battery.type": "PbAC"}},
		{0x2009, map[string]string{"battery.voltage": "8.2", "battery.type": "PbAC"}},
		{0x1003, map[string]string{"battery.voltage": "8.2", "battery.type": "unknown"}},
		{0x2005, map[string]string{"battery.voltage": "8.2", "battery.type": "unknown"}},
		// NUT prints these into 8 bytes, and publishes the first 7
		// characters: 1200000 for 12000000.0
		{0x3024, map[string]string{"battery.voltage": "8160000.0", "output.voltage": "12000000.0", "output.frequency": "0.6"}},
	} {
		var differs map[string]string
		if c.pid == 0x3024 {
			differs = map[string]string{"battery.voltage": "8160000", "output.voltage": "1200000"}
		}
		checkPublished(t, subdriver.TrippLite, variant(t, s, 0x09ae, c.pid, reports, strs), c.want, differs)
	}
}
