package qx

import "fmt"

// Ablerex (NUT's nutdrv_qx_ablerex.c): the Megatec family's Q1, F and I,
// and three requests of its own answered in bytes: Q5 (output frequency
// and current, an error code, the battery's voltage and cut-off in
// hundredths of 12 V), At (the runtime, four bytes) and TR (the test
// result). The battery voltage and charge are worked out from the
// nominal voltage, F is read at every poll, and the status line's bits
// 40 to 42 and 41 say bypass, replace battery and off as NUT's own
// status_set does: before OL or OB.
func ablerexTable() []item {
	st := statusRows("Q1\r", "input.frequency")
	st[5].value = ablerexBatteryVoltage
	charge := st[5]
	charge.name, charge.value = "battery.charge", ablerexBatteryCharge
	t := append(append([]item{}, st[:6]...), charge, st[6], st[7], st[8])
	bits := st[9]
	bits.to, bits.value = 42, ablerexStatusBits
	failed := st[9]
	failed.from, failed.to, failed.value = 41, 41, ablerexStatusBits
	t = append(t, bits, failed)
	t = append(t, st[10:]...)
	f := func(name string, from, to int, v func(*Driver, *item, string) (string, error)) item {
		return item{name: name, cmd: "F\r", minLen: 22, lead: '#', from: from, to: to, dfl: "%.1f", flags: fQuickPoll, value: v}
	}
	t = append(t,
		f("output.voltage.nominal", 1, 5, nil), f("output.current.nominal", 7, 9, nil),
		f("battery.voltage.nominal", 11, 15, nil), f("output.frequency.nominal", 17, 20, nil),
		f("battery.voltage.low", 1, 2, ablerexBatteryLimit), f("battery.voltage.high", 2, 3, ablerexBatteryLimit),
		item{name: "output.frequency", cmd: "Q5\r", minLen: 22, lead: '(', from: 1, to: 18, flags: fWhole, value: ablerexQ5},
		item{name: "battery.runtime", cmd: "At\r", lead: '(', flags: fWhole, value: ablerexRuntime},
		item{name: "ups.test.result", cmd: "TR\r", lead: '#', flags: fWhole, value: ablerexTestResult},
	)
	v := func(name string, from, to int) item {
		return item{name: name, cmd: "I\r", minLen: 39, lead: '#', from: from, to: to, dfl: "%s", flags: fStatic | fTrim}
	}
	t = append(t, v("device.mfr", 1, 15), v("device.model", 17, 26), v("ups.firmware", 28, 37))
	cmds := commandRows(item{}, "beeper.toggle", "load.off", "load.on", "shutdown.return", "shutdown.stayoff", "shutdown.stop",
		"test.battery.start", "test.battery.start.deep", "test.battery.start.quick", "test.battery.stop")
	cmds[1].cmd = "S.2\r" // load.off
	t = append(t, cmds...)
	return append(t, delayRows([2]int{0, 599940}, [2]int{12, 600})...)
}

// byteAt is an answer's byte as C reads its buffer: 0 past the end.
func byteAt(s string, i int) int {
	if i < len(s) {
		return int(s[i])
	}
	return 0
}

func word(s string, i int) int { return byteAt(s, i)*256 + byteAt(s, i+1) }

// ablerexQ5 reads Q5's bytes: it sets output.current and ups.alarm (the
// error code) as well, and keeps the battery's voltages.
func ablerexQ5(d *Driver, _ *item, ans string) (string, error) {
	fout := word(ans, 1)
	d.proto.q5Vb, d.proto.q5Vbc = word(ans, 7), word(ans, 9)
	d.dev.Tree.Set("output.frequency", fmt.Sprintf("%.1f", 0.1*float64(fout)))
	d.dev.Tree.Set("ups.alarm", fmt.Sprint(word(ans, 13)))
	d.dev.Tree.Set("output.current", fmt.Sprintf("%.1f", 0.1*float64(word(ans, 15))))
	return fmt.Sprintf("%.1f", float64(fout)*0.1), nil
}

// ablerexBatteryVoltage: Q5's voltage in hundredths of 12 V when there is
// one, else Q1's: a battery's voltage, or a cell's under 3 V.
func ablerexBatteryVoltage(d *Driver, _ *item, raw string) (string, error) {
	v := strtod(raw)
	nominal, ok := d.dev.Tree.Get("battery.voltage.nominal")
	if !ok {
		return fmt.Sprintf("%.2f", v), nil
	}
	nom := strtod(nominal)
	switch {
	case d.proto.q5Vb > 0:
		v = float64(d.proto.q5Vb) * nom / 1200
	case v <= 3.0:
		v = v * 6 * nom / 12
	}
	return fmt.Sprintf("%.2f", v), nil
}

// Ablerex's charge by voltage: a cell's on line (under 3 V), a 12 V
// battery's on battery.
var (
	ablerexOnlineV  = []float64{2.22, 2.21, 2.20, 2.19, 2.18, 2.17, 2.16, 2.15, 2.14, 2.13, 2.12, 2.11, 2.10, 2.09, 2.08, 2.07, 2.06, 2.05, 2.04, 2.03, 2.02, 2.01, 2.00, 1.99, 1.98, 1.97, 1.96, 1.95, 1.94, 1.93, 1.92, 1.91, 1.90, 1.89, 1.88, 1.87, 1.86, 1.85, 1.84, 1.83, 1.82, 1.81, 1.80, 1.79, 1.78, 1.77, 1.76, 1.75, 1.74, 1.73, 1.72, 1.71, 1.70, 1.69, 1.68, 1.67}
	ablerexOnlineC  = []int{100, 90, 88, 87, 85, 83, 82, 80, 78, 77, 75, 73, 72, 70, 68, 65, 65, 62, 62, 58, 58, 55, 55, 53, 52, 50, 48, 47, 45, 43, 42, 40, 38, 37, 35, 33, 32, 30, 28, 27, 25, 23, 22, 20, 18, 17, 15, 13, 12, 10, 8, 7, 5, 3, 2, 0, -1}
	ablerexOfflineV = []float64{13.5, 13.3, 13.2, 13.1, 13, 12.9, 12.8, 12.7, 12.6, 12.5, 12.4, 12.3, 12.2, 12.1, 12, 11.9, 11.8, 11.7, 11.6, 11.5, 11.4, 11.3, 11.2, 11.1, 11, 10.9, 10.8, 10.7, 10.6, 10.5, 10.4, 10.3, 10.2, 10.1, 10}
	ablerexOfflineC = []int{100, 90, 88, 86, 83, 80, 77, 74, 72, 69, 66, 63, 61, 58, 55, 52, 49, 47, 44, 41, 38, 36, 33, 30, 27, 24, 22, 19, 16, 13, 11, 8, 5, 2, 0, -1}
)

func ablerexCharge(v float64) int {
	volts, charges := ablerexOfflineV, ablerexOfflineC
	if v < 3.0 {
		volts, charges = ablerexOnlineV, ablerexOnlineC
	}
	for i := 0; charges[i] > 0; i++ {
		if v >= volts[i] {
			return charges[i]
		}
	}
	return 0
}

// ablerexBatteryCharge: 100 until the nominal voltage is known, then by
// the table, of a 12 V battery's voltage.
func ablerexBatteryCharge(d *Driver, _ *item, raw string) (string, error) {
	v := strtod(raw)
	nominal, ok := d.dev.Tree.Get("battery.voltage.nominal")
	if !ok {
		return "100", nil
	}
	if v > 3.0 {
		v = v / (strtod(nominal) / 12)
	}
	return fmt.Sprint(ablerexCharge(v)), nil
}

// ablerexBatteryLimit: the low voltage from Q5's cut-off (9.6 V a 12 V
// battery without it), the high one 13.65 V a 12 V battery.
func ablerexBatteryLimit(d *Driver, it *item, _ string) (string, error) {
	nom := strtod(d.get("battery.voltage.nominal"))
	if it.from == 2 {
		return fmt.Sprintf("%.2f", 1365*nom/1200), nil
	}
	if d.proto.q5Vbc > 0 {
		return fmt.Sprintf("%.2f", float64(d.proto.q5Vbc)*nom/1200), nil
	}
	return fmt.Sprintf("%.2f", 960*nom/1200), nil
}

// ablerexRuntime: At's four bytes, big-endian, in seconds.
func ablerexRuntime(_ *Driver, _ *item, ans string) (string, error) {
	n := int32(uint32(byteAt(ans, 1))<<24 | uint32(byteAt(ans, 2))<<16 | uint32(byteAt(ans, 3))<<8 | uint32(byteAt(ans, 4)))
	return fmt.Sprint(n), nil
}

// ablerexTestResult: TR's four characters.
func ablerexTestResult(_ *Driver, _ *item, ans string) (string, error) {
	if len(ans) > 5 {
		ans = ans[:5]
	}
	return cString(ans[1:]), nil
}

// ablerexStatusBits: bits 40 to 42 (bypass, boost or buck, read by the
// UPS's type at 42), and 41 (the battery needs replacing; the output is
// off when its voltage is under 50 V), set as they are.
func ablerexStatusBits(d *Driver, it *item, raw string) (string, error) {
	at := func(i int) byte {
		if i < len(raw) {
			return raw[i]
		}
		return 0
	}
	switch it.from {
	case 40:
		if at(0) != '1' {
			break
		}
		if at(2) != '1' {
			d.raw = append(d.raw, "BYPASS")
			break
		}
		vi, vo := d.number("input.voltage"), d.number("output.voltage")
		switch {
		case vo < 0.5*vi:
			return "", &errAnswer{it.name, "output voltage too low"}
		case vo < 0.95*vi:
			d.raw = append(d.raw, "TRIM")
		case vo < 1.05*vi:
			d.raw = append(d.raw, "BYPASS")
		case vo < 1.5*vi:
			d.raw = append(d.raw, "BOOST")
		default:
			return "", &errAnswer{it.name, "output voltage too high"}
		}
	case 41:
		if at(0) == '1' {
			d.raw = append(d.raw, "RB")
		}
		if d.number("output.voltage") < 50 {
			d.raw = append(d.raw, "OFF")
		}
	}
	return "", nil
}
