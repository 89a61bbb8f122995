package qx

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"gonut/drivers/core"
	"gonut/drivers/dstate"
	"gonut/drivers/serial"
	"gonut/drivers/usb"
)

// Driver is nutdrv_qx.
type Driver struct {
	core.Base
	open serialOpener
	now  func() time.Time
	// wait is how long the UPS has to answer a request: NUT's
	// SER_WAIT_SEC, 1 s.
	wait time.Duration

	// USBBus is the system's USB bus (libusb), for a UPS behind a
	// USB-serial bridge; tests give another.
	USBBus func() (usb.Bus, error)
	// USBVersion is driver.version.usb, the USB library's version, which
	// NUT's nutdrv_qx shows whatever the port.
	USBVersion string

	mu       sync.Mutex // one exchange at a time, and what follows
	port     serial.Port
	usb      *usbLink // the bridge, when the UPS is on USB
	dev      *core.Device
	set      settings
	sub      *subdriver
	items    []item
	status   map[string]bool // NUT's ups_status bits, by token
	raw      []string        // tokens a subdriver set as they are (NUT's status_set), before the others
	proto    protoState      // what a subdriver keeps between items and polls
	alarms   []string        // found by this full walk
	shown    []string        // committed at the last full walk
	lastFull time.Time
	changed  bool // a command or setting: the next update is a full one
	failures int  // polls in a row without an answer
	polled   bool // a poll has succeeded: there is data to keep
	batt     battery
}

// New returns the driver; open opens its port (serial.Open), now is its
// clock.
func New(open serialOpener, now func() time.Time) *Driver {
	return &Driver{open: open, now: now, wait: time.Second}
}

// Version is the driver's version, NUT 2.8.0's nutdrv_qx's.
const Version = "0.32"

func (d *Driver) Info() core.Info {
	// Timeout: -k and driver.killpower try a cancel and a shutdown three
	// times each, a second's wait for the UPS each.
	return core.Info{Name: "nutdrv_qx", Description: "Generic Q* USB/Serial driver", Version: Version, Options: options(),
		MoreBanner: []string{usb.Banner},
		Help:       "\nAcceptable values for 'subdriver' via -x or ups.conf in this driver: " + strings.Join(bridgeNames(), ", ") + "\n",
		Timeout:    2 * maxTries * 2 * time.Second}
}

// maxTries is how many times NUT tries a claim or a command, and how many
// failed polls in a row it shrugs off before the data goes stale.
const maxTries = 3

func (d *Driver) Init(ctx context.Context, dev *core.Device) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	var err error
	if d.set, err = readSettings(dev.Value); err != nil {
		return err
	}
	d.dev = dev
	if d.USBVersion != "" {
		dev.Tree.Set("driver.version.usb", d.USBVersion)
	}
	if d.set.usb {
		if err := d.openUSB(ctx, dev); err != nil {
			return err
		}
	} else {
		path, _ := dev.Value("port")
		if path == "" {
			return errors.New("no port given: set port = /dev/ttyS0 (or another serial line) in ups.conf, or port = auto for a UPS on USB")
		}
		if d.port, err = d.open(path, serial.Options{Baud: 2400, NoLock: dev.Flag("nolock")}); err != nil {
			return err
		}
		// A PTY, or a USB adapter without them, has no modem-control
		// lines: NUT ignores the failure too.
		d.port.SetDTR(d.set.dtr)
		d.port.SetRTS(d.set.rts)
	}
	d.status = map[string]bool{}
	d.proto = newProtoState()
	if !d.match(ctx) {
		return errors.New("device not supported: no protocol of nutdrv_qx got an answer it understands (check the cable and port, or set protocol)")
	}
	dev.Log.Info("using protocol: " + d.sub.name)
	if d.sub.init != nil {
		d.sub.init(d)
	}
	dev.Tree.Set("driver.version.data", d.sub.name)
	if err := d.walk(ctx, walkInit); err != nil {
		return fmt.Errorf("can't initialise data from the UPS: %w", err)
	}
	if err := d.initBattery(); err != nil {
		return err
	}
	for _, o := range []struct{ option, name string }{{"ondelay", "ups.delay.start"}, {"offdelay", "ups.delay.shutdown"}} {
		if _, ok := dev.Tree.Get(o.name); !ok {
			continue
		}
		if v, ok := dev.Value(o.option); ok {
			if r := d.setVar(ctx, o.name, v); r != core.Handled {
				return fmt.Errorf("%s = %q: out of range for %s", o.option, v, o.name)
			}
		}
	}
	for _, c := range []string{"load.off", "load.on"} {
		if d.find(c, fCmd) == nil && d.find(c+".delay", fCmd) != nil {
			dev.Tree.AddCmd(c)
		}
	}
	dev.Tree.Set("driver.parameter.pollfreq", fmt.Sprint(int(d.set.pollFreq/time.Second)))
	d.lastFull = d.now()
	return nil
}

// match picks the subdriver: the one ups.conf names, or the first of
// NUT's order that claims the UPS.
func (d *Driver) match(ctx context.Context) bool {
	for _, s := range subdrivers() {
		if d.set.protocol != "" && !strings.EqualFold(s.protocol(), d.set.protocol) {
			continue
		}
		d.sub, d.items = s, cloneItems(s.table())
		for range maxTries {
			if ctx.Err() != nil {
				return false
			}
			if s.claim(d) {
				return true
			}
		}
	}
	d.sub, d.items = nil, nil
	return false
}

// exchange sends a request and reads its answer line, as NUT's qx_command
// does on a serial line: pending input is dropped first, and the UPS has
// d.wait to answer. Silence is an empty answer; a line cut short is an
// error.
func (d *Driver) exchange(ctx context.Context, req string) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	if d.usb != nil {
		ans, err := d.usb.exchange(ctx, req)
		if d.dev != nil {
			d.dev.Progress()
		}
		return ans, err
	}
	d.port.Flush()
	if _, err := d.port.Write([]byte(req)); err != nil {
		return "", fmt.Errorf("sending %q: %w", printable(req), err)
	}
	b, err := serial.ReadUntil(d.port, "\r\n", 511, d.wait, d.now)
	if d.dev != nil {
		d.dev.Progress()
	}
	switch {
	case errors.Is(err, serial.ErrTimeout) && len(b) == 0:
		return "", nil
	case errors.Is(err, serial.ErrTimeout):
		return "", fmt.Errorf("answer to %q cut short: %q", printable(req), printable(string(b)))
	case err != nil:
		return "", err
	}
	return string(b), nil
}

// ask sends an item's request and returns the answer as the item reads
// it (refined, when it is refined).
func (d *Driver) ask(ctx context.Context, it *item) (string, error) {
	ans, err := d.exchange(ctx, it.cmd)
	if err != nil || it.refine == nil {
		return ans, err
	}
	return it.refine(ans)
}

func printable(s string) string {
	return strings.NewReplacer("\r", `\r`, "\n", `\n`).Replace(s)
}

// find is NUT's find_nut_info: the first item of a name with all of
// want's flags and not skipped.
func (d *Driver) find(name string, want flags) *item {
	for i := range d.items {
		it := &d.items[i]
		if strings.EqualFold(it.name, name) && it.flags&want == want && it.flags&fSkip == 0 {
			return it
		}
	}
	return nil
}

func (d *Driver) get(name string) string {
	v, _ := d.dev.Tree.Get(name)
	return v
}

func (d *Driver) number(name string) float64 { return strtod(d.get(name)) }

// claimItem asks for an item and sets it: a claim's test.
func (d *Driver) claimItem(name string) bool {
	var it *item
	for i := range d.items {
		if strings.EqualFold(d.items[i].name, name) {
			it = &d.items[i]
			break
		}
	}
	if it == nil {
		return false
	}
	ans, err := d.ask(context.Background(), it)
	if err != nil {
		return false
	}
	raw, err := it.extract(ans, d.sub.rejected)
	if err != nil {
		return false
	}
	n, _ := d.setItem(it, raw)
	return n == 1
}

func (d *Driver) Update(ctx context.Context, dev *core.Device) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	now := d.now()
	d.raw = d.raw[:0]
	mode := walkQuick
	if now.Sub(d.lastFull) > d.set.pollFreq || d.changed {
		mode = walkFull
		clear(d.status)
		d.alarms = d.alarms[:0]
	}
	if err := d.walk(ctx, mode); err != nil {
		d.failures++
		if d.polled && d.failures <= maxTries+1 {
			// NUT lets a few polls fail before the data goes stale: a
			// garbled answer now and then is line noise. The core logs
			// the one line that matters: when the data goes stale.
			dev.Log.Debug("no valid answer from the UPS; the data goes stale if this goes on", "ups", dev.Name, "error", err, "failures", d.failures)
			return nil
		}
		return err
	}
	if mode == walkFull {
		d.lastFull, d.changed = now, false
		if d.status["RB"] {
			d.alarms = append(d.alarms, "Replace battery!")
		}
		if d.status["FSD"] {
			d.alarms = append(d.alarms, "Shutdown imminent!")
		}
		d.shown = append(d.shown[:0], d.alarms...)
		if len(d.shown) > 0 {
			dev.Tree.Set("ups.alarm", strings.Join(d.shown, " "))
		} else {
			dev.Tree.Delete("ups.alarm")
		}
	}
	d.commitStatus()
	d.failures, d.polled = 0, true
	return nil
}

// statusOrder is NUT's ups_status_set: OL or OB, then the others.
var statusOrder = []string{"DISCHRG", "CHRG", "LB", "OVER", "RB", "TRIM", "BOOST", "BYPASS", "OFF", "CAL", "FSD"}

// statusTokens are the tokens a subdriver may set or clear.
var statusTokens = append([]string{"OL"}, statusOrder...)

func (d *Driver) commitStatus() {
	var st dstate.Status
	for _, s := range d.raw {
		st.Set(s)
	}
	if d.status["OL"] {
		st.Set("OL")
	} else {
		st.Set("OB")
	}
	for _, s := range statusOrder {
		if d.status[s] {
			st.Set(s)
		}
	}
	for _, a := range d.shown {
		st.Alarm(a)
	}
	st.Commit(d.dev.Tree) // ALARM first, and the core's ignorelb
}

// updateStatus is NUT's update_status: "X" sets a bit, "!X" clears it.
func (d *Driver) updateStatus(v string) {
	clearBit := strings.HasPrefix(v, "!")
	v = strings.ToUpper(strings.TrimPrefix(v, "!"))
	for _, s := range statusTokens {
		if s == v {
			d.status[s] = !clearBit
			return
		}
	}
	d.dev.Log.Debug("unknown status token from the subdriver", "token", v)
}

func (d *Driver) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.usb != nil {
		return d.usb.close()
	}
	if d.port != nil {
		return d.port.Close()
	}
	return nil
}
