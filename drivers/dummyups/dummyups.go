package dummyups

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"gonut/config"
	"gonut/drivers/core"
	"gonut/nutenv"
)

// Modes, as driver.parameter.mode shows them.
const (
	modeOnce     = "dummy-once"
	modeLoop     = "dummy-loop"
	modeLegacy   = "dummy" // a loop, for files named neither .dev nor .seq
	modeRepeater = "repeater"
)

// Driver is dummy-ups.
type Driver struct {
	core.Base
	env nutenv.Env

	mode string
	file string // device file, for the dummy modes
	vars *vars

	// dummy modes
	player   *player
	modTime  time.Time
	finished bool          // dummy-once: played to the end
	hold     time.Duration // the first TIMER, still to run after Init

	rep *repeater
}

// New returns the driver; env locates relative device files.
func New(env nutenv.Env) *Driver { return &Driver{env: env} }

// Info describes dummy-ups.
func (d *Driver) Info() core.Info {
	return core.Info{
		Name:        "dummy-ups",
		Description: "Device simulation and repeater driver",
		Version:     "0.15",
		Options: config.UPSKeys{
			config.DriverOption("mode", "Specify mode instead of guessing it from port value (dummy = dummy-loop, dummy-once, repeater)"),
			config.DriverFlag("repeater_disable_strict_start", "Do not abort repeater mode startup if the upstream upsd is not reachable yet").AsExtra(), // NUT 2.8.1
		},
	}
}

// Init picks the mode and reads the device file (or the upstream UPS).
func (d *Driver) Init(ctx context.Context, dev *core.Device) error {
	port, _ := dev.Value("port")
	if port == "" {
		return errors.New("no port given: name a device file, or ups@host[:port] to repeat")
	}
	mode, _ := dev.Value("mode")
	switch mode {
	case "", modeOnce, modeLoop, modeLegacy, modeRepeater:
	default:
		return fmt.Errorf("unsupported mode %q: expected dummy-once, dummy-loop, dummy or repeater", mode)
	}
	d.vars = newVars(dev.Tree)
	if mode == modeRepeater || (mode == "" && strings.Contains(port, "@")) {
		d.mode = modeRepeater
		dev.Tree.Set("driver.parameter.mode", d.mode)
		d.rep = newRepeater(port, dev.Flag("repeater_disable_strict_start"), d.vars, dev.Log)
		dev.Tree.AddCmd("load.off")
		return d.rep.start(ctx)
	}
	if mode == modeLegacy {
		mode = modeLoop // asked for by name, NUT shows it as what it is
	}
	if mode == "" {
		switch {
		case strings.HasSuffix(port, ".seq"):
			mode = modeLoop
		case strings.HasSuffix(port, ".dev"):
			mode = modeOnce
		default:
			mode = modeLegacy
		}
	}
	d.mode = mode
	dev.Tree.Set("driver.parameter.mode", mode)
	d.file = d.path(port)
	d.vars.showDefaults()
	if err := d.load(dev); err != nil {
		return err
	}
	if wait, ended := d.play(dev); !ended {
		// The core updates once right after Init; that first update
		// must not cut the script's first TIMER short.
		d.hold = wait
	}
	dev.Tree.AddCmd("load.off")
	return nil
}

// path resolves a device file as NUT does: absolute, relative to the
// working directory when it starts with '.', else in the config directory.
func (d *Driver) path(port string) string {
	if filepath.IsAbs(port) || strings.HasPrefix(port, ".") {
		return port
	}
	return filepath.Join(d.env.ConfPath(), port)
}

// load (re)reads the device file.
func (d *Driver) load(dev *core.Device) error {
	f, err := os.Open(d.file)
	if err != nil {
		return fmt.Errorf("cannot open the device file: %w", err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil {
		d.modTime = fi.ModTime()
	}
	steps, errs := parseScript(d.file, f)
	for _, e := range errs {
		dev.Log.Warn("device file", "error", e)
	}
	d.player = newPlayer(steps)
	d.finished = false
	return nil
}

// play runs the script up to its next TIMER or its end, and returns that
// TIMER's wait or whether the script ended.
func (d *Driver) play(dev *core.Device) (time.Duration, bool) {
	if d.player.atStart() {
		d.vars.status.Reset()
		d.vars.status.ResetAlarms()
	}
	wait, ended := d.player.run(func(s step) {
		switch {
		case s.alarm:
			if s.value == "" {
				d.vars.status.ResetAlarms()
			} else {
				d.vars.status.Alarm(s.value)
			}
		case strings.HasPrefix(s.name, "ups.status"):
			d.vars.status.Reset()
			d.vars.status.Set(s.value)
			d.vars.status.Commit(dev.Tree)
		default:
			d.vars.set(s.name, s.value)
		}
	})
	if d.player.alarms {
		// Files with ALARM lines (NUT 2.8.3 and later) get ups.alarm
		// and the ALARM status token from them.
		d.vars.status.CommitAlarms(dev.Tree)
		d.vars.status.Commit(dev.Tree)
	}
	switch {
	case !ended:
		dev.NextUpdateIn(wait)
	case d.mode == modeOnce:
		d.finished = true
	}
	return wait, ended
}

// Update advances the simulation, or polls the upstream UPS.
func (d *Driver) Update(ctx context.Context, dev *core.Device) error {
	if d.mode == modeRepeater {
		return d.rep.update(ctx)
	}
	d.vars.mu.Lock()
	defer d.vars.mu.Unlock()
	if d.hold > 0 {
		dev.NextUpdateIn(d.hold)
		d.hold = 0
		return nil
	}
	if d.player.atStart() {
		// A new pass, or dummy-once done: pick up a changed file.
		fi, err := os.Stat(d.file)
		if err != nil {
			return fmt.Errorf("device file: %w", err)
		}
		if !fi.ModTime().Equal(d.modTime) {
			if err := d.load(dev); err != nil {
				return err
			}
		} else if d.finished {
			return nil
		}
	}
	d.play(dev)
	return nil
}

// SetVar changes a variable as a real device would report it.
func (d *Driver) SetVar(ctx context.Context, dev *core.Device, name, value string) core.Result {
	if d.mode == modeRepeater {
		return d.rep.setVar(ctx, name, value)
	}
	d.vars.mu.Lock()
	defer d.vars.mu.Unlock()
	return d.vars.set(name, value)
}

// InstCmd: dummy-ups declares load.off but, like NUT's, carries out no
// command, except in repeater mode where commands go upstream.
func (d *Driver) InstCmd(ctx context.Context, dev *core.Device, name, param string) core.Result {
	if d.mode == modeRepeater {
		return d.rep.instCmd(ctx, name, param)
	}
	return core.Unknown
}

// Close ends the repeater's connection.
func (d *Driver) Close() error {
	if d.rep != nil {
		d.rep.close()
	}
	return nil
}
