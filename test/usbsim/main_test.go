package main

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gonut/internal/nuttest"
	"gonut/test/usbsim/devfile"
	"gonut/test/usbsim/hiddesc"
	"gonut/test/usbsim/usbip"
)

// Every device file shipped parses, and writes back to itself.
func TestDeviceFiles(t *testing.T) {
	files, _ := filepath.Glob("devices/*.usbdev")
	if len(files) == 0 {
		t.Fatal("no device files")
	}
	for _, f := range files {
		d, err := devfile.ReadFile(f)
		if err != nil {
			t.Error(err)
			continue
		}
		if _, err := devfile.Parse(f, bytes.NewReader(devfile.Format(d))); err != nil {
			t.Errorf("%s written back: %v", f, err)
		}
	}
}

// The device files made from drivers/hid's real samples have the same
// report descriptor and (where the sample has them) the same reports.
func TestDevicesMatchHIDSamples(t *testing.T) {
	for file, sample := range map[string]string{
		"apc-back-ups-xs-1400u.usbdev": "apc-back-ups-xs-1400u",
		"cps-cp1500avrlcda.usbdev":     "cps-cp1500avrlcda",
		"eaton-5sc-750.usbdev":         "eaton-5sc-750",
		"tripplite-3016.usbdev":        "tripplite-3016",
	} {
		d, err := devfile.ReadFile(filepath.Join("devices", file))
		if err != nil {
			t.Fatal(err)
		}
		base := filepath.Join("..", "..", "drivers", "hid", "testdata", sample)
		desc := hexLines(t, base+".hex")
		if want := bytes.Join(desc, nil); !bytes.Equal(d.ReportDescriptor, want) {
			t.Errorf("%s: report descriptor differs from %s.hex", file, sample)
		}
		if _, err := os.Stat(base + ".reports"); err != nil {
			continue
		}
		reports := hexLines(t, base+".reports")
		for _, r := range reports {
			got := d.Reports[hiddesc.Report{Kind: hiddesc.Feature, ID: r[0]}]
			if !bytes.Equal(got, r) {
				t.Errorf("%s: feature %02x is % x, %s.reports has % x", file, r[0], got, sample, r)
			}
		}
		if len(reports) != len(d.Reports) {
			t.Errorf("%s lists %d reports, %s.reports %d", file, len(d.Reports), sample, len(reports))
		}
	}
}

// hexLines reads a drivers/hid testdata file: hex bytes a line, after
// '#' comments.
func hexLines(t *testing.T, path string) [][]byte {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var lines [][]byte
	for _, l := range strings.Split(string(raw), "\n") {
		if l = strings.TrimSpace(l); l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		b, err := devfile.ParseHex(strings.Fields(l))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		lines = append(lines, b)
	}
	return lines
}

// The command serves a device file, and its -c form drives it.
func TestCommand(t *testing.T) {
	bin := nuttest.Build(t, "gonut/test/usbsim")
	addr := fmt.Sprintf("127.0.0.1:%d", nuttest.FreePort(t))
	ctl := filepath.Join(t.TempDir(), "ctl.sock")
	sim := exec.Command(bin, "-dev", "devices/apc-back-ups-xs-1400u.usbdev", "-listen", addr, "-control", ctl, "-v")
	logFile := filepath.Join(t.TempDir(), "usbsim.log")
	logOut, err := os.Create(logFile)
	if err != nil {
		t.Fatal(err)
	}
	sim.Stderr = logOut
	log := func() string { b, _ := os.ReadFile(logFile); return string(b) }
	if err := sim.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Process.Kill(); sim.Wait() })
	var conn net.Conn
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			conn = c
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the simulator does not listen: %v\n%s", err, log())
		}
	}
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	host, info, err := usbip.Import(conn, "1-1")
	if err != nil {
		t.Fatal(err)
	}
	if info.VendorID != 0x051d || info.ProductID != 0x0002 {
		t.Errorf("imported %04x:%04x", info.VendorID, info.ProductID)
	}
	getReport := func(id uint8) []byte {
		t.Helper()
		status, data, err := host.Control(usbip.Setup{RequestType: 0xa1, Request: 1, Value: 0x0300 | uint16(id), Length: 64}, nil)
		if err != nil || status != 0 {
			t.Fatalf("GET_REPORT feature %02x: status %d %v", id, status, err)
		}
		return data
	}
	if got := getReport(0x0c); !bytes.Equal(got, []byte{0x0c, 0x64, 0xb8, 0x05}) {
		t.Errorf("feature 0c: % x", got)
	}
	if got := getReport(0x09); !bytes.Equal(got, []byte{0x09, 0, 0}) {
		t.Errorf("feature 09 (not listed): % x", got)
	}
	ctlDo := func(args ...string) (string, error) {
		out, err := exec.Command(bin, append([]string{"-c", ctl}, args...)...).CombinedOutput()
		return string(out), err
	}
	if out, err := ctlDo("set", "feature", "16", "16", "0a", "00", "00", "00"); err != nil {
		t.Fatalf("set: %v %s", err, out)
	}
	if got := getReport(0x16); !bytes.Equal(got, []byte{0x16, 0x0a, 0, 0, 0}) {
		t.Errorf("feature 16 after set: % x", got)
	}
	if out, err := ctlDo("get", "feature", "16"); err != nil || out != "feature 16: 16 0a 00 00 00\n" {
		t.Errorf("get: %q %v", out, err)
	}
	if out, err := ctlDo("get", "feature", "99"); err == nil || !strings.Contains(out, "feature 99: the report descriptor has no such report") {
		t.Errorf("get of an unknown report: %q %v", out, err)
	}
	if out, err := ctlDo("detach"); err != nil {
		t.Fatalf("detach: %v %s", err, out)
	}
	if _, _, err := host.Read(); err == nil {
		t.Error("the host's connection survived detach")
	}
	if !strings.Contains(log(), "control a1 01 030c 0000 64 out[]: in[0c 64 b8 05]") {
		t.Errorf("-v does not log the control transfers:\n%s", log())
	}
}

// A bad device file stops the command with the file, line and problem.
func TestBadFile(t *testing.T) {
	bin := nuttest.Build(t, "gonut/test/usbsim")
	f := filepath.Join(t.TempDir(), "bad.usbdev")
	os.WriteFile(f, []byte("vendorid 051d\nproductid 2\nreport-descriptor\n  85 01 75 08 95 01 b1 02\nfeature 01: 02 00\n"), 0o644)
	out, err := exec.Command(bin, "-dev", f, "-listen", "127.0.0.1:0").CombinedOutput()
	if err == nil || !strings.Contains(string(out), f+":5: feature 01: expected the report to start with its ID byte 01, not 02") {
		t.Errorf("%v: %s", err, out)
	}
}
