package qx

import (
	"fmt"
	"strconv"
)

// The blazer family (NUT's nutdrv_qx_blazer-common.c): Megatec, Mustek,
// Megatec/old, Zinto and Q1 share one table that differs only in the
// requests for the status and the vendor, and in what is asked at all.

const (
	defaultOnDelay  = "180" // ups.delay.start
	defaultOffDelay = "30"  // ups.delay.shutdown
)

// blazerTable is the table of a blazer-family subdriver: status asks the
// status line (Q1, QS, D), vendor the vendor line (I, FW?; "" none) and
// rating says whether F is asked.
func blazerTable(status, vendor string, rating bool) []item {
	t := statusRows(status, "input.frequency")
	if rating {
		t = append(t, ratingRows("input")...)
	}
	if vendor != "" {
		v := func(name string, from, to int) item {
			return item{name: name, cmd: vendor, minLen: 39, lead: '#', from: from, to: to, dfl: "%s", flags: fStatic | fTrim}
		}
		t = append(t, v("device.mfr", 1, 15), v("device.model", 17, 26), v("ups.firmware", 28, 37))
	}
	t = append(t, commandRows(item{}, "beeper.toggle", "load.off", "load.on", "shutdown.return", "shutdown.stayoff", "shutdown.stop",
		"test.battery.start", "test.battery.start.deep", "test.battery.start.quick", "test.battery.stop")...)
	return append(t, delayRows([2]int{0, 599940}, [2]int{12, 600})...)
}

// statusRows are the items of the family's status line; freq names its
// frequency (input.frequency, or output.frequency for Voltronic-QS).
func statusRows(status, freq string) []item {
	num := func(name string, from, to int, f string) item {
		return item{name: name, cmd: status, minLen: 47, lead: '(', from: from, to: to, dfl: f}
	}
	bit := func(name string, at int, fl flags) item {
		return item{name: name, cmd: status, minLen: 47, lead: '(', from: at, to: at, flags: fl, value: blazerStatusBit}
	}
	return []item{
		num("input.voltage", 1, 5, "%.1f"),
		num("input.voltage.fault", 7, 11, "%.1f"),
		num("output.voltage", 13, 17, "%.1f"),
		num("ups.load", 19, 21, "%.0f"),
		num(freq, 23, 26, "%.1f"),
		num("battery.voltage", 28, 31, "%.2f"),
		num("ups.temperature", 33, 36, "%.1f"),
		bit("ups.status", 38, fQuickPoll), // utility fail
		bit("ups.status", 39, fQuickPoll), // battery low
		bit("ups.status", 40, fQuickPoll), // bypass, boost or buck
		bit("ups.alarm", 41, 0),           // UPS failed
		bit("ups.type", 42, fStatic),
		bit("ups.status", 43, fQuickPoll), // test in progress
		bit("ups.status", 44, fQuickPoll), // shutdown active
		bit("ups.beeper.status", 45, 0),
	}
}

// ratingRows are the items of F's answer; side is the nominal voltage's
// and frequency's: input, or output for Voltronic-QS.
func ratingRows(side string) []item {
	f := func(name string, from, to int, fm string) item {
		return item{name: name, cmd: "F\r", minLen: 22, lead: '#', from: from, to: to, dfl: fm, flags: fStatic}
	}
	return []item{
		f(side+".voltage.nominal", 1, 5, "%.0f"),
		f(side+".current.nominal", 7, 9, "%.1f"),
		f("battery.voltage.nominal", 11, 15, "%.1f"),
		f(side+".frequency.nominal", 17, 20, "%.0f"),
	}
}

// blazerCommands are the family's instant commands: the request, and
// what builds it from the delays or a parameter.
var blazerCommands = map[string]struct {
	req   string
	build func(*Driver, *item, string) (string, error)
}{
	"beeper.toggle":            {"Q\r", nil},
	"load.off":                 {"S00R0000\r", nil},
	"load.on":                  {"C\r", nil},
	"shutdown.return":          {"S%sR%04d\r", blazerShutdownReturn},
	"shutdown.stayoff":         {"S%sR0000\r", blazerShutdownStayoff},
	"shutdown.stop":            {"C\r", nil},
	"test.battery.start":       {"T%02d\r", blazerTestBattery},
	"test.battery.start.deep":  {"TL\r", nil},
	"test.battery.start.quick": {"T\r", nil},
	"test.battery.stop":        {"CT\r", nil},
}

// commandRows are the items of the named commands, shaped as answer is:
// where the answer's text is, its least length and first byte (a
// subdriver without an "accepted" answer fails a command on any text
// there).
func commandRows(answer item, names ...string) []item {
	var t []item
	for _, n := range names {
		c := blazerCommands[n]
		it := answer
		it.name, it.cmd, it.flags, it.command = n, c.req, fCmd, c.build
		t = append(t, it)
	}
	return t
}

// delayRows are ups.delay.start and ups.delay.shutdown, kept by the
// driver, with their ranges.
func delayRows(start, shutdown [2]int) []item {
	return []item{
		{name: "ups.delay.start", rw: true, ranges: [][2]int{start}, dfl: defaultOnDelay,
			flags: fAbsent | fSetVar | fRange, command: blazerDelay},
		{name: "ups.delay.shutdown", rw: true, ranges: [][2]int{shutdown}, dfl: defaultOffDelay,
			flags: fAbsent | fSetVar | fRange, command: blazerDelay},
	}
}

// blazerStatusBit reads one bit of the status line (NUT's
// blazer_process_status_bits): a status token ("!X" clears X), an alarm,
// or a variable's text.
func blazerStatusBit(d *Driver, it *item, raw string) (string, error) {
	if raw != "0" && raw != "1" {
		return "", &errAnswer{it.name, fmt.Sprintf("status bit %d is %q, expected 0 or 1", it.from, raw)}
	}
	on := raw == "1"
	pick := func(yes, no string) string {
		if on {
			return yes
		}
		return no
	}
	switch it.from {
	case 38:
		return pick("!OL", "OL"), nil
	case 39:
		return pick("LB", "!LB"), nil
	case 40:
		if !on {
			return "", nil
		}
		vi, vo := d.number("input.voltage"), d.number("output.voltage")
		switch {
		case vo < 0.5*vi:
		case vo < 0.95*vi:
			return "TRIM", nil
		case vo < 1.05*vi:
			return "BYPASS", nil
		case vo < 1.5*vi:
			return "BOOST", nil
		}
		return "", &errAnswer{it.name, fmt.Sprintf("bypass/boost/buck bit set, but output voltage %g is too far from input %g", vo, vi)}
	case 41:
		return pick("UPS selftest failed!", ""), nil
	case 42:
		return pick("offline / line interactive", "online"), nil
	case 43:
		return pick("CAL", "!CAL"), nil
	case 44:
		return pick("FSD", "!FSD"), nil
	case 45:
		return pick("enabled", "disabled"), nil
	}
	return "", &errAnswer{it.name, fmt.Sprintf("no status bit at %d", it.from)}
}

// offDelay writes ups.delay.shutdown as the S command takes it: tenths
// of a minute (".5" is 30 s) under a minute, else minutes.
func offDelay(it *item, s int) (string, error) {
	switch {
	case s < 0:
		return "", fmt.Errorf("%s: offdelay '%d' should not be negative", it.name, s)
	case s < 60:
		return fmt.Sprintf(".%d", s/6), nil
	}
	return fmt.Sprintf("%02d", s/60), nil
}

func blazerShutdownReturn(d *Driver, it *item, _ string) (string, error) {
	off := atol(d.get("ups.delay.shutdown"))
	on := atol(d.get("ups.delay.start")) / 60
	o, err := offDelay(it, off)
	if err != nil {
		return "", err
	}
	if on <= 0 {
		return "S" + o + "\r", nil
	}
	return fmt.Sprintf("S%sR%04d\r", o, on), nil
}

func blazerShutdownStayoff(d *Driver, it *item, _ string) (string, error) {
	o, err := offDelay(it, atol(d.get("ups.delay.shutdown")))
	if err != nil {
		return "", err
	}
	return "S" + o + "R0000\r", nil
}

func blazerTestBattery(_ *Driver, it *item, param string) (string, error) {
	delay := 600
	if param != "" {
		delay = atol(param)
	}
	if delay < 60 || delay > 5940 {
		return "", fmt.Errorf("%s: battery test time '%d' out of range [60..5940] seconds", it.name, delay)
	}
	return fmt.Sprintf("T%02d\r", delay/60), nil
}

// blazerDelay truncates a delay to what the UPS can count: whole minutes
// for the start, steps of 6 s under a minute and whole minutes above for
// the shutdown.
func blazerDelay(_ *Driver, it *item, value string) (string, error) {
	n := atol(value)
	if n < 0 {
		return "", fmt.Errorf("%s: '%d' should not be negative", it.name, n)
	}
	switch {
	case it.name == "ups.delay.start":
		n -= n % 60
	case n < 60:
		n -= n % 6
	default:
		n -= n % 60
	}
	return strconv.Itoa(n), nil
}

// atol is C's strtol(s, NULL, 10) for what NUT keeps in its tree: the
// leading whole number, 0 when none.
func atol(s string) int {
	i := 0
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	j := i
	if j < len(s) && (s[j] == '-' || s[j] == '+') {
		j++
	}
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	n, _ := strconv.Atoi(s[i:j])
	return n
}

// blazerClaim is NUT's blazer_claim: the UPS answers the status request
// with a usable input.voltage and, unless novendor, the vendor request
// with a firmware. light skips the vendor.
func blazerClaim(light bool) func(d *Driver) bool {
	return func(d *Driver) bool {
		if !d.claimItem("input.voltage") {
			return false
		}
		if light || d.dev.Flag("novendor") {
			return true
		}
		if !d.claimItem("ups.firmware") {
			d.dev.Tree.Delete("input.voltage")
			return false
		}
		return true
	}
}

// blazerInit is NUT's blazer_initups: norating skips F, novendor I and
// FW?, ignoresab the shutdown-active bit.
func blazerInit(d *Driver) {
	nr, nv, isb := d.dev.Flag("norating"), d.dev.Flag("novendor"), d.dev.Flag("ignoresab")
	for i := range d.items {
		it := &d.items[i]
		switch {
		case nr && it.cmd == "F\r",
			nv && (it.cmd == "I\r" || it.cmd == "FW?\r"),
			isb && it.name == "ups.status" && it.from == 44:
			it.flags |= fSkip
		}
	}
}
