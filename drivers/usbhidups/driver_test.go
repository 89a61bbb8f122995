package usbhidups_test

import (
	"bufio"
	"context"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"gonut/drivers/core"
	"gonut/drivers/hid"
	"gonut/drivers/usb"
	"gonut/drivers/usb/replay"
	"gonut/drivers/usbhidups"
	"gonut/internal/nuttest"
	"gonut/internal/plainlog"
	"gonut/nutenv"
)

const testdata = "../hid/testdata/"

// readHex reads a drivers/hid testdata file of hex bytes, a slice a line.
func readHex(t *testing.T, name string) [][]byte {
	t.Helper()
	data, err := os.ReadFile(testdata + name)
	if err != nil {
		t.Fatal(err)
	}
	var out [][]byte
	for _, l := range strings.Split(string(data), "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		b, err := hex.DecodeString(strings.ReplaceAll(l, " ", ""))
		if err != nil {
			t.Fatalf("%s: %q: %v", name, l, err)
		}
		out = append(out, b)
	}
	return out
}

// xs1400u is the APC Back-UPS XS 1400U: its report descriptor and the
// feature reports it gave NUT.
func xs1400u(t *testing.T) *replay.Device {
	return sample(t, "apc-back-ups-xs-1400u", 0x051d, 0x0002, 0x0106)
}

// sample is a device of drivers/hid/testdata: its .hex report
// descriptor, .strings and .reports.
func sample(t *testing.T, name string, vendor, product, release uint16) *replay.Device {
	d := &replay.Device{Bus: 1, Address: 2, Port: 1, VendorID: vendor, ProductID: product, Release: release,
		Strings: map[uint8]string{}}
	// The USB strings Debian's usbhid-ups was given: "INDEX STRING" lines.
	data, err := os.ReadFile(testdata + name + ".strings")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(data), "\n") {
		i, str, ok := strings.Cut(l, " ")
		if n, err := strconv.Atoi(i); ok && err == nil && !strings.HasPrefix(l, "#") {
			d.Strings[uint8(n)] = str
		}
	}
	d.Manufacturer, d.Product, d.Serial = d.Strings[1], d.Strings[2], d.Strings[3]
	for _, l := range readHex(t, name+".hex") {
		d.ReportDescriptor = append(d.ReportDescriptor, l...)
	}
	desc, err := hid.Parse(d.ReportDescriptor)
	if err != nil {
		t.Fatal(err)
	}
	// Reports the log did not show read as zeros, as they did for
	// Debian's usbhid-ups on drivers/hid's libusb stand-in.
	for id, r := range desc.ReportBuffers(readHex(t, name+".reports")...) {
		d.Report(usb.Feature, id, r)
	}
	return d
}

type harness struct {
	vars nutenv.Env
	done chan error
}

// start runs usbhid-ups on a replay bus, section [t] with extra lines.
func start(t *testing.T, bus *replay.Bus, extra string) *harness {
	t.Helper()
	return startLogging(t, bus, extra, plainlog.New(os.Stderr, usb.DebugLevel(0)))
}

// startLogging is start with a logger of the test's.
func startLogging(t *testing.T, bus *replay.Bus, extra string, log *slog.Logger) *harness {
	t.Helper()
	dir := t.TempDir()
	conf := "[t]\n\tdriver = usbhid-ups\n\tport = auto\n" + extra
	if err := os.WriteFile(filepath.Join(dir, "ups.conf"), []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	h := &harness{vars: func(k string) string {
		switch k {
		case "NUT_CONFPATH", "NUT_STATEPATH":
			return dir
		}
		return ""
	}, done: make(chan error, 1)}
	d := usbhidups.New(func() (usb.Bus, error) { return bus, nil })
	go func() {
		h.done <- core.Run(context.Background(), d, core.Args{UPS: "t"},
			core.Env{Vars: h.vars, Clock: core.RealClock(), Stdout: os.Stdout, Log: log})
	}()
	t.Cleanup(func() {
		core.SendCommand(h.vars, "usbhid-ups", "t", "exit", 0)
		select {
		case <-h.done:
		case <-time.After(10 * time.Second):
			t.Error("driver did not exit")
		}
	})
	return h
}

type sock struct {
	t *testing.T
	c net.Conn
	r *bufio.Reader
}

func (h *harness) dial(t *testing.T) *sock {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		c, err := net.Dial("unix", h.vars.DriverSocket("usbhid-ups", "t"))
		if err == nil {
			t.Cleanup(func() { c.Close() })
			return &sock{t, c, bufio.NewReader(c)}
		}
		select {
		case err := <-h.done:
			t.Fatalf("driver ended: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (s *sock) send(line string) {
	if _, err := s.c.Write([]byte(line + "\n")); err != nil {
		s.t.Fatal(err)
	}
}

// until reads lines until one starts with prefix.
func (s *sock) until(prefix string) string {
	s.t.Helper()
	s.c.SetReadDeadline(time.Now().Add(20 * time.Second))
	for {
		l, err := s.r.ReadString('\n')
		if err != nil {
			s.t.Fatalf("waiting for %q: %v", prefix, err)
		}
		if l = strings.TrimRight(l, "\n"); strings.HasPrefix(l, prefix) {
			return l
		}
	}
}

// dumpAll is DUMPALL's lines, up to DUMPDONE.
func (s *sock) dumpAll() []string {
	s.send("DUMPALL")
	var lines []string
	s.c.SetReadDeadline(time.Now().Add(20 * time.Second))
	for {
		l, err := s.r.ReadString('\n')
		if err != nil {
			s.t.Fatal(err)
		}
		l = strings.TrimRight(l, "\n")
		if l == "DUMPDONE" {
			return lines
		}
		lines = append(lines, l)
	}
}

// dump is DUMPALL's variables, name to value.
func (s *sock) dump() map[string]string {
	vars := map[string]string{}
	for _, l := range s.dumpAll() {
		if rest, ok := strings.CutPrefix(l, "SETINFO "); ok {
			name, value, _ := strings.Cut(rest, " ")
			vars[name] = strings.Trim(value, `"`)
		}
	}
	return vars
}

// rawDump is DUMPALL's lines, but for the driver's own (driver.*) and
// device.type, .mfr, .model and .serial, sorted.
func (s *sock) rawDump() []string {
	var lines []string
	for _, l := range s.dumpAll() {
		f := strings.Fields(l)
		if len(f) < 2 || f[0] == "DATAOK" || f[0] == "DATASTALE" || strings.HasPrefix(f[1], "driver.") ||
			strings.Contains(" device.type device.mfr device.model device.serial ", " "+f[1]+" ") {
			continue
		}
		lines = append(lines, l)
	}
	sort.Strings(lines)
	return lines
}

// The driver publishes, for the XS 1400U's reports and strings, exactly
// what Debian's usbhid-ups published for them: its DUMPALL after its
// first update (drivers/hid's golden file, apc-back-ups-xs-1400u.dstate):
// variables and values, ups.status from the flags, the model and
// firmware from the product string, flags, sizes and commands.
func TestPublishesWhatNUTPublishes(t *testing.T) {
	dev := xs1400u(t)
	s := start(t, replay.NewBus(dev), "").dial(t)
	got := s.rawDump()
	data, err := os.ReadFile(testdata + "apc-back-ups-xs-1400u.dstate")
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, l := range strings.Split(string(data), "\n") {
		if l != "" && !strings.HasPrefix(l, "#") {
			want = append(want, l)
		}
	}
	sort.Strings(want)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("DUMPALL differs from Debian's usbhid-ups:\n%s", lineDiff(want, got))
	}
	if v := s.dump(); v["driver.parameter.pollfreq"] != "30" || v["driver.version.data"] != "APC HID 0.98" {
		t.Errorf("driver.parameter.pollfreq %q, driver.version.data %q", v["driver.parameter.pollfreq"], v["driver.version.data"])
	}
}

// lineDiff lists the lines only in want (-) or only in got (+).
func lineDiff(want, got []string) string {
	in := func(l []string) map[string]bool {
		m := map[string]bool{}
		for _, x := range l {
			m[x] = true
		}
		return m
	}
	w, g := in(want), in(got)
	var b strings.Builder
	for _, x := range want {
		if !g[x] {
			b.WriteString("- " + x + "\n")
		}
	}
	for _, x := range got {
		if !w[x] {
			b.WriteString("+ " + x + "\n")
		}
	}
	return b.String()
}

// Input reports from the interrupt pipe change ups.status and ups.alarm
// at once, with no poll due for a minute, as NUT 2.8.0 builds them from
// the XS 1400U's PresentStatus bits (report 0x16: Charging, Discharging,
// ACPresent, BatteryPresent, BelowRemainingCapacityLimit,
// ShutdownImminent, ..., NeedReplacement in the second byte).
func TestInterruptReportsChangeStatusAtOnce(t *testing.T) {
	for _, c := range []struct {
		bits            [2]byte
		status, alarm   string
		onlinedischarge bool
	}{
		{[2]byte{0x0a, 0}, "OB DISCHRG", "", false},
		{[2]byte{0x1a, 0}, "OB DISCHRG LB", "", false},
		{[2]byte{0x3a, 0}, "ALARM OB DISCHRG LB", "Shutdown imminent!", false},
		{[2]byte{0x0d, 0x01}, "ALARM OL CHRG RB", "Replace battery!", false},
		{[2]byte{0x04, 0}, "ALARM OL", "No battery installed!", false},
		{[2]byte{0x0e, 0}, "OL DISCHRG", "", false},
		{[2]byte{0x0e, 0}, "OB DISCHRG", "", true},
	} {
		t.Run(fmt.Sprintf("%x%s", c.bits, map[bool]string{true: "-onlinedischarge"}[c.onlinedischarge]), func(t *testing.T) {
			dev := xs1400u(t)
			extra := "\tpollinterval = 60\n\tpollfreq = 60\n"
			if c.onlinedischarge {
				extra += "\tonlinedischarge\n"
			}
			var log nuttest.SyncBuffer
			s := startLogging(t, replay.NewBus(dev), extra, plainlog.New(&log, usb.DebugLevel(0))).dial(t)
			if got := s.dump()["ups.status"]; got != "OL" {
				t.Fatalf("ups.status %q at start, want OL", got)
			}
			dev.Interrupt(replay.Answer{Data: []byte{0x16, c.bits[0], c.bits[1], 0x00, 0x00}})
			if got := s.until("SETINFO ups.status"); got != fmt.Sprintf("SETINFO ups.status %q", c.status) {
				t.Fatalf("after the interrupt report: %q, want %q", got, c.status)
			}
			if got := s.dump()["ups.alarm"]; got != c.alarm {
				t.Errorf("ups.alarm %q, want %q", got, c.alarm)
			}
			// OL with DISCHRG, unasked: NUT's warning, once.
			want := 0
			if c.status == "OL DISCHRG" {
				want = 1
			}
			if n := strings.Count(log.String(), "is in OL+DISCHRG state"); n != want {
				t.Errorf("%d warnings of OL+DISCHRG, want %d:\n%s", n, want, log.String())
			}
		})
	}
}

// Instant commands write their row's value with SET_REPORT on the first
// field the device has: test.battery.start.quick is 1 in UPS.Battery.Test
// (feature report 0x21), load.off.delay the table's 20 s, or the one
// given, in UPS.PowerSummary.DelayBeforeShutdown (0x15, 16 bits).
func TestInstantCommandsSendSetReport(t *testing.T) {
	dev := xs1400u(t)
	h := start(t, replay.NewBus(dev), "")
	s := h.dial(t)
	s.dump()
	for i, c := range []struct {
		cmd   string
		value uint16
		data  string
	}{
		{"test.battery.start.quick", 0x0321, "2101"},
		{"load.off.delay", 0x0315, "151400"},
		{"load.off.delay 90", 0x0315, "155a00"},
		{"shutdown.stop", 0x0315, "15ffff"},
	} {
		before := len(dev.Writes())
		s.send(fmt.Sprintf("INSTCMD %s TRACKING c%d", c.cmd, i))
		if got, want := s.until("TRACKING"), fmt.Sprintf("TRACKING c%d 0", i); got != want {
			t.Fatalf("%s: %q, want %q", c.cmd, got, want)
		}
		w := dev.Writes()[before:]
		if len(w) != 1 {
			t.Fatalf("%s: %d writes, want one SET_REPORT: %+v", c.cmd, len(w), w)
		}
		if w[0].Setup != (replay.Setup{RequestType: 0x21, Request: 0x09, Value: c.value, Index: 0}) || hex.EncodeToString(w[0].Data) != c.data {
			t.Errorf("%s: sent %+v %x, want SET_REPORT 0x%04x %s", c.cmd, w[0].Setup, w[0].Data, c.value, c.data)
		}
	}
	s.send("INSTCMD no.such.command TRACKING u")
	if got := s.until("TRACKING"); got != "TRACKING u 1" {
		t.Errorf("unknown command: %q", got)
	}
}

// Unplugged, the device makes the data stale (DATASTALE on the socket);
// plugged back (at a new address), it is found again with the same
// options and read in full (DATAOK, and what it says now).
func TestUnplugReplug(t *testing.T) {
	dev := xs1400u(t)
	h := start(t, replay.NewBus(dev), "\tpollinterval = 1\n")
	s := h.dial(t)
	s.dump()
	dev.Unplug()
	s.until("DATASTALE")
	dev.Report(usb.Feature, 0x0c, []byte{0x0c, 0x37, 0xb8, 0x05}) // 55 %, while away
	dev.Plug()
	s.until("DATAOK")
	if got := s.dump()["battery.charge"]; got != "55" {
		t.Fatalf("battery.charge %q after the device came back, want 55", got)
	}
}

// SET writes a writable row with SET_REPORT, or, for a variable the
// table keeps in the driver (ups.delay.shutdown), only the variable;
// offdelay sets ups.delay.shutdown; load.off is load.off.delay 0, as in
// NUT. The XS 1400U has no startup delay: no load.on, no shutdown.return.
func TestSetAndCompositeCommands(t *testing.T) {
	dev := xs1400u(t)
	s := start(t, replay.NewBus(dev), "\toffdelay = 40\n").dial(t)
	if got := s.dump()["ups.delay.shutdown"]; got != "40" {
		t.Fatalf("ups.delay.shutdown %q, want offdelay's 40", got)
	}
	before := len(dev.Writes())
	for i, c := range []struct{ line, want string }{
		{"SET battery.charge.low 20", "TRACKING s0 0"},
		{"SET ups.delay.shutdown 60", "TRACKING s1 0"},
		{"SET battery.charge 20", "TRACKING s2 2"},
		{"INSTCMD load.off", "TRACKING s3 0"},
		{"INSTCMD shutdown.return", "TRACKING s4 1"},
	} {
		s.send(fmt.Sprintf("%s TRACKING s%d", c.line, i))
		if got := s.until("TRACKING"); got != c.want {
			t.Fatalf("%s: %q, want %q", c.line, got, c.want)
		}
	}
	var got []string
	for _, w := range dev.Writes()[before:] {
		got = append(got, fmt.Sprintf("%04x:%x", w.Setup.Value, w.Data))
	}
	if want := []string{"0311:1114", "0315:150000"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("SET_REPORTs %v, want %v", got, want)
	}
	if v := s.dump(); v["battery.charge.low"] != "20" || v["ups.delay.shutdown"] != "60" {
		t.Errorf("after SET: battery.charge.low %q, ups.delay.shutdown %q", v["battery.charge.low"], v["ups.delay.shutdown"])
	}
}

// Interrupt reads that are no report of the device (empty, of an ID it
// does not declare, failed) change nothing and stop nothing; a report cut
// short reads as zeros past its end, and bytes past a report's declared
// length are ignored, as in NUT's report buffers.
func TestOddInterruptReports(t *testing.T) {
	dev := xs1400u(t)
	s := start(t, replay.NewBus(dev), "\tpollinterval = 60\n\tpollfreq = 60\n").dial(t)
	s.dump()
	dev.Interrupt(replay.Answer{Data: []byte{}}, replay.Answer{Data: []byte{0xee, 1, 2, 3}}, replay.Answer{Err: usb.CodeOverflow},
		replay.Answer{Data: []byte{0x16}})
	if got := s.until("SETINFO ups.status"); got != `SETINFO ups.status "ALARM OB"` {
		t.Fatalf("after a report of 0x16 cut to its ID: %q, want ALARM OB (every bit 0: no AC, no battery)", got)
	}
	dev.Interrupt(replay.Answer{Data: []byte{0x16, 0x0a, 0, 0, 0, 0xff, 0xff, 0xff}})
	if got := s.until("SETINFO ups.status"); got != `SETINFO ups.status "OB DISCHRG"` {
		t.Fatalf("after a report of 0x16 too long: %q, want OB DISCHRG", got)
	}
}

// explore, with vendorid, takes any device (here one no subdriver
// claims, with the XS 1400U's descriptor) and logs every field with its
// value as NUT prints them (drivers/hid's .nut file holds Debian's lines).
func TestExplore(t *testing.T) {
	dev := xs1400u(t)
	dev.VendorID, dev.ProductID = 0x1234, 0x5678
	var b nuttest.SyncBuffer
	s := startLogging(t, replay.NewBus(dev), "\tvendorid = 1234\n\texplore\n", plainlog.New(&b, usb.DebugLevel(1))).dial(t)
	s.dump()
	for _, want := range []string{
		"Path: UPS.PowerSummary.RemainingCapacity, Type: Feature, ReportID: 0x0c, Offset: 0, Size: 8, Value: 100",
		"Path: UPS.PowerSummary.RunTimeToEmpty, Type: Input, ReportID: 0x0c, Offset: 8, Size: 16, Value: 1464",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("no line %q in the log:\n%s", want, b.String())
		}
	}
}

// A SET_REPORT the UPS refuses (a stall) is a FAILED SET, not UNKNOWN as
// in NUT 2.8.0, and the variable keeps its value.
func TestRefusedSetFails(t *testing.T) {
	dev := xs1400u(t)
	dev.On(replay.Setup{RequestType: 0x21, Request: 0x09, Value: 0x0311, Index: 0}, replay.Answer{Err: usb.CodePipe})
	s := start(t, replay.NewBus(dev), "").dial(t)
	s.dump()
	s.send("SET battery.charge.low 20 TRACKING f")
	if got := s.until("TRACKING"); got != "TRACKING f 3" {
		t.Fatalf("refused SET: %q, want FAILED (3)", got)
	}
	if got := s.dump()["battery.charge.low"]; got != "10" {
		t.Errorf("battery.charge.low %q after a refused SET, want 10", got)
	}
}

// killWrites runs usbhid-ups -k on dev with the extra lines in its
// section, and returns the SET_REPORTs it sent, in order, as Debian's
// libusb stand-in logs them ("40 0a").
func killWrites(t *testing.T, dev *replay.Device, extra string) []string {
	t.Helper()
	dir := t.TempDir()
	conf := "[t]\n\tdriver = usbhid-ups\n\tport = auto\n" + extra
	if err := os.WriteFile(filepath.Join(dir, "ups.conf"), []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	vars := nutenv.Env(func(k string) string {
		if k == "NUT_CONFPATH" || k == "NUT_STATEPATH" {
			return dir
		}
		return ""
	})
	d := usbhidups.New(func() (usb.Bus, error) { return replay.NewBus(dev), nil })
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := core.Run(ctx, d, core.Args{UPS: "t", Kill: true}, core.Env{Vars: vars, Stdout: os.Stdout}); err != nil {
		t.Fatalf("-k: %v", err)
	}
	var got []string
	for _, w := range dev.Writes() {
		if w.Setup.RequestType != 0x21 || w.Setup.Request != 0x09 {
			t.Errorf("-k sent %+v, not a SET_REPORT", w.Setup)
			continue
		}
		b := make([]string, len(w.Data))
		for i, x := range w.Data {
			b[i] = fmt.Sprintf("%02x", x)
		}
		got = append(got, strings.Join(b, " "))
	}
	return got
}

// readKill reads a drivers/hid testdata .kill file (nuttest.ParseKill).
func readKill(t *testing.T, name string) map[string][]string {
	t.Helper()
	data, err := os.ReadFile(testdata + name)
	if err != nil {
		t.Fatal(err)
	}
	return nuttest.ParseKill(string(data))
}

// -k shuts the UPS down as Debian's usbhid-ups -k does on the same
// device (drivers/hid/testdata/*.kill, which the subdriver tests check
// against Debian's driver on its libusb stand-in): the same SET_REPORTs,
// in the same order, with offdelay and ondelay. The CyberPower
// CP1500AVRLCDa has both delays: shutdown.return, made of load.on.delay
// (ups.delay.start, DelayBeforeStartup, report 0x16, in minutes) then
// load.off.delay (ups.delay.shutdown, 0x15). The APC Back-UPS XS 1400U
// has no startup delay; NUT goes on to shutdown.reboot and writes its 10
// into APCDelayBeforeReboot (0x40), a field declared 0..1. Ours refuses
// a value outside a field's range (README, "Where gonut differs") and
// goes on, as NUT's order does, to load.off.delay: the table's 20 s in
// DelayBeforeShutdown (0x15), a delay the UPS declares.
func TestKillSendsWhatNUTSends(t *testing.T) {
	for _, c := range []struct {
		name                 string
		vendor, product, rel uint16
		differs              map[string][]string // where ours differs on purpose
	}{
		{name: "cps-cp1500avrlcda", vendor: 0x0764, product: 0x0501},
		{name: "apc-back-ups-xs-1400u", vendor: 0x051d, product: 0x0002, rel: 0x0106, differs: map[string][]string{
			"":                       {"15 14 00"},
			"offdelay=40 ondelay=50": {"15 14 00"},
		}},
	} {
		cases := readKill(t, c.name+".kill")
		if len(cases) == 0 {
			t.Fatalf("%s: no cases", c.name)
		}
		for opts, want := range cases {
			if w, ok := c.differs[opts]; ok {
				want = w
			}
			extra := ""
			for _, kv := range strings.Fields(opts) {
				k, v, _ := strings.Cut(kv, "=")
				extra += "\t" + k + " = " + v + "\n"
			}
			if got := killWrites(t, sample(t, c.name, c.vendor, c.product, c.rel), extra); fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("%s: -k with [%s] sent %q, want %q", c.name, opts, got, want)
			}
		}
	}
}

// A report the device does not answer (a stall) is asked again at the
// next poll, as NUT 2.8.0 does (hid_ups_walk: "try again later"; its
// HU_FLAG_STALE is never set), and published once it answers: here
// battery.charge's report (0x0c) answers at the start, stalls at three
// polls, then answers 42 %.
func TestUnansweredReportIsAskedAgain(t *testing.T) {
	dev := xs1400u(t)
	charge := replay.Setup{RequestType: 0xa1, Request: 0x01, Value: 0x030c, Index: 0}
	dev.On(charge, replay.Answer{Err: usb.CodePipe}, replay.Answer{Err: usb.CodePipe}, replay.Answer{Err: usb.CodePipe})
	s := start(t, replay.NewBus(dev), "\tpollinterval = 1\n\tpollfreq = 1\n").dial(t)
	asked := func() (all, stalled int) {
		for _, tr := range dev.Transfers() {
			if tr.Kind == "control" && tr.Setup == charge {
				all++
				if tr.Err != 0 {
					stalled++
				}
			}
		}
		return
	}
	deadline := time.Now().Add(20 * time.Second)
	for _, n := asked(); n < 3; _, n = asked() {
		if time.Now().After(deadline) {
			t.Fatalf("report 0x0c stalled %d times, not asked again", n)
		}
		time.Sleep(50 * time.Millisecond)
	}
	dev.On(charge, replay.Answer{Data: []byte{0x0c, 0x2a, 0xb8, 0x05}})
	for s.dump()["battery.charge"] != "42" {
		if time.Now().After(deadline) {
			t.Fatal("battery.charge never published once its report answered again")
		}
		time.Sleep(100 * time.Millisecond)
	}
	if all, stalled := asked(); all < 5 || stalled < 3 {
		t.Errorf("report 0x0c asked %d times, %d stalled: want an answer, 3 stalls, an answer", all, stalled)
	}
}

// A device that stops answering, whether it refuses every report (a
// stall) or lets a request time out, makes the data stale (DATASTALE),
// logged once however many polls fail; once it answers again the same
// driver carries on (DATAOK, and what the device says now). NUT 2.8.0
// goes on publishing the last values as if they were fresh.
func TestSilentDeviceGoesStaleAndBack(t *testing.T) {
	for _, c := range []struct {
		name string
		code usb.Code
	}{{"stall", usb.CodePipe}, {"timeout", usb.CodeTimeout}} {
		t.Run(c.name, func(t *testing.T) {
			dev := xs1400u(t)
			desc, err := hid.Parse(dev.ReportDescriptor)
			if err != nil {
				t.Fatal(err)
			}
			reports := desc.ReportBuffers(readHex(t, "apc-back-ups-xs-1400u.reports")...)
			var b nuttest.SyncBuffer
			h := startLogging(t, replay.NewBus(dev), "\tpollinterval = 1\n", plainlog.New(&b, usb.DebugLevel(0)))
			s := h.dial(t)
			s.dump()
			for id := range reports {
				dev.Fail(usb.Feature, id, c.code)
			}
			s.until("DATASTALE")
			// Two more polls fail while it stays silent.
			polls := len(dev.Transfers())
			deadline := time.Now().Add(20 * time.Second)
			for len(dev.Transfers()) < polls+2 {
				if time.Now().After(deadline) {
					t.Fatal("the driver stopped asking the silent device")
				}
				time.Sleep(50 * time.Millisecond)
			}
			time.Sleep(1500 * time.Millisecond)
			reports[0x0c] = []byte{0x0c, 0x2a, 0xb8, 0x05} // 42 %, now
			for id, r := range reports {
				dev.Report(usb.Feature, id, r)
			}
			s.until("DATAOK")
			if got := s.dump()["battery.charge"]; got != "42" {
				t.Errorf("battery.charge %q once the device answered again, want 42", got)
			}
			select {
			case err := <-h.done:
				t.Fatalf("the driver exited: %v", err)
			default:
			}
			if n := strings.Count(b.String(), "data is stale"); n != 1 {
				t.Errorf("%d lines saying the data is stale, want 1:\n%s", n, b.String())
			}
			if !strings.Contains(b.String(), "communication with the device restored") {
				t.Errorf("no line saying communication was restored:\n%s", b.String())
			}
		})
	}
}

// lowbatt (NUT 2.8.0's first usbhid-ups option) sets battery.charge.low
// where the UPS has it, in the driver only, as NUT's does (no SET_REPORT);
// a section with it must not keep the driver from starting.
func TestLowbattSetsChargeLow(t *testing.T) {
	dev := xs1400u(t)
	s := start(t, replay.NewBus(dev), "\tlowbatt = 25\n").dial(t)
	d := s.dump()
	if got := d["battery.charge.low"]; got != "25" {
		t.Errorf("battery.charge.low %q, want lowbatt's 25", got)
	}
	if got := d["driver.parameter.lowbatt"]; got != "25" {
		t.Errorf("driver.parameter.lowbatt %q, want 25", got)
	}
	if w := dev.Writes(); len(w) != 0 {
		t.Errorf("lowbatt wrote to the UPS: %v", w)
	}
}

// countControl is how many control transfers the device has answered.
func countControl(dev *replay.Device) int {
	n := 0
	for _, tr := range dev.Transfers() {
		if tr.Kind == "control" {
			n++
		}
	}
	return n
}

// pollonly: the interrupt pipe is never read (a report waiting there
// stays), the device is polled. interruptonly: the reverse, but for the
// full read every pollfreq. interruptsize: the interrupt pipe is read
// that many bytes at a time. As NUT 2.8.0 reads them.
func TestPollOnlyInterruptOnlyInterruptSize(t *testing.T) {
	onBattery := replay.Answer{Data: []byte{0x16, 0x0a, 0x00, 0x00, 0x00}}
	deadline := time.Now().Add(20 * time.Second)
	t.Run("pollonly", func(t *testing.T) {
		dev := xs1400u(t)
		s := start(t, replay.NewBus(dev), "\tpollinterval = 1\n\tpollonly\n").dial(t)
		s.dump()
		dev.Interrupt(onBattery)
		for n := countControl(dev); countControl(dev) < n+3; time.Sleep(50 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatal("no polls")
			}
		}
		for _, tr := range dev.Transfers() {
			if tr.Kind == "interrupt" {
				t.Fatalf("pollonly read the interrupt pipe: %+v", tr)
			}
		}
		if got := s.dump()["ups.status"]; got != "OL" {
			t.Errorf("ups.status %q, want OL (the interrupt report unread)", got)
		}
	})
	t.Run("interruptonly", func(t *testing.T) {
		dev := xs1400u(t)
		s := start(t, replay.NewBus(dev), "\tpollinterval = 1\n\tinterruptonly\n\tinterruptsize = 8\n").dial(t)
		s.dump()
		for dev.Waiting() == 0 {
			if time.Now().After(deadline) {
				t.Fatal("the interrupt pipe is not read")
			}
			time.Sleep(10 * time.Millisecond)
		}
		before := countControl(dev)
		dev.Interrupt(onBattery)
		if got := s.until("SETINFO ups.status"); got != `SETINFO ups.status "OB DISCHRG"` {
			t.Fatalf("after the interrupt report: %q", got)
		}
		time.Sleep(2500 * time.Millisecond) // two pollintervals, with nothing read
		if n := countControl(dev) - before; n != 0 {
			t.Errorf("interruptonly polled the device: %d control transfers", n)
		}
		for _, tr := range dev.Transfers() {
			if tr.Kind == "interrupt" && tr.Length != 8 {
				t.Fatalf("interruptsize 8, but an interrupt read of %d bytes", tr.Length)
			}
		}
	})
}

// lowbatt sets battery.charge.low at start, as NUT 2.8.0's does, where
// the UPS has one (the Back-UPS XS 1400U says 10); usb_set_altinterface
// is taken (and ignored). Before, either stopped the driver at start as
// an unknown setting.
func TestLowBattAndAltInterfaceSettings(t *testing.T) {
	for extra, want := range map[string]string{
		"":                 "10",
		"\tlowbatt = 25\n": "25",
		"\tlowbatt = 25\n\tusb_set_altinterface = 0\n": "25",
	} {
		if got := start(t, replay.NewBus(xs1400u(t)), extra).dial(t).dump()["battery.charge.low"]; got != want {
			t.Errorf("with %q: battery.charge.low = %q, want %q", extra, got, want)
		}
	}
}
