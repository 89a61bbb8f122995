package subdriver_test

import (
	"testing"

	"gonut/drivers/hid/subdriver"
)

// Liebert's units whose exponents are off read 1e-7 for a voltage: the
// first such reading sets the multipliers for the readings after it, the
// nominal battery voltage's (1e8) and the line voltages' (1e7).
func TestLiebertVoltageMultipliers(t *testing.T) {
	rows := map[string]*subdriver.Info{}
	for i, r := range subdriver.Belkin.Info {
		if r.Lookup != nil && rows[r.Lookup.Name] == nil {
			rows[r.Lookup.Name] = &subdriver.Belkin.Info[i]
		}
	}
	line, config := rows["liebert_line_voltage_info"], rows["liebert_config_voltage_info"]
	d := &testDevice{state: subdriver.NewState(subdriver.Device{VendorID: 0x10af, ProductID: 0x0001})}
	for _, c := range []struct {
		row  *subdriver.Info
		v    float64
		want string
	}{
		{line, 120, "120.0"},
		{line, 1.2e-5, "0.0"},
		{line, 1e-7, "1.0"},
		{line, 1.2e-5, "120.0"},
		{config, 2.4e-7, "0.0"},
		{config, 1e-7, "10.0"},
		{config, 2.4e-7, "24.0"},
		{line, 1.2e-5, "120.0"},
	} {
		if got, _ := c.row.Value(d, c.v); got != c.want {
			t.Errorf("%s(%g) = %q, want %q", c.row.Lookup.Name, c.v, got, c.want)
		}
	}
}

// Belkin names a device by its strings, without the vendor's leading
// spaces, "Belkin" and "unknown" for those it has not, and the serial
// number UPS.PowerSummary.iSerialNumber points to when it has no USB one.
func TestBelkinLabels(t *testing.T) {
	s := synthSample(t, subdriver.Belkin)
	for _, c := range []struct {
		strings []string
		want    map[string]string
	}{
		{[]string{"1   Belkin Corp", "2 F6C1500-TW-RK", "3 BLK0001"},
			map[string]string{"ups.mfr": "Belkin Corp", "ups.model": "F6C1500-TW-RK", "ups.serial": "BLK0001"}},
		{[]string{"1", "2", "3", "4 SN4"}, map[string]string{"ups.mfr": "Belkin", "ups.model": "unknown", "ups.serial": "SN4"}},
		{[]string{"1    ", "3", "4"}, map[string]string{"ups.mfr": "Belkin", "ups.serial": ""}},
	} {
		checkPublished(t, subdriver.Belkin, variant(t, s, s.VendorID, s.ProductID, nil, c.strings), c.want)
	}
}
