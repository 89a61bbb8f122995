package usbhidups

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"gonut/drivers/core"
	"gonut/drivers/dstate"
	"gonut/drivers/hid"
	"gonut/drivers/hid/subdriver"
	"gonut/drivers/usb"
	"gonut/state"
)

// tableRow is a table row the device has: its field, found by path.
type tableRow struct {
	info  subdriver.Info
	field *hid.Field
}

// Driver is usbhid-ups.
type Driver struct {
	newBus func() (usb.Bus, error)
	// USBVersion is driver.version.usb: the USB library's version, in
	// NUT's words (libusb.Version); "": none shown.
	USBVersion string

	set   settings
	conn  *usb.Conn
	sub   *subdriver.Subdriver
	desc  *hid.Descriptor
	names *hid.Names
	rows  []tableRow
	state *subdriver.State // what the subdriver's conversions remember

	reports map[uint8][]byte // the last copy of each report read, guarded by mu

	mu       sync.Mutex      // guards what follows, shared by Update, events and commands
	status   map[string]bool // NUT's ups_status bits, by lookup name
	lastFull time.Time
	gone     bool // the transport said ErrGone: reconnect before reading
	silent   bool // the last read failed: read in full once it answers
	changed  bool // a SET or command was written: read in full next (NUT's data_has_changed)

	warnedOLDischrg bool // the OL+DISCHRG warning was logged, and the state lasts
	stop            context.CancelFunc
}

// New returns the driver; newBus gives the USB bus (libusb, or a replay
// bus in tests).
func New(newBus func() (usb.Bus, error)) *Driver {
	return &Driver{newBus: newBus, status: map[string]bool{}, reports: map[uint8][]byte{}}
}

// Info describes usbhid-ups.
func (d *Driver) Info() core.Info {
	return core.Info{Name: "usbhid-ups", Description: "Generic HID driver", Version: "0.47", Options: options(),
		MoreBanner: []string{usb.Banner}}
}

// claim picks the subdriver of a device: the first of NUT's list whose
// claim takes it (given what the USB ID table says of it for that
// subdriver), among those the subdriver option names if given.
func (d *Driver) claim(id usb.Identity) (*subdriver.Subdriver, subdriver.Claim) {
	dev := device(id)
	opt := subdriver.ClaimOptions{Explore: d.set.explore, ProductID: d.set.productID}
	for _, s := range subdriver.All {
		if d.set.subdriver != "" && !strings.EqualFold(s.ID, d.set.subdriver) && !strings.HasPrefix(strings.ToLower(s.Name), strings.ToLower(d.set.subdriver)) {
			continue
		}
		support, _ := USBIDs().SubdriverSupport(s.ID, id.VendorID, id.ProductID)
		if c := s.Claim(dev, support, opt); c.OK {
			return s, c
		}
	}
	return nil, subdriver.Claim{}
}

func device(id usb.Identity) subdriver.Device {
	return subdriver.Device{VendorID: id.VendorID, ProductID: id.ProductID, Release: id.Release,
		Vendor: id.Vendor, Product: id.Product, Serial: id.Serial}
}

// Init opens the first matching device, parses its report descriptor
// (with its subdriver's fix), reads every row and starts the interrupt
// reader.
func (d *Driver) Init(ctx context.Context, dev *core.Device) error {
	var err error
	if d.set, err = readSettings(dev); err != nil {
		return err
	}
	if d.USBVersion != "" {
		dev.Tree.Set("driver.version.usb", d.USBVersion)
	}
	m, err := usb.NewMatcher(dev.Value)
	if err != nil {
		return err
	}
	bus, err := d.newBus()
	if err != nil {
		return err
	}
	d.conn, err = usb.Open(ctx, bus, usb.Selector{
		Matcher: m, Log: dev.Log,
		Known: func(v, p uint16) bool { return d.set.explore || len(USBIDs().Claims(v, p)) > 0 },
		Claim: func(id usb.Identity) (usb.Interface, bool) {
			s, c := d.claim(id)
			if s == nil && c.Note != "" {
				dev.Log.Warn(c.Note)
			}
			return c.Interface, s != nil
		},
		Accept: func(_ usb.Identity, rd []byte) error { _, err := hid.Parse(rd); return err },
	})
	if err != nil {
		return err
	}
	id := d.conn.Identity()
	var c subdriver.Claim
	d.sub, c = d.claim(id)
	d.state = subdriver.NewState(device(id))
	d.set.interruptOnly = d.set.interruptOnly || c.InterruptOnly
	d.set.pollOnly = d.set.pollOnly || c.PollOnly
	if d.set.interruptSize == 0 {
		d.set.interruptSize = c.InterruptSize
	}
	if d.desc, err = hid.Parse(d.conn.ReportDescriptor()); err != nil {
		return err
	}
	if d.sub.Fix != nil {
		for _, l := range d.sub.Fix(device(id), d.desc) {
			dev.Log.Debug(l)
		}
	}
	d.names = d.sub.Names()
	if d.set.explore || dev.Log.Enabled(ctx, usb.DebugLevel(1)) {
		d.explore(ctx, dev)
	}
	for _, info := range d.sub.Info {
		if info.Path == "" {
			continue
		}
		p, err := d.names.Parse(info.Path)
		if err != nil {
			continue
		}
		if f := d.desc.Find(p, hid.Feature); f != nil {
			d.rows = append(d.rows, tableRow{info, f})
		} else if f := d.desc.Find(p, hid.Input); f != nil && info.Var == "BOOL" {
			d.rows = append(d.rows, tableRow{info, f})
		}
	}
	d.publishDevice(dev, id)
	dev.Tree.Set("driver.parameter.pollfreq", strconv.Itoa(int(d.set.pollFreq/time.Second)))
	if err := d.read(ctx, dev, true); err != nil {
		return err
	}
	d.initCommands(dev)
	if !d.set.pollOnly && d.conn.Interface().EndpointIn != 0 {
		ictx, cancel := context.WithCancel(context.Background())
		d.stop = cancel
		core.Listen(dev, d.interrupts(ictx), d.apply)
	}
	return nil
}

// explore logs every field of the descriptor with its value, at debug
// level 1, as NUT's usbhid-ups does at its start (and all explore mode
// is for): every declared report is read with a Feature GET_REPORT.
func (d *Driver) explore(ctx context.Context, dev *core.Device) {
	reports := map[uint8][]byte{}
	for id, buf := range d.desc.ReportBuffers() {
		if _, err := d.conn.GetReport(ctx, usb.Feature, id, buf); err == nil {
			reports[id] = buf
		}
	}
	id := d.conn.Identity()
	var b strings.Builder
	hid.Explore(&b, d.desc, d.names, hid.ExploreOptions{Reports: reports,
		Skip: subdriver.DumpSkip(subdriver.Device{VendorID: id.VendorID, ProductID: id.ProductID})})
	for _, l := range strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n") {
		dev.Log.Log(ctx, usb.DebugLevel(1), l)
	}
}

func (d *Driver) publishDevice(dev *core.Device, id usb.Identity) {
	l := d.sub.Labels(d.context(context.Background(), dev))
	for _, v := range []struct{ name, value string }{{"ups.mfr", l.Mfr}, {"ups.model", l.Model}, {"ups.serial", l.Serial}} {
		if v.value != "" {
			dev.Tree.Set(v.name, v.value)
		} else {
			dev.Tree.Delete(v.name)
		}
	}
	for k, v := range l.Vars {
		dev.Tree.Set(k, v)
	}
	dev.Tree.Set("ups.vendorid", fmt.Sprintf("%04x", id.VendorID))
	dev.Tree.Set("ups.productid", fmt.Sprintf("%04x", id.ProductID))
	dev.Tree.Set("driver.version.data", d.sub.Name)
}

// devContext is what the subdriver's conversions and naming may ask of
// the device (subdriver.Context). The driver's mu is held around them,
// but for the naming at start.
type devContext struct {
	ctx context.Context
	d   *Driver
	dev *core.Device
}

func (d *Driver) context(ctx context.Context, dev *core.Device) devContext {
	return devContext{ctx, d, dev}
}

func (c devContext) String(i int) (string, error) {
	if i <= 0 || i > 255 {
		return "", fmt.Errorf("no string %d", i)
	}
	return c.d.conn.StringDescriptor(c.ctx, uint8(i))
}

// Value reads the Feature field at path: from the last copy of its
// report, or from the device.
func (c devContext) Value(path string) (float64, bool) {
	p, err := c.d.names.Parse(path)
	if err != nil {
		return 0, false
	}
	f := c.d.desc.Find(p, hid.Feature)
	if f == nil {
		return 0, false
	}
	r := c.d.reports[f.ReportID]
	if r == nil {
		r = c.d.desc.NewReport(f.ReportID)
		if _, err := c.d.conn.GetReport(c.ctx, usb.Feature, f.ReportID, r); err != nil {
			return 0, false
		}
		c.d.reports[f.ReportID] = r
	}
	v, err := f.Value(r)
	return v, err == nil
}

func (c devContext) Report(id uint8) []byte         { return c.d.reports[id] }
func (c devContext) Var(name string) (string, bool) { return c.dev.Tree.Get(name) }
func (c devContext) Delete(name string)             { c.dev.Tree.Delete(name) }
func (c devContext) Status(flag string) bool        { return c.d.status[flag] }
func (c devContext) State() *subdriver.State        { return c.d.state }

// read reads the rows' feature reports and publishes them: all rows at
// the start, the quick-poll ones (and the semi-static ones when full) later.
// A report the device refuses (a stall) is asked again at the next read,
// as NUT does; but a device that refuses them all, or lets one go
// unanswered until the transfer times out, has stopped answering: the
// read fails, so the data goes stale until it answers again (NUT 2.8.0
// goes on publishing the last values, and waits out the timeout on
// every report of every poll).
func (d *Driver) read(ctx context.Context, dev *core.Device, full bool) error {
	reports := map[uint8][]byte{}
	stale := map[uint8]bool{}
	var refused error // the last report the device refused
	d.mu.Lock()
	first := d.lastFull.IsZero()
	d.mu.Unlock()
	for _, r := range d.rows {
		if !first && r.info.HID&subdriver.HIDStatic != 0 {
			continue
		}
		if !full && r.info.HID&subdriver.HIDQuickPoll == 0 {
			continue
		}
		if r.info.HID&(subdriver.HIDAbsent|subdriver.HIDCommand) != 0 || r.field.Type != hid.Feature {
			continue
		}
		id := r.field.ReportID
		if _, ok := reports[id]; ok || stale[id] {
			continue
		}
		buf := d.desc.NewReport(id)
		_, err := d.conn.GetReport(ctx, usb.Feature, id, buf)
		dev.Progress() // a stuck transfer never gets here
		if err != nil {
			if errors.Is(err, usb.ErrGone) || ctx.Err() != nil {
				return err
			}
			if errors.Is(err, usb.ErrTimeout) {
				// Each report would wait as long: the device is silent.
				return fmt.Errorf("the device does not answer: %w", err)
			}
			stale[id] = true
			refused = err
			continue
		}
		reports[id] = buf // past what the device sent: zeros, as NUT's report buffers
	}
	if len(reports) == 0 && refused != nil {
		return fmt.Errorf("the device refused every report it was asked for: %w", refused)
	}
	done := make(chan struct{})
	apply := func(dev *core.Device) {
		defer close(done)
		d.publish(ctx, dev, reports, first)
	}
	if first {
		apply(dev)
	} else if !dev.Deliver(apply) {
		return context.Canceled
	} else {
		select {
		case <-done:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if full {
		d.mu.Lock()
		d.lastFull = time.Now()
		d.mu.Unlock()
	}
	return nil
}

// publish sets the variables and status bits of the rows whose reports
// were read.
func (d *Driver) publish(ctx context.Context, dev *core.Device, reports map[uint8][]byte, first bool) {
	seen := map[string]bool{}
	d.mu.Lock()
	defer d.mu.Unlock()
	for id, r := range reports {
		d.reports[id] = r
	}
	for _, r := range d.rows {
		if r.info.HID&subdriver.HIDCommand != 0 {
			if first {
				dev.Tree.AddCmd(r.info.Var)
			}
			continue
		}
		if r.info.Var != "BOOL" && seen[r.info.Var] {
			continue
		}
		if r.info.HID&subdriver.HIDAbsent != 0 {
			if first {
				dev.Tree.Set(r.info.Var, r.info.Format)
				seen[r.info.Var] = true
				d.declare(dev, r)
			}
			continue
		}
		rep, ok := reports[r.field.ReportID]
		if !ok || r.field.Type != hid.Feature {
			continue
		}
		v, err := r.field.Value(rep)
		if err != nil {
			continue
		}
		if d.setValue(ctx, dev, r.info, v) {
			seen[r.info.Var] = true
			if first && r.info.Var != "BOOL" {
				d.declare(dev, r)
			}
		}
	}
	d.commitStatus(dev)
}

// declare gives a writable variable its flags, as NUT's does at start.
func (d *Driver) declare(dev *core.Device, r tableRow) {
	if r.info.Flags&state.RW == 0 {
		return
	}
	dev.Tree.SetFlags(r.info.Var, r.info.Flags)
	if r.info.Flags&state.String != 0 && r.info.Len > 0 {
		dev.Tree.SetAux(r.info.Var, int64(r.info.Len))
	}
	if r.info.HID&subdriver.HIDEnum != 0 && r.info.Lookup != nil {
		for _, v := range r.info.Lookup.Enum(d.context(context.Background(), dev)) {
			dev.Tree.AddEnum(r.info.Var, v)
		}
	}
}

// setValue converts a row's value and sets its variable, or its status
// bit; mu held.
func (d *Driver) setValue(ctx context.Context, dev *core.Device, info subdriver.Info, v float64) bool {
	if info.Lookup != nil {
		s, ok := info.Lookup.NUT(d.context(ctx, dev), v)
		if !ok {
			return false
		}
		if info.Var == "BOOL" {
			name, clear := strings.CutPrefix(s, "!")
			d.status[name] = !clear
			return true
		}
		dev.Tree.Set(info.Var, s)
		return true
	}
	if info.Var == "BOOL" {
		return false
	}
	dev.Tree.Set(info.Var, formatValue(info.Format, v))
	return true
}

// formatValue prints a value with a row's C format (%.0f, %.1f, %s...).
func formatValue(format string, v float64) string {
	switch {
	case format == "":
		return strconv.FormatFloat(v, 'f', 0, 64)
	case strings.Contains(format, "%d"), strings.Contains(format, "%i"):
		return fmt.Sprintf(strings.NewReplacer("%i", "%d").Replace(format), int64(v))
	}
	return fmt.Sprintf(format, v)
}

// commitStatus turns the status bits into ups.status and ups.alarm (as
// NUT 2.8.0's ups_status_set and ups_alarm_set; ignorelb is the core's
// status commit); mu held.
func (d *Driver) commitStatus(dev *core.Device) {
	b := d.status
	switch {
	case b["vrange"]:
		dev.Tree.Set("input.transfer.reason", "input voltage out of range")
	case b["frange"]:
		dev.Tree.Set("input.transfer.reason", "input frequency out of range")
	default:
		dev.Tree.Delete("input.transfer.reason")
	}
	var st dstate.Status
	switch {
	case !b["online"]:
		st.Set("OB")
	case b["dischrg"] && d.set.onlineDischarge:
		st.Set("OB")
	default:
		st.Set("OL")
	}
	// NUT warns at every update; once each time it starts is enough.
	odd := b["online"] && b["dischrg"] && !b["cal"] && !d.set.onlineDischarge
	if odd && !d.warnedOLDischrg {
		dev.Log.Warn("seems that the UPS is in OL+DISCHRG state now. Is it calibrating or do you perhaps want to set 'onlinedischarge' option? "+
			"Some UPS models (e.g. CyberPower UT series) emit OL+DISCHRG when offline.", "ups", dev.Name)
	}
	d.warnedOLDischrg = odd
	if b["dischrg"] && !b["depleted"] {
		st.Set("DISCHRG")
	}
	if b["chrg"] && !b["fullycharged"] {
		st.Set("CHRG")
	}
	if b["lowbatt"] || b["timelimitexp"] || b["shutdownimm"] {
		st.Set("LB")
	}
	for _, f := range []struct{ bit, token string }{{"overload", "OVER"}, {"replacebatt", "RB"}, {"trim", "TRIM"}, {"boost", "BOOST"}} {
		if b[f.bit] {
			st.Set(f.token)
		}
	}
	if b["bypassauto"] || b["bypassman"] {
		st.Set("BYPASS")
	}
	if b["off"] {
		st.Set("OFF")
	}
	if b["cal"] {
		st.Set("CAL")
	}
	for _, a := range alarms {
		if b[a.bit] {
			st.Alarm(a.text)
		}
	}
	st.CommitAlarms(dev.Tree)
	st.Commit(dev.Tree)
}

// alarms are the status bits that NUT 2.8.0 shows in ups.alarm, in its order.
var alarms = []struct{ bit, text string }{
	{"replacebatt", "Replace battery!"}, {"shutdownimm", "Shutdown imminent!"}, {"fanfail", "Fan failure!"},
	{"nobattery", "No battery installed!"}, {"battvoltlo", "Battery voltage too low!"},
	{"battvolthi", "Battery voltage too high!"}, {"chargerfail", "Battery charger fail!"},
	{"overheat", "Temperature too high!"}, {"commfault", "Internal UPS fault!"},
	{"awaitingpower", "Awaiting power!"}, {"bypassauto", "Automatic bypass mode!"},
	{"bypassman", "Manual bypass mode!"},
}

// Update is NUT's poll: a full read every pollfreq, the quick status
// read otherwise (none with interruptonly).
//
// A device that is gone (unplugged, or reset by the host) makes the data
// stale (the core's DATASTALE) until the device that matches the same
// options, pinned to the one found first, is back: each Update looks
// for it again (NUT's reconnect_ups), then reads it in full.
func (d *Driver) Update(ctx context.Context, dev *core.Device) error {
	d.mu.Lock()
	gone := d.gone
	full := gone || d.silent || d.changed || time.Since(d.lastFull) >= d.set.pollFreq
	d.changed = false
	d.mu.Unlock()
	if gone {
		if err := d.conn.Reconnect(ctx); err != nil {
			return fmt.Errorf("the device is gone, and not back yet: %w", err)
		}
		dev.Log.Info("the device is back", "ups", dev.Name)
		d.mu.Lock()
		d.gone = false
		d.mu.Unlock()
	}
	if !full && d.set.interruptOnly {
		return nil
	}
	err := d.read(ctx, dev, full)
	gone = errors.Is(err, usb.ErrGone)
	d.mu.Lock()
	d.silent, d.gone = err != nil, gone
	d.mu.Unlock()
	if gone {
		dev.Log.Warn("the device is gone: looking for it again at each poll", "ups", dev.Name, "error", err)
	}
	return err
}

// interrupts reads the interrupt pipe until ctx ends; each report is
// sent on, its ID first.
func (d *Driver) interrupts(ctx context.Context) <-chan []byte {
	ch := make(chan []byte)
	go func() {
		defer close(ch)
		for ctx.Err() == nil {
			size := d.set.interruptSize
			if size == 0 {
				size = 64
			}
			buf := make([]byte, size)
			// A UPS may say nothing for hours: a read that waits long
			// costs nothing, where each new one wakes the driver
			// (Reconnect and Close end it when they need the device).
			n, err := d.conn.Interrupt(ctx, buf, time.Minute)
			if err != nil {
				if ctx.Err() != nil {
					return
				}
				if errors.Is(err, usb.ErrGone) {
					if !sleep(ctx, time.Second) {
						return
					}
				}
				continue
			}
			if n == 0 {
				continue
			}
			select {
			case ch <- buf[:n]:
			case <-ctx.Done():
				return
			}
		}
	}()
	return ch
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// apply is an input report from the interrupt pipe: each of its fields
// sets the rows of its path at once (NUT's HIDGetEvents and ups_infoval_set).
func (d *Driver) apply(dev *core.Device, report []byte) {
	if len(report) == 0 || d.desc.ReportLen(report[0]) == 0 {
		return // no report the device declares
	}
	// Past what the device sent, zeros; past what it declares, nothing.
	buf := d.desc.NewReport(report[0])
	copy(buf, report)
	report = buf
	fields := d.desc.InputFields(report[0])
	d.mu.Lock()
	defer d.mu.Unlock()
	d.reports[report[0]] = report
	for _, f := range fields {
		v, err := f.Value(report)
		if err != nil {
			continue
		}
		for _, r := range d.rows {
			if r.info.HID&subdriver.HIDCommand == 0 && r.field.Path.Equal(f.Path) {
				d.setValue(context.Background(), dev, r.info, v)
			}
		}
	}
	d.commitStatus(dev)
}

// initCommands applies lowbatt, ondelay and offdelay to the variables
// the table gives (in the driver only), and adds the commands NUT
// composes from the delay commands (NUT 2.8.0's upsdrv_initinfo).
func (d *Driver) initCommands(dev *core.Device) {
	if _, ok := dev.Tree.Get("battery.charge.low"); ok && d.set.lowBatt != "" {
		dev.Tree.Set("battery.charge.low", d.set.lowBatt)
	}
	if _, ok := dev.Tree.Get("ups.delay.start"); ok {
		if _, given := dev.Value("ondelay"); given {
			dev.Tree.Set("ups.delay.start", d.set.onDelay)
		}
	}
	if _, ok := dev.Tree.Get("ups.delay.shutdown"); ok {
		if _, given := dev.Value("offdelay"); given {
			dev.Tree.Set("ups.delay.shutdown", d.set.offDelay)
		}
	}
	off, on := d.command("load.off.delay") != nil, d.command("load.on.delay") != nil
	if off {
		dev.Tree.AddCmd("load.off")
	}
	if on {
		dev.Tree.AddCmd("load.on")
	}
	if off && on {
		dev.Tree.AddCmd("shutdown.return")
		dev.Tree.AddCmd("shutdown.stayoff")
	}
}

// command is the first row of an instant command the device has, or nil.
func (d *Driver) command(name string) *tableRow {
	for i, r := range d.rows {
		if r.info.Var == name && r.info.HID&subdriver.HIDCommand != 0 {
			return &d.rows[i]
		}
	}
	return nil
}

// InstCmd sends a command row's value with SET_REPORT: the first row of
// the command whose field the device has, with the value given or the
// table's. load.on, load.off, shutdown.return and shutdown.stayoff
// are made of the delay commands, as in NUT.
func (d *Driver) InstCmd(ctx context.Context, dev *core.Device, name, param string) core.Result {
	r := d.command(name)
	if r == nil {
		return d.composite(ctx, dev, name)
	}
	value := r.info.Format
	if param != "" {
		value = param
	}
	x, ok := d.hidValue(ctx, dev, r.info, value)
	if !ok {
		return core.ConversionFailed
	}
	return d.write(ctx, *r, x)
}

// hidValue is the value to write for a row's text value: through the
// row's lookup table if it has one, else the number itself.
func (d *Driver) hidValue(ctx context.Context, dev *core.Device, info subdriver.Info, value string) (float64, bool) {
	if info.Lookup != nil {
		return info.Lookup.HID(d.context(ctx, dev), value)
	}
	x, err := strconv.ParseFloat(value, 64)
	return x, err == nil
}

// composite runs the commands NUT 2.8.0 makes of others when the table
// has no row of their own.
func (d *Driver) composite(ctx context.Context, dev *core.Device, name string) core.Result {
	get := func(v string) string { s, _ := dev.Tree.Get(v); return s }
	both := func(onDelay string) core.Result {
		if _, ok := dev.Tree.Get("ups.start.auto"); ok {
			d.SetVar(ctx, dev, "ups.start.auto", map[bool]string{true: "yes", false: "no"}[onDelay != "-1"])
		}
		if res := d.InstCmd(ctx, dev, "load.on.delay", onDelay); res != core.Handled {
			return res
		}
		// Some UPSes (Tripp Lite's 3024 protocol) miss commands that
		// come too fast: NUT waits as long.
		if !sleep(ctx, 125*time.Millisecond) {
			return core.Failed
		}
		return d.InstCmd(ctx, dev, "load.off.delay", get("ups.delay.shutdown"))
	}
	switch name {
	case "load.on":
		return d.InstCmd(ctx, dev, "load.on.delay", "0")
	case "load.off":
		return d.InstCmd(ctx, dev, "load.off.delay", "0")
	case "shutdown.return":
		return both(get("ups.delay.start"))
	case "shutdown.stayoff":
		return both("-1")
	}
	return core.Invalid
}

// SetVar writes a writable variable through its row.
func (d *Driver) SetVar(ctx context.Context, dev *core.Device, name, value string) core.Result {
	for _, r := range d.rows {
		if r.info.Var != name || r.info.HID&subdriver.HIDCommand != 0 {
			continue
		}
		if r.info.Flags&state.RW == 0 {
			return core.Invalid
		}
		if r.info.HID&subdriver.HIDAbsent != 0 {
			dev.Tree.Set(name, value) // the driver's own (ups.delay.shutdown...)
			return core.Handled
		}
		x, ok := d.hidValue(ctx, dev, r.info, value)
		if !ok {
			return core.ConversionFailed
		}
		if res := d.write(ctx, r, x); res != core.Handled {
			return res
		}
		dev.Tree.Set(name, value)
		return core.Handled
	}
	return core.Unknown
}

// write sets a field and sends its report: the last one read (so that
// the report's other fields keep their values), or zeros.
func (d *Driver) write(ctx context.Context, r tableRow, x float64) core.Result {
	id := r.field.ReportID
	buf := d.desc.NewReport(id)
	d.conn.GetReport(ctx, usb.Feature, id, buf) // failing that, zeros
	if err := r.field.SetValue(buf, x); err != nil {
		return core.ConversionFailed
	}
	if _, err := d.conn.SetReport(ctx, usb.Feature, id, buf); err != nil {
		return core.Failed
	}
	d.mu.Lock()
	d.changed = true
	d.mu.Unlock()
	return core.Handled
}

// Shutdown is NUT's: shutdown.return, failing that shutdown.reboot,
// failing that load.off.delay.
func (d *Driver) Shutdown(ctx context.Context, dev *core.Device) error {
	for _, cmd := range []string{"shutdown.return", "shutdown.reboot", "load.off.delay"} {
		if d.InstCmd(ctx, dev, cmd, "") == core.Handled {
			return nil
		}
	}
	return errors.New("Shutdown failed!")
}

// Close stops the interrupt reader and releases the device.
func (d *Driver) Close() error {
	if d.stop != nil {
		d.stop()
	}
	if d.conn != nil {
		return d.conn.Close()
	}
	return nil
}
