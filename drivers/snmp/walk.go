package snmp

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/gosnmp/gosnmp"

	"gonut/drivers/dstate"
	"gonut/drivers/snmp/mib"
	"gonut/state"
)

// Tree is what the walk writes: the driver's state tree.
type Tree interface {
	Set(name, value string) bool
	Get(name string) (string, bool)
	SetFlags(name string, f state.Flags) bool
	SetAux(name string, aux int64) bool
	AddEnum(name, value string) bool
	AddCmd(name string) bool
}

// Logger is where the walk reports rows that come and go.
type Logger interface {
	Info(msg string, args ...any)
	Warn(msg string, args ...any)
	Debug(msg string, args ...any)
}

// walkMode is NUT's SU_WALKMODE_*.
type walkMode uint8

const (
	walkInit walkMode = iota
	walkUpdate
)

// Engine reads a mapping's rows from an agent into a tree, as NUT 2.8.0's
// snmp_ups_walk: the rows the device lacks are dropped at the first walk,
// static rows are read once, semi-static ones every semistaticfreq walks,
// templates (outlets, outlet groups, ambient sensors) are instantiated
// for each item the device has, one- or three-phase rows are kept as
// {input,output,input.bypass}.phases say, and a daisy chain's devices
// (device.count) are read each in turn as device.N.*.
//
// The walk stops at the first exchange the agent does not answer (its
// error is the walk's: the data is stale), where NUT goes on and waits
// out every row; rows that the agent answers with an error are kept
// stale, with a message when they go and come back.
type Engine struct {
	client  *Client
	mapping *mib.Mapping
	rows    []mib.Row // the mapping's rows, with this driver's flags
	log     Logger
	conv    converter

	semiStaticFreq, semiStaticCountdown int
	symmetraThreePhase                  bool

	devices   int  // devices_count
	daisy     bool // daisychain_enabled
	device    int  // current_device_number
	phases    []phaseCount
	bases     map[mib.Flags]int // template index bases (0 or 1), by template kind
	devOffset int               // device_template_offset

	status dstate.Status

	// What the current walk read: when an update reads nothing and
	// fails some, the agent has lost the device (noSuchObject for all).
	nRead, nFailed int
	firstErr       error

	typesMu sync.Mutex
	types   map[string]gosnmp.Asn1BER // the agent's type of each OID read, for SETs
}

type phaseCount struct{ input, output, bypass int64 }

// daisyBase is the key of bases for daisy-chain device templates.
const daisyBase = mib.Daisy

// NewEngine prepares a mapping for an agent.
func NewEngine(c *Client, m *mib.Mapping, log Logger, semiStaticFreq int) *Engine {
	e := &Engine{client: c, mapping: m, log: log, rows: append([]mib.Row(nil), m.Rows...),
		semiStaticFreq: semiStaticFreq, semiStaticCountdown: semiStaticFreq, devices: 1,
		bases: map[mib.Flags]int{}, devOffset: -1, types: map[string]gosnmp.Asn1BER{}}
	for i := range e.rows {
		e.rows[i].Flags |= mib.OK // NUT's upsdrv_initinfo
	}
	return e
}

// find returns the first row of a variable (any case), or nil.
func (e *Engine) find(name string) *mib.Row {
	for i := range e.rows {
		if strings.EqualFold(e.rows[i].Var, name) {
			return &e.rows[i]
		}
	}
	return nil
}

// get reads one OID; an agent that does not answer is errNoAnswer's.
func (e *Engine) get(ctx context.Context, oid string) (Value, error) {
	v, err := e.client.Get(ctx, oid)
	if err != nil {
		return Value{}, err
	}
	e.typesMu.Lock()
	e.types[normalOID(oid)] = v.Type
	e.typesMu.Unlock()
	return valueOf(v), nil
}

// agentType is the type the agent gave an OID when last read (0 when
// never read).
func (e *Engine) agentType(oid string) gosnmp.Asn1BER {
	e.typesMu.Lock()
	defer e.typesMu.Unlock()
	return e.types[normalOID(oid)]
}

// fatal reports whether an error ends the walk: the agent did not
// answer, or the driver is stopping.
func fatal(err error) bool {
	var t *TimeoutError
	return errors.As(err, &t) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) ||
		err != nil && !errors.Is(err, ErrNoSuchName) && !errors.Is(err, ErrAgent) && !errors.Is(err, errUnread) && !errors.Is(err, errInvalid)
}

// errUnread is a value of a type that the row cannot read.
var errUnread = errors.New("a value of a type snmp-ups does not read")

// maxFollow bounds how many OBJECT IDENTIFIER values are followed in a
// row (NUT follows them without end: an agent whose OID names itself
// hangs it).
const maxFollow = 4

// getText reads an OID as a string row does (NUT's nut_snmp_get_str).
func (e *Engine) getText(ctx context.Context, oid string, lk *mib.Lookup) (string, error) {
	for depth := 0; ; depth++ {
		v, err := e.get(ctx, oid)
		if err != nil {
			return "", err
		}
		switch v.Kind {
		case KindText:
			return textOfString(v.Text), nil
		case KindNumber:
			if lk != nil {
				s, ok := e.conv.lookupNumber(lk, v.Num)
				if !ok {
					return "", fmt.Errorf("%s: %w: %d is not in %s", oid, errUnread, v.Num, lk.Name)
				}
				return clip(s), nil
			}
			return strconv.FormatInt(v.Num, 10), nil
		case KindOID:
			if depth < maxFollow {
				if _, err := e.get(ctx, v.Text); err == nil {
					oid = v.Text
					continue
				} else if fatal(err) {
					return "", err
				}
			}
			return lastArc(v.Text), nil
		}
		return "", fmt.Errorf("%s: %w (ASN.1 type 0x%02x)", oid, errUnread, byte(v.Type))
	}
}

// getNumber reads an OID as a number row does (NUT's nut_snmp_get_int).
func (e *Engine) getNumber(ctx context.Context, oid string) (int64, error) {
	for depth := 0; ; depth++ {
		v, err := e.get(ctx, oid)
		if err != nil {
			return 0, err
		}
		switch v.Kind {
		case KindText:
			return strtol(v.Text), nil
		case KindNumber:
			return v.Num, nil
		case KindOID:
			if depth < maxFollow {
				if _, err := e.get(ctx, v.Text); err == nil {
					oid = v.Text
					continue
				} else if fatal(err) {
					return 0, err
				}
			}
			return strtol(lastArc(v.Text)), nil
		}
		return 0, fmt.Errorf("%s: %w (ASN.1 type 0x%02x)", oid, errUnread, byte(v.Type))
	}
}

func lastArc(oid string) string {
	if i := strings.LastIndexByte(oid, '.'); i >= 0 {
		return oid[i+1:]
	}
	return oid
}

// Walk reads the rows: all of them at init, the dynamic ones after.
func (e *Engine) Walk(ctx context.Context, t Tree, init bool) error {
	mode := walkUpdate
	if init {
		mode = walkInit
	} else {
		e.semiStaticCountdown--
		if e.semiStaticCountdown < 0 {
			e.semiStaticCountdown = e.semiStaticFreq
		}
	}
	e.status.Reset()
	e.status.ResetAlarms()
	e.nRead, e.nFailed, e.firstErr = 0, 0, nil
	start := 0
	if !e.daisy && e.devices == 1 {
		start = 1
	}
	for e.device = start; e.device <= e.devices; e.device++ {
		for i := range e.rows {
			if err := e.walkRow(ctx, t, mode, &e.rows[i]); err != nil && fatal(err) {
				return err
			}
		}
	}
	if mode == walkUpdate && e.nRead == 0 && e.nFailed > 0 {
		return fmt.Errorf("the agent answered none of the %d objects it had: %w", e.nFailed, e.firstErr)
	}
	return nil
}

// Commit writes ups.status and ups.alarm from what the walk saw.
func (e *Engine) Commit(t *state.Tree) {
	e.status.CommitAlarms(t)
	e.status.Commit(t)
}

func (e *Engine) walkRow(ctx context.Context, t Tree, mode walkMode, r *mib.Row) error {
	switch {
	case mode == walkInit && strings.HasPrefix(r.Var, "device.count"):
		r.Flags &^= mib.OK
		return nil
	case e.device == 0 && e.daisy:
		return nil // the whole chain: not yet, as in NUT
	case r.Cmd() && r.Flags&(mib.Outlet|mib.OutletGroup) == 0:
		return nil
	case r.Flags&mib.OK == 0:
		// A row dropped: the device lacks it, another row gives the
		// variable, or notransferoids. NUT reads them all at init
		// (so notransferoids still reads the transfer points once).
		return nil
	case mode == walkUpdate && r.Flags&mib.SemiStatic != 0 && e.semiStaticCountdown != 0:
		return nil
	case mode == walkUpdate && r.Flags&mib.Static != 0:
		return nil
	}
	if r.Flags&mib.Absent != 0 && r.Flags&mib.Templates == 0 {
		if mode == walkInit {
			if r.HasDefault {
				if e.daisy && e.devices > 1 && e.device != 0 {
					e.template(ctx, t, mode, "device", r)
				} else {
					e.setInfo(t, r, r.Var, r.OID, r.Default)
				}
			}
			r.Flags |= mib.Static
		}
		return nil
	}
	dc := &e.phases[e.device]
	for _, p := range []struct {
		kind      string
		mask, one mib.Flags
		three     mib.Flags
		count     *int64
	}{
		{"input", mib.Input1 | mib.Input3, mib.Input1, mib.Input3, &dc.input},
		{"output", mib.Output1 | mib.Output3, mib.Output1, mib.Output3, &dc.output},
		// NUT 2.8.0 takes input.bypass for input, and never filters
		// bypass rows: a one-phase UPS shows its three-phase ones too.
		{"input.bypass", mib.Bypass1 | mib.Bypass3, mib.Bypass1, mib.Bypass3, &dc.bypass},
	} {
		if r.Flags&p.mask == 0 {
			continue
		}
		if err := e.phaseCount(ctx, t, p.kind, p.count); err != nil && fatal(err) {
			return err
		}
		switch {
		case r.Flags&p.one != 0 && *p.count == 1, r.Flags&p.three != 0 && *p.count == 3:
			r.Flags &^= p.mask
		default:
			r.Flags &^= mib.OK
			return nil
		}
	}
	switch {
	case r.Flags&mib.Outlet != 0:
		return e.templateUnlessCmd(ctx, t, mode, "outlet", r)
	case r.Flags&mib.OutletGroup != 0:
		return e.templateUnlessCmd(ctx, t, mode, "outlet.group", r)
	case r.Flags&mib.AmbientTemplate != 0:
		return e.templateUnlessCmd(ctx, t, mode, "ambient", r)
	}
	return e.process(ctx, t, mode, r, r.Var, r.OID, r.Default)
}

func (e *Engine) templateUnlessCmd(ctx context.Context, t Tree, mode walkMode, kind string, r *mib.Row) error {
	if r.Cmd() && mode == walkUpdate {
		return nil
	}
	return e.template(ctx, t, mode, kind, r)
}

// phaseCount learns the number of phases of a kind (NUT's
// process_phase_data): published already, or read from the
// <kind>.phases row, else 1; and publishes it.
func (e *Engine) phaseCount(ctx context.Context, t Tree, kind string, n *int64) error {
	if *n != -1 {
		return nil
	}
	name := kind + ".phases"
	if e.daisy && e.device > 0 {
		name = fmt.Sprintf("device.%d.%s.phases", e.device, kind)
	}
	if v, ok := t.Get(name); ok {
		*n = int64(atoi(v))
	} else {
		name = kind + ".phases"
		*n = 1
		if r := e.find(name); r != nil && r.OID != "" {
			oid := r.OID
			if strings.Contains(oid, "%") {
				oid = fill(oid, e.device+e.devOffset)
			}
			v, err := e.getNumber(ctx, oid)
			if err != nil && fatal(err) {
				*n = -1
				return err
			}
			if err == nil {
				*n = v
			}
		}
	}
	t.Set(name, strconv.FormatInt(*n, 10))
	return nil
}

// atoi is C's atoi: the leading number, 0 if none.
func atoi(s string) int {
	v := strtolBase10(s)
	return int(v)
}

func strtolBase10(s string) int64 {
	s = strings.TrimLeft(s, " \t\n\v\f\r")
	end := 0
	if end < len(s) && (s[end] == '-' || s[end] == '+') {
		end++
	}
	for end < len(s) && s[end] >= '0' && s[end] <= '9' {
		end++
	}
	n, _ := strconv.ParseInt(s[:end], 10, 64)
	return n
}

// fill replaces a template's %i (or %d) with the numbers, in order.
func fill(template string, nums ...int) string {
	var b strings.Builder
	for i := 0; i < len(template); i++ {
		if template[i] == '%' && i+1 < len(template) && (template[i+1] == 'i' || template[i+1] == 'd') {
			if len(nums) > 0 {
				b.WriteString(strconv.Itoa(nums[0]))
				nums = nums[1:]
			}
			i++
			continue
		}
		b.WriteByte(template[i])
	}
	return b.String()
}

// process reads one row (or template instance) and publishes it (NUT's
// get_and_process_data).
func (e *Engine) process(ctx context.Context, t Tree, mode walkMode, r *mib.Row, name, oid, dfl string) error {
	err := e.read(ctx, t, r, name, oid, dfl)
	if err == nil {
		e.nRead++
		if r.Flags&mib.Stale != 0 {
			e.log.Info("data resumed", "variable", name)
			r.Flags &^= mib.Stale
		}
		if r.Flags&mib.Unique != 0 {
			e.disableCompetition(r)
			r.Flags &^= mib.Unique
		}
		return nil
	}
	if fatal(err) {
		return err
	}
	if mode == walkInit {
		r.Flags &^= mib.OK // the device does not have it
		return nil
	}
	if e.nFailed++; e.firstErr == nil {
		e.firstErr = err
	}
	if r.Flags&mib.Stale == 0 {
		e.log.Info("data stale", "variable", name, "error", err)
		r.Flags |= mib.Stale
	}
	return nil
}

// disableCompetition drops the other rows of the same variable.
func (e *Engine) disableCompetition(r *mib.Row) {
	for i := range e.rows {
		if p := &e.rows[i]; p != r && p.Var == r.Var {
			p.Flags &^= mib.OK
		}
	}
}

// errInvalid is a value that the row says means "not available".
var errInvalid = errors.New("the device says this value is not available")

// read is NUT's su_ups_get for one row (or template instance).
func (e *Engine) read(ctx context.Context, t Tree, r *mib.Row, name, oid, dfl string) error {
	masterOnly := false
	if strings.Contains(oid, "%") {
		oid = fill(oid, e.device+e.devOffset)
	} else if e.daisy && e.devices > 1 && e.device > 0 && !daisyName(name) {
		masterOnly = true // a plain OID of a chain: the master's (device.1)
	}
	switch {
	case strings.EqualFold(name, "ups.status"):
		v, err := e.getNumber(ctx, oid)
		if err != nil {
			return err
		}
		if s, ok := e.conv.lookupNumber(r.Lookup, v); ok && s != "" {
			e.status.Set(s)
		}
		return nil
	case strings.HasSuffix(name, ".alarm"):
		v, err := e.getNumber(ctx, oid)
		if err != nil {
			return err
		}
		e.alarm(r, name, v)
		return nil
	case strings.EqualFold(name, "ups.alarms"):
		return e.alarms(ctx, oid)
	case strings.EqualFold(name, "ambient.temperature"):
		v, err := e.getNumber(ctx, oid)
		if err != nil {
			return err
		}
		temp := float32(float64(v) * r.Len)
		if oid == apcIEMTemp {
			u, err := e.getNumber(ctx, apcIEMTempUnit)
			if err != nil && fatal(err) {
				return err
			}
			if err != nil || u == apcIEMFahrenheit {
				temp = float32(float64(v-32) / 1.8)
			} else {
				temp = float32(v)
			}
		}
		e.setInfoDevice(t, r, name, oid, fmt.Sprintf("%.1f", temp), masterOnly)
		return nil
	}
	var text string
	switch {
	case oid == "" && r.HasDefault:
		text = dfl
	case r.Info&state.String != 0:
		s, err := e.getText(ctx, oid, r.Lookup)
		if err != nil {
			return err
		}
		if e.symmetraThreePhase && (strings.EqualFold(name, "input.transfer.low") || strings.EqualFold(name, "input.transfer.high")) {
			f, _ := strconv.ParseFloat(strings.TrimSpace(s), 64)
			s = fmt.Sprintf("%.2f", f*0.707) // line-to-line to line-to-neutral
		}
		if f, ok := e.conv.lookupText(r.Lookup, s); ok {
			s = f
		}
		text = s
	case oid == "":
		return fmt.Errorf("%s: %w: no OID and no default", name, errUnread)
	default:
		v, err := e.getNumber(ctx, oid)
		if err != nil {
			return err
		}
		if r.Flags&mib.NegInvalid != 0 && v < 0 || r.Flags&mib.ZeroInvalid != 0 && v == 0 {
			// Only this row is dropped: the variable's other rows
			// (APC's lower-precision objects) give it. NUT drops them
			// too, after reading them once: the value never changes.
			r.Flags &^= mib.OK
			return fmt.Errorf("%s: %w (%d)", oid, errInvalid, v)
		}
		if s, ok := e.conv.lookupNumber(r.Lookup, v); ok {
			text = s
		} else {
			text = formatNumber(v, r.Len)
		}
	}
	e.setInfoDevice(t, r, name, oid, text, masterOnly)
	return nil
}

// APC's environmental monitor, whose temperature's unit NUT reads apart.
const (
	apcIEMTemp       = ".1.3.6.1.4.1.318.1.1.10.2.3.2.1.4.1"
	apcIEMTempUnit   = ".1.3.6.1.4.1.318.1.1.10.2.3.2.1.5.1"
	apcIEMFahrenheit = 2
)

func daisyName(name string) bool {
	return strings.HasPrefix(name, "device.") && len(name) > 7 && name[7] >= '0' && name[7] <= '9'
}

// setInfoDevice publishes a value; a chain's plain OID is the master's.
func (e *Engine) setInfoDevice(t Tree, r *mib.Row, name, oid, value string, masterOnly bool) {
	if masterOnly {
		saved := e.device
		e.device = 1
		defer func() { e.device = saved }()
	}
	e.setInfo(t, r, name, oid, value)
}

// setInfo publishes a row's value with its flags (NUT's su_setinfo): in
// a daisy chain of more than one device, as device.N.<name>.
func (e *Engine) setInfo(t Tree, r *mib.Row, name, oid, value string) {
	if e.daisy && e.devices > 1 && e.device > 0 {
		prefix := fmt.Sprintf("device.%d", e.device)
		if !strings.Contains(name, prefix) {
			name = prefix + "." + strings.TrimPrefix(name, "device.")
		}
	}
	if r.Cmd() || strings.EqualFold(r.Var, "ups.status") || strings.HasSuffix(r.Var, ".alarm") {
		return
	}
	t.Set(name, value)
	t.SetFlags(name, r.Info)
	t.SetAux(name, int64(r.Len))
	if r.Info&state.RW != 0 && r.Lookup != nil {
		for _, en := range r.Lookup.Entries {
			t.AddEnum(name, en.Text)
		}
	}
}

// alarm sets an alarm row's text (NUT's su_alarm_set): an outlet's or a
// phase's named as such.
func (e *Engine) alarm(r *mib.Row, name string, v int64) {
	text, ok := e.conv.lookupNumber(r.Lookup, v)
	if !ok || text == "" {
		return
	}
	kind := name
	if strings.HasPrefix(kind, "device.") {
		if i := strings.IndexByte(kind[7:], '.'); i >= 0 {
			kind = kind[7+i+1:]
		}
	}
	if r.Flags&(mib.Outlet|mib.OutletGroup) != 0 {
		group := ""
		if r.Flags&mib.OutletGroup != 0 {
			group = " group"
		}
		text = fmt.Sprintf("outlet%s %d %s", group, templateNumber(r.Flags, kind), text)
	}
	if strings.HasPrefix(kind, "L") {
		text = fmt.Sprintf("phase L%d %s", atoi(kind[1:]), text)
	}
	e.status.Alarm(text)
}

// templateNumber is the item number of an instance's name
// (outlet.3.alarm: 3).
func templateNumber(f mib.Flags, name string) int {
	switch {
	case f&mib.OutletGroup != 0 && len(name) > 13:
		return atoi(name[13:])
	case f&mib.Outlet != 0 && len(name) > 7:
		return atoi(name[7:])
	case f&mib.AmbientTemplate != 0 && len(name) > 8:
		return atoi(name[8:])
	}
	return -1
}

// alarms reads a table of alarms whose entries name their alarm by OID
// (Eaton's ups.alarms, NUT's alarms_info).
func (e *Engine) alarms(ctx context.Context, oid string) error {
	n, err := e.getNumber(ctx, oid)
	if err != nil || n <= 0 {
		return err
	}
	vars, err := e.client.Walk(ctx, oid, 1<<16)
	if err != nil {
		return err
	}
	for _, v := range vars {
		val := valueOf(v)
		if val.Kind != KindOID {
			continue
		}
		for _, a := range e.mapping.Alarms {
			if normalOID(a.OID) == normalOID(val.Text) {
				if a.Status != "" {
					e.status.Set(a.Status)
				}
				if a.Alarm != "" {
					e.status.Alarm(a.Alarm)
				}
				break
			}
		}
	}
	return nil
}
