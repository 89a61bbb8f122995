package subdriver_test

import (
	"testing"

	"gonut/drivers/hid/subdriver"
)

// openUPS's temperature is its thermistor's reading, hundredths of a
// unit, looked up and interpolated in the thermistor table, -40 to 125 °C
// in steps of 5.
func TestOpenUPSTemperature(t *testing.T) {
	var row *subdriver.Info
	for i, r := range subdriver.OpenUPS.Info {
		if r.Var == "battery.temperature" {
			row = &subdriver.OpenUPS.Info[i]
		}
	}
	for v, want := range map[float64]string{0: "-40", 0.49: "-40", 0.64: "-35", 0.56: "-37.67", 5.12: "25",
		5.2: "25.85", 9.72: "125", 100: "125", -3: "-40"} {
		if got, ok := row.Value(nil, v); !ok || got != want {
			t.Errorf("%g: %q %v, want %q", v, got, ok, want)
		}
	}
}
