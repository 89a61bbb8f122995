package subdriver_test

import (
	"bufio"
	"context"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gonut/drivers/hid"
	"gonut/drivers/hid/internal/hidtest"
	"gonut/drivers/hid/internal/nutref"
	"gonut/drivers/hid/subdriver"
	"gonut/drivers/sockproto"
	"gonut/state"
)

// A write is what a driver writes to the device for an instant command
// or a SET of a variable: the report and the value of the row's field in
// it, "0x12=-1".

// writeActions are the socket requests that make usbhid-ups write with a
// row: each command of the device (but beeper.on and beeper.off, which
// usbhid-ups turns into beeper.enable and beeper.disable), and each
// writable variable a row reads from the device, set to a value its
// lookup has, or 12.
func writeActions(sub *subdriver.Subdriver, d *testDevice) []string {
	published, used := walk(sub, d)
	values := setInfo(published)
	var actions []string
	seen := map[string]bool{}
	for i, r := range sub.Info {
		if used[i] == nil || seen[r.Var] {
			continue
		}
		switch {
		case r.HID&subdriver.HIDCommand != 0 && r.Var != "beeper.on" && r.Var != "beeper.off":
			actions = append(actions, "INSTCMD "+r.Var)
		case r.Flags&state.RW != 0 && r.HID&subdriver.HIDAbsent == 0 && values[r.Var] != "":
			value := "12"
			switch {
			case r.Lookup != nil && r.Lookup.ToHID != nil:
				value = values[r.Var]
			case r.Lookup != nil && len(r.Lookup.Pairs) > 0:
				value = r.Lookup.Pairs[len(r.Lookup.Pairs)-1].NUT
			}
			actions = append(actions, sockproto.Message{Cmd: sockproto.Set, Args: []string{r.Var, value}}.String())
		default:
			continue
		}
		seen[r.Var] = true
	}
	return actions
}

// ourWrite is what the subdriver's row writes for an action: the row
// usbhid-ups finds for the name (its first kept row), the value its
// lookup gives (or the number), written in the row's field by
// hid.Field.SetValue, as the field reads it back. A value the lookup has
// no HID value for is refused; NUT writes -1 then (hu_find_valinfo's "not
// found"): nut is what NUT writes, by nutLogical.
func ourWrite(t *testing.T, sub *subdriver.Subdriver, d *testDevice, used []*hid.Field, action string) (ours, nut string) {
	t.Helper()
	m, err := sockproto.Parse(action)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range sub.Info {
		if used[i] == nil || !strings.EqualFold(r.Var, m.Args[0]) {
			continue
		}
		value := r.Format
		if len(m.Args) > 1 { // SET's value, or INSTCMD's
			value = m.Args[1]
		}
		f := used[i]
		nutWrite := func(v float64) string { return fmt.Sprintf("0x%02x=%d", f.ReportID, nutLogical(f, v)) }
		if r.Lookup == nil {
			v := float64(atol(value))
			return setValue(t, f, v), nutWrite(v)
		}
		if v, ok := r.Lookup.HID(d, value); ok {
			return setValue(t, f, v), nutWrite(v)
		}
		return "refused", nutWrite(-1)
	}
	return "none", "none"
}

// setValue is what hid.Field.SetValue writes for physical value x, as
// the field reads it back ("0x15=-1"), or "refused" and why.
func setValue(t *testing.T, f *hid.Field, x float64) string {
	t.Helper()
	report := make([]byte, 1+(f.Offset+f.Size+7)/8)
	report[0] = f.ReportID
	if f.ReportID == 0 {
		report = report[1:]
	}
	if err := f.SetValue(report, x); err != nil {
		return "refused (" + err.Error() + ")"
	}
	raw, err := f.Raw(report)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("0x%02x=%d", f.ReportID, fieldBits(f, raw))
}

// nutLogical is the logical value NUT writes for physical value x
// (HIDSetDataValue's exponent, physical_to_logical's truncation and
// clamping), as the field reads it back (its bits, signed if it is).
func nutLogical(f *hid.Field, x float64) int64 {
	e := 1.0
	for n := f.Exponent(); n > 0; n-- {
		e *= 10
	}
	for n := f.Exponent(); n < 0; n++ {
		e *= 0.1
	}
	x /= e
	logical := int64(x)
	if f.HasPhyMin && f.HasPhyMax && !(f.PhyMin == 0 && f.PhyMax == 0) && f.PhyMax > f.PhyMin && f.LogMax > f.LogMin {
		factor := float64(f.LogMax-f.LogMin) / float64(f.PhyMax-f.PhyMin)
		logical = min(max(int64((x-float64(f.PhyMin))*factor)+f.LogMin, f.LogMin), f.LogMax)
	}
	return fieldBits(f, uint64(logical))
}

// fieldBits is a value as the field's bits hold it, signed if the field
// is: what a write of it reads back as, whatever the field's range.
func fieldBits(f *hid.Field, raw uint64) int64 {
	bits := uint(f.Size)
	if bits >= 64 {
		return int64(raw)
	}
	v := int64(raw & (1<<bits - 1))
	if f.Signed() && v&(1<<(bits-1)) != 0 {
		v -= 1 << bits
	}
	return v
}

// nutUndefined are the variables NUT writes with undefined behaviour: MGE's
// clock, which mge_date_conversion_nuf and mge_time_conversion_nuf make
// with mktime of a struct tm whose tm_isdst is never set (here an hour
// off). gonut writes them in local time (TestMGEClock).
var nutUndefined = map[string]bool{"ups.date": true, "ups.time": true}

// atol reads an integer as C's atol: its longest prefix that is one.
func atol(s string) int64 {
	var n int64
	fmt.Sscanf(strings.TrimSpace(s), "%d", &n)
	return n
}

// nutWrites has Debian's usbhid-ups, on a sample through the libusb
// stand-in, do each action in turn, and reads what it wrote for each with
// the field ours writes in: the SET_REPORTs the stand-in logs.
func nutWrites(t *testing.T, shims nutShims, s hidtest.Sample, actions []string, fields []*hid.Field) []string {
	t.Helper()
	tmp := t.TempDir()
	setlog := filepath.Join(tmp, "setlog")
	var got []string
	nutSession(t, shims, s, setlog, func(conn net.Conn, r *bufio.Reader) {
		for i, a := range actions {
			before, _ := os.ReadFile(setlog)
			if _, err := fmt.Fprintf(conn, "%s\nPING\n", a); err != nil {
				t.Fatal(err)
			}
			for {
				line, err := r.ReadString('\n')
				if err != nil {
					t.Fatalf("%s: %v", a, err)
				}
				if line == "PONG\n" {
					break
				}
			}
			after, _ := os.ReadFile(setlog)
			var w []string
			for _, l := range strings.Split(strings.TrimSpace(string(after[len(before):])), "\n") {
				if l == "" {
					continue
				}
				report, err := hex.DecodeString(strings.ReplaceAll(l, " ", ""))
				if err != nil || len(report) == 0 {
					t.Fatalf("stand-in's log: %q: %v", l, err)
				}
				f := fields[i]
				if f == nil || report[0] != f.ReportID {
					w = append(w, fmt.Sprintf("report 0x%02x", report[0]))
					continue
				}
				raw, err := f.Raw(report)
				if err != nil {
					t.Fatalf("%s: %v", a, err)
				}
				w = append(w, fmt.Sprintf("0x%02x=%d", f.ReportID, fieldBits(f, raw)))
			}
			if len(w) == 0 {
				w = []string{"none"}
			}
			got = append(got, a+": "+strings.Join(w, " "))
		}
	})
	return got
}

// checkWrites compares, for each command and writable variable of a
// sample, what the subdriver writes with what Debian's usbhid-ups writes.
// A value ours refuses is only logged: one the lookup lacks, outside the
// logical range or in a Constant field, which NUT writes anyway.
func checkWrites(t *testing.T, sub *subdriver.Subdriver, s hidtest.Sample, shims nutShims) {
	t.Helper()
	var actions []string
	for _, a := range writeActions(sub, newTestDevice(t, sub, s)) {
		if m, _ := sockproto.Parse(a); nutUndefined[m.Args[0]] {
			continue
		}
		actions = append(actions, a)
	}
	compareWrites(t, sub, s, shims, actions, func(a, ours, nut string) {
		switch {
		case ours == nut:
		case strings.HasPrefix(ours, "refused"):
			t.Logf("%s: gonut %s, NUT writes %s", a, ours, nut)
		default:
			t.Errorf("%s: gonut writes %s, NUT %s", a, ours, nut)
		}
	})
}

// compareWrites has Debian's usbhid-ups do actions on a sample, checks
// that it writes what nutLogical says it does, and hands check what ours
// and NUT write for each.
func compareWrites(t *testing.T, sub *subdriver.Subdriver, s hidtest.Sample, shims nutShims, actions []string, check func(action, ours, nut string)) {
	t.Helper()
	d := newTestDevice(t, sub, s)
	_, used := walk(sub, d)
	var want []string
	var fields []*hid.Field
	for _, a := range actions {
		ours, nut := ourWrite(t, sub, d, used, a)
		check(a, ours, nut)
		want = append(want, a+": "+nut)
		m, _ := sockproto.Parse(a)
		var field *hid.Field
		for i, r := range sub.Info {
			if used[i] != nil && strings.EqualFold(r.Var, m.Args[0]) {
				field = used[i]
				break
			}
		}
		fields = append(fields, field)
	}
	diff(t, nutWrites(t, shims, s, actions, fields), want)
}

// TestWriteValuesMatchNUT: values written in fields of real devices,
// negative, between two logical steps, beyond either end of the range,
// with and without a physical range, reach the device as Debian's
// usbhid-ups sends them, or, outside a range without a physical one, are
// refused. A cancel (-1) is never written as 0 (the CP1500AVRLCDa reads 0
// as "now") nor refused (Tripp Lite's delay is declared 0..65535).
func TestWriteValuesMatchNUT(t *testing.T) {
	if err := nutref.Available(); err != nil {
		t.Skip(err)
	}
	shims := buildShims(t)
	byName := map[string]hidtest.Sample{}
	for _, s := range samples(t) {
		byName[s.Name] = s
	}
	for _, c := range []struct {
		sample string
		writes []string // "action: what NUT writes", "(refused)" when ours refuses it
	}{
		// DelayBeforeShutdown (0x15) and DelayBeforeStartup (0x16):
		// logical -1..32767 for physical -60..1966020 s, 60 s a step.
		{"cps-cp1500avrlcda", []string{
			"INSTCMD shutdown.stop: 0x15=-1",
			"INSTCMD load.off.delay -1: 0x15=-1",
			"INSTCMD load.on.delay -1: 0x16=-1",
			"INSTCMD load.off.delay 0: 0x15=0",
			"INSTCMD load.off.delay 20: 0x15=0",
			"INSTCMD load.off.delay 59: 0x15=0",
			"INSTCMD load.off.delay 60: 0x15=1",
			"INSTCMD load.off.delay 90: 0x15=1",
			"INSTCMD load.off.delay 119: 0x15=1",
			"INSTCMD load.off.delay 120: 0x15=2",
			"INSTCMD load.off.delay -59: 0x15=-1",
			"INSTCMD load.off.delay -61: 0x15=-1",
			"INSTCMD load.off.delay -600: 0x15=-1",
			"INSTCMD load.on.delay 1966020: 0x16=32767",
			"INSTCMD load.on.delay 99999999: 0x16=32767",
			// RemainingTimeLimit: 0..600 s, no physical range.
			"SET battery.runtime.low 600: 0x08=600",
			"SET battery.runtime.low 0: 0x08=0",
			"SET battery.runtime.low -5: 0x08=65531 (refused)",
			"SET battery.runtime.low 601: 0x08=601 (refused)",
		}},
		// DelayBeforeShutdown: -1..32767 s, no physical range.
		{"apc-back-ups-xs-1400u", []string{
			"INSTCMD shutdown.stop: 0x15=-1",
			"INSTCMD load.off.delay -1: 0x15=-1",
			"INSTCMD load.off.delay 45: 0x15=45",
			"INSTCMD load.off.delay 32767: 0x15=32767",
			"INSTCMD load.off.delay -2: 0x15=-2 (refused)",
			"INSTCMD load.off.delay 32768: 0x15=-32768 (refused)",
		}},
		// DelayBeforeShutdown: 0..65535 s, a cancel all ones.
		{"tripplite-3016", []string{
			"INSTCMD shutdown.stop: 0x15=65535",
			"INSTCMD load.off.delay -1: 0x15=65535",
			"INSTCMD load.off.delay 65535: 0x15=65535",
			"INSTCMD load.off.delay -2: 0x15=65534 (refused)",
		}},
	} {
		t.Run(c.sample, func(t *testing.T) {
			s, ok := byName[c.sample]
			if !ok {
				t.Fatalf("no sample %s", c.sample)
			}
			var actions []string
			refused := map[string]bool{}
			for _, w := range c.writes {
				a, _, _ := strings.Cut(w, ": ")
				actions = append(actions, a)
				refused[a] = strings.HasSuffix(w, " (refused)")
			}
			i := 0
			compareWrites(t, subdrivers[s.Subdriver], s, shims, actions, func(a, ours, nut string) {
				if want := a + ": " + nut; want != strings.TrimSuffix(c.writes[i], " (refused)") {
					t.Errorf("NUT's formula: %s, the table: %s", want, c.writes[i])
				}
				i++
				switch {
				case refused[a] && !strings.HasPrefix(ours, "refused"):
					t.Errorf("%s: gonut writes %s, want it refused (NUT writes %s)", a, ours, nut)
				case !refused[a] && ours != nut:
					t.Errorf("%s: gonut writes %s, NUT %s", a, ours, nut)
				}
			})
		})
	}
}

// TestWritesMatchNUT: for each command and writable variable of each
// subdriver's synthesized device, and of the real samples with reports,
// the subdriver writes the value, in the report and field, that Debian's
// usbhid-ups writes.
func TestWritesMatchNUT(t *testing.T) {
	if err := nutref.Available(); err != nil {
		t.Skip(err)
	}
	shims := buildShims(t)
	for _, sub := range subdriver.All {
		if len(sub.Info) == 0 {
			continue
		}
		t.Run("synth-"+sub.ID, func(t *testing.T) { checkWrites(t, sub, synthSample(t, sub), shims) })
	}
	for _, s := range samples(t) {
		if sub := subdrivers[s.Subdriver]; len(sub.Info) > 0 && len(s.Reports) > 0 {
			t.Run(s.Name, func(t *testing.T) { checkWrites(t, sub, s, shims) })
		}
	}
}

// nutSession runs Debian's usbhid-ups on a sample as a driver serving its
// socket, with the stand-in logging SET_REPORTs to setlog, and hands the
// connection to f once the driver has made its first update.
func nutSession(t *testing.T, shims nutShims, s hidtest.Sample, setlog string, f func(net.Conn, *bufio.Reader)) {
	t.Helper()
	tmp := t.TempDir()
	dev := nutDevice(t, s, tmp, setlog)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	exited := make(chan struct{})
	var out []byte
	var runErr error
	go func() {
		defer close(exited)
		out, runErr = nutref.Run(ctx, shims.strings+":"+shims.shim, dev, "-d", "0", "-x", fmt.Sprintf("productid=%04x", s.ProductID))
	}()
	defer func() { cancel(); <-exited }()
	conn, err := dialDriver(ctx, tmp, exited)
	if err != nil {
		cancel()
		<-exited
		t.Fatalf("%v (driver: %v)\n%s", err, runErr, out)
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	f(conn, bufio.NewReader(conn))
}

// nutDevice is the stand-in's device for a sample, its strings in the
// environment, with Debian's driver's temporary and PID files in tmp.
func nutDevice(t *testing.T, s hidtest.Sample, tmp, setlog string) nutref.Device {
	t.Helper()
	t.Setenv("TMPDIR", tmp)
	t.Setenv("NUT_ALTPIDPATH", tmp)
	abs := func(path string) string {
		p, err := filepath.Abs(path)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	t.Setenv("NUTSHIM_STRINGS", "")
	if _, err := os.Stat(s.File(".strings")); err == nil {
		t.Setenv("NUTSHIM_STRINGS", abs(s.File(".strings")))
	}
	dev := nutref.Device{VendorID: s.VendorID, ProductID: s.ProductID, BCD: s.BCD, Descriptor: abs(s.Path), SetLog: setlog}
	if len(s.Reports) > 0 {
		dev.Reports = abs(s.File(".reports"))
	}
	return dev
}
