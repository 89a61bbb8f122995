package subdriver_test

import (
	"strings"
	"testing"

	"gonut/drivers/hid/subdriver"
)

// A CP1500AVRLCDa whose battery reads 36 V for 24 V nominal: claimed as
// 0764:0501, its readings are taken as 1.5 times too high (24.0 V);
// as 0764:0601, as they are.
func TestCyberPowerBatteryScale(t *testing.T) {
	s := sampleNamed(t, "cps-cp1500avrlcda")
	reports := append(append([][]byte{}, s.Reports...), []byte{0x0a, 0x68, 0x01}) // UPS.PowerSummary.Voltage: 360 (0.1 V), the last 0x0a
	for pid, want := range map[uint16]string{0x0501: "24.0", 0x0601: "36.0"} {
		checkPublished(t, subdriver.CyberPower, variant(t, s, 0x0764, pid, reports, nil),
			map[string]string{"battery.voltage": want, "battery.voltage.nominal": "24"})
	}
}

// The scale is decided by the first reading made once the nominal
// voltage is known, and kept.
func TestCyberPowerBatteryScaleKept(t *testing.T) {
	var row *subdriver.Info
	for i, r := range subdriver.CyberPower.Info {
		if r.Var == "battery.voltage" {
			row = &subdriver.CyberPower.Info[i]
		}
	}
	for _, c := range []struct {
		readings []float64
		want     []string
	}{
		{[]float64{0, 36, 27}, []string{"36.0", "24.0", "18.0"}},
		{[]float64{0, 27, 36}, []string{"36.0", "27.0", "36.0"}},
	} {
		d := &testDevice{vars: map[string]string{}, state: subdriver.NewState(subdriver.Device{VendorID: 0x0764, ProductID: 0x0501})}
		got := []string{}
		for i, v := range c.readings {
			if i == 0 {
				v = 36 // before battery.voltage.nominal: not scaled, nothing decided
			} else {
				d.vars["battery.voltage.nominal"] = "24"
			}
			s, _ := row.Value(d, v)
			got = append(got, s)
		}
		if strings.Join(got, " ") != strings.Join(c.want, " ") {
			t.Errorf("readings %v: %q, want %q", c.readings, got, c.want)
		}
	}
}
