package snmp

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/gosnmp/gosnmp"

	"gonut/drivers/snmp/mib"
)

func TestFormatNumber(t *testing.T) {
	for _, c := range []struct {
		n    int64
		mult float64
		want string
	}{
		{2301, 0.1, "230.10"}, // NUT prints two decimals of a C float
		{2300, 0.1, "230"},    // whole: no decimals
		{43, 60, "2580"},
		{-1, 1, "-1"},
		{1, 0.001, "0.00"},
		{5, 0.001, "0.00"},                      // 0.005 as a C float is 0.00499999...
		{math.MaxInt32, 1, "2147483647"},        // fits a C int
		{math.MaxInt32 + 1, 1, "2147483648.00"}, // does not: NUT's (int) cast fails its check
		{3000000000, 1, "3000000000.00"},
	} {
		if got := formatNumber(c.n, c.mult); got != c.want {
			t.Errorf("formatNumber(%d, %g) = %q, want %q", c.n, c.mult, got, c.want)
		}
	}
}

func TestStrtol(t *testing.T) {
	for in, want := range map[string]int64{
		"42": 42, "  -7": -7, "0x1F": 31, "010": 8, "12abc": 12, "abc": 0, "": 0, "+5": 5,
		"0x": 0, "99999999999999999999": math.MaxInt64, "-99999999999999999999": math.MinInt64,
		"09": 0, // octal stops at 9
	} {
		if got := strtol(in); got != want {
			t.Errorf("strtol(%q) = %d, want %d", in, got, want)
		}
	}
}

func TestTextOfString(t *testing.T) {
	if got := textOfString("Smart-UPS 1500\r\n"); got != "Smart-UPS 1500\r\n" {
		t.Errorf("printable: %q", got)
	}
	if got := textOfString("\x00\x1b\xff"); got != "00 1B FF " {
		t.Errorf("binary: %q", got)
	}
	if got := textOfString(strings.Repeat("x", 300)); len(got) != 127 {
		t.Errorf("a long string keeps %d bytes, want NUT's 127", len(got))
	}
}

// NUT's lookups stop at an entry "NULL" (CyberPower's power status
// begins with one, so NUT never shows OL for it); here such an entry
// means "no value" and the others are found.
func TestLookupNULL(t *testing.T) {
	lk := mib.ByName("cyberpower")[0].Find("ups.status").Lookup
	var c converter
	if s, ok := c.lookupNumber(lk, 1); ok {
		t.Errorf("value 1 (NULL) gives %q", s)
	}
	if s, ok := c.lookupNumber(lk, 2); !ok || s != "OL" {
		t.Errorf("value 2 gives %q %v, want OL", s, ok)
	}
}

func TestTemperature(t *testing.T) {
	unit := &mib.Lookup{Func: mib.FuncTemperatureUnit}
	read := &mib.Lookup{Func: mib.FuncTemperatureRead}
	var c converter
	if _, ok := c.lookupNumber(read, 250); ok {
		t.Error("a reading before its unit gives a value (NUT's: empty)")
	}
	for _, x := range []struct {
		unit, reading int64
		want          string
	}{{1, 250, "25"}, {0, 2982, "24"}, {2, 770, "25"}} {
		if s, _ := c.lookupNumber(unit, x.unit); s != "celsius" {
			t.Errorf("unit shows %q", s)
		}
		if s, ok := c.lookupNumber(read, x.reading); !ok || s != x.want {
			t.Errorf("unit %d, reading %d: %q, want %q", x.unit, x.reading, s, x.want)
		}
	}
}

func TestUSDate(t *testing.T) {
	if s, ok := usDateToISO("03/15/2021"); !ok || s != "2021-03-15" {
		t.Errorf("got %q %v", s, ok)
	}
	if _, ok := usDateToISO("garbage"); ok {
		t.Error("garbage converts")
	}
}

func TestDeviceCount(t *testing.T) {
	for in, want := range map[string]int64{"": 0, "0": 1, "0,3,4,5": 4, "0,": 1, ",": 1} {
		if got := deviceCount(in); got != want {
			t.Errorf("deviceCount(%q) = %d, want %d", in, got, want)
		}
	}
}

// FuzzValueOf: any variable an agent sends converts without a panic, a
// string row's text is at most NUT's 127 bytes and printable when it
// is shown as is, and a number row's text reads back as a number.
func FuzzValueOf(f *testing.F) {
	f.Add(byte(gosnmp.OctetString), []byte("Smart-UPS"), int64(0), 0.1)
	f.Add(byte(gosnmp.Integer), []byte(nil), int64(-5), 1.0)
	f.Add(byte(gosnmp.TimeTicks), []byte(nil), int64(18000), 3.0)
	f.Add(byte(gosnmp.ObjectIdentifier), []byte(".1.3.6.1.2.1.33"), int64(0), 1.0)
	f.Add(byte(gosnmp.Opaque), []byte{0x9f, 0x78, 4, 0, 0, 0, 0}, int64(0), 1.0)
	f.Fuzz(func(t *testing.T, typ byte, b []byte, n int64, mult float64) {
		v := Var{Name: ".1.3", Type: gosnmp.Asn1BER(typ)}
		switch v.Type {
		case gosnmp.OctetString, gosnmp.Opaque:
			v.Value = b
		case gosnmp.Integer:
			v.Value = int(n)
		case gosnmp.Counter32, gosnmp.Gauge32, gosnmp.TimeTicks, gosnmp.Uinteger32:
			v.Value = uint(uint32(n))
		case gosnmp.ObjectIdentifier:
			v.Value = string(b)
		default:
			v.Value = b
		}
		val := valueOf(v)
		switch val.Kind {
		case KindText:
			s := textOfString(val.Text)
			if len(s) > maxText {
				t.Fatalf("text of %d bytes", len(s))
			}
			if printable(val.Text) && !strings.HasPrefix(val.Text, s) {
				t.Fatalf("printable %q shown as %q", val.Text, s)
			}
			_ = strtol(val.Text)
		case KindNumber:
			if math.IsNaN(mult) || math.IsInf(mult, 0) {
				return
			}
			s := formatNumber(val.Num, mult)
			if _, err := strconv.ParseFloat(s, 64); err != nil && !strings.Contains(s, "Inf") && !strings.Contains(s, "NaN") {
				t.Fatalf("formatNumber(%d, %g) = %q", val.Num, mult, s)
			}
		}
		_, _ = usDateToISO(string(b))
		_ = deviceCount(string(b))
	})
}

// A row's value that its table calls invalid, or an object the agent
// lacks or refuses, drops that row; only an agent that does not answer
// (or a driver that stops) ends the walk.
func TestFatal(t *testing.T) {
	for _, c := range []struct {
		err   error
		fatal bool
	}{
		{fmt.Errorf("x: %w (-1)", errInvalid), false},
		{fmt.Errorf("x: %w", ErrNoSuchName), false},
		{fmt.Errorf("x: %w: genErr", ErrAgent), false},
		{fmt.Errorf("x: %w", errUnread), false},
		{&TimeoutError{"127.0.0.1:161"}, true},
		{context.Canceled, true},
		{errors.New("127.0.0.1:161 answered with no SNMP message this driver can read"), true},
	} {
		if got := fatal(c.err); got != c.fatal {
			t.Errorf("fatal(%v) = %v", c.err, got)
		}
	}
}
