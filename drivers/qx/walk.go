package qx

import (
	"context"
	"fmt"
	"strings"

	"gonut/state"
)

// walkMode is which items a walk reads (NUT's walkmode_t).
type walkMode int

const (
	walkInit  walkMode = iota // everything, once
	walkQuick                 // the status alone
	walkFull                  // everything but what is static
)

// walk goes over the table as NUT's qx_ups_walk does: items that share a
// request share one answer, a status item that fails fails the walk, and
// an item that fails at start is never asked again.
func (d *Driver) walk(ctx context.Context, mode walkMode) error {
	if mode == walkFull {
		d.batt.runtimeAct, d.batt.chargeAct = -1, -1
	}
	var prevCmd, prevAns string
	for i := range d.items {
		it := &d.items[i]
		if it.flags&fSkip != 0 {
			continue
		}
		switch mode {
		case walkInit:
			if it.flags&fAbsent != 0 {
				if _, ok := d.dev.Tree.Get(it.name); !ok {
					d.dev.Tree.Set(it.name, it.dfl)
					d.describe(it)
				}
				continue
			}
			if _, ok := d.dev.Tree.Get(it.name); ok && !isStatusOrAlarm(it.name) {
				continue
			}
		case walkQuick:
			if it.flags&fQuickPoll == 0 {
				continue
			}
		case walkFull:
			if it.flags&(fAbsent|fCmd|fSetVar|fStatic) != 0 || it.flags&fSemiStatic != 0 && !d.changed {
				continue
			}
		}
		if it.flags&fCmd != 0 {
			d.dev.Tree.AddCmd(it.name)
			continue
		}
		if it.flags&fSetVar != 0 {
			if it.flags&fNoNut != 0 {
				d.setNoNut(ctx, it)
				it.flags |= fSkip
			}
			continue
		}
		var ans string
		var err error
		if prevCmd != "" && prevAns != "" && strings.EqualFold(prevCmd, it.cmd) {
			ans = cString(prevAns) // NUT keeps it as a C string
		} else {
			ans, err = d.ask(ctx, it)
		}
		prevCmd, prevAns = it.cmd, ans
		var raw string
		if err == nil {
			raw, err = it.extract(ans, d.sub.rejected)
		}
		if err != nil {
			if it.flags&fQuickPoll != 0 {
				return err
			}
			if mode == walkInit {
				d.dev.Log.Debug("not supported by the UPS; not asked again", "item", it.name, "error", err)
				it.flags |= fSkip
			}
			continue
		}
		// A value the item refuses is not a request the UPS refuses: the
		// item is asked again at the next full poll (as NUT does).
		n, err := d.setItem(it, raw)
		if err != nil {
			if it.flags&fQuickPoll != 0 {
				return err
			}
			continue
		}
		if n == 1 && mode == walkInit {
			d.describe(it)
		}
	}
	if mode == walkFull && (d.batt.runtimeAct == -1 || d.batt.chargeAct == -1) {
		d.estimate()
	}
	return nil
}

func isStatusOrAlarm(name string) bool {
	return strings.HasPrefix(name, "ups.status") || strings.HasPrefix(name, "ups.alarm")
}

// setItem is NUT's ups_infoval_set: the item's value goes to the tree (1),
// to the status bits or the alarms (0), or is refused (an error).
func (d *Driver) setItem(it *item, raw string) (int, error) {
	var v string
	var err error
	if it.value != nil {
		if v, err = it.value(d, it, raw); err != nil {
			return -1, err
		}
		switch {
		case strings.HasPrefix(it.name, "ups.status"):
			if v != "" {
				d.updateStatus(v)
			}
			return 0, nil
		case strings.HasPrefix(it.name, "ups.alarm"):
			if v != "" {
				d.alarms = append(d.alarms, v)
			}
			return 0, nil
		}
	} else if v, err = it.format(raw); err != nil {
		return -1, err
	}
	if it.flags&fNoNut != 0 {
		d.dev.Log.Info(it.name + ": " + v)
		return 1, nil
	}
	if v == "" {
		return -1, &errAnswer{it.name, "empty value"}
	}
	d.dev.Tree.Set(it.name, v)
	switch strings.ToLower(it.name) {
	case "battery.charge":
		d.batt.chargeAct = float64(atol(v))
	case "battery.runtime":
		d.batt.runtimeAct = float64(atol(v))
	}
	return 1, nil
}

// describe gives a variable its flags and ranges (NUT's qx_set_var).
func (d *Driver) describe(it *item) {
	if it.flags&fNoNut != 0 {
		if it.flags&fEnum != 0 {
			vals := " none"
			if len(it.enum) > 0 {
				vals = " " + strings.Join(it.enum, " ")
			}
			d.dev.Log.Info(fmt.Sprintf("%s, settable values:%s", it.name, vals))
		}
		if it.flags&fRange != 0 {
			r := d.rangesOf(it)
			for _, r := range r {
				d.dev.Log.Info(fmt.Sprintf("%s, settable range: %d..%d", it.name, r[0], r[1]))
			}
			if len(r) == 0 {
				d.dev.Log.Info(it.name + ", settable range: none")
			}
		}
		return
	}
	if it.rw {
		d.dev.Tree.SetFlags(it.name, state.RW)
	}
	if it.flags&fEnum != 0 {
		for _, v := range it.enum {
			d.dev.Tree.AddEnum(it.name, v)
		}
	}
	if it.flags&fRange != 0 {
		for _, r := range d.rangesOf(it) {
			d.dev.Tree.AddRange(it.name, r[0], r[1])
		}
	}
}

// rangesOf are an item's ranges: fixed, or from what the UPS said.
func (d *Driver) rangesOf(it *item) [][2]int {
	if it.rangeOf != nil {
		return it.rangeOf(d, it)
	}
	return it.ranges
}
