package qx

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"gonut/drivers/core"
	"gonut/drivers/serial"
	"gonut/drivers/usb"
	"gonut/test/usbsim/qxbridge"
	"gonut/test/usbsim/simbus"
	"gonut/test/usbsim/usbip"
)

// startUSB runs Init on simulated bridge devices (test/usbsim/qxbridge:
// the device's side of each framing, with a Megatec UPS behind it) over
// the real usb.Open and usb.Conn.
func startUSB(t *testing.T, set []core.Setting, devs ...*qxbridge.Device) (*Driver, *core.Device, error) {
	t.Helper()
	var list []usbip.Device
	for _, d := range devs {
		list = append(list, d)
	}
	bus := simbus.New(list...)
	d := New(func(string, serial.Options) (serial.Port, error) { t.Fatal("serial port opened"); return nil, nil }, time.Now)
	d.USBBus = func() (usb.Bus, error) { return bus, nil }
	dev := core.NewDevice("t", set, slog.New(slog.NewTextHandler(io.Discard, nil)))
	err := d.Init(context.Background(), dev)
	if err == nil {
		t.Cleanup(func() { d.Close() })
	}
	return d, dev, err
}

func usbSection(kv ...string) []core.Setting {
	out := []core.Setting{{Key: "port", Value: "auto"}}
	for _, s := range kv {
		k, v, ok := strings.Cut(s, "=")
		out = append(out, core.Setting{Key: k, Value: v, Flag: !ok})
	}
	return out
}

// Each bridge, chosen by NUT's ID table from the device's IDs and
// strings, carries the Megatec conversation; a command's request reaches
// the UPS in the bridge's own framing (bytes written from NUT's
// nutdrv_qx.c), and the UPS's state shows after a poll.
func TestBridges(t *testing.T) {
	for name, beeper := range map[string][]string{
		"cypress":    {"out 21 09 0200 0000: 51 0d 00 00 00 00 00 00"},
		"phoenix":    {"out 21 09 0200 0000: 51 0d 00 00 00 00 00 00"},
		"ippon":      {"out 21 09 0002 0000: 51 0d 00 .."},
		"sgs":        {"out 21 09 0200 0000: 02 51 0d 00 00 00 00 00"},
		"armac":      {"out 21 09 0200 0000: a2 51 0d 00"},
		"ablerex":    {"out 21 09 0305 0000: 05 00 02 51 0d" + strings.Repeat(" 00", 42)},
		"phoenixtec": {"out 42 0d 0000 0000: 51 0d"},
		"fuji":       {"interrupt 02: 80 06 02 03 51 00 00 00"},
		"krauler":    {"string 07"},
		"fabula":     {"string 07"},
		"hunnox":     {"string 07"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			m := qxbridge.Models[name]
			sim := qxbridge.New(m, "1-1")
			d, dev, err := startUSB(t, usbSection("protocol=megatec"), sim)
			if err != nil {
				t.Fatalf("Init: %v\nrequests: %q", err, sim.Requests())
			}
			if d.usb.bridge.name != name {
				t.Errorf("bridge %s, want %s", d.usb.bridge.name, name)
			}
			for k, want := range map[string]string{
				"device.mfr": "NOT_A_LIVE_UPS", "input.voltage": "230.4", "battery.voltage.nominal": "24.0",
				"ups.vendorid": hex4(m.VendorID), "ups.productid": hex4(m.ProductID), "driver.version.data": "Megatec 0.06",
			} {
				if got := get(dev, k); got != want {
					t.Errorf("%s = %q, want %q", k, got, want)
				}
			}
			// The bridges that read the answer from an endpoint wait for
			// one that a command the UPS does silently never gets: NUT's
			// command fails too. SGS's end of an answer is a timeout, and
			// Ippon's empty answer is "\x00\r", and the string bridges
			// get an empty string or "UPS No Ack".
			want := core.Handled
			if name == "cypress" || name == "phoenix" || name == "phoenixtec" || name == "fuji" {
				want = core.Failed
			}
			if r := d.InstCmd(context.Background(), dev, "beeper.toggle", ""); r != want {
				t.Errorf("beeper.toggle: %v, want %v", r, want)
			}
			tr := sim.Transfers()
			last := tr[max(0, len(tr)-len(beeper)):]
			if strings.Join(last, "\n") != strings.Join(beeper, "\n") {
				t.Errorf("beeper.toggle's transfers: %q, want %q", last, beeper)
			}
			if rq := sim.Requests(); rq[len(rq)-1] != "Q\r" {
				t.Errorf("the UPS got %q last, want Q", rq[len(rq)-1])
			}
			sim.UPS.MainsLost(true)
			if err := d.Update(context.Background(), dev); err != nil {
				t.Fatal(err)
			}
			if got := get(dev, "ups.status"); !strings.HasPrefix(got, "OB") {
				t.Errorf("ups.status = %q on battery", got)
			}
		})
	}
}

func hex4(v uint16) string { return fmt.Sprintf("%04x", v) }

// The bridge is the subdriver ups.conf names, or the first row of NUT's
// table that fits the device's IDs and strings; a section with any of
// NUT's USB options (or port = auto) is a USB one.
func TestUSBSelection(t *testing.T) {
	m := qxbridge.Models
	snrAsHunnox := m["snr"] // product MEC0003: NUT's table has Hunnox's row first
	for _, c := range []struct {
		set    []string
		devs   []qxbridge.Model
		bridge string
		err    string
	}{
		{[]string{"port=/dev/ttyUSB0", "vendorid=0665"}, []qxbridge.Model{m["cypress"]}, "cypress", ""},
		{[]string{"port=auto", "vendorid=06da"}, []qxbridge.Model{m["cypress"], m["ippon"]}, "ippon", ""},
		{[]string{"port=auto"}, []qxbridge.Model{m["fabula"]}, "fabula", ""},
		{[]string{"port=auto"}, []qxbridge.Model{m["hunnox"]}, "hunnox", ""},
		{[]string{"port=auto"}, []qxbridge.Model{m["krauler"]}, "krauler", ""},
		{[]string{"port=auto"}, []qxbridge.Model{snrAsHunnox}, "hunnox", ""},
		{[]string{"port=auto", "subdriver=snr", "vendorid=0001", "productid=0000", "langid_fix=0x0409"}, []qxbridge.Model{m["snr"]}, "snr", ""},
		{[]string{"port=auto", "subdriver=snr", "vendorid=0001", "productid=0000"}, []qxbridge.Model{m["snr"]}, "", "set langid_fix"},
		{[]string{"port=auto"}, []qxbridge.Model{m["phoenixtec"]}, "phoenixtec", ""},
		{[]string{"port=auto"}, []qxbridge.Model{{Bridge: "cypress", VendorID: 0x06da, ProductID: 0x0002, Vendor: "Online", Product: "Yunto YQ450"}}, "cypress", ""},
		{[]string{"port=auto", "langid_fix=0x0409"}, []qxbridge.Model{m["krauler"]}, "krauler", ""},
		{[]string{"port=auto", "subdriver=cypress"}, []qxbridge.Model{m["cypress"]}, "", "When specifying a subdriver, 'vendorid' and 'productid' are mandatory."},
		{[]string{"port=auto", "subdriver=foo", "vendorid=0665", "productid=5161"}, []qxbridge.Model{m["cypress"]}, "", "Subdriver 'foo' not found!"},
		{[]string{"port=auto"}, []qxbridge.Model{m["fuji"]}, "fuji", ""},
		{[]string{"port=auto", "vendorid=0925"}, []qxbridge.Model{m["cypress"]}, "", "No supported devices found"},
		{[]string{"port=auto"}, []qxbridge.Model{{Bridge: "cypress", VendorID: 0x0463, ProductID: 0xffff}}, "", "No supported devices found"},
	} {
		var sims []*qxbridge.Device
		for _, md := range c.devs {
			sims = append(sims, qxbridge.New(md, "1-1"))
		}
		var set []core.Setting
		for _, kv := range append(c.set, "protocol=megatec") {
			k, v, _ := strings.Cut(kv, "=")
			set = append(set, core.Setting{Key: k, Value: v})
		}
		d, _, err := startUSB(t, set, sims...)
		switch {
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("%v: %v, want an error with %q", c.set, err, c.err)
		case c.err == "" && err != nil:
			t.Errorf("%v: %v", c.set, err)
		case c.err == "" && d.usb.bridge.name != c.bridge:
			t.Errorf("%v: bridge %s, want %s", c.set, d.usb.bridge.name, c.bridge)
		}
	}
}

// Fabula's and Hunnox's string of a shutdown: NUT's arithmetic on the
// delay in minutes (.5 to 10, clamped), +8 to return.
func TestFabulaIndex(t *testing.T) {
	for req, want := range map[string]int{
		"Q1\r": 0x03, "F\r": 0x0d, "I\r": 0x0c, "Q\r": 0x07, "C\r": 0x0a, "X\r": 0,
		"S.5R0000\r": 0x10, "S.5R0001\r": 0x18, "S.3\r": 0x18, "S.7R0002\r": 0x38, "S01R0000\r": 0x60,
		"S02\r": 0x78, "S10R0000\r": 0xf0, "S15R0001\r": 0xf8, "Sx\r": 0,
	} {
		if got := fabulaIndex(req); got != want {
			t.Errorf("fabulaIndex(%q) = %#x, want %#x", req, got, want)
		}
	}
}

func FuzzBridgeParsers(f *testing.F) {
	f.Add("S.5R0001\r", []byte{8, 3, 'A', 0, 'B', 1, 0, 0})
	f.Add("S1e1R-3\r", []byte{4, 3, '\r', 0})
	f.Fuzz(func(t *testing.T, req string, desc []byte) {
		if i := fabulaIndex(req); i < 0 || i > 0xff {
			t.Fatalf("fabulaIndex(%q) = %d", req, i)
		}
		if s, ok := unicode(desc, 102); ok && len(s) > 101 {
			t.Fatalf("unicode(% x) = %q", desc, s)
		}
	})
}

// A bridge unplugged: the polls fail (the data goes stale); plugged in
// again, at another address, the next poll finds it and reads it, in the
// same driver.
func TestBridgeUnplugged(t *testing.T) {
	sim := qxbridge.New(qxbridge.Models["krauler"], "1-1")
	bus := simbus.New(sim)
	d := New(func(string, serial.Options) (serial.Port, error) { t.Fatal("serial port opened"); return nil, nil }, time.Now)
	d.USBBus = func() (usb.Bus, error) { return bus, nil }
	dev := core.NewDevice("t", usbSection("protocol=megatec"), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err := d.Init(context.Background(), dev); err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	ctx := context.Background()
	if err := d.Update(ctx, dev); err != nil {
		t.Fatal(err)
	}
	bus.Unplug(0)
	var err error
	for range maxTries + 2 {
		err = d.Update(ctx, dev)
	}
	if err == nil {
		t.Fatal("the polls of an unplugged bridge do not fail")
	}
	sim.UPS.MainsLost(true)
	bus.Plug(0)
	if err := d.Update(ctx, dev); err != nil {
		t.Fatalf("plugged in again: %v", err)
	}
	if got := get(dev, "ups.status"); !strings.HasPrefix(got, "OB") {
		t.Errorf("ups.status = %q, want OB", got)
	}
}
