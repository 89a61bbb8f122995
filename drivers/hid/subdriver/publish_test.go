package subdriver_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"gonut/drivers/hid"
	"gonut/drivers/hid/internal/hidtest"
	"gonut/drivers/hid/internal/nutref"
	"gonut/drivers/hid/subdriver"
	"gonut/drivers/sockproto"
	"gonut/state"
	"gonut/words"
)

// The published state of a device is what a driver's socket answers to
// DUMPALL once the driver has read the device and made its first update:
// one line for each variable (SETINFO), its flags (SETFLAGS), string
// length (SETAUX) and enumeration (ADDENUM), and each instant command
// (ADDCMD). The lines compared leave out the driver's own variables
// (driver.*) and what the driver core adds (coreCopies), and are sorted.

// coreCopies are the variables NUT's driver core sets for any driver:
// device.type, and copies of ups.mfr, ups.model and ups.serial.
var coreCopies = map[string]bool{"device.type": true, "device.mfr": true, "device.model": true, "device.serial": true}

// testDevice is a device as the libusb stand-in plays it: a descriptor,
// its reports (a report not given reads as zeros), USB strings
// ("string<i>", or those of the sample's .strings file).
type testDevice struct {
	desc    *hid.Descriptor
	names   *hid.Names
	reports map[uint8][]byte
	strings map[int]string // "" for an index the device has no string of
	vars    map[string]string
	status  map[string]bool
	state   *subdriver.State
}

func (d *testDevice) String(i int) (string, error) {
	if s, ok := d.strings[i]; ok {
		if s == "" {
			return "", errors.New("no such string")
		}
		return s, nil
	}
	if i == 0 {
		return "", errors.New("no string 0")
	}
	return fmt.Sprintf("string%d", i), nil
}

func (d *testDevice) Value(path string) (float64, bool) {
	p, err := d.names.Parse(path)
	if err != nil {
		return 0, false
	}
	f := d.desc.Find(p, hid.Feature)
	if f == nil {
		return 0, false
	}
	v, err := f.Value(d.reports[f.ReportID])
	return v, err == nil
}

func (d *testDevice) Report(id uint8) []byte { return d.reports[id] }

func (d *testDevice) Var(name string) (string, bool) {
	v, ok := d.vars[name]
	return v, ok
}

func (d *testDevice) Status(flag string) bool { return d.status[flag] }
func (d *testDevice) State() *subdriver.State { return d.state }

// newTestDevice is a sample as the stand-in plays it, with the subdriver's
// descriptor fix made.
func newTestDevice(t *testing.T, sub *subdriver.Subdriver, s hidtest.Sample) *testDevice {
	t.Helper()
	desc, err := hid.Parse(s.Desc)
	if err != nil {
		t.Fatal(err)
	}
	strs, err := readStrings(s.File(".strings"))
	if err != nil {
		t.Fatal(err)
	}
	d := &testDevice{desc: desc, names: sub.Names(), reports: desc.ReportBuffers(s.Reports...), strings: strs,
		vars: map[string]string{}, status: map[string]bool{}}
	dev := device(s)
	dev.Vendor, _ = d.String(1)
	dev.Product, _ = d.String(2)
	dev.Serial, _ = d.String(3)
	d.state = subdriver.NewState(dev)
	if sub.Fix != nil {
		sub.Fix(dev, desc)
	}
	return d
}

// readStrings reads a sample's USB strings: lines of "<index> <text>", or
// "<index>" alone for a string the device does not have. No file: none.
func readStrings(path string) (map[int]string, error) {
	lines, err := hidtest.ReadLines(path)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	strs := map[int]string{}
	for n, l := range lines {
		i, text, _ := strings.Cut(l, " ")
		idx, err := strconv.Atoi(i)
		if err != nil || idx < 0 || idx > 255 {
			return nil, fmt.Errorf("%s: line %d: expected <index 0-255> <text>", path, n+1)
		}
		strs[idx] = text
	}
	return strs, nil
}

// published is the state a subdriver's rows give the device, as
// usbhid-ups 2.8.0 makes it: the labels, then the rows in order (for each
// variable the first row whose path the device has and whose value
// converts; a HIDAbsent row gives its default; a command whose path the
// device has), the commands usbhid-ups adds when it has load.off.delay
// and load.on.delay, then the first update (the HIDQuickPoll rows read
// again) and ups.status from the BOOL rows.
func published(sub *subdriver.Subdriver, d *testDevice) []string {
	lines, _ := walk(sub, d)
	return lines
}

// walk is published, and the field of each row usbhid-ups keeps (nil for
// the others): the rows it finds a variable's or a command's path in.
func walk(sub *subdriver.Subdriver, d *testDevice) ([]string, []*hid.Field) {
	var msgs []sockproto.Message
	set := func(name, value string) {
		d.vars[name] = value
	}
	cmds := map[string]bool{}

	l := sub.Labels(d)
	for name, value := range map[string]string{"ups.mfr": l.Mfr, "ups.model": l.Model, "ups.serial": l.Serial} {
		if value != "" {
			set(name, value)
		}
	}
	for name, value := range l.Vars {
		set(name, value)
	}
	dev := d.state.Device()
	set("ups.vendorid", fmt.Sprintf("%04x", dev.VendorID))
	set("ups.productid", fmt.Sprintf("%04x", dev.ProductID))

	// apply converts a row's value and sets it: false when it did not
	// convert, or fed the status.
	apply := func(r *subdriver.Info, v float64) bool {
		value, ok := r.Value(d, v)
		if !ok {
			return false
		}
		switch {
		case r.Var == "BOOL":
			flag, clear := strings.CutPrefix(value, "!")
			d.status[flag] = !clear
			return false
		case strings.HasPrefix(r.Var, "ups.alarm"):
			return false // ups.alarm is published at full updates only
		}
		set(r.Var, value)
		return true
	}
	used := make([]*hid.Field, len(sub.Info)) // the rows usbhid-ups keeps, by their field
	for i := range sub.Info {
		r := &sub.Info[i]
		p, err := d.names.Parse(r.Path)
		if err != nil {
			continue
		}
		f := d.desc.Find(p, hid.Feature)
		if f == nil {
			continue
		}
		used[i] = f
		if r.HID&subdriver.HIDAbsent != 0 {
			if _, ok := d.vars[r.Var]; !ok {
				set(r.Var, r.Format)
				msgs = append(msgs, attributes(r)...)
			}
			continue
		}
		if _, ok := d.vars[r.Var]; ok && !strings.HasPrefix(r.Var, "ups.alarm") {
			used[i] = nil
			continue
		}
		v, err := f.Value(d.reports[f.ReportID])
		if err != nil {
			continue
		}
		if r.HID&subdriver.HIDCommand != 0 {
			cmds[r.Var] = true
			continue
		}
		if !apply(r, v) {
			continue
		}
		msgs = append(msgs, attributes(r)...)
		if r.HID&subdriver.HIDEnum != 0 && r.Flags&state.RW != 0 {
			for _, e := range r.Lookup.Enum(d) {
				msgs = append(msgs, sockproto.Message{Cmd: sockproto.AddEnum, Args: []string{r.Var, e}})
			}
		}
	}
	has := func(cmd string) bool {
		for i, r := range sub.Info {
			if r.Var == cmd && used[i] != nil {
				return true
			}
		}
		return false
	}
	if has("load.off.delay") {
		cmds["load.off"] = true
	}
	if has("load.on.delay") {
		cmds["load.on"] = true
	}
	if has("load.off.delay") && has("load.on.delay") {
		cmds["shutdown.return"], cmds["shutdown.stayoff"] = true, true
	}

	// the first update: a quick one
	for i := range sub.Info {
		r := &sub.Info[i]
		if f := used[i]; f != nil && r.HID&subdriver.HIDQuickPoll != 0 {
			if v, err := f.Value(d.reports[f.ReportID]); err == nil {
				apply(r, v)
			}
		}
	}
	status, reason := upsStatus(d.status)
	set("ups.status", status)
	if reason != "" {
		set("input.transfer.reason", reason)
	}

	for name, value := range d.vars {
		msgs = append(msgs, sockproto.Message{Cmd: sockproto.SetInfo, Args: []string{name, value}})
	}
	for cmd := range cmds {
		msgs = append(msgs, sockproto.Message{Cmd: sockproto.AddCmd, Args: []string{cmd}})
	}
	var lines []string
	for _, m := range msgs {
		lines = append(lines, changeLine(m))
	}
	sort.Strings(lines)
	return lines, used
}

// attributes are the flags and string length of a row's variable.
func attributes(r *subdriver.Info) []sockproto.Message {
	var msgs []sockproto.Message
	if w := r.Flags.Words(); len(w) > 0 {
		msgs = append(msgs, sockproto.Message{Cmd: sockproto.SetFlags, Args: append([]string{r.Var}, w...)})
	}
	if r.Flags&state.String != 0 && r.Len > 0 {
		msgs = append(msgs, sockproto.Message{Cmd: sockproto.SetAux, Args: []string{r.Var, strconv.FormatInt(int64(r.Len), 10)}})
	}
	return msgs
}

// upsStatus is ups.status, and input.transfer.reason, from the status
// flags, as usbhid-ups's ups_status_set words them.
func upsStatus(s map[string]bool) (status, reason string) {
	switch {
	case s["vrange"]:
		reason = "input voltage out of range"
	case s["frange"]:
		reason = "input frequency out of range"
	}
	var w []string
	if s["online"] {
		w = append(w, "OL")
	} else {
		w = append(w, "OB")
	}
	for _, c := range []struct {
		on   bool
		word string
	}{
		{s["dischrg"] && !s["depleted"], "DISCHRG"},
		{s["chrg"] && !s["fullycharged"], "CHRG"},
		{s["lowbatt"] || s["timelimitexp"] || s["shutdownimm"], "LB"},
		{s["overload"], "OVER"},
		{s["replacebatt"], "RB"},
		{s["trim"], "TRIM"},
		{s["boost"], "BOOST"},
		{s["bypassauto"] || s["bypassman"], "BYPASS"},
		{s["off"], "OFF"},
		{s["cal"], "CAL"},
	} {
		if c.on {
			w = append(w, c.word)
		}
	}
	return strings.Join(w, " "), reason
}

// nutShims are the libusb stand-in and the USB strings put before it.
type nutShims struct{ shim, strings string }

func buildShims(t *testing.T) nutShims {
	t.Helper()
	shim, dir := nutShim(t)
	so := filepath.Join(dir, "usbdevice.so")
	if out, err := exec.Command("gcc", "-shared", "-fPIC", "-O2", "-Wall", "-o", so, "testdata/usbdevice.c").CombinedOutput(); err != nil {
		t.Fatalf("gcc: %v\n%s", err, out)
	}
	return nutShims{shim, so}
}

// nutPublished runs Debian's usbhid-ups on a sample, through the libusb
// stand-in, as a driver serving its socket, and returns its answer to
// DUMPALL once it has made its first update.
func nutPublished(t *testing.T, shims nutShims, s hidtest.Sample) []string {
	t.Helper()
	var kept []string
	nutSession(t, shims, s, "", func(conn net.Conn, r *bufio.Reader) {
		if _, err := conn.Write([]byte("DUMPALL\n")); err != nil {
			t.Fatal(err)
		}
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				t.Fatalf("no DUMPDONE: %v", err)
			}
			m, err := sockproto.Parse(strings.TrimSuffix(line, "\n"))
			if err != nil {
				t.Fatalf("driver sent %q: %v", line, err)
			}
			if m.Cmd == sockproto.DumpDone {
				break
			}
			if m.Cmd == sockproto.DataOK || len(m.Args) > 0 && (strings.HasPrefix(m.Args[0], "driver.") || coreCopies[m.Args[0]]) {
				continue
			}
			kept = append(kept, changeLine(m))
		}
	})
	sort.Strings(kept)
	return kept
}

// dialDriver waits for the driver's socket under dir (nutref.Run keeps
// the driver's state directory in $TMPDIR), and connects to it.
func dialDriver(ctx context.Context, dir string, exited <-chan struct{}) (net.Conn, error) {
	for {
		if socks, _ := filepath.Glob(filepath.Join(dir, "nutref*", "usbhid-ups-nutref")); len(socks) == 1 {
			if conn, err := net.Dial("unix", socks[0]); err == nil {
				return conn, nil
			}
		}
		select {
		case <-exited:
			return nil, errors.New("the driver exited before serving its socket")
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// TestPublishedMatchesNUT: for each real descriptor and its reports, the
// subdriver's rows, conversions and labels publish the variables, flags,
// enumerations and commands Debian's usbhid-ups publishes
// (testdata/NAME.dstate, which -update-nut rewrites from it).
func TestPublishedMatchesNUT(t *testing.T) {
	var shims nutShims
	if nutref.Available() == nil {
		shims = buildShims(t)
	}
	for _, s := range samples(t) {
		sub := subdrivers[s.Subdriver]
		if len(sub.Info) == 0 {
			continue // explore, or a subdriver without its rows yet
		}
		t.Run(s.Name, func(t *testing.T) {
			if got, _, _ := choose(claimCase{dev: device(s), opt: subdriver.ClaimOptions{ProductID: true}}); got != sub {
				t.Errorf("%04x:%04x goes to %v with productid, not %s", s.VendorID, s.ProductID, got, sub.Name)
			}
			header := fmt.Sprintf("# What Debian's NUT 2.8.0 usbhid-ups publishes for %s.hex%s:\n"+
				"# its answer to DUMPALL after its first update, without driver.*, device.type and\n"+
				"# device.mfr, .model and .serial, sorted (go test ./subdriver -update-nut rewrites this file).\n",
				s.Name, map[bool]string{true: " and its reports", false: ", every report read as zeros"}[len(s.Reports) > 0])
			checkGolden(t, shims, sub, s, s.File(".dstate"), header)
		})
	}
}

// checkGolden compares what the subdriver publishes for a sample with
// golden, and golden with what Debian's usbhid-ups publishes when it can
// run (shims built); -update-nut rewrites golden from it, with header.
func checkGolden(t *testing.T, shims nutShims, sub *subdriver.Subdriver, s hidtest.Sample, golden, header string) {
	t.Helper()
	if shims.shim != "" {
		got := nutPublished(t, shims, s)
		if *updateNUT {
			if err := os.WriteFile(golden, []byte(header+strings.Join(got, "\n")+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := hidtest.ReadLines(golden)
		if err != nil {
			t.Fatal(err)
		}
		diff(t, got, want)
	}
	want, err := hidtest.ReadLines(golden)
	if err != nil {
		t.Fatal(err)
	}
	diff(t, published(sub, newTestDevice(t, sub, s)), want)
}

// variant is a sample with other IDs, reports or USB strings, in files of
// a test directory (a nil reports or strings keeps the sample's).
func variant(t *testing.T, s hidtest.Sample, vendorID, productID uint16, reports [][]byte, strs []string) hidtest.Sample {
	t.Helper()
	dir := t.TempDir()
	v := s
	v.Path = filepath.Join(dir, s.Name+".hex")
	v.VendorID, v.ProductID = vendorID, productID
	copyFile := func(from, to string) {
		if data, err := os.ReadFile(from); err == nil {
			if err := os.WriteFile(to, data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	copyFile(s.Path, v.Path)
	if reports != nil {
		v.Reports = reports
		writeHex(t, v.File(".reports"), reports)
	} else {
		copyFile(s.File(".reports"), v.File(".reports"))
	}
	if strs != nil {
		if err := os.WriteFile(v.File(".strings"), []byte(strings.Join(strs, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	} else {
		copyFile(s.File(".strings"), v.File(".strings"))
	}
	return v
}

// sampleNamed is the sample of that name.
func sampleNamed(t *testing.T, name string) hidtest.Sample {
	t.Helper()
	for _, s := range samples(t) {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("no sample %s", name)
	return hidtest.Sample{}
}

// checkPublished compares what the subdriver publishes for a sample with
// what Debian's usbhid-ups publishes, when it can run, and checks the
// values given in any case. differs are the variables where gonut differs
// from NUT on purpose, with NUT's value.
func checkPublished(t *testing.T, sub *subdriver.Subdriver, s hidtest.Sample, want map[string]string, differs ...map[string]string) {
	t.Helper()
	got := published(sub, newTestDevice(t, sub, s))
	if nutref.Available() == nil {
		nut := nutPublished(t, buildShims(t), s)
		for _, d := range differs {
			for name, v := range d {
				if nv := setInfo(nut)[name]; nv != v {
					t.Errorf("NUT's %s: %q, want %q", name, nv, v)
				}
				nut, got = withoutVar(nut, name), withoutVar(got, name)
			}
		}
		diff(t, got, nut)
		got = published(sub, newTestDevice(t, sub, s))
	}
	values := setInfo(got)
	for name, v := range want {
		if values[name] != v {
			t.Errorf("%s: %q, want %q", name, values[name], v)
		}
	}
}

// setInfo are the variables' values in published lines.
func setInfo(lines []string) map[string]string {
	values := map[string]string{}
	for _, l := range lines {
		if m, err := sockproto.Parse(l); err == nil && m.Cmd == sockproto.SetInfo {
			values[m.Args[0]] = m.Args[1]
		}
	}
	return values
}

// withoutVar are published lines without a variable's value.
func withoutVar(lines []string, name string) []string {
	var kept []string
	for _, l := range lines {
		if m, err := sockproto.Parse(l); err == nil && m.Cmd == sockproto.SetInfo && m.Args[0] == name {
			continue
		}
		kept = append(kept, l)
	}
	return kept
}

func (d *testDevice) Delete(name string) { delete(d.vars, name) }

// changeLine is a driver's line for a change of its state, as NUT's
// drivers write it: names as plain words, values always in quotes.
func changeLine(m sockproto.Message) string {
	w := []string{m.Cmd}
	for i, a := range m.Args {
		if i == 1 && (m.Cmd == sockproto.SetInfo || m.Cmd == sockproto.AddEnum) {
			w = append(w, words.Quote(a))
		} else {
			w = append(w, words.Word(a))
		}
	}
	return strings.Join(w, " ")
}
