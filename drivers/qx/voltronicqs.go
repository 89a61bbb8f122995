package qx

import (
	"fmt"
	"strings"
)

// Voltronic-QS (NUT's nutdrv_qx_voltronic-qs.c): the family's status
// line asked with QS, output ratings, fewer commands, and M, which such a
// UPS answers "V" (shown as ups.firmware.aux "PM-V").
func voltronicQSTable() []item {
	t := []item{{name: "ups.firmware.aux", cmd: "M\r", minLen: 2, dfl: "PM-%s", flags: fStatic, value: voltronicQSProtocol}}
	t = append(t, statusRows("QS\r", "output.frequency")...)
	t = append(t, ratingRows("output")...)
	t = append(t, commandRows(item{from: 1, to: 3}, "beeper.toggle", "load.off", "load.on", "shutdown.return", "shutdown.stayoff",
		"shutdown.stop", "test.battery.start.quick")...)
	return append(t, delayRows([2]int{60, 599940}, [2]int{12, 540})...)
}

func voltronicQSProtocol(_ *Driver, it *item, raw string) (string, error) {
	if !strings.EqualFold(raw, "V") {
		return "", &errAnswer{it.name, fmt.Sprintf("protocol %q, expected V", raw)}
	}
	return fmt.Sprintf(it.dfl, raw), nil
}

// voltronicQSClaim: the UPS answers M with V, and the status line.
func voltronicQSClaim(d *Driver) bool {
	if !d.claimItem("ups.firmware.aux") {
		return false
	}
	if !d.claimItem("input.voltage") {
		d.dev.Tree.Delete("ups.firmware.aux")
		return false
	}
	return true
}
