package apcsmart

import (
	"context"
	"errors"
	"strings"

	"gonut/drivers/core"
	"gonut/state"
)

// discover finds what the UPS has: from the firmware table for models
// that cannot say, else from `a` (and ^Z's capabilities), else the few
// variables every model answers.
func (d *Driver) discover(ctx context.Context) error {
	dev := d.dev
	matched, quirky, err := d.firmwareLookup(ctx)
	if err != nil || matched {
		return err
	}
	line, err := d.c.query(ctx, cCmdSet, cmdSetMode, waitLong)
	if err != nil && !errors.Is(err, errSilent) && !errors.Is(err, errPartial) {
		return err
	}
	cmds, ok := parseCmdSet(line)
	if err != nil || !ok {
		dev.Log.Info("very old or unknown APC model, support will be limited", "answer to a", line)
		d.oldSetup(ctx)
		return nil
	}
	dev.Log.Debug("command set", "answer", line)
	for i := 0; i < len(cmds); i++ {
		d.verify(ctx, cmds[i])
	}
	d.deprecate(ctx)
	if strings.IndexByte(cmds, cCaps) >= 0 {
		d.capabilities(ctx, quirky)
	}
	return nil
}

// firmwareLookup reads the firmware (V, else b) and, for the models of
// the compatibility table, takes their characters from there.
func (d *Driver) firmwareLookup(ctx context.Context) (matched, quirky bool, err error) {
	fw, err := d.c.query(ctx, cFwOld, plain, waitDefault)
	if err != nil && !errors.Is(err, errSilent) {
		if errors.Is(err, errClosed) || ctx.Err() != nil {
			return false, false, err
		}
		return false, false, nil
	}
	if fw == "" || fw == "NA" {
		if fw, err = d.c.query(ctx, cFwNew, plain, waitDefault); err != nil || fw == "" {
			return false, false, nil
		}
	}
	d.dev.Log.Debug("firmware", "answer", fw)
	if fw == quirkyFirmware {
		return false, true, nil
	}
	key := fw
	if len(fw) == 2 && allIn(fw, isHex) {
		key = "set\x01"
	}
	chars, ok := compat[key]
	if !ok {
		return false, false, nil
	}
	if key[0] == '0' || key[0] == '5' {
		d.dev.Tree.Set("ups.model", "Matrix-UPS")
	} else {
		d.dev.Tree.Set("ups.model", "Smart-UPS")
	}
	for i := 0; i < len(chars); i++ {
		d.verify(ctx, chars[i])
	}
	d.deprecate(ctx)
	return true, false, nil
}

// verify takes in one character the UPS says it knows: its variables
// (checked by reading them) or its instant commands.
func (d *Driver) verify(ctx context.Context, c byte) {
	if strings.IndexByte(unread, c) >= 0 {
		return
	}
	found := false
	for i := range d.vars {
		if d.vars[i].cmd == c {
			d.verifyVar(ctx, &d.vars[i])
			found = true
		}
	}
	if found {
		return
	}
	for i := range d.cmds {
		if d.cmds[i].cmd == c {
			d.cmds[i].present = true
			d.dev.Tree.AddCmd(d.cmds[i].name)
			found = true
		}
	}
	if !found {
		d.dev.Log.Debug("the UPS lists a character this driver does not use", "cmd", printable(c))
	}
}

// verifyVar reads a variable once to see that the UPS has it; rows that
// share a name or character are settled later, by deprecate.
func (d *Driver) verifyVar(ctx context.Context, v *varState) {
	if v.flags&vMulti != 0 {
		v.present = true
		return
	}
	raw, ok := d.preread(ctx, v)
	if !ok {
		return
	}
	v.present = true
	d.setVar(d.dev, v, raw)
	stringSetup(d.dev, v)
}

// preread reads a variable's raw answer, if it has one in its shape.
func (d *Driver) preread(ctx context.Context, v *varState) (string, bool) {
	raw, err := d.c.query(ctx, v.cmd, plain, waitDefault)
	if err != nil || raw == "" || raw == "NA" || v.shape != nil && !v.shape(raw) {
		d.dev.Log.Debug("variable not supported", "var", v.name, "cmd", printable(v.cmd), "answer", raw, "error", errString(err))
		return "", false
	}
	return raw, true
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// deprecate settles the rows that share a name or a character: the
// first present one whose answer has its shape wins, the others go.
func (d *Driver) deprecate(ctx context.Context) {
	for i := range d.vars {
		v := &d.vars[i]
		if v.flags&vMulti == 0 || !v.present {
			continue
		}
		raw, ok := d.preread(ctx, v)
		if !ok {
			v.present = false
			continue
		}
		for j := i + 1; j < len(d.vars); j++ {
			if d.vars[j].name == v.name || d.vars[j].cmd == v.cmd {
				d.vars[j].present = false
			}
		}
		d.setVar(d.dev, v, raw)
		stringSetup(d.dev, v)
	}
}

// capabilities reads ^Z: the values each writable variable may take in
// this UPS's locale (the firmware's last character) or in all ('4').
func (d *Driver) capabilities(ctx context.Context, quirky bool) {
	dev := d.dev
	fw, _ := dev.Tree.Get("ups.firmware")
	var loc byte
	if fw != "" {
		loc = fw[len(fw)-1]
	}
	line, err := d.c.query(ctx, cCaps, capsMode, waitLong)
	if err != nil || line == "NA" || line == "" {
		dev.Log.Warn("the UPS lists capabilities (^Z) but does not give them", "answer", line, "error", errString(err))
		return
	}
	caps, err := parseCaps(line)
	if err != nil && !quirky {
		dev.Log.Warn("capability string not read to its end; using what came before", "error", err)
	}
	for _, c := range caps {
		v := d.lookupChar(c.cmd)
		if v == nil || c.loc != loc && c.loc != '4' {
			continue
		}
		if v.flags&vPack != 0 {
			dev.Log.Warn("a packed variable is listed as enumerable; ignoring its values", "var", v.name)
			continue
		}
		dev.Tree.SetFlags(v.name, state.RW)
		v.rw, v.enum = true, true
		for _, val := range c.values {
			dev.Tree.AddEnum(v.name, convert(v.fmt, val))
		}
	}
}

// oldSetup is for models that answer neither the table nor `a`.
func (d *Driver) oldSetup(ctx context.Context) {
	for _, name := range []string{"ups.temperature", "ups.load", "input.voltage", "output.voltage",
		"battery.charge", "battery.voltage", "ups.model", "ups.serial", "ups.firmware", "output.current"} {
		for i := range d.vars {
			if d.vars[i].name == name {
				d.verifyVar(ctx, &d.vars[i])
			}
		}
	}
	d.deprecate(ctx)
	switch {
	case d.lookup("output.current") != nil:
		d.dev.Tree.Set("ups.model", "Matrix-UPS")
	case d.lookup("ups.model") == nil:
		d.dev.Tree.Set("ups.model", "Smart-UPS")
	}
}

var _ core.Driver = (*Driver)(nil)
