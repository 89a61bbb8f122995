package qx

import (
	"fmt"
	"strconv"
	"strings"
)

// Voltronic-QS-Hex (NUT's nutdrv_qx_voltronic-qs-hex.c): QS answered in
// bytes, not digits. The answer is first rewritten as text (hexRefine):
// each byte as two hex digits, the status byte (and a T-type UPS's
// ratings byte) as eight binary digits; then the items read that text.
func voltronicQSHexTable() []item {
	qs := func(name string, from, to int, fl flags, v func(*Driver, *item, string) (string, error)) item {
		return item{name: name, cmd: "QS\r", minLen: 47, lead: '#', from: from, to: to, flags: fl, refine: hexRefine, value: v}
	}
	t := []item{
		{name: "ups.firmware.aux", cmd: "M\r", minLen: 2, dfl: "PM-%s", flags: fStatic, value: voltronicQSHexProtocol},
		qs("input.voltage", 1, 7, 0, hexVoltage),
		qs("output.voltage", 9, 15, 0, hexVoltage),
		qs("ups.load", 17, 18, 0, hexLoad),
		qs("output.frequency", 20, 30, 0, hexFrequency),
		qs("battery.voltage", 32, 36, 0, hexBatteryVoltage),
	}
	for _, b := range statusRows("QS\r", "output.frequency")[7:] {
		b.lead, b.refine = '#', hexRefine
		t = append(t, b)
	}
	for _, r := range []struct {
		name     string
		from, to int
	}{{"output.frequency.nominal", 47, 47}, {"battery.voltage.nominal", 48, 49}, {"output.voltage.nominal", 52, 54}} {
		it := qs(r.name, r.from, r.to, fSkip, hexRating)
		it.minLen = 56
		t = append(t, it)
	}
	t = append(t, commandRows(item{}, "beeper.toggle", "load.off", "load.on", "shutdown.return", "shutdown.stayoff",
		"shutdown.stop", "test.battery.start.quick")...)
	t[len(t)-1].flags |= fSkip // a T-type UPS only
	return append(t, delayRows([2]int{60, 599940}, [2]int{12, 540})...)
}

// hexEscapes are the bytes the UPS sends as '(' and a code: those a line
// or its flow control would take (CR, XON, XOFF, LF, space).
var hexEscapes = map[byte]byte{0: 0x0d, 1: 0x11, 2: 0x13, 3: 0x0a, 4: 0x20}

// hexRefine rewrites a QS answer of bytes as NUT's
// voltronic_qs_hex_preprocess_qs_answer does.
func hexRefine(ans string) (string, error) {
	if ans == "" {
		return ans, nil
	}
	if ans[0] != '#' {
		return "", fmt.Errorf("QS answer starts with %q, expected '#'", ans[:1])
	}
	var b strings.Builder
	b.WriteByte('#')
	token := 1
	put := func(c byte) {
		if token == 10 || token == 11 {
			fmt.Fprintf(&b, "%08b", c)
		} else {
			fmt.Fprintf(&b, "%02x", c)
		}
	}
loop:
	for i := 1; i < len(ans); i++ {
		c := ans[i]
		switch {
		case c == ' ':
			b.WriteByte(' ')
			token++
		case c == '(':
			var next byte // past the end: NUT reads its buffer's zero
			if i+1 < len(ans) {
				next = ans[i+1]
			}
			if e, ok := hexEscapes[next]; ok {
				fmt.Fprintf(&b, "%02x", e) // escapes are hex, whatever the token
				i++
				continue
			}
			put(c)
		case c == '\r':
			break loop
		default:
			put(c)
		}
	}
	r := b.String()
	if !(token == 10 && len(r) == 46 || token == 11 && len(r) == 55) {
		return "", fmt.Errorf("QS answer of %d fields (%d characters as text), expected 10 (46) or 11 (55)", token, len(r))
	}
	return r + "\r", nil
}

// hexPair reads "XXXX YY": two hex numbers, C's strtol after one another.
func hexPair(it *item, raw string) (int64, int64, error) {
	if strings.Trim(raw, "0123456789ABCDEFabcdef ") != "" {
		return 0, 0, &errAnswer{it.name, fmt.Sprintf("%q is not hexadecimal", raw)}
	}
	f := strings.Fields(raw)
	var v [2]int64
	for i := 0; i < 2 && i < len(f); i++ {
		v[i], _ = strconv.ParseInt(f[i], 16, 64)
	}
	return v[0], v[1], nil
}

func hexVoltage(_ *Driver, it *item, raw string) (string, error) {
	a, b, err := hexPair(it, raw)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%.1f", float64(a*b/51)/256), nil
}

func hexLoad(_ *Driver, it *item, raw string) (string, error) {
	if strings.Trim(raw, "0123456789ABCDEFabcdef") != "" {
		return "", &errAnswer{it.name, fmt.Sprintf("%q is not hexadecimal", raw)}
	}
	n, _ := strconv.ParseInt(raw, 16, 64)
	return strconv.FormatInt(n, 10), nil
}

func hexFrequency(_ *Driver, it *item, raw string) (string, error) {
	a, b, err := hexPair(it, raw)
	if err != nil {
		return "", err
	}
	f := float64(b) / float64(a) // NUT's too: a 0 divisor gives inf, then 99.9
	if f > 99.9 {
		f = 99.9
	}
	return fmt.Sprintf("%.1f", f), nil
}

func hexBatteryVoltage(_ *Driver, it *item, raw string) (string, error) {
	a, b, err := hexPair(it, raw)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%.2f", float64(a*b)/510), nil
}

// hexRating reads the ratings byte's binary digits.
func hexRating(_ *Driver, it *item, raw string) (string, error) {
	if strings.Trim(raw, "01") != "" || raw == "" {
		return "", &errAnswer{it.name, fmt.Sprintf("%q is not binary", raw)}
	}
	n, _ := strconv.Atoi(raw)
	var v float64
	switch it.from {
	case 47:
		v = map[bool]float64{true: 50, false: 60}[n == 0]
	case 48:
		v = map[int]float64{0: 12, 1: 24, 10: 36}[n]
		if v == 0 {
			v = 48
		}
	case 52:
		var ok bool
		if v, ok = map[int]float64{0: 110, 1: 120, 10: 220, 11: 230, 100: 240}[n]; !ok {
			return "", &errAnswer{it.name, fmt.Sprintf("no nominal output voltage %q", raw)}
		}
	}
	return fmt.Sprintf("%.1f", v), nil
}

// voltronicQSHexProtocol: P or T; a T-type UPS also has ratings and a
// quick battery test.
func voltronicQSHexProtocol(d *Driver, it *item, raw string) (string, error) {
	if !strings.EqualFold(raw, "P") && !strings.EqualFold(raw, "T") {
		return "", &errAnswer{it.name, fmt.Sprintf("protocol %q, expected P or T", raw)}
	}
	if strings.EqualFold(raw, "T") {
		for i := range d.items {
			switch d.items[i].name {
			case "test.battery.start.quick", "output.frequency.nominal", "battery.voltage.nominal", "output.voltage.nominal":
				d.items[i].flags &^= fSkip
			}
		}
	}
	return fmt.Sprintf(it.dfl, raw), nil
}
