package snmp

import (
	"fmt"
	"math"
	"strings"

	"github.com/gosnmp/gosnmp"

	"gonut/drivers/snmp/mib"
)

// maxText is the longest text NUT keeps of a value (SU_INFOSIZE less its
// terminating NUL).
const maxText = 127

// Kind is what a value turned out to be once read.
type Kind uint8

const (
	KindNone   Kind = iota // a type snmp-ups does not read (Counter64, IpAddress, Null...)
	KindText               // an OCTET STRING or Opaque
	KindNumber             // INTEGER, Counter32, Gauge32, TimeTicks (in seconds)
	KindOID                // an OBJECT IDENTIFIER: NUT reads the object it names
)

// Value is an agent's value as snmp-ups reads it.
type Value struct {
	Kind Kind
	Text string // KindText: the bytes; KindOID: the OID
	Num  int64  // KindNumber
	// Type is the agent's own type of the object (for a SET of it).
	Type gosnmp.Asn1BER
}

// valueOf reads a variable as NUT's decode functions do: TimeTicks are
// seconds (hundredths dropped), numbers are whole.
func valueOf(v Var) Value {
	out := Value{Type: v.Type}
	switch v.Type {
	case gosnmp.OctetString, gosnmp.Opaque:
		out.Kind = KindText
		switch b := v.Value.(type) {
		case []byte:
			out.Text = string(b)
		case string:
			out.Text = b
		default:
			out.Kind = KindNone // an Opaque of a float, say: NUT reads its bytes; we do not guess
		}
	case gosnmp.Integer, gosnmp.Counter32, gosnmp.Gauge32, gosnmp.Uinteger32:
		out.Kind, out.Num = KindNumber, gosnmp.ToBigInt(v.Value).Int64()
	case gosnmp.TimeTicks:
		out.Kind, out.Num = KindNumber, gosnmp.ToBigInt(v.Value).Int64()/100
	case gosnmp.ObjectIdentifier:
		if s, ok := v.Value.(string); ok {
			out.Kind, out.Text = KindOID, s
		}
	}
	return out
}

// printable reports whether NUT shows a string as it is: every byte
// printable or white space in the C locale.
func printable(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 0x20 && c <= 0x7e || c >= 0x09 && c <= 0x0d) {
			return false
		}
	}
	return true
}

// hexString is a binary string as Net-SNMP prints it: each byte in two
// upper-case hex digits and a space.
func hexString(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		fmt.Fprintf(&b, "%02X ", s[i])
	}
	return b.String()
}

func clip(s string) string {
	if len(s) > maxText {
		return s[:maxText]
	}
	return s
}

// textOfString is a string value as a string row shows it (NUT's
// decode_str for OCTET STRING).
func textOfString(s string) string {
	if !printable(s) {
		return clip(hexString(s))
	}
	return clip(s)
}

// strtol is C's strtol(s, NULL, 0): leading blanks, a sign, then a hex
// (0x), octal (0) or decimal number, as far as it goes; 0 when there is
// none; clamped to the 64-bit range.
func strtol(s string) int64 {
	i := 0
	for i < len(s) && (s[i] == ' ' || s[i] >= 0x09 && s[i] <= 0x0d) {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	base := uint64(10)
	if i+1 < len(s) && s[i] == '0' && (s[i+1] == 'x' || s[i+1] == 'X') && i+2 < len(s) && digit(s[i+2], 16) >= 0 {
		base, i = 16, i+2
	} else if i < len(s) && s[i] == '0' {
		base = 8
	}
	var n uint64
	over := false
	for ; i < len(s); i++ {
		d := digit(s[i], base)
		if d < 0 {
			break
		}
		if n > (math.MaxUint64-uint64(d))/base {
			over = true
			continue
		}
		n = n*base + uint64(d)
	}
	switch {
	case neg && (over || n > 1<<63):
		return math.MinInt64
	case neg:
		return -int64(n)
	case over || n > math.MaxInt64:
		return math.MaxInt64
	}
	return int64(n)
}

func digit(c byte, base uint64) int {
	var d int
	switch {
	case c >= '0' && c <= '9':
		d = int(c - '0')
	case c >= 'a' && c <= 'z':
		d = int(c-'a') + 10
	case c >= 'A' && c <= 'Z':
		d = int(c-'A') + 10
	default:
		return -1
	}
	if d >= int(base) {
		return -1
	}
	return d
}

// formatNumber is a number row's value: the device's number times the
// row's multiplier, whole when it is whole (and fits a C int), else with
// two decimals of a C float, as NUT prints it.
func formatNumber(n int64, mult float64) string {
	d := float64(n) * mult
	if d == math.Trunc(d) && d >= math.MinInt32 && d <= math.MaxInt32 {
		return fmt.Sprintf("%d", int64(d))
	}
	return fmt.Sprintf("%.2f", float32(d))
}

// Temperature units, as Eaton's sensors give them (the driver remembers
// the unit for the readings that follow).
const (
	tempUnknown = iota
	tempCelsius
	tempKelvin
	tempFahrenheit
)

// converter holds what the tables' conversions remember: the unit of
// the temperature sensors.
type converter struct {
	tempUnit int
}

// lookupNumber is a number through a row's lookup (NUT's
// su_find_infoval): the table's text, or the conversion's.
func (c *converter) lookupNumber(lk *mib.Lookup, v int64) (string, bool) {
	if lk == nil {
		return "", false
	}
	switch lk.Func {
	case mib.FuncNone:
		for _, e := range lk.Entries {
			if e.Value == v {
				// "NULL" is a value with no meaning. NUT's search
				// stops at the first such entry, so the entries
				// after it are never found.
				return e.Text, e.Text != "NULL"
			}
		}
		return "", false
	case mib.FuncTemperatureUnit:
		switch v {
		case 0:
			c.tempUnit = tempKelvin
		case 1:
			c.tempUnit = tempCelsius
		case 2:
			c.tempUnit = tempFahrenheit
		default:
			c.tempUnit = tempUnknown
		}
		return "celsius", true
	case mib.FuncTemperatureRead:
		switch c.tempUnit {
		case tempKelvin:
			return fmt.Sprint(int64(float64(v/10) - 273.15)), true
		case tempCelsius:
			return fmt.Sprint(v / 10), true
		case tempFahrenheit:
			return fmt.Sprint((v/10 - 32) * 5 / 9), true
		}
		// NUT publishes an empty value; an unknown unit gives nothing.
		return "", false
	}
	return "", false // a conversion of text, given a number
}

// lookupText reformats a string row's text through a conversion (NUT's
// su_find_strval): only conversions of text apply.
func (c *converter) lookupText(lk *mib.Lookup, s string) (string, bool) {
	if lk == nil {
		return "", false
	}
	switch lk.Func {
	case mib.FuncUSDateToISO:
		return usDateToISO(s)
	}
	return "", false
}

// usDateToISO turns mm/dd/yyyy into yyyy-mm-dd. NUT's strptime takes
// what it can and strftime prints the rest as zeros (the year 1900 and
// day 0 included); a date that does not read whole is left as it is.
func usDateToISO(s string) (string, bool) {
	var m, d, y int
	var rest string
	n, _ := fmt.Sscanf(s, "%d/%d/%d%s", &m, &d, &y, &rest)
	if n != 3 || m < 1 || m > 12 || d < 1 || d > 31 || y < 0 || y > 9999 {
		return "", false
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, m, d), true
}

// valueFor is the number to SET for a NUT value through a lookup table
// (NUT's su_find_valinfo).
func valueFor(lk *mib.Lookup, text string) (int64, bool) {
	if lk == nil || lk.Func != mib.FuncNone {
		return 0, false
	}
	for _, e := range lk.Entries {
		if e.Text == text {
			return e.Value, true
		}
	}
	return 0, false
}

// deviceCount counts the devices of a list such as "0,3,4,5" (Eaton's
// unitsPresent): NUT's marlin_device_count_fun.
func deviceCount(list string) int64 {
	if list == "" {
		return 0
	}
	n := int64(strings.Count(list, ","))
	if !strings.HasSuffix(list, ",") {
		n++
	}
	return n
}
