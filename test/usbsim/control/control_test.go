package control

import (
	"context"
	"net"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"gonut/test/usbsim/devfile"
	"gonut/test/usbsim/hiddev"
	"gonut/test/usbsim/usbip"
)

const file = `vendorid 051d
productid 0002
report-descriptor
  05 84 09 04 a1 01
  85 0c 75 08 95 01 05 85 09 66 81 a2 09 66 b1 a2
  85 18 05 84 09 5a b1 a2
  c0
feature 0c: 0c 64
`

// start runs a simulator in-process with its control interface on a Unix
// socket, and imports the device with a USB/IP client.
func start(t *testing.T) (string, *usbip.Client) {
	t.Helper()
	f, err := devfile.Parse("test", strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	dev := hiddev.New(f, "1-1")
	usb := usbip.NewServer(dev, nil)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go usb.Serve(l)
	addr := filepath.Join(t.TempDir(), "usbsim.sock")
	cl, err := Listen(addr)
	if err != nil {
		t.Fatal(err)
	}
	go (&Server{Device: dev, USB: usb, InputTimeout: 200 * time.Millisecond}).Serve(cl)
	t.Cleanup(func() { l.Close(); cl.Close() })
	c, err := net.Dial("tcp", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	c.SetDeadline(time.Now().Add(10 * time.Second))
	t.Cleanup(func() { c.Close() })
	host, _, err := usbip.Import(c, "1-1")
	if err != nil {
		t.Fatal(err)
	}
	return addr, host
}

func do(t *testing.T, addr, command string) ([]string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return Do(ctx, addr, command)
}

func TestCommands(t *testing.T) {
	addr, host := start(t)
	for _, c := range []struct {
		command string
		lines   []string
	}{
		{"status", []string{"attached yes"}},
		{"get feature 0c", []string{"feature 0c: 0c 64"}},
		{"set feature 0c 0c 32", nil},
		{"get feature 0c:", []string{"feature 0c: 0c 32"}},
		{"get feature 18", []string{"feature 18: 18 00"}},
		{"log", nil},
	} {
		lines, err := do(t, addr, c.command)
		if err != nil || !reflect.DeepEqual(lines, c.lines) {
			t.Errorf("%s: %q %v, want %q", c.command, lines, err, c.lines)
		}
	}
	// What the host sees follows.
	status, data, err := host.Control(usbip.Setup{RequestType: 0xa1, Request: 1, Value: 0x030c, Length: 8}, nil)
	if err != nil || status != 0 || string(data) != "\x0c\x32" {
		t.Errorf("GET_REPORT after set: %d % x %v", status, data, err)
	}
	// SET_REPORTs show in the log, in order.
	host.Control(usbip.Setup{RequestType: 0x21, Request: 9, Value: 0x0318, Length: 2}, []byte{0x18, 2})
	host.Control(usbip.Setup{RequestType: 0x21, Request: 9, Value: 0x0318, Length: 2}, []byte{0x18, 3})
	if lines, err := do(t, addr, "log"); err != nil || !reflect.DeepEqual(lines, []string{"feature 18: 18 02", "feature 18: 18 03"}) {
		t.Errorf("log: %q %v", lines, err)
	}
	if lines, err := do(t, addr, "clear-log"); err != nil || lines != nil {
		t.Errorf("clear-log: %q %v", lines, err)
	}
	if lines, _ := do(t, addr, "log"); lines != nil {
		t.Errorf("log after clear-log: %q", lines)
	}
	// stall on: GET_REPORT stalls.
	do(t, addr, "stall on")
	if status, _, _ := host.Control(usbip.Setup{RequestType: 0xa1, Request: 1, Value: 0x030c, Length: 8}, nil); status != usbip.StatusStall {
		t.Errorf("GET_REPORT after stall on: status %d", status)
	}
	do(t, addr, "stall off")
	if status, _, _ := host.Control(usbip.Setup{RequestType: 0xa1, Request: 1, Value: 0x030c, Length: 8}, nil); status != 0 {
		t.Errorf("GET_REPORT after stall off: status %d", status)
	}
}

func TestInput(t *testing.T) {
	addr, host := start(t)
	// No transfer pending: the command says so once its time is up.
	if _, err := do(t, addr, "input 0c 0c 50"); err == nil || !strings.Contains(err.Error(), "no host took the report") {
		t.Errorf("input with nobody reading: %v", err)
	}
	seq, _ := host.Submit(1, true, usbip.Setup{}, 8, 0, nil)
	h, data, err := host.Read()
	if err != nil || h.Seqnum != seq || string(data) != "\x0c\x50" {
		t.Fatalf("the queued report: %+v % x %v", h, data, err)
	}
	// A transfer pending: the command answers once the report went.
	host.Submit(1, true, usbip.Setup{}, 8, 0, nil)
	if _, err := do(t, addr, "input 0c: 0c 4b"); err != nil {
		t.Errorf("input: %v", err)
	}
	if _, data, _ := host.Read(); string(data) != "\x0c\x4b" {
		t.Errorf("report % x", data)
	}
}

func TestDetachAndErrors(t *testing.T) {
	addr, host := start(t)
	if _, err := do(t, addr, "detach"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := host.Read(); err == nil {
		t.Error("the host's connection survived detach")
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		lines, _ := do(t, addr, "status")
		if reflect.DeepEqual(lines, []string{"attached no"}) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("status after detach: %q", lines)
		}
		time.Sleep(10 * time.Millisecond)
	}
	for command, want := range map[string]string{
		"detach":              "detach: no host has the device",
		"input 0c 0c 01":      "input 0c: no host has the device",
		"frobnicate":          `unknown command "frobnicate"`,
		"set colour 0c 0c 01": "set: expected feature, input or output",
		"set feature 0c":      "set: expected the report's bytes after its ID",
		"set feature zz 01":   `set: expected a report ID of 2 hex digits, not "zz"`,
		"set feature 0c 0d 1": "feature 0c: expected the report to start with its ID byte 0c, not 0d",
		"set feature 42 42":   "feature 42: the report descriptor has no such report",
		"get feature":         "get: expected a report type and ID",
		"get input 18":        "input 18: the report descriptor has no such report",
		"stall maybe":         "stall: expected on or off",
	} {
		if _, err := do(t, addr, command); err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%s: %v, want %s", command, err, want)
		}
	}
}

// A Client sends several commands in one write; they run in order, their
// lines come back together, and the first ERR is the error.
func TestClientPipelines(t *testing.T) {
	addr, _ := start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := Dial(ctx, addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	lines, err := c.Do("set feature 0c 0c 32", "get feature 0c", "get feature 18")
	if want := []string{"feature 0c: 0c 32", "feature 18: 18 00"}; err != nil || !reflect.DeepEqual(lines, want) {
		t.Errorf("three commands: %q %v, want %q", lines, err, want)
	}
	lines, err = c.Do("get feature 77", "status")
	if err == nil || !reflect.DeepEqual(lines, []string{"attached yes"}) {
		t.Errorf("a bad command then status: %q %v, want the status and an error", lines, err)
	}
	if lines, err := c.Do("get feature 0c"); err != nil || !reflect.DeepEqual(lines, []string{"feature 0c: 0c 32"}) {
		t.Errorf("the connection after an error: %q %v", lines, err)
	}
}
