package snmp

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/gosnmp/gosnmp"

	"gonut/drivers/core"
	"gonut/drivers/snmp/mib"
	"gonut/state"
)

// target is the row a variable or command name comes to, with its OID
// and default instantiated for an outlet or group.
type target struct {
	row      mib.Row
	oid, dfl string
}

// resolve finds the row of a variable or command (NUT's su_setOID):
// device.N.* in a daisy chain, outlet.N.* and outlet.group.N.* through
// their templates.
func (d *Driver) resolve(dev *core.Device, name string, cmd bool) (target, core.Result) {
	d.mu.Lock()
	rows, info := d.rows, d.info
	d.mu.Unlock()
	find := func(n string) *mib.Row {
		for i := range rows {
			if strings.EqualFold(rows[i].Var, n) {
				return &rows[i]
			}
		}
		return nil
	}
	device, bare := 0, name
	countPrefix := ""
	if strings.HasPrefix(name, "device") {
		if daisyName(name) {
			rest := name[7:]
			i := strings.IndexByte(rest, '.')
			if i < 0 {
				return target{}, core.Unknown
			}
			device, _ = strconv.Atoi(rest[:i])
			bare = rest[i+1:]
			countPrefix = name[:7+i+1]
		} else if info.daisy {
			device = 1
			if r := find(name); r != nil && (r.OID == "" || strings.Contains(r.OID, ".%i")) {
				device = 0
			}
		}
	}
	if info.daisy && info.devices > 1 && device == 0 {
		return target{}, core.Invalid // the whole chain: not yet, as in NUT
	}
	var t target
	if !strings.HasPrefix(bare, "outlet") {
		r := find(bare)
		if r == nil && bare != name {
			if r = find(name); r == nil && info.daisy && info.devices > 1 && device == 1 && strings.HasPrefix(name, "device.1.") {
				r = find("device." + name[9:])
			}
		}
		if r == nil {
			return target{}, core.Unknown
		}
		t = target{row: *r, oid: r.OID, dfl: r.Default}
		if strings.Contains(t.oid, "%") {
			t.oid = fill(t.oid, device+d.engineOffset())
		}
	} else {
		kind, prefixLen := "outlet", len("outlet")
		if strings.HasPrefix(bare, "outlet.group") {
			kind, prefixLen = "outlet.group", len("outlet.group")
		}
		rest := strings.TrimPrefix(bare[prefixLen:], ".")
		i := strings.IndexByte(rest, '.')
		if i < 0 {
			return target{}, core.Unknown
		}
		item, err := strconv.Atoi(rest[:i])
		if err != nil {
			return target{}, core.Unknown
		}
		total, _ := dev.Tree.Get(countPrefix + kind + ".count")
		if item > atoi(total) {
			return target{}, core.Invalid
		}
		r := find(kind + ".%i" + rest[i:])
		if r == nil {
			return target{}, core.Unknown
		}
		t = target{row: *r, dfl: r.Default}
		if strings.Contains(t.dfl, "%i") {
			t.dfl = fill(t.dfl, item)
		}
		if r.OID == "" {
			if cmd {
				return target{}, core.Unknown
			}
		} else {
			n := item
			if cmd && r.Flags&mib.CmdOffset != 0 {
				n++ // Pulizzi's commands count from one more than its data
			}
			switch {
			case info.daisy:
				off := 0
				if info.devices > 1 {
					off = 1
				}
				if r.Flags&mib.Daisy1 != 0 {
					t.oid = fill(r.OID, device-off, n)
				} else {
					t.oid = fill(r.OID, n, device-off)
				}
			default:
				t.oid = fill(r.OID, n)
			}
		}
	}
	if t.row.Flags&mib.OK == 0 {
		return target{}, core.Unknown
	}
	return t, core.Handled
}

func (d *Driver) engineOffset() int {
	if d.engine == nil {
		return 0
	}
	return d.engine.devOffset
}

// SetVar writes a variable: its text as an OCTET STRING for a string
// row, else its number (through the row's lookup, or divided by its
// multiplier) as an INTEGER, or TimeTicks for a time row.
func (d *Driver) SetVar(ctx context.Context, dev *core.Device, name, value string) core.Result {
	t, res := d.resolve(dev, name, false)
	if res != core.Handled {
		return res
	}
	if t.row.Cmd() || t.row.Info&state.RW == 0 && t.oid != "" {
		// NUT writes any row it knows; only writable variables here.
		return core.Invalid
	}
	if t.oid == "" {
		dev.Tree.Set(name, value) // the driver's own (outlet.N.delay.*...)
		return core.Handled
	}
	var pdu Var
	if t.row.Info&state.String != 0 {
		var ok bool
		if pdu, ok = d.textPDU(t.oid, value); !ok {
			return core.ConversionFailed
		}
	} else {
		var n int64
		if t.row.Lookup != nil {
			v, ok := valueFor(t.row.Lookup, value)
			if !ok {
				return core.Invalid // NUT crashes (su_find_valinfo reads past its table)
			}
			n = v
		} else {
			v, err := strconv.ParseInt(value, 10, 64)
			if err != nil {
				return core.Invalid
			}
			n = int64(float64(v) / t.row.Len)
		}
		pdu = numberPDU(t, n)
	}
	if err := d.client.Set(ctx, pdu); err != nil {
		dev.Log.Warn(fmt.Sprintf("setvar %s: %v", name, err))
		return core.Failed
	}
	dev.Tree.Set(name, value)
	return core.Handled
}

// textPDU is the SET of a string row's value: an OCTET STRING, unless
// the agent gave the object as a number (NUT's tables have rows of
// numbers as strings, such as RFC 1628's upsShutdownAfterDelay, which
// NUT then writes as strings, and agents refuse with wrongType).
func (d *Driver) textPDU(oid, value string) (Var, bool) {
	typ := d.engine.agentType(oid)
	switch typ {
	case gosnmp.Integer, gosnmp.Gauge32, gosnmp.Counter32, gosnmp.Uinteger32, gosnmp.TimeTicks:
	default:
		return Var{Name: oid, Type: gosnmp.OctetString, Value: []byte(value)}, true
	}
	n, err := strconv.ParseInt(strings.TrimSpace(value), 10, 32)
	switch {
	case err != nil:
		return Var{}, false
	case typ == gosnmp.Integer:
		return Var{Name: oid, Type: gosnmp.Integer, Value: int(n)}, true
	case n < 0:
		return Var{}, false
	case typ == gosnmp.TimeTicks:
		return Var{Name: oid, Type: gosnmp.TimeTicks, Value: uint32(n * 100)}, true
	}
	return Var{Name: oid, Type: typ, Value: uint(n)}, true
}

func numberPDU(t target, n int64) Var {
	if t.row.Flags&mib.TypeMask == mib.TypeTime {
		return Var{Name: t.oid, Type: gosnmp.TimeTicks, Value: uint32(n * 100)}
	}
	return Var{Name: t.oid, Type: gosnmp.Integer, Value: int(n)}
}

// InstCmd runs a command: its row's value (or the one given) written to
// its OID. load.on and load.off fall back on their delayed forms with a
// delay of 0, and shutdown.return and shutdown.stayoff are made of
// them, where the table has no rows of their own (NUT 2.8.0 lists
// those commands and then answers that it does not know them).
func (d *Driver) InstCmd(ctx context.Context, dev *core.Device, name, param string) core.Result {
	t, res := d.resolve(dev, name, true)
	if res == core.Unknown {
		return d.composite(ctx, dev, name)
	}
	if res != core.Handled {
		return res
	}
	value := t.dfl
	if param != "" {
		value = param
	}
	if param == "" && !t.row.HasDefault {
		return core.Invalid
	}
	var pdu Var
	if t.row.Info&state.String != 0 {
		var ok bool
		if pdu, ok = d.textPDU(t.oid, value); !ok {
			return core.ConversionFailed
		}
	} else {
		n, err := strconv.ParseInt(value, 10, 64)
		if err != nil {
			return core.Invalid
		}
		pdu = numberPDU(t, n)
	}
	if err := d.client.Set(ctx, pdu); err != nil {
		dev.Log.Warn(fmt.Sprintf("instcmd %s: %v", name, err))
		return core.Failed
	}
	return core.Handled
}

func (d *Driver) composite(ctx context.Context, dev *core.Device, name string) core.Result {
	get := func(v string) string { s, _ := dev.Tree.Get(v); return s }
	switch name {
	case "load.off", "load.on":
		if !dev.Tree.HasCmd(name) {
			return core.Unknown
		}
		return d.InstCmd(ctx, dev, name+".delay", "0")
	case "shutdown.return", "shutdown.stayoff":
		if !dev.Tree.HasCmd(name) {
			return core.Unknown
		}
		if name == "shutdown.return" {
			if res := d.InstCmd(ctx, dev, "load.on.delay", get("ups.delay.start")); res != core.Handled {
				return res
			}
		}
		return d.InstCmd(ctx, dev, "load.off.delay", get("ups.delay.shutdown"))
	}
	return core.Unknown
}
