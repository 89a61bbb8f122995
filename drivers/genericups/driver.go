package genericups

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gonut/config"
	"gonut/drivers/core"
	"gonut/drivers/dstate"
	"gonut/internal/ctxsleep"
)

// options are genericups's ups.conf keys, in NUT 2.8.0's order and words.
func options() config.UPSKeys {
	return config.UPSKeys{
		config.DriverOption("upstype", "Set UPS type (required)"),
		config.DriverOption("mfr", "Override manufacturer name"),
		config.DriverOption("model", "Override model name"),
		config.DriverOption("serial", "Specify the serial number"),
		config.DriverOption("CP", "Override cable power setting"),
		config.DriverOption("OL", "Override on line signal"),
		config.DriverOption("LB", "Override low battery signal"),
		config.DriverOption("RB", "Override replace battery signal"),
		config.DriverOption("BYPASS", "Override battery bypass signal"),
		config.DriverOption("SD", "Override shutdown setting"),
		config.DriverOption("sdtime", "Hold time for shutdown value (seconds)"),
	}
}

// Opener opens a port's lines (OpenLines).
type Opener func(path string) (Lines, error)

// Driver is genericups.
type Driver struct {
	core.Base
	open  Opener
	sleep func(ctx context.Context, d time.Duration) error

	t      upsType // the type, with the section's overrides
	sdtime time.Duration
	lines  Lines
}

// New returns the driver; open opens its port's lines.
func New(open Opener) *Driver { return &Driver{open: open, sleep: ctxsleep.Sleep} }

// Info describes genericups.
func (d *Driver) Info() core.Info {
	return core.Info{Name: "genericups", Description: "Generic contact-closure UPS driver", Version: "1.38",
		Options: options(), Help: typeList(), Timeout: breakTime + 5*time.Second}
}

// typeList is NUT's list of UPS types, for -h and errors.
func typeList() string {
	var b strings.Builder
	b.WriteString("Valid UPS types:\n\n")
	for i, t := range types {
		fmt.Fprintf(&b, "%d: %s\n", i, t.desc)
	}
	return b.String()
}

// configure reads the type and its overrides.
func (d *Driver) configure(dev *core.Device) error {
	v, ok := dev.Value("upstype")
	if !ok {
		return errors.New("no upstype set: add upstype = <number> to the section (genericups -h lists them)")
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < 0 || n >= len(types) {
		return fmt.Errorf("upstype = %q: expected a UPS type number, 0 to %d\n%s", v, len(types)-1, typeList())
	}
	d.t = types[n]
	dev.Log.Info("UPS type: " + d.t.desc)
	for _, o := range []struct {
		key string
		out *int
	}{{"CP", &d.t.cablePower}, {"SD", &d.t.sd}} {
		if v, ok := dev.Value(o.key); ok {
			if *o.out, err = parseOutput(o.key, v); err != nil {
				return err
			}
		}
	}
	for _, o := range []struct {
		key string
		in  *signal
	}{{"OL", &d.t.ol}, {"LB", &d.t.lb}, {"RB", &d.t.rb}, {"BYPASS", &d.t.byp}} {
		if v, ok := dev.Value(o.key); ok {
			if *o.in, err = parseInput(o.key, v); err != nil {
				return err
			}
		}
	}
	d.sdtime = 0
	if v, ok := dev.Value("sdtime"); ok {
		s, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || s < 0 {
			return fmt.Errorf("sdtime = %q: expected a whole number of seconds", v)
		}
		d.sdtime = time.Duration(s) * time.Second
	}
	return nil
}

// Init powers the cable and names the UPS.
func (d *Driver) Init(ctx context.Context, dev *core.Device) error {
	if err := d.configure(dev); err != nil {
		return err
	}
	path, _ := dev.Value("port")
	if path == "" {
		return errors.New("no port given: set port = /dev/ttyS0 (say) in the section")
	}
	var err error
	if d.lines, err = d.open(path); err != nil {
		return err
	}
	if err := d.lines.Set(d.t.cablePower); err != nil {
		d.lines.Close()
		d.lines = nil
		return fmt.Errorf("cannot power the cable: %w", err)
	}
	mfr, model := d.t.mfr, d.t.model
	if v, ok := dev.Value("mfr"); ok {
		mfr = v
	}
	if v, ok := dev.Value("model"); ok {
		model = v
	}
	dev.Tree.Set("ups.mfr", mfr)
	dev.Tree.Set("ups.model", model)
	if v, ok := dev.Value("serial"); ok {
		dev.Tree.Set("ups.serial", v)
	}
	return nil
}

// holds reports whether a condition holds on the lines; a disabled one
// (no lines) never does.
func (s signal) holds(lines int) bool { return s.mask != 0 && lines&s.mask == s.want }

// Update reads the lines.
func (d *Driver) Update(ctx context.Context, dev *core.Device) error {
	lines, err := d.lines.Get()
	if err != nil {
		return err
	}
	var s dstate.Status
	for _, w := range statusOf(d.t, lines) {
		s.Set(w)
	}
	s.Commit(dev.Tree)
	return nil
}

// statusOf is ups.status's words for the lines, in NUT's order (LB
// first). OL without lines always holds.
func statusOf(t upsType, lines int) []string {
	var s []string
	if t.lb.holds(lines) {
		s = append(s, "LB")
	}
	if t.ol.mask == 0 || lines&t.ol.mask == t.ol.want {
		s = append(s, "OL")
	} else {
		s = append(s, "OB")
	}
	if t.rb.holds(lines) {
		s = append(s, "RB")
	}
	if t.byp.holds(lines) {
		s = append(s, "BYPASS")
	}
	return s
}

// breakTime is how long the shutdown BREAK lasts: NUT asks tcsendbreak
// for 4901, which glibc on Linux rounds up to 50 tenths of a second.
const breakTime = 5 * time.Second

// Shutdown sets the shutdown lines (or sends a BREAK) and holds them for
// sdtime.
func (d *Driver) Shutdown(ctx context.Context, dev *core.Device) error {
	switch {
	case d.t.sd == noShutdown:
		return errors.New("no shutdown signal is known for this UPS type: set SD in the section")
	case d.t.sd&ST != 0:
		dev.Log.Info("sending BREAK to shut down")
		if err := d.lines.Break(breakTime); err != nil {
			return fmt.Errorf("cannot send BREAK: %w", err)
		}
		return nil
	}
	if err := d.lines.Set(d.t.sd); err != nil {
		return err
	}
	if d.sdtime > 0 {
		dev.Log.Info("holding the shutdown signal", "seconds", int(d.sdtime/time.Second))
		return d.sleep(ctx, d.sdtime)
	}
	return nil
}

// Close closes the port; the lines stay as they are.
func (d *Driver) Close() error {
	if d.lines == nil {
		return nil
	}
	return d.lines.Close()
}
