package apcsmart

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gonut/drivers/core"
)

// The window in which a dangerous command must be asked a second time.
const (
	confirmMin = 3 * time.Second
	confirmMax = 15 * time.Second
)

// InstCmd runs an instant command.
func (d *Driver) InstCmd(ctx context.Context, dev *core.Device, name, param string) core.Result {
	var ct *cmdState
	for i := range d.cmds {
		c := &d.cmds[i]
		if !strings.EqualFold(c.name, name) {
			continue
		}
		if c.param != nil && c.param(param) || c.param == nil && param == "" {
			ct = c
			break
		}
	}
	if ct == nil {
		dev.Log.Warn("unknown instant command", "command", name, "param", param)
		return core.Invalid
	}
	if !ct.present {
		dev.Log.Warn("instant command known, but not supported by this UPS", "command", name, "param", param)
		return core.Invalid
	}
	if ct.nasty && !d.confirmed(strings.ToLower(name)+" "+strings.ToLower(param)) {
		dev.Log.Warn("dangerous command: ask it again between 3 and 15 seconds from now to carry it out", "command", name, "param", param)
		return core.Invalid
	}
	var err error
	switch strings.ToLower(name) {
	case "calibrate.start":
		err = d.calibrate(ctx, true)
	case "calibrate.stop":
		err = d.calibrate(ctx, false)
	case "load.on":
		err = d.withLine(func() error { _, err := d.c.sendTwice(ctx, cOn, alertAware); d.c.cancel(); return err })
	case "load.off":
		err = d.offNow(ctx)
	case "shutdown.stayoff":
		err = d.offDelayed(ctx)
	case "shutdown.return":
		switch {
		case param == "":
			err = d.softHibernate(ctx)
		case strings.EqualFold(param, "cs"):
			err = d.forceOB(ctx)
		default:
			err = d.hardHibernate(ctx, param[3:])
		}
	default:
		err = d.simple(ctx, ct)
	}
	if err != nil {
		dev.Log.Warn("instant command failed", "command", name, "param", param, "error", err)
		return core.Failed
	}
	dev.Log.Info("instant command done", "command", name, "param", param)
	return core.Handled
}

// confirmed reports whether a dangerous command was asked 3 to 15 s ago
// too, and notes this asking.
func (d *Driver) confirmed(key string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	now := d.now()
	last, seen := d.asked[key]
	d.asked[key] = now
	gap := now.Sub(last)
	return seen && gap >= confirmMin && gap <= confirmMax
}

// withLine runs f holding the line.
func (d *Driver) withLine(f func() error) error {
	d.c.ex.Lock()
	defer d.c.ex.Unlock()
	return f()
}

// simple sends a command's character (twice if it must) and wants OK.
func (d *Driver) simple(ctx context.Context, ct *cmdState) error {
	return d.withLine(func() error {
		var got chan answer
		var err error
		if ct.repeat {
			got, err = d.c.sendTwice(ctx, ct.cmd, alertAware)
		} else {
			got = d.c.expect(alertAware)
			err = d.c.write(ct.cmd)
		}
		if err != nil {
			d.c.cancel()
			return err
		}
		line, err := d.c.wait(ctx, got, waitDefault)
		if err != nil {
			return err
		}
		if line != "OK" {
			return fmt.Errorf("the UPS answered %q to %s", line, printable(ct.cmd))
		}
		return nil
	})
}

// calibrate starts or stops a runtime calibration (D toggles it).
func (d *Driver) calibrate(ctx context.Context, start bool) error {
	return d.withLine(func() error {
		line, err := d.c.queryLocked(ctx, cStatus, alertAware, waitDefault)
		if err != nil {
			return fmt.Errorf("calibration state unknown: %w", err)
		}
		bits, err := parseStatus(line)
		if err != nil {
			return fmt.Errorf("calibration state unknown: %w", err)
		}
		running := bits&stCal != 0
		if running == start {
			if start {
				return errors.New("runtime calibration already in progress")
			}
			return errors.New("runtime calibration not occurring")
		}
		line, err = d.c.queryLocked(ctx, cCalibrate, alertAware, waitDefault)
		if err == nil && (line == "NA" || line == "NO") {
			err = fmt.Errorf("the UPS answered %s", line)
		}
		return err
	})
}

// shutdownOK reads a shutdown command's answer: OK (or '*'); silence
// counts as done when quietOK.
func (d *Driver) shutdownOK(ctx context.Context, got chan answer, quietOK bool) error {
	line, err := d.c.wait(ctx, got, waitMedium)
	switch {
	case err == nil && line == "OK":
		return nil
	case errors.Is(err, errSilent) && quietOK:
		return nil
	case err != nil:
		return err
	}
	return fmt.Errorf("the UPS answered %q", line)
}

// softHibernate is S: off after the grace period, back when power
// returns (only on battery).
func (d *Driver) softHibernate(ctx context.Context) error {
	return d.withLine(func() error {
		got := d.c.expect(shutdownMode)
		if err := d.c.write(cSoftHib); err != nil {
			d.c.cancel()
			return err
		}
		return d.shutdownOK(ctx, got, false)
	})
}

// hardHibernate is @nnn (or @nn when awd has exactly 2 digits): off,
// back nnn*6 minutes after power returns.
func (d *Driver) hardHibernate(ctx context.Context, awd string) error {
	if awd == "" {
		awd = "000"
	}
	if len(awd) != 2 {
		awd = strings.Repeat("0", 3-len(awd)) + awd
	}
	return d.withLine(func() error {
		got, err := d.c.sendLong(ctx, string(cHardHib)+awd, shutdownMode)
		if err != nil {
			return err
		}
		err = d.shutdownOK(ctx, got, false)
		if err == nil || len(awd) == 3 {
			return err
		}
		// A model that wants 3 digits waits for the third: end the
		// sequence with something it refuses (newer ones say NO).
		d.c.queryLocked(ctx, cSmart, plain, waitMedium)
		return fmt.Errorf("%w; @ with 2 digits does not work here: try 3 digits", err)
	})
}

// offDelayed is K: off for good after the grace period.
func (d *Driver) offDelayed(ctx context.Context) error {
	return d.withLine(func() error {
		got, err := d.c.sendTwice(ctx, cShutdown, shutdownMode)
		if err != nil {
			return err
		}
		return d.shutdownOK(ctx, got, false)
	})
}

// offNow is Z: off at once, for good; the UPS says nothing.
func (d *Driver) offNow(ctx context.Context) error {
	return d.withLine(func() error {
		got, err := d.c.sendTwice(ctx, cOff, shutdownMode)
		if err != nil {
			return err
		}
		return d.shutdownOK(ctx, got, true)
	})
}

// forceOB is the CS models' way down on mains: a simulated power
// failure, cshdelay, then S.
func (d *Driver) forceOB(ctx context.Context) error {
	d.mu.Lock()
	online := d.status&stOL != 0
	d.mu.Unlock()
	if online {
		err := d.withLine(func() error {
			_, err := d.c.queryLocked(ctx, cSimPwrF, alertAware, waitMedium)
			if errors.Is(err, errSilent) {
				err = nil
			}
			return err
		})
		if err != nil {
			return err
		}
		d.c.pace(d.set.cshdelay)
	}
	return d.softHibernate(ctx)
}

// SetVar writes a variable: an enumerated one by cycling its values, a
// string by sending it.
func (d *Driver) SetVar(ctx context.Context, dev *core.Device, name, value string) core.Result {
	v := d.lookup(name)
	if v == nil {
		return core.Unknown
	}
	if !v.rw {
		dev.Log.Warn("variable is not writable", "var", name)
		return core.Invalid
	}
	var err error
	switch {
	case v.enum:
		err = d.setEnum(ctx, dev, v, value)
	case v.flags&vString != 0:
		err = d.setString(ctx, dev, v, value)
	}
	if err != nil {
		dev.Log.Warn("SET failed", "var", name, "value", value, "error", err)
		return core.Failed
	}
	return core.Handled
}

// setEnum steps the variable with `-` until it shows the value (32
// steps at most, or until it comes back where it began).
func (d *Driver) setEnum(ctx context.Context, dev *core.Device, v *varState, value string) error {
	stepped := false
	err := d.withLine(func() error {
		orig, err := d.c.queryLocked(ctx, v.cmd, alertAware, waitDefault)
		if err == nil && orig == "NA" {
			err = errors.New("the UPS answers NA")
		}
		if err != nil {
			return err
		}
		start := convert(v.fmt, orig)
		if start == value {
			dev.Log.Info("SET to the value it has; nothing written", "var", v.name, "value", value)
			return nil
		}
		for i := 0; i < 32; i++ {
			stepped = true
			ok, err := d.c.queryLocked(ctx, cNext, alertAware, waitDefault)
			if err != nil {
				return err
			}
			if ok != "OK" {
				return fmt.Errorf("the UPS answered %q to the next value", ok)
			}
			now, err := d.c.queryLocked(ctx, v.cmd, alertAware, waitDefault)
			if err == nil && now == "NA" {
				err = errors.New("the UPS answers NA")
			}
			if err != nil {
				return err
			}
			switch convert(v.fmt, now) {
			case value:
				dev.Log.Info("SET", "var", v.name, "value", value)
				return nil
			case start:
				return fmt.Errorf("the values came back to %q without %q", start, value)
			}
		}
		return fmt.Errorf("no %q after 32 values", value)
	})
	if !stepped {
		return err
	}
	if perr := d.poll(ctx, dev, v); err == nil {
		err = perr
	}
	return err
}

// setString writes one of the 8-character strings: `-`, then the value
// padded with CRs.
func (d *Driver) setString(ctx context.Context, dev *core.Device, v *varState, value string) error {
	if len(value) > stringLen {
		return fmt.Errorf("value longer than %d characters", stringLen)
	}
	written := false
	err := d.withLine(func() error {
		cur, err := d.c.queryLocked(ctx, v.cmd, alertAware, waitDefault)
		if err == nil && cur == "NA" {
			err = errors.New("the UPS answers NA")
		}
		if err != nil {
			return err
		}
		if cur == value {
			dev.Log.Info("SET to the value it has; nothing written", "var", v.name, "value", value)
			return nil
		}
		written = true
		got, err := d.c.sendLong(ctx, string(cNext)+value+strings.Repeat("\r", stringLen-len(value)), alertAware)
		if err != nil {
			return err
		}
		line, err := d.c.wait(ctx, got, waitDefault)
		if err == nil && line == "NO" {
			err = errors.New("the UPS answered NO")
		}
		return err
	})
	if err == nil && written {
		err = d.poll(ctx, dev, v)
		dev.Log.Info("SET", "var", v.name, "value", value)
	}
	return err
}

// Shutdown is -k (and driver.killpower): the method sdtype names, or
// advorder's in turn until one works.
func (d *Driver) Shutdown(ctx context.Context, dev *core.Device) error {
	if !d.smartMode(ctx, 1) {
		dev.Log.Warn("setting smart mode failed; trying to shut down anyway")
	}
	line, err := d.c.query(ctx, cStatus, alertAware, waitMedium)
	bits, perr := parseStatus(line)
	if err != nil || perr != nil {
		dev.Log.Warn("status read failed, assuming OB LB", "error", errString(errors.Join(err, perr)))
		bits = stOB | stLB
	}
	d.mu.Lock()
	d.status = bits
	d.mu.Unlock()
	methods := map[byte]func() error{
		'0': func() error { return d.softHibernate(ctx) },
		'1': func() error { return d.hardHibernate(ctx, d.set.awd) },
		'2': func() error { return d.offDelayed(ctx) },
		'3': func() error { return d.offNow(ctx) },
		'4': func() error { return d.forceOB(ctx) },
	}
	if d.set.advorder != "" {
		var errs []error
		for i := 0; i < len(d.set.advorder); i++ {
			err := methods[d.set.advorder[i]]()
			if err == nil {
				return nil
			}
			errs = append(errs, err)
		}
		return errors.Join(errs...)
	}
	switch d.set.sdtype {
	case 5:
		return methods['1']()
	case 4:
		return methods['4']()
	case 3:
		return methods['2']()
	case 2:
		return methods['3']()
	case 1:
		if bits&stOB != 0 && methods['0']() == nil {
			return nil
		}
		return methods['1']()
	}
	if bits&stOL != 0 {
		return methods['1']()
	}
	return methods['0']()
}
