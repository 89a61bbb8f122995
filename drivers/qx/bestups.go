package qx

import (
	"fmt"
	"strings"
)

// BestUPS (NUT's nutdrv_qx_bestups.c): Best Power's Fortress, Patriot
// Pro and Axxium and Sola Australia's UPSes. The family's Q1 (no beeper),
// ID for the model and ratings, RT for the runtime, BP? for the battery
// packs (Axxium, Sola 620), SS? for the DB9 pins' shutdown mode (set
// from ups.conf's pins_shutdown_mode), M for the voltage settings; any
// answer to a command is a failure.
func bestupsTable() []item {
	st := statusRows("Q1\r", "input.frequency")
	// No beeper bit; the bypass/boost/buck bit last, as it reads the
	// others (OL, CAL, FSD).
	t := append(append([]item{}, st[:9]...), st[10:14]...)
	bbb := st[9]
	bbb.value = bestupsBBB
	t = append(t, bbb)
	id := func(name string, from, to int, dfl string, fl flags, v func(*Driver, *item, string) (string, error)) item {
		return item{name: name, cmd: "ID\r", minLen: 28, from: from, to: to, dfl: dfl, flags: fl, refine: bestupsID, value: v}
	}
	t = append(t,
		id("device.mfr", 0, 2, "%s", fStatic, bestupsMfr),
		id("device.model", 0, 2, "%s", fStatic, bestupsModel),
		id("ups.power.nominal", 4, 7, "%.0f", fStatic, nil),
		id("input.voltage.nominal", 9, 11, "%.0f", fStatic, nil),
		id("output.voltage.nominal", 13, 15, "%.0f", fStatic, nil),
		id("battery.voltage.low", 17, 20, "%.1f", fSemiStatic, nil),
		id("battery.voltage.high", 22, 26, "%.1f", fSemiStatic, nil),
		item{name: "battery.runtime", cmd: "RT\r", minLen: 4, to: 2, dfl: "%.0f", flags: fSkip, value: bestupsRuntime},
		item{name: "battery.packs", rw: true, ranges: [][2]int{{0, 5}}, cmd: "BP?\r", minLen: 3, to: 1, dfl: "%d",
			flags: fSemiStatic | fRange | fSkip, value: bestupsPacks},
		item{name: "battery.packs", ranges: [][2]int{{0, 5}}, cmd: "BP%.0f\r", flags: fSetVar | fRange | fSkip, command: bestupsSetVar},
		item{name: "pins_shutdown_mode", rw: true, ranges: [][2]int{{0, 6}}, cmd: "SS?\r", minLen: 2, dfl: "%.0f",
			flags: fSemiStatic | fRange | fNoNut, value: bestupsPinsMode},
		item{name: "pins_shutdown_mode", ranges: [][2]int{{0, 6}}, cmd: "SS%.0f\r", flags: fSetVar | fRange | fNoNut | fSkip,
			command: bestupsSetVar},
	)
	for _, n := range []string{"input.transfer.low", "input.transfer.boost.low", "input.transfer.boost.high", "input.voltage.nominal",
		"output.voltage.nominal", "input.transfer.trim.low", "input.transfer.trim.high", "input.transfer.high"} {
		t = append(t, item{name: n, cmd: "M\r", minLen: 2, dfl: "%d", value: bestupsVoltage})
	}
	cmds := commandRows(item{}, "shutdown.return", "shutdown.stayoff", "shutdown.stop", "load.on", "load.off", "test.battery.start",
		"test.battery.start.deep", "test.battery.start.quick", "test.battery.stop")
	cmds[1].cmd, cmds[1].command = "S%s\r", bestupsStayoff
	t = append(t, cmds...)
	return append(t, delayRows([2]int{60, 599940}, [2]int{12, 5940})...)
}

// bestupsID rewrites ID's answer so that its fields start at the same
// bytes whatever the power's and the voltage's widths: "FOR,750,...,27.6"
// becomes "FOR, 750,..., 27.6" (NUT's bestups_preprocess_id_answer).
func bestupsID(ans string) (string, error) {
	if ans == "" {
		return ans, nil
	}
	if len(ans) < 25 || len(ans) > 27 {
		return "", fmt.Errorf("ID answer of %d bytes, expected 25 to 27", len(ans))
	}
	var b strings.Builder
	n := 0
	for _, tok := range strings.Split(cString(ans), ",") {
		if tok == "" {
			continue // strtok: no empty fields
		}
		n++
		switch n {
		case 1:
			b.WriteString(tok)
		case 2:
			fmt.Fprintf(&b, ",%4s", tok)
		case 6:
			fmt.Fprintf(&b, ",%6s", tok)
		default:
			b.WriteString("," + tok)
		}
	}
	r := b.String()
	if n != 6 || len(r) != 28 {
		return "", fmt.Errorf("noncompliant ID answer %q", printable(r))
	}
	return r, nil
}

func bestupsMfr(_ *Driver, _ *item, raw string) (string, error) {
	switch raw {
	case "AX1", "FOR", "FTC", "PR2", "PRO":
		return "Best Power", nil
	case "325", "520", "620":
		return "Sola Australia", nil
	}
	return "Unknown", nil
}

// bestupsModel names the model, and asks for what it has: the runtime
// (not a Patriot Pro, not a Sola 320) and the battery packs (Axxium,
// Sola 620).
func bestupsModel(d *Driver, it *item, raw string) (string, error) {
	var v string
	switch raw {
	case "AX1":
		v = "Axxium Rackmount"
	case "FOR":
		v = "Fortress"
	case "FTC":
		v = "Fortress Telecom"
	case "PR2":
		v, d.proto.invertedBBB = "Patriot Pro II", true
	case "PRO":
		v, d.proto.invertedBBB = "Patriot Pro", true
	case "320", "325", "520", "525", "620":
		v = "Sola " + raw
	default:
		// NUT prints this through the item's "%s", so its "%s" stays.
		v = "Unknown (%s)"
		d.dev.Log.Info(fmt.Sprintf("Unknown model detected - please report this ID: '%s'", raw))
	}
	for i := range d.items {
		switch it := &d.items[i]; {
		case it.name == "battery.runtime" && raw != "PRO" && raw != "320",
			it.name == "battery.packs" && it.flags&fSetVar == 0 && (raw == "AX1" || raw == "620"):
			it.flags &^= fSkip
		}
	}
	return v, nil
}

// bestupsRuntime: minutes, as seconds.
func bestupsRuntime(_ *Driver, it *item, raw string) (string, error) {
	if !numeric(raw) {
		return "", &errAnswer{it.name, fmt.Sprintf("%q is not a number", raw)}
	}
	return fmt.Sprintf(it.dfl, strtod(raw)*60), nil
}

// bestupsPacks reads the packs, and makes them settable.
func bestupsPacks(d *Driver, it *item, raw string) (string, error) {
	if strings.Trim(raw, "0123456789 ") != "" {
		return "", &errAnswer{it.name, fmt.Sprintf("%q is not a number", raw)}
	}
	d.unskipSetVar(it.name)
	return fmt.Sprint(atol(raw)), nil
}

// bestupsPinsMode reads the mode, and makes it settable when ups.conf
// sets it.
func bestupsPinsMode(d *Driver, it *item, raw string) (string, error) {
	if strings.Trim(raw, "0123456789") != "" {
		return "", &errAnswer{it.name, fmt.Sprintf("%q is not a number", raw)}
	}
	d.proto.pinsMode = atol(raw)
	if _, ok := d.dev.Value(it.name); ok {
		d.unskipSetVar(it.name)
	}
	return fmt.Sprint(d.proto.pinsMode), nil
}

func (d *Driver) unskipSetVar(name string) {
	for i := range d.items {
		if d.items[i].name == name && d.items[i].flags&fSetVar != 0 {
			d.items[i].flags &^= fSkip
		}
	}
}

// bestupsSetVar writes the setting's request (BPn, SSn); the pins' mode
// the UPS has already is not sent again.
func bestupsSetVar(d *Driver, it *item, value string) (string, error) {
	v := strtod(value)
	if it.name == "pins_shutdown_mode" && v == float64(d.proto.pinsMode) {
		d.dev.Log.Info(fmt.Sprintf("%s is already set to %.0f", it.name, v))
		return "", fmt.Errorf("%s is already %.0f", it.name, v)
	}
	return fmt.Sprintf(it.cmd, v), nil
}

// bestupsBBB: the bypass/boost/buck bit means nothing on battery, in a
// test or a shutdown, and is inverted on a Patriot Pro.
func bestupsBBB(d *Driver, it *item, raw string) (string, error) {
	if raw != "" {
		switch {
		case !d.status["OL"] || d.status["CAL"] || d.status["FSD"]:
			if raw[0] == '1' {
				raw = "0" + raw[1:]
			}
		case d.proto.invertedBBB && raw[0] == '1':
			raw = "0" + raw[1:]
		case d.proto.invertedBBB && raw[0] == '0':
			raw = "1" + raw[1:]
		}
	}
	return blazerStatusBit(d, it, raw)
}

// bestupsVoltages are the voltage settings M answers with, of U (120 V)
// models then E (above 160 V) models: low, boost, nominal, buck, high.
var bestupsVoltages = [20][5]int{
	{96, 109, 120, 130, 146}, {96, 109, 120, 138, 156}, {90, 104, 120, 130, 146}, {90, 104, 120, 138, 156},
	{90, 104, 110, 120, 130}, {90, 104, 110, 130, 146}, {90, 96, 110, 120, 130}, {90, 96, 110, 130, 146},
	{96, 109, 128, 146, 156}, {90, 104, 128, 146, 156},
	{200, 222, 240, 250, 284}, {200, 222, 240, 264, 290}, {188, 210, 240, 250, 284}, {188, 210, 240, 264, 290},
	{188, 210, 230, 244, 270}, {188, 210, 230, 250, 284}, {180, 200, 230, 244, 270}, {180, 200, 230, 250, 284},
	{165, 188, 208, 222, 244}, {165, 188, 208, 244, 270},
}

func bestupsVoltage(d *Driver, it *item, raw string) (string, error) {
	if strings.Trim(raw, "0123456789") != "" {
		return "", &errAnswer{it.name, fmt.Sprintf("%q is not a number", raw)}
	}
	i := atol(raw)
	if i < 0 || i > 9 {
		return "", &errAnswer{it.name, fmt.Sprintf("voltage setting %d out of range [0..9]", i)}
	}
	nominal, ok := d.dev.Tree.Get("input.voltage.nominal")
	if !ok {
		nominal, ok = d.dev.Tree.Get("output.voltage.nominal")
	}
	if !ok {
		return "", &errAnswer{it.name, "no nominal voltage"}
	}
	if atol(nominal) > 160 {
		i += 10
	}
	s := bestupsVoltages[i]
	col := map[string]int{"input.transfer.low": 0, "input.transfer.boost.low": 0, "input.transfer.boost.high": 1,
		"input.voltage.nominal": 2, "output.voltage.nominal": 2, "input.transfer.trim.low": 3,
		"input.transfer.trim.high": 4, "input.transfer.high": 4}[it.name]
	return fmt.Sprint(s[col]), nil
}

// bestupsStayoff: S and the delay, nothing after.
func bestupsStayoff(d *Driver, it *item, _ string) (string, error) {
	o, err := offDelay(it, atol(d.get("ups.delay.shutdown")))
	if err != nil {
		return "", err
	}
	return "S" + o + "\r", nil
}

// bestupsClaim: Q1's input.voltage and ID's model.
func bestupsClaim(d *Driver) bool {
	if !d.claimItem("input.voltage") {
		return false
	}
	if !d.claimItem("device.model") {
		d.dev.Tree.Delete("input.voltage")
		return false
	}
	return true
}

// bestupsInit: of the blazer options, ignoresab alone.
func bestupsInit(d *Driver) {
	if !d.dev.Flag("ignoresab") {
		return
	}
	for i := range d.items {
		if it := &d.items[i]; it.name == "ups.status" && it.from == 44 {
			it.flags |= fSkip
		}
	}
}
