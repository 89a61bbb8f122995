package subdriver_test

import (
	"testing"

	"gonut/drivers/hid/subdriver"
)

// The Eaton 5SC 750 with Advanced Battery Monitoring off, and on with its
// charger charging, and on battery: ups.status and battery.charger.status.
func TestMGEBatteryMonitoring(t *testing.T) {
	s := sampleNamed(t, "eaton-5sc-750")
	with := func(reports ...[]byte) [][]byte {
		return append(append([][]byte{}, s.Reports...), reports...)
	}
	for _, c := range []struct {
		name    string
		reports [][]byte
		want    map[string]string
	}{
		{"ABM off", with([]byte{0x29, 0x00}), map[string]string{"ups.status": "OL CHRG", "battery.charger.status": ""}},
		{"charging", with([]byte{0x26, 0x04, 0x01}), map[string]string{"ups.status": "OL CHRG", "battery.charger.status": "charging"}},
		{"on battery", with([]byte{0x26, 0x04, 0x02}, []byte{0x01, 0x00, 0x00, 0x00, 0x01, 0x01}),
			map[string]string{"ups.status": "OB DISCHRG", "battery.charger.status": "discharging"}},
		// not Good: off, and the converter in use does not make it on line
		{"off", with([]byte{0x01, 0x01, 0x00, 0x01, 0x00, 0x00}), map[string]string{"ups.status": "OL OFF"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			checkPublished(t, subdriver.MGE, variant(t, s, s.VendorID, s.ProductID, c.reports, nil), c.want)
		})
	}
}

// Model names, and what the model's family changes: an Evolution 650's
// battery is 12 V whatever it says, a Dell unit is named by its product
// string, and a model without iModel by its nominal power.
func TestMGEModels(t *testing.T) {
	s := sampleNamed(t, "eaton-5sc-750")
	for _, c := range []struct {
		name     string
		vendorID uint16
		strings  []string
		want     map[string]string
	}{
		{"Evolution 650", 0x0463, []string{"1 MGE UPS SYSTEMS", "2 Evolution", "7 650"},
			map[string]string{"ups.model": "Evolution 650", "battery.voltage.nominal": "12"}},
		{"Ellipse", 0x0463, []string{"2 ELLIPSE", "7 650"},
			map[string]string{"ups.model": "ellipse 650", "battery.voltage.nominal": "", "ups.mfr": "string1"}},
		{"5P", 0x0463, []string{"2 Eaton 5P", "7 850"},
			map[string]string{"ups.model": "5P 850", "battery.voltage.nominal": "24"}},
		{"no vendor string", 0x0463, []string{"1", "2 Eaton 5SC", "7"},
			map[string]string{"ups.model": "Eaton 5SC 750", "ups.mfr": "Eaton"}},
		{"Dell", 0x047c, []string{"2 Dell UPS Tower 1000W HV"}, map[string]string{"ups.model": "Dell UPS Tower 1000W HV"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			checkPublished(t, subdriver.MGE, variant(t, s, c.vendorID, 0xffff, nil, c.strings), c.want)
		})
	}
}

// ups.date and ups.time split the UPS's clock in local time, and each
// written back joins the other.
func TestMGEClock(t *testing.T) {
	var date, clock *subdriver.Info
	for i, r := range subdriver.MGE.Info {
		switch r.Var {
		case "ups.date":
			date = &subdriver.MGE.Info[i]
		case "ups.time":
			clock = &subdriver.MGE.Info[i]
		}
	}
	d := &testDevice{vars: map[string]string{}}
	for _, v := range []float64{0, 1700000000, 1700000000.7, 1720000000} {
		ds, ok1 := date.Value(d, v)
		ts, ok2 := clock.Value(d, v)
		if !ok1 || !ok2 || len(ds) != 10 || len(ts) != 8 {
			t.Fatalf("%v: %q %q", v, ds, ts)
		}
		d.vars["ups.date"], d.vars["ups.time"] = ds, ts
		for _, r := range []*subdriver.Info{date, clock} {
			if back, ok := r.Lookup.HID(d, d.vars[r.Var]); !ok || back != float64(int64(v)) {
				t.Errorf("%s %q back: %v %v, want %v", r.Var, d.vars[r.Var], back, ok, int64(v))
			}
		}
	}
	d.vars["ups.time"] = "noon"
	if v, ok := date.Lookup.HID(d, "2024/01/01"); ok {
		t.Errorf("a date with a time that is none: %v, want it refused (NUT sets the clock to 1970)", v)
	}
}

// Without the measured real power, it is computed from the load, the
// nominal power and the power factor. NUT 2.8.0 reads the power factor
// ("0.90") as an integer, 0; it is 0.9 here.
func TestMGEComputedRealPower(t *testing.T) {
	var row *subdriver.Info
	for i, r := range subdriver.MGE.Info {
		if r.Var == "ups.realpower" && r.Lookup != nil {
			row = &subdriver.MGE.Info[i]
		}
	}
	d := &testDevice{vars: map[string]string{"ups.load": "50", "ups.power.nominal": "1000"}}
	for _, c := range []struct{ pf, want string }{{"", "400"}, {"0.90", "450"}} {
		pf, want := c.pf, c.want
		if pf != "" {
			d.vars["output.powerfactor"] = pf
		}
		if got, ok := row.Value(d, 1000); !ok || got != want {
			t.Errorf("power factor %q: %q %v, want %q", pf, got, ok, want)
		}
	}
	delete(d.vars, "ups.load")
	if got, ok := row.Value(d, 1000); ok {
		t.Errorf("without ups.load: %q", got)
	}
}
