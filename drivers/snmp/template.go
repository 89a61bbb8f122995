package snmp

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"gonut/drivers/snmp/mib"
)

// templateKind is the kind of template a variable name belongs to
// (NUT's get_template_type).
func templateKind(name string) mib.Flags {
	switch {
	case strings.HasPrefix(name, "outlet.group"):
		return mib.OutletGroup
	case strings.HasPrefix(name, "outlet"):
		return mib.Outlet
	case strings.HasPrefix(name, "device"):
		return daisyBase
	case strings.HasPrefix(name, "ambient"):
		return mib.AmbientTemplate
	}
	return 0
}

// multiple reports whether an OID template has two %i (an item of a
// daisy-chained device).
func multiple(oid string) bool {
	i := strings.IndexByte(oid, '%')
	return i >= 0 && strings.IndexByte(oid[i+1:], '%') >= 0
}

// present reports whether the agent has an OID; an agent that does not
// answer is an error.
func (e *Engine) present(ctx context.Context, oid string) (bool, error) {
	_, err := e.get(ctx, oid)
	if err != nil {
		if fatal(err) {
			return false, err
		}
		return false, nil
	}
	return true, nil
}

// baseIndex is the first SNMP index (0 or 1) of a template's items, found
// once per kind of template (NUT's base_snmp_template_index): the first
// index whose OID the agent has and whose value is valid. With neither,
// NUT settles on 2, and so does this.
func (e *Engine) baseIndex(ctx context.Context, r *mib.Row) (int, error) {
	kind := templateKind(r.Var)
	if b, ok := e.bases[kind]; ok {
		return b, nil
	}
	if r.OID == "" {
		return 1, nil // NUT: -1, so its items are numbered from -1
	}
	base := 0
	for ; base < 2; base++ {
		var oid string
		switch {
		case multiple(r.OID) && r.Flags&mib.Daisy1 != 0:
			oid = fill(r.OID, e.device+e.devOffset, base)
		case multiple(r.OID):
			oid = fill(r.OID, base, e.device+e.devOffset)
		default:
			oid = fill(r.OID, base)
		}
		ok, err := e.present(ctx, oid)
		if err != nil {
			return 0, err
		}
		if !ok {
			continue
		}
		if r.Flags&mib.ZeroInvalid != 0 {
			if v, err := e.getNumber(ctx, oid); err == nil && v != 0 {
				break
			} else if fatal(err) {
				return 0, err
			}
			continue
		}
		if r.Flags&mib.NAInvalid != 0 {
			if s, err := e.getText(ctx, oid, nil); err == nil && !strings.HasPrefix(s, "N/A") {
				break
			} else if fatal(err) {
				return 0, err
			}
			continue
		}
		break
	}
	e.bases[kind] = base
	return base, nil
}

// guessCount counts a template's items by reading its OID for each
// index from the first until the agent lacks one (NUT's
// guestimate_template_count).
func (e *Engine) guessCount(ctx context.Context, r *mib.Row) (int, error) {
	base := 0
	first := fill(r.OID, 0)
	ok, err := e.present(ctx, first)
	if err != nil {
		return 0, err
	}
	if !ok {
		base = 1
	} else if r.Flags&mib.ZeroInvalid != 0 {
		if v, err := e.getNumber(ctx, first); err == nil && v == 0 {
			base = 1
		} else if fatal(err) {
			return 0, err
		}
	}
	for n := 0; n < maxItems; n++ {
		ok, err := e.present(ctx, fill(r.OID, base+n))
		if err != nil {
			return 0, err
		}
		if !ok {
			return n, nil
		}
	}
	return maxItems, nil
}

// maxItems bounds a guessed count: an agent that answers every index
// (NUT counts on forever) has this many.
const maxItems = 1024

// template instantiates a template row for each item (NUT's
// process_template): outlet.%i.* for each outlet of outlet.count, and
// so on.
func (e *Engine) template(ctx context.Context, t Tree, mode walkMode, kind string, r *mib.Row) error {
	countVar := kind + ".count"
	if kind != "device" && e.devices > 1 && e.device > 0 {
		countVar = fmt.Sprintf("device.%d.%s.count", e.device, kind)
	}
	var count int
	if v, ok := t.Get(countVar); ok {
		count = atoi(v)
	} else if r.OID != "" {
		n, err := e.guessCount(ctx, r)
		if err != nil {
			return err
		}
		count = n
		if count > 0 {
			t.Set(countVar, strconv.Itoa(count))
		}
	}
	if count <= 0 {
		return nil
	}
	base, err := e.baseIndex(ctx, r)
	if err != nil {
		return err
	}
	flags := r.Flags
	defer func() { r.Flags = flags }() // what the instances did to the flags, as NUT's
	for n := base; n < count+base; n++ {
		var name string
		switch {
		case kind == "device":
			if e.device > 0 {
				name = fmt.Sprintf("device.%d.%s", e.device, strings.TrimPrefix(r.Var, "device."))
			} else {
				name = fill(r.Var, n)
			}
		case kind == "ambient" && e.daisy && r.Flags&mib.DaisyMasterOnly != 0 && e.device != 1:
			continue
		case e.daisy && e.devices > 1 && e.device > 0:
			name = fill("device.%i."+r.Var, e.device, n)
		default:
			name = fill(r.Var, n)
		}
		dfl := r.Default
		if strings.Contains(dfl, "%i") {
			dfl = fill(dfl, n)
		}
		inst := *r
		inst.Flags = flags
		if r.OID == "" {
			e.setInfo(t, &inst, name, "", dfl)
			flags = inst.Flags
			continue
		}
		var oid string
		switch {
		case kind == "device":
			oid = r.OID
			if e.device > 0 {
				oid = fill(r.OID, e.device+e.devOffset)
			}
		case e.daisy && r.Flags&mib.Daisy1 != 0:
			oid = fill(r.OID, e.device+e.devOffset, n)
		case e.daisy && r.Flags&mib.Daisy2 != 0:
			oid = fill(r.OID, n+e.devOffset, e.device-e.devOffset)
		default:
			oid = fill(r.OID, n)
		}
		if r.Cmd() {
			if mode == walkInit {
				t.AddCmd(name)
			}
			continue
		}
		err := e.process(ctx, t, mode, &inst, name, oid, dfl)
		flags = inst.Flags
		if err != nil && fatal(err) {
			return err
		}
	}
	return nil
}

// initDaisy learns whether the device is a daisy chain and how many
// devices it has (NUT's daisychain_init), from the device.count row.
func (e *Engine) initDaisy(ctx context.Context, t Tree) error {
	if r := e.find("device.count"); r != nil {
		e.daisy = true
		e.devices = -1
		if r.OID != "" && !strings.Contains(r.OID, "%i") {
			if r.Lookup != nil && r.Lookup.Func == mib.FuncDeviceCount {
				if s, err := e.getText(ctx, r.OID, r.Lookup); err == nil {
					e.devices = int(deviceCount(s))
				} else if fatal(err) {
					return err
				}
			}
			if e.devices == -1 {
				if n, err := e.getNumber(ctx, r.OID); err == nil {
					e.devices = int(n)
				} else if fatal(err) {
					return err
				} else {
					e.devices = 1
				}
			}
		} else if r.OID != "" {
			n, err := e.guessCount(ctx, r)
			if err != nil {
				return err
			}
			e.devices = n
		}
		if e.devices < 1 {
			e.devices, e.daisy = 1, false
		} else {
			t.Set("device.count", strconv.Itoa(e.devices))
			if e.find("device.mfr") != nil {
				if m := e.find("ups.mfr"); m != nil && m.HasDefault {
					e.setInfo(t, m, m.Var, m.OID, m.Default)
				}
			}
			if dt := e.find("device.type"); dt != nil && dt.HasDefault {
				t.Set("device.model", fmt.Sprintf("daisychain %s (1+%d)", dt.Default, e.devices-1))
				t.Set("device.type", dt.Default)
			} else {
				t.Set("device.model", fmt.Sprintf("daisychain (1+%d)", e.devices-1))
			}
		}
	}
	if r := e.find("device.model"); r != nil {
		b, err := e.baseIndex(ctx, r)
		if err != nil {
			return err
		}
		e.devOffset = b - 1
	}
	e.phases = make([]phaseCount, e.devices+1)
	for i := range e.phases {
		e.phases[i] = phaseCount{-1, -1, -1}
	}
	return nil
}
