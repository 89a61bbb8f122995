package qx

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"gonut/drivers/core"
)

func (d *Driver) InstCmd(ctx context.Context, dev *core.Device, name, param string) core.Result {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.instCmd(ctx, name, param)
}

// instCmd is NUT's instcmd; mu held.
func (d *Driver) instCmd(ctx context.Context, name, param string) core.Result {
	log := d.dev.Log
	switch strings.ToLower(name) {
	case "beeper.off":
		log.Warn("The 'beeper.off' command has been renamed to 'beeper.disable'")
		return d.instCmd(ctx, "beeper.disable", "")
	case "beeper.on":
		log.Warn("The 'beeper.on' command has been renamed to 'beeper.enable'")
		return d.instCmd(ctx, "beeper.enable", "")
	}
	log.Info("instant command", "command", name, "param", param)
	it := d.find(name, fCmd)
	if it == nil {
		return d.fallback(ctx, name)
	}
	req := it.cmd
	if it.command != nil {
		var err error
		if req, err = it.command(d, it, param); err != nil {
			log.Error("instant command failed", "command", name, "error", err)
			return core.Failed
		}
	}
	if r := d.send(ctx, it, req); r != core.Handled {
		log.Error("instant command failed", "command", name)
		return r
	}
	return core.Handled
}

// fallback runs load.on and load.off, and the shutdowns, through the
// delayed commands when the UPS has only those.
func (d *Driver) fallback(ctx context.Context, name string) core.Result {
	switch strings.ToLower(name) {
	case "load.on":
		return d.instCmd(ctx, "load.on.delay", "0")
	case "load.off":
		return d.instCmd(ctx, "load.off.delay", "0")
	case "shutdown.return", "shutdown.stayoff":
		auto, on := "yes", d.get("ups.delay.start")
		if strings.EqualFold(name, "shutdown.stayoff") {
			auto, on = "no", "-1"
		}
		if _, ok := d.dev.Tree.Get("ups.start.auto"); ok && d.setVar(ctx, "ups.start.auto", auto) != core.Handled {
			return core.Failed
		}
		if r := d.instCmd(ctx, "load.on.delay", on); r != core.Handled {
			return r
		}
		return d.instCmd(ctx, "load.off.delay", d.get("ups.delay.shutdown"))
	}
	return core.Invalid
}

// send sends a command's request: no answer, or the subdriver's
// "accepted", is success; anything else (the request echoed back) is
// a refusal.
func (d *Driver) send(ctx context.Context, it *item, req string) core.Result {
	ans, err := d.exchange(ctx, req)
	if err != nil {
		d.dev.Log.Error("no clean answer to a command", "request", printable(req), "error", err)
		return core.Failed
	}
	raw, err := it.extract(ans, d.sub.rejected)
	if err != nil {
		d.dev.Log.Error("the UPS refused a command", "request", printable(req), "error", err)
		return core.Failed
	}
	if raw != "" && !strings.EqualFold(raw, d.sub.accepted) {
		d.dev.Log.Error("the UPS refused a command", "request", printable(req), "answer", printable(ans))
		return core.Failed
	}
	d.changed = true
	return core.Handled
}

func (d *Driver) SetVar(ctx context.Context, dev *core.Device, name, value string) core.Result {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.setVar(ctx, name, value)
}

// setVar is NUT's setvar; mu held.
func (d *Driver) setVar(ctx context.Context, name, value string) core.Result {
	it := d.find(name, fSetVar)
	if it == nil {
		return core.Unknown
	}
	log := d.dev.Log
	if value == "" {
		log.Error("no value given", "var", name)
		return core.Invalid
	}
	if strings.EqualFold(d.get(it.name), value) {
		return core.Handled
	}
	return d.setItemVar(ctx, it, value)
}

// setNoNut is NUT's setvar of a setting that is no NUT variable, at
// start: the value ups.conf gives it, if any, goes to the UPS.
func (d *Driver) setNoNut(ctx context.Context, it *item) {
	value, ok := d.dev.Value(it.name)
	if !ok && !d.dev.Flag(it.name) {
		return
	}
	d.dev.Log.Info("setvar", "var", it.name, "value", value)
	if value == "" && it.flags&(fRange|fEnum) != 0 {
		d.dev.Log.Error("no value given", "var", it.name)
		return
	}
	if d.setItemVar(ctx, it, value) != core.Handled {
		d.dev.Log.Error("setvar failed", "var", it.name, "value", value)
	}
}

// setItemVar checks a value against the item's ranges and sets it: kept
// by the driver, or sent to the UPS.
func (d *Driver) setItemVar(ctx context.Context, it *item, value string) core.Result {
	log, name := d.dev.Log, it.name
	if it.flags&fRange != 0 {
		if !numeric(value) {
			log.Error("not a number", "var", name, "value", value)
			return core.Invalid
		}
		n := atol(value)
		if !slices.ContainsFunc(d.rangesOf(it), func(r [2]int) bool { return r[0] <= n && n <= r[1] }) {
			log.Error("value out of range", "var", name, "value", value)
			return core.Invalid
		}
	}
	if it.flags&fEnum != 0 && !slices.ContainsFunc(it.enum, func(v string) bool { return strings.EqualFold(v, value) }) {
		log.Error("value out of range", "var", name, "value", value)
		return core.Invalid
	}
	req := value
	if it.command != nil {
		var err error
		if req, err = it.command(d, it, value); err != nil {
			log.Error("setting failed", "var", name, "error", err)
			return core.Invalid
		}
	}
	if it.flags&fAbsent != 0 {
		d.dev.Tree.Set(it.name, req)
		return core.Handled
	}
	if it.command == nil {
		req = it.cmd
	}
	return d.send(ctx, it, req)
}

// Shutdown is -k (and driver.killpower): the delays from ups.conf, any
// pending shutdown stopped, then shutdown.return (or shutdown.stayoff
// with stayoff), tried three times, as NUT's upsdrv_shutdown.
func (d *Driver) Shutdown(ctx context.Context, dev *core.Device) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, o := range []struct{ option, name string }{{"ondelay", "ups.delay.start"}, {"offdelay", "ups.delay.shutdown"}} {
		it := d.find(o.name, 0)
		if it == nil {
			return fmt.Errorf("unable to set %s", o.name)
		}
		d.dev.Tree.Set(it.name, it.dfl)
		d.describe(it)
		if v, ok := dev.Value(o.option); ok && d.setVar(ctx, it.name, v) != core.Handled {
			return fmt.Errorf("%s '%s' out of range", o.option, v)
		}
	}
	if d.find("shutdown.stop", fCmd) != nil {
		stopped := false
		for range maxTries {
			if d.instCmd(ctx, "shutdown.stop", "") == core.Handled {
				stopped = true
				break
			}
		}
		if !stopped {
			dev.Log.Info("no shutdown pending")
		}
	}
	cmd := "shutdown.return"
	if dev.Flag("stayoff") {
		cmd = "shutdown.stayoff"
	}
	for range maxTries {
		if d.instCmd(ctx, cmd, "") == core.Handled {
			dev.Log.Info("shutting down in " + d.get("ups.delay.shutdown") + " seconds")
			return nil
		}
	}
	return errors.New("shutdown failed")
}
