package qx

import (
	"fmt"
	"slices"
	"strings"
)

// Voltronic (NUT's nutdrv_qx_voltronic.c): Voltronic Power's QPI
// protocol (P00 to P99): the protocol (QPI), ratings (QRI, QMD, F),
// maker, firmware and serial (QMF, QVFW, QID, I), the status line (QGS),
// the working mode (QMOD), the warnings (QWS), the battery (QBV, RE0),
// the load's range (QLDL), multi-phase values (Q3**), the capabilities
// (QFLAG) and what they bring (the beeper's control, programmable
// outlets, ECO mode's limits), the bypass limits (QBYV, QBYF), P31's
// battery type and working range, the phase angles (QPD), the parallel
// role (QPAR), QBDR with testing; their settings, the commands and the
// delays. QFS is never asked, as in NUT 2.8.0 (it is asked when QGS's
// fault bit is the number 1, where the answer has the character '1').
func voltronicTable() []item {
	q := func(cmd string, minLen int, name string, from, to int, dfl string, fl flags) item {
		return item{name: name, cmd: cmd, minLen: minLen, lead: '(', from: from, to: to, dfl: dfl, flags: fl}
	}
	withValue := func(it item, v func(*Driver, *item, string) (string, error)) item {
		it.value = v
		return it
	}
	gs := func(name string, from, to int, dfl string, fl flags) item {
		return q("QGS\r", 76, name, from, to, dfl, fl)
	}
	bit := func(name string, at int, fl flags) item {
		return withValue(gs(name, at, at, "%s", fl), voltronicStatus)
	}
	f := func(name string, from, to int) item {
		return item{name: name, cmd: "F\r", minLen: 22, lead: '#', from: from, to: to, dfl: "%.1f", flags: fStatic}
	}
	i := func(name string, from, to int) item {
		return item{name: name, cmd: "I\r", minLen: 39, lead: '#', from: from, to: to, dfl: "%s", flags: fStatic | fTrim}
	}
	batLow := voltronicBatteryLowRanges
	t := []item{
		withValue(q("QPI\r", 6, "ups.firmware.aux", 1, 4, "%s", fStatic), voltronicProtocol),
		q("QRI\r", 22, "output.voltage.nominal", 1, 5, "%.1f", fStatic),
		q("QRI\r", 22, "output.current.nominal", 7, 9, "%.0f", fStatic),
		q("QRI\r", 22, "battery.voltage.nominal", 11, 15, "%.1f", fSemiStatic),
		q("QRI\r", 22, "output.frequency.nominal", 17, 20, "%.1f", fStatic),
		q("QMD\r", 48, "device.model", 1, 15, "%s", fStatic|fTrim),
		q("QMD\r", 48, "ups.power.nominal", 17, 23, "%s", fStatic|fTrim),
		withValue(q("QMD\r", 48, "output.powerfactor", 25, 26, "%.1f", fStatic), voltronicPowerFactor),
		q("QMD\r", 48, "input.phases", 28, 28, "%.0f", fStatic),
		q("QMD\r", 48, "output.phases", 30, 30, "%.0f", fStatic),
		q("QMD\r", 48, "input.voltage.nominal", 32, 34, "%.1f", fStatic),
		q("QMD\r", 48, "output.voltage.nominal", 36, 38, "%.1f", fStatic),
		f("input.voltage.nominal", 1, 5), f("input.current.nominal", 7, 9), f("battery.voltage.nominal", 11, 15),
		f("input.frequency.nominal", 17, 20),
		q("QMF\r", 2, "device.mfr", 1, 0, "%s", fStatic|fTrim),
		q("QVFW\r", 16, "ups.firmware", 7, 14, "%s", fStatic),
		withValue(q("QID\r", 2, "device.serial", 1, 0, "%s", fStatic), voltronicSerial),
		i("device.mfr", 1, 15), i("device.model", 17, 26), i("ups.firmware", 28, 37),
		gs("input.voltage", 1, 5, "%.1f", 0),
		gs("input.frequency", 7, 10, "%.1f", 0),
		gs("output.voltage", 12, 16, "%.1f", 0),
		gs("output.frequency", 18, 21, "%.1f", 0),
		gs("output.current", 23, 27, "%.1f", 0),
		gs("ups.load", 29, 31, "%.0f", 0),
		gs("battery.voltage", 45, 49, "%.2f", 0),
		gs("ups.temperature", 57, 61, "%.1f", 0),
		withValue(gs("ups.type", 63, 64, "%s", fSemiStatic), voltronicStatus),
		bit("ups.status", 65, fQuickPoll), // utility fail
		bit("ups.status", 66, fQuickPoll), // battery low
		bit("ups.status", 67, fQuickPoll), // bypass, boost or buck
		bit("ups.alarm", 67, 0),
		bit("ups.alarm", 68, 0),           // UPS fault
		bit("ups.status", 70, fQuickPoll), // test in progress
		bit("ups.status", 71, fQuickPoll), // shutdown active
		bit("ups.beeper.status", 72, 0),
		withValue(q("QMOD\r", 3, "ups.alarm", 1, 1, "%s", 0), voltronicMode),
		withValue(q("QMOD\r", 3, "ups.status", 1, 1, "%s", 0), voltronicMode),
		withValue(q("QWS\r", 66, "ups.alarm", 1, 64, "%s", 0), voltronicWarning),
		q("QBV\r", 21, "battery.voltage", 1, 5, "%.2f", 0),
		withValue(item{name: "battery_number", rw: true, ranges: [][2]int{{1, 9}}, cmd: "QBV\r", minLen: 21, lead: '(', from: 7, to: 9,
			dfl: "%d", flags: fSemiStatic | fRange | fNoNut}, voltronicBatteryNumber),
		{name: "battery.packs", rw: true, ranges: [][2]int{{1, 99}}, cmd: "QBV\r", minLen: 21, lead: '(', from: 10, to: 11,
			dfl: "%.0f", flags: fSemiStatic | fRange},
		q("QBV\r", 21, "battery.charge", 13, 15, "%.0f", 0),
		withValue(q("QBV\r", 21, "battery.runtime", 17, 19, "%.0f", 0), bestupsRuntime), // minutes, as seconds
		q("QLDL\r", 9, "output.power.minimum.percent", 1, 3, "%.0f", 0),
		q("QLDL\r", 9, "output.power.maximum.percent", 5, 7, "%.0f", 0),
	}
	t = append(t, voltronicPhases()...)
	t = append(t, voltronicCapabilities()...)
	t = append(t, voltronicOutlets()...)
	t = append(t, voltronicECO()...)
	t = append(t, voltronicBypassLimits()...)
	t = append(t, []item{
		{name: "battery_number", ranges: [][2]int{{1, 9}}, cmd: "BATN%1.0f\r", minLen: 5, lead: '(', from: 1, to: 3,
			flags: fSetVar | fRange | fNoNut, command: voltronicSetVar},
		{name: "battery.packs", ranges: [][2]int{{1, 99}}, cmd: "BATGN%02.0f\r", minLen: 5, lead: '(', from: 1, to: 3,
			flags: fSetVar | fRange, command: voltronicSetVar},
		{name: "battery.type", rw: true, enum: voltronicBatteryTypes, cmd: "QBT\r", minLen: 4, lead: '(', from: 1, to: 2, dfl: "%s",
			flags: fSemiStatic | fEnum | fSkip, value: voltronicP31},
		{name: "battery.type", enum: voltronicBatteryTypes, cmd: "PBT%02.0f\r", minLen: 5, lead: '(', from: 1, to: 3,
			flags: fSetVar | fEnum | fSkip, command: voltronicP31Set},
		{name: "work_range_type", rw: true, enum: voltronicWorkRanges, cmd: "QGR\r", minLen: 4, lead: '(', from: 1, to: 2, dfl: "%s",
			flags: fSemiStatic | fEnum | fNoNut | fSkip, value: voltronicP31},
		{name: "work_range_type", enum: voltronicWorkRanges, cmd: "PGR%02.0f\r", minLen: 5, lead: '(', from: 1, to: 3,
			flags: fSetVar | fEnum | fNoNut | fSkip, command: voltronicP31Set},
		{name: "battery.voltage.low", rw: true, rangeOf: batLow, cmd: "RE0\r", minLen: 3, lead: '#', from: 1, to: 2,
			dfl: "%.1f", flags: fSemiStatic | fRange},
		{name: "battery.voltage.low", rangeOf: batLow, cmd: "W0E%02.0f\r", minLen: 5, lead: '(', from: 1, to: 3,
			flags: fSetVar | fRange, command: voltronicSetVar},
		withValue(q("QPD\r", 9, "input_phase_angle", 1, 3, "%03d", fSemiStatic|fNoNut), voltronicPhase),
		{name: "output_phase_angle", enum: voltronicAngles, cmd: "QPD\r", minLen: 9, lead: '(', from: 5, to: 7, dfl: "%03d",
			flags: fSemiStatic | fEnum | fNoNut, value: voltronicPhase},
		{name: "output_phase_angle", enum: voltronicAngles, cmd: "PPD%03.0f\r", minLen: 5, lead: '(', from: 1, to: 3,
			flags: fSetVar | fEnum | fNoNut | fSkip, command: voltronicPhaseSet},
		withValue(q("QPAR\r", 5, "voltronic_parallel", 1, 3, "%s", fStatic|fNoNut), voltronicParallel),
		q("QBDR\r", 5, "unknown.7", 1, 0, "%s", fStatic|fNoNut|fSkip),
	}...)
	cmd := func(name, req string, build func(*Driver, *item, string) (string, error)) item {
		return item{name: name, cmd: req, minLen: 5, lead: '(', from: 1, to: 3, flags: fCmd, command: build}
	}
	t = append(t,
		cmd("load.off", "SOFF\r", nil), cmd("load.on", "SON\r", nil),
		cmd("shutdown.return", "S%s\r", voltronicShutdownReturn), cmd("shutdown.stayoff", "S%sR0000\r", voltronicShutdownStayoff),
		cmd("shutdown.stop", "CS\r", nil),
		cmd("test.battery.start", "T%s\r", voltronicTestBattery), cmd("test.battery.start.deep", "TL\r", nil),
		cmd("test.battery.start.quick", "T\r", nil), cmd("test.battery.stop", "CT\r", nil),
		cmd("beeper.toggle", "BZ%s\r", voltronicBeeper),
		// with the capability to turn the alarm on and off
		cmd("beeper.enable", "PEA\r", nil), cmd("beeper.disable", "PDA\r", nil),
	)
	t[len(t)-1].flags |= fSkip
	t[len(t)-2].flags |= fSkip
	for n := 1; n <= 4; n++ { // programmable outlets
		off, on := cmd(fmt.Sprintf("outlet.%d.load.off", n), fmt.Sprintf("SKOFF%d\r", n), nil), cmd(fmt.Sprintf("outlet.%d.load.on", n), fmt.Sprintf("SKON%d\r", n), nil)
		off.flags |= fSkip
		on.flags |= fSkip
		t = append(t, off, on)
	}
	start, stop := cmd("bypass.start", "PEE\r", nil), cmd("bypass.stop", "PDE\r", nil) // ECO mode, when the UPS has it
	start.flags |= fSkip
	stop.flags |= fSkip
	t = append(t, start, stop)
	d := delayRows([2]int{0, 599940}, [2]int{12, 5940})
	for i := range d {
		d[i].command = voltronicDelay
	}
	return append(t, d...)
}

// voltronicProtocol: PI and one of the protocols NUT knows, shown as Pnn.
func voltronicProtocol(d *Driver, it *item, raw string) (string, error) {
	if len(raw) < 2 || !strings.EqualFold(raw[:2], "PI") {
		return "", &errAnswer{it.name, fmt.Sprintf("protocol %q does not start with PI", raw)}
	}
	if strings.Trim(raw[2:], "0123489") != "" {
		return "", &errAnswer{it.name, fmt.Sprintf("Protocol [%s] is not supported by this driver", raw)}
	}
	p := atol(raw[2:])
	switch p {
	case 0, 1, 2, 3, 8, 9, 10, 13, 14, 31, 99:
	default:
		return "", &errAnswer{it.name, fmt.Sprintf("Protocol [PI%02d] is not supported by this driver", p)}
	}
	for i := range d.items {
		if it := &d.items[i]; voltronicUnskip(d, it, p) {
			it.flags &^= fSkip
		}
	}
	return fmt.Sprintf("P%02d", p), nil
}

func (d *Driver) voltronicProtocolNumber() int {
	v := d.get("ups.firmware.aux")
	if v == "" {
		return 0
	}
	return atol(v[1:])
}

// voltronicPhases are the multi-phase values (Q3PV, Q3PC, Q3OV, Q3OC,
// Q3LD, Q3YV), asked of the protocols that have them (voltronicUnskip).
func voltronicPhases() []item {
	var t []item
	add := func(cmd string, minLen int, names ...string) {
		for i, n := range names {
			w := 5 // ddd.d
			if minLen == 13 {
				w = 3 // ddd
			}
			dfl := "%.1f"
			if w == 3 {
				dfl = "%.0f"
			}
			from := 1 + i*(w+1)
			t = append(t, item{name: n, cmd: cmd, minLen: minLen, lead: '(', from: from, to: from + w - 1, dfl: dfl, flags: fSkip})
		}
	}
	add("Q3PV\r", 37, "input.L1-N.voltage", "input.L2-N.voltage", "input.L3-N.voltage", "input.L1-L2.voltage", "input.L2-L3.voltage",
		"input.L1-L3.voltage")
	add("Q3PC\r", 13, "input.L1.current", "input.L2.current", "input.L3.current")
	add("Q3OV\r", 37, "output.L1-N.voltage", "output.L2-N.voltage", "output.L3-N.voltage", "output.L1-L2.voltage",
		"output.L2-L3.voltage", "output.L1-L3.voltage")
	add("Q3OC\r", 13, "output.L1.current", "output.L2.current", "output.L3.current")
	add("Q3LD\r", 13, "output.L1.power.percent", "output.L2.power.percent", "output.L3.power.percent")
	add("Q3YV\r", 37, "output.bypass.L1-N.voltage", "output.bypass.L2-N.voltage", "output.bypass.L3-N.voltage")
	add("Q3YV\r", 19, "output.bypass.L1-N.voltage", "output.bypass.L2-N.voltage") // P09: two phases
	n := len(t)
	add("Q3YV\r", 37, "", "", "", "output.bypass.L1-L2.voltage", "output.bypass.L2-L3.voltage", "output.bypass.L1-L3.voltage")
	return append(t[:n], t[n+3:]...)
}

// voltronicUnskip is what a protocol has of what is skipped (NUT's
// voltronic_massive_unskip): the phases of P03 (three in, one out), P09
// (two and two) and P10 (three and three), P31's battery type and
// working range, reset_to_default and QBDR when ups.conf says so.
func voltronicUnskip(d *Driver, it *item, p int) bool {
	n := it.name
	in := func(names ...string) bool {
		for _, x := range names {
			if n == x {
				return true
			}
		}
		return false
	}
	set := it.flags&fSetVar != 0
	switch {
	case p == 9 && it.minLen == 19 && in("output.bypass.L1-N.voltage", "output.bypass.L2-N.voltage"):
	case p == 10 && (in("output.L3-N.voltage", "output.bypass.L1-L2.voltage", "output.bypass.L2-L3.voltage",
		"output.bypass.L1-L3.voltage", "output.L3.current", "output.L3.power.percent") ||
		n == "output.L2-L3.voltage" && it.from == 25 || n == "output.L1-L3.voltage" && it.from == 31 ||
		it.minLen == 37 && in("output.bypass.L1-N.voltage", "output.bypass.L2-N.voltage", "output.bypass.L3-N.voltage")):
	case (p == 9 || p == 10) && in("output.L1-N.voltage", "output.L2-N.voltage", "output.L1-L2.voltage", "output.L1.current",
		"output.L2.current", "output.L1.power.percent", "output.L2.power.percent"):
	case (p == 3 || p == 9 || p == 10) && in("input.L1-N.voltage", "input.L2-N.voltage", "input.L1-L2.voltage", "input.L1.current",
		"input.L2.current"):
	case (p == 3 || p == 10) && (in("input.L3-N.voltage", "input.L3.current") || n == "input.L2-L3.voltage" && it.from == 25 ||
		n == "input.L1-L3.voltage" && it.from == 31):
	case p == 31 && (n == "battery.type" || n == "work_range_type" && !set):
	case p == 31 && n == "work_range_type" && set:
		_, ok := d.dev.Value(n)
		return ok
	case p != 0 && p != 8 && p != 31 && !set && in("max_bypass_volt", "min_bypass_volt", "max_bypass_freq", "min_bypass_freq"):
	case n == "reset_to_default":
		return d.dev.Flag(n)
	case n == "unknown.7":
		return d.dev.Flag("testing")
	default:
		return false
	}
	return true
}

// The lists P31's settings and the output's phase angle take.
var (
	voltronicBatteryTypes = []string{"Li", "Flooded", "AGM"}
	voltronicWorkRanges   = []string{"Appliance", "UPS"}
	voltronicAngles       = []string{"000", "120", "180", "240"}
)

// voltronicP31 reads P31's battery type or working range: "0" and an
// index in the item's list.
func voltronicP31(d *Driver, it *item, raw string) (string, error) {
	digits := "012"
	if it.name == "work_range_type" {
		digits = "01"
	}
	if len(raw) < 2 || raw[0] != '0' || strings.IndexByte(digits, raw[1]) < 0 {
		return "", &errAnswer{it.name, fmt.Sprintf("%q", raw)}
	}
	i := atol(raw)
	if it.name == "work_range_type" {
		d.proto.workRange = i
	}
	return it.enum[i], nil
}

// voltronicP31Set sends the value's index; the working range is not set
// again to what the UPS has.
func voltronicP31Set(d *Driver, it *item, value string) (string, error) {
	i := slices.IndexFunc(it.enum, func(v string) bool { return strings.EqualFold(v, value) })
	if i < 0 {
		return "", fmt.Errorf("%s: value [%s] out of range", it.name, value)
	}
	if it.name == "work_range_type" && i == d.proto.workRange {
		d.dev.Log.Info(fmt.Sprintf("%s is already set to %s", it.name, it.enum[i]))
		return "", fmt.Errorf("%s is already %s", it.name, it.enum[i])
	}
	return fmt.Sprintf(it.cmd, float64(i)), nil
}

// voltronicPhase reads an angle; ups.conf's output_phase_angle then sets
// the output's.
func voltronicPhase(d *Driver, it *item, raw string) (string, error) {
	if !numeric(raw) {
		return "", &errAnswer{it.name, fmt.Sprintf("%q is not a number", raw)}
	}
	a := atol(raw)
	if it.name == "output_phase_angle" {
		d.proto.outputAngle = a
		if _, ok := d.dev.Value(it.name); ok {
			d.unskipSetVar(it.name)
		}
	}
	return fmt.Sprintf("%03d", a), nil
}

// voltronicPhaseSet sends, as NUT 2.8.0 does, the angle's index in the
// list (000, 120, 180, 240), not the angle: PPD002 for 180.
func voltronicPhaseSet(d *Driver, it *item, value string) (string, error) {
	i := slices.IndexFunc(it.enum, func(v string) bool { return strings.EqualFold(v, value) })
	if i < 0 {
		return "", fmt.Errorf("%s: value [%s] out of range", it.name, value)
	}
	if atol(it.enum[i]) == d.proto.outputAngle {
		d.dev.Log.Info(fmt.Sprintf("%s is already set to %s", it.name, it.enum[i]))
		return "", fmt.Errorf("%s is already %s", it.name, it.enum[i])
	}
	return fmt.Sprintf(it.cmd, float64(i)), nil
}

// voltronicStatus reads QGS's bits (from 63 on).
func voltronicStatus(d *Driver, it *item, raw string) (string, error) {
	if strings.Trim(raw, "01") != "" {
		return "", &errAnswer{it.name, fmt.Sprintf("status bits %q", raw)}
	}
	on := raw != "" && raw[0] == '1'
	pick := func(yes, no string) string {
		if on {
			return yes
		}
		return no
	}
	switch it.from {
	case 63:
		switch atol(raw) {
		case 0:
			return "offline", nil
		case 1:
			return "line-interactive", nil
		case 10:
			return "online", nil
		}
		return "", &errAnswer{it.name, fmt.Sprintf("UPS type %q", raw)}
	case 65:
		return pick("!OL", "OL"), nil
	case 66:
		return pick("LB", "!LB"), nil
	case 67:
		if !on {
			return "", nil
		}
		vi, vo := d.number("input.voltage"), d.number("output.voltage")
		switch {
		case vo < 0.5*vi:
			return "", &errAnswer{it.name, "output voltage too low"}
		case vo < 0.95*vi:
			return "TRIM", nil
		case vo < 1.05*vi:
			p := d.voltronicProtocolNumber()
			alarm := p == 0 || p == 8
			switch {
			case alarm && it.name == "ups.alarm":
				return "UPS is in AVR Mode.", nil
			case !alarm && it.name == "ups.status":
				return "BYPASS", nil
			}
			return "", nil
		case vo < 1.5*vi:
			return "BOOST", nil
		}
		return "", &errAnswer{it.name, "output voltage too high"}
	case 68:
		return "", nil // NUT 2.8.0 compares the bit with the number 1: never
	case 70:
		return pick("CAL", "!CAL"), nil
	case 71:
		return pick("FSD", "!FSD"), nil
	case 72:
		if d.proto.caps["alarm_control"] == "" { // the alarm is always on
			return pick("disabled", "enabled"), nil
		}
		if b, ok := d.dev.Tree.Get("ups.beeper.status"); ok && strings.EqualFold(b, "disabled") {
			return "", nil // disabled stays so (NUT refuses the empty value)
		}
		return pick("muted", "enabled"), nil
	}
	return "", &errAnswer{it.name, fmt.Sprintf("no status bit at %d", it.from)}
}

// voltronicMode reads QMOD's letter: a status, an alarm, or both.
func voltronicMode(_ *Driver, it *item, raw string) (string, error) {
	var status, alarm string
	switch firstByte(raw) {
	case "P":
		alarm = "UPS is going ON"
	case "S":
		status = "OFF"
	case "Y":
		status = "BYPASS"
	case "L":
		status = "OL"
	case "B":
		status = "!OL"
	case "T":
		status = "CAL"
	case "F":
		alarm = "Fault reported by UPS."
	case "E":
		alarm = "UPS is in ECO Mode."
	case "C":
		alarm = "UPS is in Converter Mode."
	case "D":
		alarm, status = "UPS is shutting down!", "FSD"
	default:
		return "", &errAnswer{it.name, fmt.Sprintf("working mode %q", raw)}
	}
	if it.name == "ups.alarm" {
		return alarm, nil
	}
	return status, nil
}

// voltronicWarning reads QWS's 64 bits: one alarm of every warning (a
// shorter one of bit numbers when they are too long for a variable);
// low battery, overload and replace battery set their status too.
func voltronicWarning(d *Driver, it *item, raw string) (string, error) {
	if strings.Trim(raw, "01") != "" {
		return "", &errAnswer{it.name, fmt.Sprintf("warning bits %q", raw)}
	}
	if strings.Trim(raw, "0") == "" {
		return "", nil
	}
	var known, unknown []string
	var bits []string
	for i := range len(raw) {
		if raw[i] != '1' {
			continue
		}
		w, ok := voltronicWarnings[i]
		if !ok {
			d.dev.Log.Info(fmt.Sprintf("Warning from UPS: Unknown warning from UPS [bit: #%02d]", i+1))
			unknown = append(unknown, fmt.Sprintf("#%02d", i+1))
			continue
		}
		if w.status != "" {
			d.updateStatus(w.status)
		}
		d.dev.Log.Info("Warning from UPS: " + w.text)
		known = append(known, w.text)
		bits = append(bits, fmt.Sprintf("#%02d", i+1))
	}
	var warns, cryptic string
	switch {
	case len(known) > 0:
		warns = strings.Join(known, " ")
		cryptic = "Known (see log or manual) [bit: " + strings.Join(bits, ", ")
		if len(unknown) > 0 {
			warns += " Unknown warnings [bit: " + strings.Join(unknown, ", ") + "]"
			cryptic += "]; Unknown warnings [bit: " + strings.Join(unknown, ", ") + "]"
		} else {
			cryptic += "]"
		}
	default:
		warns = "Unknown warnings [bit: " + strings.Join(unknown, ", ") + "]"
	}
	if len(warns) < 256-32 {
		return "UPS warnings: " + warns, nil
	}
	return "UPS warnings: " + cryptic, nil
}

func voltronicPowerFactor(_ *Driver, it *item, raw string) (string, error) {
	if !numeric(raw) {
		return "", &errAnswer{it.name, fmt.Sprintf("%q is not a number", raw)}
	}
	return fmt.Sprintf(it.dfl, strtod(raw)*0.01), nil
}

// voltronicSerial: a serial of zeros is none.
func voltronicSerial(d *Driver, it *item, raw string) (string, error) {
	if strings.Trim(raw, "0") == "" {
		d.dev.Log.Info(fmt.Sprintf("%s: UPS reported a non-significant serial [%s]", it.name, raw))
		return "", &errAnswer{it.name, "serial of zeros"}
	}
	return raw, nil
}

// voltronicBatteryNumber reads the batteries of a pack; ups.conf's
// battery_number then sets it (BATNn).
func voltronicBatteryNumber(d *Driver, it *item, raw string) (string, error) {
	if !numeric(raw) {
		return "", &errAnswer{it.name, fmt.Sprintf("%q is not a number", raw)}
	}
	d.proto.battNumber = atol(raw)
	return fmt.Sprint(d.proto.battNumber), nil
}

// voltronicBatteryLowRanges: 20 to 24 V, or to 28 V from 1000 VA up
// (the nominal output voltage times current).
func voltronicBatteryLowRanges(d *Driver, _ *item) [][2]int {
	ovn, ok1 := d.dev.Tree.Get("output.voltage.nominal")
	ocn, ok2 := d.dev.Tree.Get("output.current.nominal")
	if !ok1 || !ok2 {
		return nil
	}
	if atol(ovn)*atol(ocn) < 1000 {
		return [][2]int{{20, 24}}
	}
	return [][2]int{{20, 28}}
}

// voltronicSetVar writes a setting's request; the batteries of a pack
// are not set again to what the UPS has.
func voltronicSetVar(d *Driver, it *item, value string) (string, error) {
	v := strtod(value)
	if it.name == "battery_number" && v == float64(d.proto.battNumber) {
		d.dev.Log.Info(fmt.Sprintf("%s is already set to %.0f", it.name, v))
		return "", fmt.Errorf("%s is already %.0f", it.name, v)
	}
	if cur, ok := d.proto.bypass[it.name]; ok && v == cur {
		f := "%.0f"
		if strings.HasSuffix(it.name, "freq") {
			f = "%.1f"
		}
		d.dev.Log.Info(fmt.Sprintf("%s is already set to "+f, it.name, v))
		return "", fmt.Errorf("%s is already set", it.name)
	}
	return fmt.Sprintf(it.cmd, v), nil
}

// voltronicDelay truncates the delays as blazerDelay does, from the
// number's leading digits.
func voltronicDelay(d *Driver, it *item, value string) (string, error) {
	return blazerDelay(d, it, value)
}

func voltronicOff(off int) string {
	if off < 60 {
		return fmt.Sprintf(".%d", off/6)
	}
	return fmt.Sprintf("%02d", off/60)
}

func voltronicShutdownReturn(d *Driver, _ *item, _ string) (string, error) {
	off, on := atol(d.get("ups.delay.shutdown")), atol(d.get("ups.delay.start"))/60
	if on == 0 {
		return "S" + voltronicOff(off) + "\r", nil
	}
	return fmt.Sprintf("S%sR%04d\r", voltronicOff(off), on), nil
}

func voltronicShutdownStayoff(d *Driver, _ *item, _ string) (string, error) {
	return "S" + voltronicOff(atol(d.get("ups.delay.shutdown"))) + "R0000\r", nil
}

// voltronicTestBattery: 12 s to 99 min, in tenths of a minute under one.
func voltronicTestBattery(_ *Driver, it *item, param string) (string, error) {
	if strings.Trim(param, "0123456789") != "" {
		return "", fmt.Errorf("%s: non numerical value [%s]", it.name, param)
	}
	t := 600
	if param != "" {
		t = atol(param)
	}
	if t < 12 || t > 5940 {
		return "", fmt.Errorf("%s: battery test time '%d' out of range [12..5940] seconds", it.name, t)
	}
	return "T" + voltronicOff(t) + "\r", nil
}

// voltronicBeeper: BZOFF while it beeps; BZON when muted, or off on a
// UPS that cannot turn its alarm off.
func voltronicBeeper(d *Driver, _ *item, _ string) (string, error) {
	st := d.get("ups.beeper.status")
	if d.proto.caps["alarm_control"] != "" {
		switch st {
		case "enabled":
			return "BZOFF\r", nil
		case "muted":
			return "BZON\r", nil
		}
		d.dev.Log.Info("The beeper is already disabled")
		return "", fmt.Errorf("the beeper is disabled")
	}
	switch st {
	case "enabled":
		return "BZOFF\r", nil
	case "disabled":
		return "BZON\r", nil
	}
	return "BZ\r", nil
}

// voltronicCaps are the capabilities QFLAG tells (enabled ones after
// its E, disabled ones after its D), by letter: NUT variables (yes/no)
// first, then settings no NUT variable has (enabled/disabled), each set
// with P, E or D, and its letter in capitals.
var voltronicCaps = []struct {
	name   string
	letter byte
}{
	{"ups.start.auto", 'r'}, {"battery.protection", 's'}, {"battery.energysave", 'g'}, {"ups.start.battery", 'c'},
	{"outlet.0.switchable", 'j'},
	{"bypass_alarm", 'p'}, {"battery_alarm", 'b'}, {"bypass_when_off", 'o'}, {"alarm_control", 'a'}, {"converter_mode", 'v'},
	{"eco_mode", 'e'}, {"battery_open_status_check", 'd'}, {"bypass_forbidding", 'f'}, {"site_fault_detection", 'l'},
	{"advanced_eco_mode", 'n'}, {"constant_phase_angle", 'q'}, {"limited_runtime_on_battery", 'w'},
}

const voltronicNutCaps = 5 // the first voltronicCaps are NUT variables

func voltronicCapabilities() []item {
	var t, sets []item
	for i, c := range voltronicCaps {
		it := item{name: c.name, cmd: "QFLAG\r", minLen: 4, lead: '(', from: 1, dfl: "%s", flags: fSemiStatic, value: voltronicCapability}
		set := item{name: c.name, cmd: "P%s" + strings.ToUpper(string(c.letter)) + "\r", minLen: 5, lead: '(', from: 1, to: 3,
			flags: fSetVar | fEnum | fSkip, command: voltronicCapabilitySet}
		if i < voltronicNutCaps {
			it.rw, it.flags, it.enum = true, it.flags|fEnum, []string{"no", "yes"}
			set.enum = it.enum
		} else {
			it.flags |= fNoNut
			set.flags |= fNoNut
			set.enum = []string{"enabled", "disabled"}
		}
		t = append(t, it)
		if i == voltronicNutCaps {
			sets = append(sets, item{name: "reset_to_default", cmd: "PF\r", minLen: 5, lead: '(', from: 1, to: 3,
				flags: fSetVar | fNoNut | fSkip, command: voltronicCapabilityReset})
		}
		sets = append(sets, set)
	}
	return append(t, sets...)
}

// voltronicOutlets are the programmable outlets, asked when QFLAG says
// the UPS has them: on or off (QSKn; an outlet answered (NAK is not
// programmable), the delay before one goes off on battery (QSKTn, in
// minutes; set with PSKnnnn).
func voltronicOutlets() []item {
	var t, delays, sets []item
	for n := 1; n <= 4; n++ {
		for _, w := range []string{"switchable", "status"} {
			t = append(t, item{name: fmt.Sprintf("outlet.%d.%s", n, w), cmd: fmt.Sprintf("QSK%d\r", n), minLen: 3, lead: '(', from: 1, to: 1,
				dfl: "%s", flags: fSemiStatic | fSkip, value: voltronicOutlet})
		}
		name := fmt.Sprintf("outlet.%d.delay.shutdown", n)
		r := [][2]int{{0, 59940}}
		delays = append(delays, item{name: name, rw: true, ranges: r, cmd: fmt.Sprintf("QSKT%d\r", n), minLen: 5, lead: '(', from: 1, to: 3,
			dfl: "%.0f", flags: fSemiStatic | fRange | fSkip, value: voltronicOutletDelay})
		sets = append(sets, item{name: name, ranges: r, cmd: fmt.Sprintf("PSK%d%%03d\r", n), minLen: 5, lead: '(', from: 1, to: 3,
			flags: fSetVar | fRange | fSkip, command: voltronicOutletDelaySet})
	}
	return append(append(t, delays...), sets...)
}

// voltronicECO are ECO mode's limits, asked when QFLAG says the UPS has
// ECO mode: voltages (QHE, set with HEHnnn and HELnnn; their ranges
// from the nominal output voltage, shown as .min and .max) and
// frequencies (QFRE, set with FREHnn.n and FRELnn.n).
func voltronicECO() []item {
	he := func(name string, from, to int, fl flags, v func(*Driver, *item, string) (string, error)) item {
		return item{name: name, cmd: "QHE\r", minLen: 9, lead: '(', from: from, to: to, dfl: "%.0f", flags: fSemiStatic | fSkip | fl, value: v}
	}
	high, low := he("input.transfer.high", 1, 3, fRange, voltronicECOVolt), he("input.transfer.low", 5, 7, fRange, voltronicECOVolt)
	high.rw, low.rw = true, true
	high.rangeOf, low.rangeOf = voltronicECOVoltRangesOf, voltronicECOVoltRangesOf
	fre := func(name string, from, to int) item {
		return item{name: name, rw: true, rangeOf: voltronicECOFreqRangesOf, cmd: "QFRE\r", minLen: 11, lead: '(', from: from, to: to,
			dfl: "%.1f", flags: fSemiStatic | fRange | fSkip, value: voltronicECOFreq}
	}
	set := func(name, cmd string, r func(*Driver, *item) [][2]int) item {
		return item{name: name, cmd: cmd, minLen: 5, lead: '(', from: 1, to: 3, flags: fSetVar | fRange | fSkip, command: voltronicSetVar,
			rangeOf: r}
	}
	return []item{
		high, low,
		he("input.transfer.low.min", 5, 7, 0, voltronicECOVoltLimit), he("input.transfer.low.max", 5, 7, 0, voltronicECOVoltLimit),
		he("input.transfer.high.min", 1, 3, 0, voltronicECOVoltLimit), he("input.transfer.high.max", 1, 3, 0, voltronicECOVoltLimit),
		set("input.transfer.high", "HEH%03.0f\r", voltronicECOVoltRangesOf), set("input.transfer.low", "HEL%03.0f\r", voltronicECOVoltRangesOf),
		fre("input.frequency.high", 1, 4), fre("input.frequency.low", 6, 9),
		set("input.frequency.high", "FREH%04.1f\r", voltronicECOFreqRangesOf), set("input.frequency.low", "FREL%04.1f\r", voltronicECOFreqRangesOf),
	}
}

// voltronicBypassLimits are the bypass mode's limits, no NUT variables
// (logged; set from ups.conf): voltages (QBYV; PHVnnn, PLVnnn) and
// frequencies (QBYF; PGFnn.n, PSFnn.n), asked of all protocols but P00,
// P08 and P31.
func voltronicBypassLimits() []item {
	q := func(name, cmd string, minLen, from, to int, dfl string) item {
		return item{name: name, rw: true, rangeOf: voltronicBypassRanges, cmd: cmd, minLen: minLen, lead: '(', from: from, to: to,
			dfl: dfl, flags: fSemiStatic | fRange | fNoNut | fSkip, value: voltronicBypass}
	}
	set := func(name, cmd string) item {
		return item{name: name, rangeOf: voltronicBypassRanges, cmd: cmd, minLen: 5, lead: '(', from: 1, to: 3,
			flags: fSetVar | fRange | fNoNut | fSkip, command: voltronicSetVar}
	}
	return []item{
		q("max_bypass_volt", "QBYV\r", 9, 1, 3, "%.0f"), q("min_bypass_volt", "QBYV\r", 9, 5, 7, "%.0f"),
		set("max_bypass_volt", "PHV%03.0f\r"), set("min_bypass_volt", "PLV%03.0f\r"),
		q("max_bypass_freq", "QBYF\r", 11, 1, 4, "%.1f"), q("min_bypass_freq", "QBYF\r", 11, 6, 9, "%.1f"),
		set("max_bypass_freq", "PGF%04.1f\r"), set("min_bypass_freq", "PSF%04.1f\r"),
	}
}

// voltronicBypassSteps are the ends of the bypass limits' ranges, each
// with the protocols (and nominal voltage or frequency) it is one for;
// the ends a UPS has make its ranges two by two.
var voltronicBypassSteps = map[string][]struct {
	v  int
	ok func(p int, low bool) bool // low: nominal input under 200 V, or output at 50 Hz
}{
	"max_bypass_volt": {
		{60, func(p int, _ bool) bool { return p == 9 }},
		{115, func(p int, low bool) bool { return low && voltronicGroup(p, true) }},
		{120, func(p int, low bool) bool { return low && p == 1 }},
		{132, func(p int, low bool) bool { return low && p == 99 }},
		{138, func(p int, low bool) bool { return low && voltronicGroup(p, false) }},
		{140, func(p int, low bool) bool { return p == 9 || low && p == 1 }},
		{230, func(p int, low bool) bool { return !low && p == 1 }},
		{231, func(p int, low bool) bool { return !low && voltronicGroup(p, true) }},
		{261, func(p int, low bool) bool { return !low && p == 99 }},
		{264, func(p int, low bool) bool { return !low && p == 1 }},
		{276, func(p int, low bool) bool { return !low && voltronicGroup(p, false) }},
	},
	"min_bypass_volt": {
		{50, func(p int, low bool) bool { return low && p == 99 }},
		{55, func(p int, low bool) bool { return low && voltronicGroup(p, false) }},
		{60, func(p int, _ bool) bool { return p == 9 }},
		{85, func(p int, low bool) bool { return low && (p == 1 || p == 99) }},
		{104, func(p int, low bool) bool { return low && voltronicGroup(p, false) }},
		{110, func(p int, low bool) bool { return !low && voltronicGroup(p, false) }},
		{115, func(p int, low bool) bool { return low && p == 1 }},
		{140, func(p int, _ bool) bool { return p == 9 }},
		{149, func(p int, low bool) bool { return !low && p == 99 }},
		{170, func(p int, low bool) bool { return !low && p == 1 }},
		{209, func(p int, low bool) bool { return !low && voltronicGroup(p, true) }},
		{220, func(p int, low bool) bool { return !low && p == 1 }},
	},
	"max_bypass_freq": {
		{51, func(p int, hz50 bool) bool { return hz50 && (p == 1 || p == 9 || voltronicGroup(p, true)) }},
		{54, func(p int, hz50 bool) bool { return hz50 && voltronicGroup(p, true) }},
		{60, func(p int, hz50 bool) bool { return hz50 && (p == 1 || p == 9) }},
	},
	"min_bypass_freq": {
		{40, func(p int, hz50 bool) bool { return hz50 && (p == 1 || p == 9) }},
		{46, func(p int, hz50 bool) bool { return hz50 && voltronicGroup(p, true) }},
		{49, func(p int, hz50 bool) bool { return hz50 && (p == 1 || p == 9 || voltronicGroup(p, true)) }},
	},
}

// voltronicGroup: P02, P03, P10, P13, P14 (and P99 with withP99).
func voltronicGroup(p int, withP99 bool) bool {
	switch p {
	case 2, 3, 10, 13, 14:
		return true
	}
	return withP99 && p == 99
}

func voltronicBypassRanges(d *Driver, it *item) [][2]int {
	p := d.voltronicProtocolNumber()
	var low bool
	shift := 0
	if strings.HasSuffix(it.name, "volt") {
		ivn, ok := d.dev.Tree.Get("input.voltage.nominal")
		if !ok {
			return nil
		}
		low = atol(ivn) < 200
	} else {
		ofn, ok := d.dev.Tree.Get("output.frequency.nominal")
		if !ok {
			return nil
		}
		switch strtod(ofn) {
		case 50:
			low = true
		case 60:
			low, shift = true, 10 // the 60 Hz ends are the 50 Hz ones, 10 Hz up
		default:
			return nil
		}
	}
	var ends []int
	for _, st := range voltronicBypassSteps[it.name] {
		if st.ok(p, low) {
			ends = append(ends, st.v+shift)
		}
	}
	var r [][2]int
	for i := 0; i+1 < len(ends); i += 2 {
		r = append(r, [2]int{ends[i], ends[i+1]})
	}
	return r
}

// voltronicBypass reads a bypass limit; ups.conf's value then sets it.
func voltronicBypass(d *Driver, it *item, raw string) (string, error) {
	if !numeric(raw) {
		return "", &errAnswer{it.name, fmt.Sprintf("%q is not a number", raw)}
	}
	v := strtod(raw)
	if strings.HasSuffix(it.name, "volt") {
		v = float64(atol(raw))
	}
	d.proto.bypass[it.name] = v
	if _, ok := d.dev.Value(it.name); ok {
		d.unskipSetVar(it.name)
	}
	return fmt.Sprintf(it.dfl, v), nil
}

// voltronicECOLimits are the ECO voltages' ranges (max, then min) for
// the nominal output voltage; false when the protocol has no ECO mode.
func voltronicECOLimits(d *Driver) (max, min [2]int, ok bool) {
	nominal, has := d.dev.Tree.Get("output.voltage.nominal")
	ovn := atol(nominal)
	if !has || ovn < 0 {
		return max, min, false
	}
	near, far := 0, 0
	switch p := d.voltronicProtocolNumber(); {
	case p == 1 || p == 9:
		near, far = 7, 24
		if ovn < 200 {
			near, far = 3, 12
		}
	case p == 2 || p == 3 || p == 10 || p == 13 || p == 14 || p == 99:
		near, far = 11, 24
		if ovn < 200 {
			near, far = 5, 12
		}
	default:
		return max, min, false
	}
	return [2]int{ovn + near, ovn + far}, [2]int{ovn - far, ovn - near}, true
}

func voltronicECOVoltRangesOf(d *Driver, it *item) [][2]int {
	max, min, ok := voltronicECOLimits(d)
	if !ok || !d.proto.ecoVolt[it.name] {
		return nil // NUT fills the ranges when it reads the limits
	}
	if it.name == "input.transfer.high" {
		return [][2]int{max}
	}
	return [][2]int{min}
}

// voltronicECOVolt reads an ECO voltage limit; when its range is known,
// the range's ends (.min, .max) and its setting come with it.
func voltronicECOVolt(d *Driver, it *item, raw string) (string, error) {
	if !numeric(raw) {
		return "", &errAnswer{it.name, fmt.Sprintf("%q is not a number", raw)}
	}
	v := fmt.Sprintf(it.dfl, strtod(raw))
	if _, _, ok := voltronicECOLimits(d); !ok {
		return v, nil
	}
	d.proto.ecoVolt[it.name] = true
	for i := range d.items {
		x := &d.items[i]
		if (x.name == it.name+".min" || x.name == it.name+".max") && x.flags&fSemiStatic != 0 || x.name == it.name && x.flags&fSetVar != 0 {
			x.flags &^= fSkip
		}
	}
	return v, nil
}

// voltronicECOVoltLimit: an end of an ECO voltage's range.
func voltronicECOVoltLimit(d *Driver, it *item, _ string) (string, error) {
	name, end, _ := strings.Cut(it.name[len("input.transfer."):], ".")
	r := voltronicECOVoltRangesOf(d, &item{name: "input.transfer." + name})
	if len(r) == 0 {
		return "", &errAnswer{it.name, "no range"}
	}
	if end == "min" {
		return fmt.Sprint(r[0][0]), nil
	}
	return fmt.Sprint(r[0][1]), nil
}

// voltronicECOFreq reads an ECO frequency limit; it is then settable.
func voltronicECOFreq(d *Driver, it *item, raw string) (string, error) {
	if !numeric(raw) {
		return "", &errAnswer{it.name, fmt.Sprintf("%q is not a number", raw)}
	}
	d.unskipSetVar(it.name)
	return fmt.Sprintf(it.dfl, strtod(raw)), nil
}

// voltronicECOFreqRangesOf: the ECO frequencies' ranges by protocol and
// nominal output frequency (50 or 60 Hz).
func voltronicECOFreqRangesOf(d *Driver, it *item) [][2]int {
	nominal, ok := d.dev.Tree.Get("output.frequency.nominal")
	if !ok {
		return nil
	}
	ofn := strtod(nominal)
	p := d.voltronicProtocolNumber()
	var r [2]int
	switch {
	case ofn != 50 && ofn != 60:
		return nil
	case p == 1 || p == 9:
		r = map[bool][2]int{true: {40, 47}, false: {53, 60}}[strings.HasSuffix(it.name, "low")]
	case p == 2 || p == 3 || p == 10 || p == 13 || p == 14 || p == 99:
		r = map[bool][2]int{true: {46, 48}, false: {52, 54}}[strings.HasSuffix(it.name, "low")]
	default:
		return nil
	}
	if ofn == 60 {
		r[0], r[1] = r[0]+10, r[1]+10
	}
	return [][2]int{r}
}

// voltronicOutlet: a programmable outlet, on or off; its delay and its
// commands come with it.
func voltronicOutlet(d *Driver, it *item, raw string) (string, error) {
	var status string
	switch firstByte(raw) {
	case "1":
		status = "on"
	case "0":
		status = "off"
	default:
		return "", &errAnswer{it.name, fmt.Sprintf("outlet state %q", raw)}
	}
	n := it.name[:len("outlet.1")]
	for i := range d.items {
		x := &d.items[i]
		if x.name == n+".delay.shutdown" && x.flags&fSemiStatic != 0 || (x.name == n+".load.on" || x.name == n+".load.off") && x.flags&fCmd != 0 {
			x.flags &^= fSkip
		}
	}
	if strings.HasSuffix(it.name, "switchable") {
		return "yes", nil
	}
	return status, nil
}

// voltronicOutletDelay: minutes, as seconds; the delay is then settable.
func voltronicOutletDelay(d *Driver, it *item, raw string) (string, error) {
	if !numeric(raw) {
		return "", &errAnswer{it.name, fmt.Sprintf("%q is not a number", raw)}
	}
	d.unskipSetVar(it.name)
	return fmt.Sprintf(it.dfl, strtod(raw)*60), nil
}

func voltronicOutletDelaySet(_ *Driver, it *item, value string) (string, error) {
	return fmt.Sprintf(it.cmd, atol(value)/60), nil
}

// voltronicFlags splits QFLAG's answer (after its first character) at
// its first D: the enabled capabilities, then the disabled ones.
func voltronicFlags(raw string) (enabled, disabled string, ok bool) {
	if raw != "" {
		raw = raw[1:]
	}
	raw = strings.TrimLeft(raw, "D")
	if raw == "" {
		return "", "", false
	}
	enabled, disabled, _ = strings.Cut(raw, "D")
	return enabled, disabled, true
}

// voltronicCapability reads one capability; a UPS that has it may have
// it set (its setting is unskipped: for a NUT variable always, for
// another when ups.conf sets it). The alarm control also brings
// beeper.enable and beeper.disable, and says whether the beeper is off.
func voltronicCapability(d *Driver, it *item, raw string) (string, error) {
	enabled, disabled, ok := voltronicFlags(raw)
	if !ok {
		return "", &errAnswer{it.name, fmt.Sprintf("capabilities %q", raw)}
	}
	var letter byte
	nut := false
	for i, c := range voltronicCaps {
		if c.name == it.name {
			letter, nut = c.letter, i < voltronicNutCaps
		}
	}
	var val string
	switch {
	case strings.IndexByte(enabled, letter) >= 0:
		val = map[bool]string{true: "yes", false: "enabled"}[nut]
	case strings.IndexByte(disabled, letter) >= 0:
		val = map[bool]string{true: "no", false: "disabled"}[nut]
	}
	switch it.name {
	case "alarm_control":
		if strings.IndexByte(raw, 'a') < 0 {
			break
		}
		switch val {
		case "enabled":
			if d.get("ups.beeper.status") != "muted" {
				d.dev.Tree.Set("ups.beeper.status", "enabled")
			}
		case "disabled":
			d.dev.Tree.Set("ups.beeper.status", "disabled")
		}
		for i := range d.items {
			if n := d.items[i].name; (n == "beeper.enable" || n == "beeper.disable") && d.items[i].flags&fCmd != 0 {
				d.items[i].flags &^= fSkip
			}
		}
	case "outlet.0.switchable":
		if val == "yes" {
			for i := range d.items {
				if n := d.items[i].name; strings.HasPrefix(n, "outlet.") && d.items[i].cmd[:3] == "QSK" && d.items[i].cmd[3] != 'T' {
					d.items[i].flags &^= fSkip
				}
			}
		}
	case "eco_mode":
		if strings.IndexByte(raw, 'e') < 0 {
			break
		}
		for i := range d.items {
			x := &d.items[i]
			switch {
			case (x.name == "bypass.start" || x.name == "bypass.stop") && x.flags&fCmd != 0,
				(x.name == "input.transfer.high" || x.name == "input.transfer.low" || x.name == "input.frequency.high" ||
					x.name == "input.frequency.low") && x.flags&fSemiStatic != 0:
				x.flags &^= fSkip
			}
		}
	}
	if val == "" {
		return "", &errAnswer{it.name, "the UPS has no such capability"}
	}
	if !nut {
		d.proto.caps[it.name] = val
		if _, ok := d.dev.Value(it.name); !ok {
			return val, nil
		}
	}
	d.unskipSetVar(it.name)
	return val, nil
}

// voltronicCapabilitySet: PE or PD and the capability's letter; a
// setting no NUT variable has is not sent again to what the UPS has.
func voltronicCapabilitySet(d *Driver, it *item, value string) (string, error) {
	if it.flags&fNoNut != 0 {
		cur := d.proto.caps[it.name]
		if cur == "" {
			return "", fmt.Errorf("%s: the UPS has no such capability", it.name)
		}
		if strings.EqualFold(value, cur) {
			d.dev.Log.Info(fmt.Sprintf("%s is already %s", it.name, cur))
			return "", fmt.Errorf("%s is already %s", it.name, cur)
		}
	}
	switch strings.ToLower(value) {
	case "yes", "enabled":
		return fmt.Sprintf(it.cmd, "E"), nil
	case "no", "disabled":
		return fmt.Sprintf(it.cmd, "D"), nil
	}
	return "", fmt.Errorf("%s: given value [%s] is not acceptable", it.name, value)
}

// voltronicCapabilityReset: PF, with reset_to_default, when the UPS is in
// standby (OFF).
func voltronicCapabilityReset(d *Driver, it *item, _ string) (string, error) {
	if !d.status["OFF"] {
		d.dev.Log.Error(it.name + ": UPS capability options can be reset only when the UPS is in Standby Mode (i.e. ups.status = 'OFF').")
		return "", fmt.Errorf("the UPS is not in standby")
	}
	return it.cmd, nil
}

func voltronicParallel(_ *Driver, it *item, raw string) (string, error) {
	if strings.Trim(raw, "0123456789") != "" {
		return "", &errAnswer{it.name, fmt.Sprintf("%q is not a number", raw)}
	}
	switch atol(raw) {
	case 1:
		return "This UPS is *master* in a system of UPSes in parallel", nil
	case 2, 3:
		return "This UPS is *slave* in a system of UPSes in parallel", nil
	}
	return "", &errAnswer{it.name, fmt.Sprintf("parallel role %q", raw)}
}

// voltronicClaim: QGS's input.voltage and a protocol QPI names.
func voltronicClaim(d *Driver) bool {
	if !d.claimItem("input.voltage") {
		return false
	}
	if !d.claimItem("ups.firmware.aux") {
		d.dev.Tree.Delete("input.voltage")
		return false
	}
	return true
}

// voltronicWarnings are QWS's bits, from the first: the warning, and
// the status it sets, if any.
var voltronicWarnings = map[int]struct{ text, status string }{
	0:  {"Battery disconnected.", ""},
	1:  {"Neutral not connected.", ""},
	2:  {"Site fault.", ""},
	3:  {"Phase sequence incorrect.", ""},
	4:  {"Phase sequence incorrect in bypass.", ""},
	5:  {"Input frequency unstable in bypass.", ""},
	6:  {"Battery overcharged.", ""},
	7:  {"Low battery.", "LB"},
	8:  {"Overload alarm.", "OVER"},
	9:  {"Fan alarm.", ""},
	10: {"EPO enabled.", ""},
	11: {"Unable to turn on UPS.", ""},
	12: {"Over temperature alarm.", ""},
	13: {"Charger alarm.", ""},
	14: {"Remote auto shutdown.", ""},
	15: {"L1 input fuse not working.", ""},
	16: {"L2 input fuse not working.", ""},
	17: {"L3 input fuse not working.", ""},
	18: {"Positive PFC abnormal in L1.", ""},
	19: {"Negative PFC abnormal in L1.", ""},
	20: {"Positive PFC abnormal in L2.", ""},
	21: {"Negative PFC abnormal in L2.", ""},
	22: {"Positive PFC abnormal in L3.", ""},
	23: {"Negative PFC abnormal in L3.", ""},
	24: {"Abnormal in CAN-bus communication.", ""},
	25: {"Abnormal in synchronous signal circuit.", ""},
	26: {"Abnormal in synchronous pulse signal circuit.", ""},
	27: {"Abnormal in host signal circuit.", ""},
	28: {"Male connector of parallel cable not connected well.", ""},
	29: {"Female connector of parallel cable not connected well.", ""},
	30: {"Parallel cable not connected well.", ""},
	31: {"Battery connection not consistent in parallel systems.", ""},
	32: {"AC connection not consistent in parallel systems.", ""},
	33: {"Bypass connection not consistent in parallel systems.", ""},
	34: {"UPS model types not consistent in parallel systems.", ""},
	35: {"Capacity of UPSes not consistent in parallel systems.", ""},
	36: {"Auto restart setting not consistent in parallel systems.", ""},
	37: {"Battery cell over charge.", ""},
	38: {"Battery protection setting not consistent in parallel systems.", ""},
	39: {"Battery detection setting not consistent in parallel systems.", ""},
	40: {"Bypass not allowed setting not consistent in parallel systems.", ""},
	41: {"Converter setting not consistent in parallel systems.", ""},
	42: {"High loss point for frequency in bypass mode not consistent in parallel systems.", ""},
	43: {"Low loss point for frequency in bypass mode not consistent in parallel systems.", ""},
	44: {"High loss point for voltage in bypass mode not consistent in parallel systems.", ""},
	45: {"Low loss point for voltage in bypass mode not consistent in parallel systems.", ""},
	46: {"High loss point for frequency in AC mode not consistent in parallel systems.", ""},
	47: {"Low loss point for frequency in AC mode not consistent in parallel systems.", ""},
	48: {"High loss point for voltage in AC mode not consistent in parallel systems.", ""},
	49: {"Low loss point for voltage in AC mode not consistent in parallel systems.", ""},
	50: {"Warning for locking in bypass mode after 3 consecutive overloads within 30 min.", ""},
	51: {"Warning for three-phase AC input current unbalance.", ""},
	52: {"Warning for a three-phase input current unbalance detected in battery mode.", ""},
	53: {"Warning for Inverter inter-current unbalance.", ""},
	54: {"Programmable outlets cut off pre-alarm.", ""},
	55: {"Warning for Battery replace.", "RB"},
	56: {"Abnormal warning on input phase angle.", ""},
	57: {"Warning!! Cover of maintain switch is open.", ""},
	61: {"EEPROM operation error.", ""},
}
