package snmp

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"gonut/drivers/core"
	"gonut/drivers/snmp/mib"
	"gonut/state"
)

// Driver is snmp-ups.
type Driver struct {
	core.Base
	now func() time.Time

	set    settings
	client *Client

	engine   *Engine // Init's, then Update's alone
	lastPoll time.Time
	failed   bool // the last walk failed: try again at the next update

	mu   sync.Mutex
	rows []mib.Row // the rows as the last walk left them, for commands
	info engineInfo
}

// engineInfo is what commands need of the engine besides its rows.
type engineInfo struct {
	daisy   bool
	devices int
}

// New returns the driver; now is its clock.
func New(now func() time.Time) *Driver { return &Driver{now: now} }

// Info describes snmp-ups.
func (d *Driver) Info() core.Info {
	// A command may wait behind an exchange that times out and retries.
	return core.Info{Name: "snmp-ups", Description: "Generic SNMP UPS driver", Version: "1.21",
		Options: options(), Timeout: 30 * time.Second}
}

// Init finds the device's MIB, then reads every row (NUT's
// upsdrv_initups and upsdrv_initinfo).
func (d *Driver) Init(ctx context.Context, dev *core.Device) error {
	var err error
	if d.set, err = readSettings(dev); err != nil {
		return err
	}
	if d.client, err = Dial(d.set.session); err != nil {
		return err
	}
	m, err := Detect(ctx, d.client, d.set.mibs, dev.Log)
	if err != nil {
		return err
	}
	e := NewEngine(d.client, m, dev.Log, d.set.semiStaticFreq)
	e.symmetraThreePhase = d.set.symmetraThreePhase
	model, ok, err := probe(ctx, d.client, m)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("%s MIB wasn't found on %s", d.set.mibs, d.client.Peer())
	}
	dev.Log.Info(fmt.Sprintf("Detected %s on host %s (mib: %s %s)", model, d.client.Peer(), m.Name, m.Version))
	if err := e.initDaisy(ctx, dev.Tree); err != nil {
		return err
	}
	if e.find("load.off.delay") != nil {
		dev.Tree.AddCmd("load.off")
	}
	if e.find("load.on.delay") != nil {
		dev.Tree.AddCmd("load.on")
	}
	if e.find("load.off.delay") != nil && e.find("load.on.delay") != nil {
		dev.Tree.AddCmd("shutdown.return")
		dev.Tree.AddCmd("shutdown.stayoff")
	}
	// sysDescr, sysContact and sysLocation, read once, for the tables
	// that have no rows of them (those that do publish them again).
	for _, s := range []struct{ name, oid string }{
		{"device.description", ".1.3.6.1.2.1.1.1.0"}, {"device.contact", ".1.3.6.1.2.1.1.4.0"}, {"device.location", ".1.3.6.1.2.1.1.6.0"}} {
		if text, err := e.getText(ctx, s.oid, nil); err == nil {
			dev.Tree.Set(s.name, text)
		} else if fatal(err) {
			return err
		}
	}
	dev.Tree.Set("driver.version.data", fmt.Sprintf("%s MIB %s", m.Name, m.Version))
	d.engine = e
	d.snapshot()
	d.setDelays(ctx, dev)
	for i := range e.rows {
		r := &e.rows[i]
		if r.Cmd() && r.Flags&(mib.Outlet|mib.OutletGroup) == 0 {
			d.addCmd(ctx, dev, r)
		}
	}
	if d.set.noTransferOIDs {
		dev.Log.Info("Disabling transfer OIDs")
		for i := range e.rows {
			switch e.rows[i].Var {
			case "input.transfer.low", "input.transfer.high":
				e.rows[i].Flags &^= mib.OK
			}
		}
	}
	if err := e.Walk(ctx, dev.Tree, true); err != nil {
		return err
	}
	e.Commit(dev.Tree)
	d.lastPoll = d.now()
	d.snapshot()
	return nil
}

// snapshot keeps the rows as the walk left them, for commands.
func (d *Driver) snapshot() {
	e := d.engine
	d.mu.Lock()
	d.rows = append(d.rows[:0], e.rows...)
	d.info = engineInfo{daisy: e.daisy, devices: e.devices}
	d.mu.Unlock()
}

// addCmd declares an instant command whose OID the agent has (NUT's
// su_addcmd); a daisy chain's, for each device.
func (d *Driver) addCmd(ctx context.Context, dev *core.Device, r *mib.Row) {
	e := d.engine
	if e.daisy {
		for e.device = 1; e.device <= e.devices; e.device++ {
			e.template(ctx, dev.Tree, walkInit, "device", r)
		}
		return
	}
	if ok, _ := e.present(ctx, r.OID); ok {
		dev.Tree.AddCmd(r.Var)
	}
}

// setDelays writes ondelay and offdelay into the device (NUT's
// set_delays), when given.
func (d *Driver) setDelays(ctx context.Context, dev *core.Device) {
	if d.set.onDelay != "" {
		d.SetVar(ctx, dev, "ups.delay.start", d.set.onDelay)
	}
	if d.set.offDelay != "" {
		d.SetVar(ctx, dev, "ups.delay.shutdown", d.set.offDelay)
	}
}

// Update walks the dynamic rows every pollfreq (and at each update after
// a walk failed, until one succeeds).
func (d *Driver) Update(ctx context.Context, dev *core.Device) error {
	if !d.failed && d.now().Sub(d.lastPoll) <= d.set.pollFreq {
		return nil
	}
	err := d.engine.Walk(ctx, progress{dev}, false)
	d.lastPoll = d.now()
	if err != nil {
		d.failed = true
		return err
	}
	d.failed = false
	d.engine.Commit(dev.Tree)
	d.snapshot()
	return nil
}

// progress is the tree, telling the core of each answer as it comes.
type progress struct{ dev *core.Device }

func (p progress) Set(n, v string) bool                  { p.dev.Progress(); return p.dev.Tree.Set(n, v) }
func (p progress) Get(n string) (string, bool)           { return p.dev.Tree.Get(n) }
func (p progress) SetFlags(n string, f state.Flags) bool { return p.dev.Tree.SetFlags(n, f) }
func (p progress) SetAux(n string, a int64) bool         { return p.dev.Tree.SetAux(n, a) }
func (p progress) AddEnum(n, v string) bool              { return p.dev.Tree.AddEnum(n, v) }
func (p progress) AddCmd(n string) bool                  { return p.dev.Tree.AddCmd(n) }

// Shutdown is NUT's: shutdown.return, failing that shutdown.reboot,
// failing that load.off.delay.
func (d *Driver) Shutdown(ctx context.Context, dev *core.Device) error {
	d.setDelays(ctx, dev)
	for _, cmd := range []string{"shutdown.return", "shutdown.reboot", "load.off.delay"} {
		if d.InstCmd(ctx, dev, cmd, "") == core.Handled {
			return nil
		}
	}
	return errors.New("Shutdown failed!")
}

// Close closes the socket.
func (d *Driver) Close() error {
	if d.client != nil {
		return d.client.Close()
	}
	return nil
}
