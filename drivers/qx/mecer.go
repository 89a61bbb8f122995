package qx

import (
	"context"
	"fmt"
	"strings"
)

// Mecer (NUT's nutdrv_qx_mecer.c): the Megatec table, QPI for a Voltronic
// Power P98 UPS, commands answered "(ACK" or "(NAK", and "(NAK" for a
// request it does not know.
func mecerTable() []item {
	t := []item{{name: "ups.firmware.aux", cmd: "QPI\r", minLen: 6, lead: '(', from: 1, to: 4, dfl: "%s", flags: fStatic, value: voltronicP98}}
	t = append(t, statusRows("Q1\r", "input.frequency")...)
	t = append(t, ratingRows("input")...)
	v := func(name string, from, to int) item {
		return item{name: name, cmd: "I\r", minLen: 39, lead: '#', from: from, to: to, dfl: "%s", flags: fStatic | fTrim}
	}
	t = append(t, v("device.mfr", 1, 15), v("device.model", 17, 26), v("ups.firmware", 28, 37))
	cmds := commandRows(item{minLen: 5, lead: '(', from: 1, to: 3}, "beeper.toggle", "load.off", "load.on", "shutdown.return",
		"shutdown.stayoff", "shutdown.stop", "test.battery.start", "test.battery.start.deep", "test.battery.start.quick", "test.battery.stop")
	for i := range cmds {
		if cmds[i].name == "test.battery.start" {
			cmds[i].command = mecerTestBattery
		}
	}
	t = append(t, cmds...)
	return append(t, delayRows([2]int{0, 599940}, [2]int{12, 600})...)
}

func voltronicP98(_ *Driver, it *item, raw string) (string, error) {
	if !strings.EqualFold(raw, "PI98") {
		return "", &errAnswer{it.name, fmt.Sprintf("protocol [%s] is not supported by this driver", raw)}
	}
	return "Voltronic Power P98", nil
}

// mecerTestBattery: a P98 UPS tests for as little as 12 s, in tenths of
// a minute below one.
func mecerTestBattery(d *Driver, it *item, param string) (string, error) {
	min := 60
	if strings.EqualFold(d.get("ups.firmware.aux"), "Voltronic Power P98") {
		min = 12
	}
	if strings.Trim(param, "0123456789") != "" {
		return "", fmt.Errorf("%s: non numerical value [%s]", it.name, param)
	}
	t := 600
	if param != "" {
		t = atol(param)
	}
	if t < min || t > 5940 {
		return "", fmt.Errorf("%s: battery test time '%d' out of range [%d..5940] seconds", it.name, t, min)
	}
	if t < 60 {
		return fmt.Sprintf("T.%d\r", t/6), nil
	}
	return fmt.Sprintf("T%02d\r", t/60), nil
}

// mecerClaim: the status line, then QPI, which a Mecer UPS answers with
// its protocol or "(NAK" (then never asked again).
func mecerClaim(d *Driver) bool {
	if !d.claimItem("input.voltage") {
		return false
	}
	it := d.find("ups.firmware.aux", 0)
	ans, err := d.ask(context.Background(), it)
	if err == nil {
		var raw string
		if raw, err = it.extract(ans, d.sub.rejected); err == nil {
			if n, _ := d.setItem(it, raw); n == 1 {
				return true
			}
		} else if strings.EqualFold(ans, d.sub.rejected) {
			it.flags |= fSkip
			return true
		}
	}
	d.dev.Tree.Delete("input.voltage")
	return false
}
