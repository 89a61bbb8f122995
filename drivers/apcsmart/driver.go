package apcsmart

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
	"gonut/state"
)

// Opener opens the serial port a section names (serial.Open).
type Opener func(path string, o serial.Options) (serial.Port, error)

// Driver is apcsmart.
type Driver struct {
	core.Base
	open Opener
	now  func() time.Time

	set  settings
	c    *conn
	dev  *core.Device
	vars []varState
	cmds []cmdState

	alerts chan byte

	mu       sync.Mutex // guards what follows, shared by Update, events and commands
	status   uint8
	lastFull time.Time
	failing  bool                 // the last update failed: wake the UPS first
	asked    map[string]time.Time // when each dangerous command was last asked
}

// varState is a variable row and what this UPS has of it.
type varState struct {
	variable
	present bool
	rw      bool // writable (a string, or values listed in the capabilities)
	enum    bool // written by cycling through its values
	fields  int  // packed: how many fields were last set
}

type cmdState struct {
	command
	present bool
}

// New returns the driver; open opens its serial port.
func New(open Opener, now func() time.Time) *Driver {
	return &Driver{open: open, now: now, asked: map[string]time.Time{}}
}

// Info describes apcsmart.
func (d *Driver) Info() core.Info {
	return core.Info{Name: "apcsmart", Description: "APC Smart protocol driver", Version: "3.2",
		MoreBanner: []string{"APC command table version 3.1"}, Options: options(),
		Help: "\nFor detailed information, please refer to:\n - apcsmart(8)\n - http://www.networkupstools.org/docs/man/apcsmart.html\n", Timeout: 20 * time.Second}
}

// Init opens the line, puts the UPS in smart mode and finds what it has.
func (d *Driver) Init(ctx context.Context, dev *core.Device) error {
	var err error
	if d.set, err = readSettings(dev); err != nil {
		return err
	}
	path, _ := dev.Value("port")
	if path == "" {
		return errors.New("no port given: set port = /dev/ttyS0 (say) in the section")
	}
	p, err := d.open(path, serial.Options{Baud: 2400, NoLock: dev.Flag("nolock")})
	if err != nil {
		return err
	}
	if d.set.altCable {
		err := p.SetDTR(true)
		if err == nil {
			err = p.SetRTS(false)
		}
		if err != nil {
			p.Close()
			return fmt.Errorf("cable %s: cannot set DTR on and RTS off on %s: %w", altCable, path, err)
		}
	}
	p.Flush()
	d.dev = dev
	d.alerts = make(chan byte, 256)
	d.c = newConn(p, dev.Log, d.queueAlert)
	d.vars = make([]varState, len(variables))
	for i, v := range variables {
		d.vars[i] = varState{variable: v}
	}
	d.cmds = make([]cmdState, len(commands))
	for i, c := range commands {
		d.cmds[i] = cmdState{command: c}
	}
	if !d.smartMode(ctx, 5) {
		return fmt.Errorf("unable to detect an APC Smart protocol UPS on port %s: check the cabling, port name or model name and try again", path)
	}
	if err := d.discover(ctx); err != nil {
		return fmt.Errorf("problems communicating with the APC UPS on port %s: %w", path, err)
	}
	dev.Tree.Set("ups.mfr", "APC")
	core.Listen(dev, d.alerts, func(dev *core.Device, b byte) { d.alert(dev, b) })
	return nil
}

// queueAlert runs on the reader: the alert waits for the core's loop.
func (d *Driver) queueAlert(b byte) {
	select {
	case d.alerts <- b:
	default:
		d.dev.Log.Warn("alerts arrive faster than they are handled; dropping one, the next update reads the status", "alert", string(b))
		d.dev.PollNow()
	}
}

// alert applies an alert character at once, and asks for a full read.
func (d *Driver) alert(dev *core.Device, b byte) {
	d.mu.Lock()
	defer d.mu.Unlock()
	before := d.status
	switch b {
	case '!':
		d.status = d.status&^stOL | stOB
	case '$':
		d.status = d.status&^stOB | stOL
	case '%':
		d.status |= stLB
	case '+':
		d.status &^= stLB
	case '#':
		d.status |= stRB
	case '?':
		d.status |= stOver
	case '=':
		d.status &^= stOver
	case '*':
		dev.Log.Warn("the UPS says it is turning the load off now (*)")
	}
	dev.Log.Debug("alert from the UPS", "alert", string(b), "status", fmt.Sprintf("%02x", d.status))
	if d.status != before {
		d.commitStatus(dev)
	}
	dev.PollNow()
}

// commitStatus writes ups.status from the status bits; d.mu is held.
func (d *Driver) commitStatus(dev *core.Device) {
	var s dstate.Status
	for _, w := range statusWords {
		if d.status&w.bit != 0 {
			s.Set(w.word)
		}
	}
	if d.status == 0 {
		s.Set("OFF")
	}
	s.Commit(dev.Tree)
}

// smartMode asks the UPS into smart mode (Y, answered SM), tries times.
func (d *Driver) smartMode(ctx context.Context, tries int) bool {
	d.c.ex.Lock()
	defer d.c.ex.Unlock()
	for i := 0; i < tries && ctx.Err() == nil; i++ {
		line, err := d.c.queryLocked(ctx, cSmart, plain, waitMedium)
		if err == nil && line == "SM" {
			return true
		}
		// ESC ends whatever the UPS took Y to be part of; its answer
		// (NA, or anything) is dropped.
		if d.c.queryLocked(ctx, 27, plain, waitMedium); ctx.Err() != nil {
			return false
		}
	}
	return false
}

// Update reads the status, then the polled variables (all of them once
// an hour).
func (d *Driver) Update(ctx context.Context, dev *core.Device) error {
	d.mu.Lock()
	failing := d.failing
	d.mu.Unlock()
	if failing && !d.smartMode(ctx, 1) {
		return errors.New("the UPS does not answer Y (smart mode)")
	}
	err := d.update(ctx, dev)
	d.mu.Lock()
	d.failing = err != nil
	d.mu.Unlock()
	return err
}

func (d *Driver) update(ctx context.Context, dev *core.Device) error {
	line, err := d.c.query(ctx, cStatus, alertAware, waitDefault)
	if err == nil && line == "NA" {
		err = errors.New("the UPS answers NA to Q (status)")
	}
	if err != nil {
		return fmt.Errorf("status: %w", err)
	}
	bits, err := parseStatus(line)
	if err != nil {
		return err
	}
	dev.Progress()
	d.mu.Lock()
	d.status = bits
	d.commitStatus(dev)
	all := d.lastFull.IsZero() || d.now().Sub(d.lastFull) > time.Hour
	if all {
		d.lastFull = d.now()
	}
	var todo []*varState
	for i := range d.vars {
		if v := &d.vars[i]; v.present && (all || v.flags&vPoll != 0) {
			todo = append(todo, v)
		}
	}
	d.mu.Unlock()
	for _, v := range todo {
		if err := d.poll(ctx, dev, v); err != nil {
			d.mu.Lock()
			d.lastFull = time.Time{}
			d.mu.Unlock()
			return err
		}
		dev.Progress()
	}
	return nil
}

// poll reads one variable; one that now answers NA is removed. What
// it changes of the table is guarded by d.mu, as Update and SET both
// poll.
func (d *Driver) poll(ctx context.Context, dev *core.Device, v *varState) error {
	line, err := d.c.query(ctx, v.cmd, alertAware, waitDefault)
	if err != nil {
		return fmt.Errorf("%s (%s): %w", v.name, printable(v.cmd), err)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if line == "NA" {
		dev.Log.Warn("a variable the UPS had now answers NA; removing it", "var", v.name, "cmd", printable(v.cmd))
		v.present = false
		d.deleteVar(dev, v, 0)
		return nil
	}
	d.setVar(dev, v, line)
	return nil
}

// setVar sets a variable from its raw answer (each field of a packed one).
func (d *Driver) setVar(dev *core.Device, v *varState, raw string) {
	if v.flags&vPack == 0 {
		dev.Tree.Set(v.name, convert(v.fmt, raw))
		return
	}
	fields, more := unpack(raw)
	if more {
		dev.Log.Warn("packed variable has more fields than are read", "var", v.name, "max", packMax)
	}
	if v.fields > len(fields) {
		d.deleteVar(dev, v, len(fields))
	}
	v.fields = len(fields)
	for i, f := range fields {
		if f == "" {
			dev.Tree.Set(packedName(v.name, i), "N/A")
		} else {
			dev.Tree.Set(packedName(v.name, i), convert(v.fmt, f))
		}
	}
}

// deleteVar removes a variable (the fields of a packed one from skip on).
func (d *Driver) deleteVar(dev *core.Device, v *varState, skip int) {
	if v.flags&vPack == 0 {
		dev.Tree.Delete(v.name)
		return
	}
	for i := skip; i < v.fields; i++ {
		dev.Tree.Delete(packedName(v.name, i))
	}
	v.fields = skip
}

// printable shows a command character in a log line.
func printable(c byte) string {
	if c > ' ' && c < 0x7f {
		return string(c)
	}
	return fmt.Sprintf("0x%02x", c)
}

// Close takes the UPS out of smart mode (R) and closes the line.
func (d *Driver) Close() error {
	if d.c == nil {
		return nil
	}
	d.c.query(context.Background(), cDumb, plain, waitMedium)
	return d.c.close()
}

// lookup is the present variable of a name.
func (d *Driver) lookup(name string) *varState {
	d.mu.Lock()
	defer d.mu.Unlock()
	for i := range d.vars {
		if d.vars[i].present && strings.EqualFold(d.vars[i].name, name) {
			return &d.vars[i]
		}
	}
	return nil
}

// lookupChar is the present variable of a command character.
func (d *Driver) lookupChar(c byte) *varState {
	for i := range d.vars {
		if d.vars[i].present && d.vars[i].cmd == c {
			return &d.vars[i]
		}
	}
	return nil
}

// stringSetup makes a string variable writable, 8 characters long.
func stringSetup(dev *core.Device, v *varState) {
	if v.flags&vString != 0 {
		dev.Tree.SetFlags(v.name, state.RW|state.String)
		dev.Tree.SetAux(v.name, stringLen)
		v.rw = true
	}
}

// stringLen is the length of the two strings the UPS stores.
const stringLen = 8
