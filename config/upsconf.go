package config

import (
	"fmt"
	"io"
	"strings"

	"gonut/nutenv"
	"gonut/words"
)

// UPSConf is ups.conf: global settings (the lines before the first
// section), then one [section] per UPS. It is read by upsdrvctl, by every
// driver and by upsd.
type UPSConf struct {
	Globals []Setting
	UPS     []*UPS
}

// UPS is one [section] of ups.conf. Every key is kept, in order, in
// Settings: the keys a driver alone knows (vendorid, cable,
// override.battery.charge.low, ...) as well as the common ones. The typed
// fields are read from Settings by the parser; Format writes Settings.
type UPS struct {
	Name    string
	Line    int // the [name] line
	EndLine int // the section's last setting
	Driver  string
	Port    string
	Desc    string
	SDOrder int // upsdrvctl shuts down the 0s, then the 1s...; negative: never (default 0)

	// Per-UPS overrides of the globals of the same names; -1 when the
	// section does not set them (see UPSConf.Resolve).
	MaxStartDelay int
	MaxRetry      int
	RetryDelay    int

	Settings []Setting

	// File is the file the section is in; Runtime says it is a section
	// nut-driver-enumerator wrote for a hot-plugged USB device (under
	// nutenv's HotplugDir), not one of ups.conf.
	File    string
	Runtime bool
}

// Get returns the value of a key (the last one when it is repeated).
func (u *UPS) Get(key string) (string, bool) { return lookup(u.Settings, key, false) }

// Flag reports whether a bare flag (nolock, ignorelb, ...) is set.
func (u *UPS) Flag(key string) bool { return hasFlag(u.Settings, key) }

// FromNUTServer reports whether the section's port names a UPS of a NUT
// server (upsname@host[:port], NUT's notation for one) rather than a
// device: its driver (dummy-ups as a repeater) is that server's client,
// maybe of the very upsd that serves this section.
func (u *UPS) FromNUTServer() bool { return strings.Contains(u.Port, "@") }

// Find returns the section of a UPS, or nil.
func (c *UPSConf) Find(name string) *UPS {
	for _, u := range c.UPS {
		if u.Name == name {
			return u
		}
	}
	return nil
}

// Global returns a global setting's value.
func (c *UPSConf) Global(key string) (string, bool) { return lookup(c.Globals, key, false) }

// GlobalFlag reports whether a global flag (such as nowait) is set.
func (c *UPSConf) GlobalFlag(key string) bool { return hasFlag(c.Globals, key) }

// NUT's defaults for ups.conf (drivers/main.c, drivers/upsdrvctl.c, and
// Debian's build settings for the user, group and driver path).
const (
	DefaultMaxStartDelay = 75
	DefaultMaxRetry      = 1
	DefaultRetryDelay    = 5
	DefaultPollInterval  = 2
	DefaultDriverUser    = "nut"
	DefaultDriverGroup   = "nut"
	DefaultSynchronous   = "auto"
)

// intSetting reads a numeric key from settings as NUT does; false when it
// is not set or not usable.
func intSetting(ss []Setting, k UPSKey) (int, bool) {
	v, ok := lookup(ss, k.Name, k.Fold)
	if !ok {
		return 0, false
	}
	n, rest, ok := cNumber(v)
	if !ok || (rest != "" && k.Strict) || n < k.Min || n > k.Max {
		return 0, false
	}
	return n, true
}

// intOr is one of the core's numeric keys from settings, or def.
func intOr(ss []Setting, key string, def int) int {
	if n, ok := intSetting(ss, coreKey(key)); ok {
		return n
	}
	return def
}

// intValue is one of the core's numeric keys from settings, or NUT's
// default for it.
func intValue(ss []Setting, key string) int { return intOr(ss, key, coreKey(key).Default) }

// MaxStartDelay is how long upsdrvctl waits for a driver to start, unless
// its section says otherwise; negative: no limit.
func (c *UPSConf) MaxStartDelay() int { return intValue(c.Globals, "maxstartdelay") }

// MaxRetry is how many times upsdrvctl tries to start a driver.
func (c *UPSConf) MaxRetry() int { return intValue(c.Globals, "maxretry") }

// RetryDelay is how long upsdrvctl waits between tries.
func (c *UPSConf) RetryDelay() int { return intValue(c.Globals, "retrydelay") }

// PollInterval is the drivers' time between updates, in seconds.
func (c *UPSConf) PollInterval() int { return intValue(c.Globals, "pollinterval") }

// DebugMin is the drivers' and upsdrvctl's minimum debug level; -1 when
// not set.
func (c *UPSConf) DebugMin() int { return intValue(c.Globals, "debug_min") }

// NoWait reports whether upsdrvctl should not wait for drivers (nowait,
// which NUT honours with or without a value; NUT_IGNORE_NOWAIT=true in
// the environment overrides it, which is the caller's to check).
func (c *UPSConf) NoWait() bool { return present(c.Globals, "nowait") }

func (c *UPSConf) globalText(key, def string) string {
	if v, ok := lookup(c.Globals, key, coreKey(key).Fold); ok {
		return v
	}
	return def
}

// User is the user drivers run as.
func (c *UPSConf) User() string { return c.globalText("user", DefaultDriverUser) }

// Group is the group of the drivers' sockets.
func (c *UPSConf) Group() string { return c.globalText("group", DefaultDriverGroup) }

// Chroot is the directory drivers chroot to; "" for none.
func (c *UPSConf) Chroot() string { return c.globalText("chroot", "") }

// DriverPath is where upsdrvctl finds drivers.
func (c *UPSConf) DriverPath() string {
	if p := c.globalText("driverpath", ""); p != "" {
		return p
	}
	return driverDir
}

// driverDir is where the drivers are when ups.conf has no driverpath:
// Debian's /lib/nut, or the DRIVERDIR that make built the programs for
// (go build -ldflags "-X gonut/config.driverDir=...").
var driverDir = "/lib/nut"

// StatePath is where drivers put their sockets (statepath, in any case,
// as NUT reads it). $NUT_STATEPATH overrides it in NUT's programs, which
// is the caller's to check.
func (c *UPSConf) StatePath() string { return c.globalText("statepath", nutenv.DefaultStatePath) }

// Synchronous is the drivers' socket mode: yes, no or auto.
func (c *UPSConf) Synchronous() string { return syncValue(c.Globals, DefaultSynchronous) }

func syncValue(ss []Setting, def string) string {
	v, ok := lookup(ss, "synchronous", false)
	switch {
	case !ok:
		return def
	case v == "yes" || v == "auto":
		return v
	}
	return "no" // NUT reads anything else as no
}

// Resolved is what a driver and upsdrvctl use for one UPS: the setting
// of its section, else the global one, else NUT's default.
type Resolved struct {
	User, Group         string
	PollInterval        int
	Synchronous         string // yes, no or auto
	MaxStartDelay       int    // negative: no limit
	MaxRetry            int
	RetryDelay          int
	DebugMin            int // -1: not set
	ReconnectMaxTries   int // negative: forever
	ReconnectReportFreq int // 0 or less: never report
}

// Resolve returns the settings of one UPS, the globals applied.
func (c *UPSConf) Resolve(u *UPS) Resolved {
	pick := func(key string) int {
		return intOr(u.Settings, key, intValue(c.Globals, key))
	}
	text := func(key, global string) string {
		if v, ok := u.Get(key); ok {
			return v
		}
		return global
	}
	return Resolved{
		User:                text("user", c.User()),
		Group:               text("group", c.Group()),
		PollInterval:        pick("pollinterval"),
		Synchronous:         syncValue(u.Settings, c.Synchronous()),
		MaxStartDelay:       pick("maxstartdelay"),
		MaxRetry:            pick("maxretry"),
		RetryDelay:          pick("retrydelay"),
		DebugMin:            pick("debug_min"),
		ReconnectMaxTries:   pick("reconnect_max_tries"),
		ReconnectReportFreq: pick("reconnect_report_freq"),
	}
}

// isHeader reports whether a word is a section header, as NUT sees one: it
// starts with '[' and ends with ']' (quoted or not).
func isHeader(w string) bool { return len(w) >= 2 && w[0] == '[' && w[len(w)-1] == ']' }

// upsParser holds the state of one ups.conf parse.
type upsParser struct {
	*problems
	c         *UPSConf
	cur       *UPS
	badHeader int // line of a malformed header whose settings are skipped
}

// ParseUPSConf reads ups.conf.
//
// As in NUT, a header is a first word that starts with '[' and ends with
// ']'; "key = value" (spaces around '=' optional) and bare flags make
// settings; lines before the first header are globals; keys are
// case-sensitive. Unknown section keys belong to the driver and are kept
// without comment; unknown globals are warnings.
//
// Where gonut is stricter than NUT: a header with spaces ("[my ups]") is
// an error and the settings under it are skipped until the next header
// (NUT adds them to the section before); lines NUT silently ignores
// ("key value", "key =") are errors; a repeated section is an error (NUT
// merges the two, and so does this parser).
func ParseUPSConf(file string, r io.Reader) (*UPSConf, []error) {
	ls, probs := lines(file, r)
	p := &upsParser{problems: probs, c: &UPSConf{}}
	for _, l := range ls {
		p.line(l)
	}
	for _, u := range p.c.UPS {
		u.File = file
		p.finish(u)
	}
	return p.c, p.errs
}

func (p *upsParser) line(l words.Line) {
	w := l.Words
	if h := w[0]; strings.HasPrefix(h, "[") && !isHeader(h) || h == "[]" {
		p.errorf(l.Num, "malformed section header %q: expected one word in brackets, such as [myups]; the settings after it are skipped until the next section", strings.Join(w, " "))
		p.badHeader, p.cur = l.Num, nil
		return
	}
	if isHeader(w[0]) {
		p.header(l)
		return
	}
	var s Setting
	switch {
	case len(w) == 1:
		s = Setting{Key: w[0], Flag: true, Line: l.Num}
	case len(w) >= 3 && w[1] == "=":
		s = Setting{Key: w[0], Value: w[2], Line: l.Num}
		if len(w) > 3 {
			p.warnf(l.Num, "words after %s = %q ignored (quote a value that has spaces)", w[0], w[2])
		}
	case len(w) == 2 && w[1] == "=":
		p.errorf(l.Num, "%s = without a value: expected %s = <value> (\"\" for an empty one)", w[0], w[0])
		return
	default:
		p.errorf(l.Num, "expected key = value, a flag or a [section], got %q", strings.Join(w, " "))
		return
	}
	if s.Key == "=" {
		p.errorf(l.Num, "expected key = value, a flag or a [section], got %q", strings.Join(w, " "))
		return
	}
	if p.badHeader > 0 {
		p.errorf(l.Num, "%s skipped: it is under the malformed section header at line %d", s.Key, p.badHeader)
		return
	}
	if p.cur == nil {
		p.check(s, p.c.Globals, InGlobals)
		p.c.Globals = append(p.c.Globals, s)
		return
	}
	p.check(s, p.cur.Settings, InSection)
	p.cur.Settings = append(p.cur.Settings, s)
	p.cur.EndLine = l.Num
}

func (p *upsParser) header(l words.Line) {
	name := l.Words[0][1 : len(l.Words[0])-1]
	if len(l.Words) > 1 {
		p.warnf(l.Num, "words after [%s] ignored", name)
	}
	p.badHeader = 0
	if name == "default" {
		p.warnf(l.Num, "[default] is a name upsd uses for itself: name this UPS otherwise")
	}
	if prev := p.c.Find(name); prev != nil {
		p.errorf(l.Num, "section [%s] again (first at line %d): NUT merges the two into one; give each UPS one section", name, prev.Line)
		p.cur = prev
		p.cur.EndLine = l.Num
		return
	}
	for _, u := range p.c.UPS {
		if strings.EqualFold(u.Name, name) {
			p.errorf(l.Num, "section [%s] and [%s] (line %d) differ only in case: upsd serves only the first", name, u.Name, u.Line)
			break
		}
	}
	p.cur = &UPS{Name: name, Line: l.Num, EndLine: l.Num}
	p.c.UPS = append(p.c.UPS, p.cur)
}

// check reports what NUT's programs would make of a known key.
func (p *upsParser) check(s Setting, before []Setting, place Place) {
	k, known := coreKeys.In(place).Find(s.Key)
	where := "[" + p.sectionName() + "]"
	if place == InGlobals {
		where = "global"
	}
	if !known {
		if place == InGlobals {
			if _, ok := coreKeys.In(InSection).Find(s.Key); ok {
				p.warnf(s.Line, "%s is not a global setting: NUT ignores it here (put it in a UPS's [section])", s.Key)
			} else {
				p.warnf(s.Line, "unknown global setting %s: NUT ignores it (settings for one UPS go in its [section])", s.Key)
			}
		}
		return
	}
	if k.Kind == KeyFlag {
		if !s.Flag {
			p.warnf(s.Line, "%s is a flag: NUT turns it on whatever the value (write just %s, or remove the line)", s.Key, k.Name)
		}
		return
	}
	if s.Flag {
		p.errorf(s.Line, "%s needs a value: expected %s = <value>", s.Key, k.Name)
		return
	}
	if prev, ok := lookup(before, k.Name, k.Fold); ok && k.Kind != KeyObsolete {
		p.warnf(s.Line, "%s %s again (was %q): the last one is used", where, s.Key, prev)
	}
	switch k.Kind {
	case KeyObsolete:
		p.warnf(s.Line, "%s is obsolete: NUT ignores it", s.Key)
	case KeySync:
		if s.Value != "yes" && s.Value != "no" && s.Value != "auto" {
			p.warnf(s.Line, "synchronous = %q: NUT reads it as no (expected yes, no or auto)", s.Value)
		}
	case KeyNumber:
		p.number(s.Line, s.Key, s.Value, k.Min, k.Max, !k.Strict)
	}
}

func (p *upsParser) sectionName() string {
	if p.cur == nil {
		return ""
	}
	return p.cur.Name
}

// finish reads a section's typed fields and checks what every UPS needs.
func (p *upsParser) finish(u *UPS) {
	u.Driver, _ = u.Get("driver")
	u.Port, _ = u.Get("port")
	u.Desc, _ = u.Get("desc")
	u.SDOrder = intValue(u.Settings, "sdorder")
	u.MaxStartDelay = intOr(u.Settings, "maxstartdelay", -1)
	u.MaxRetry = intOr(u.Settings, "maxretry", -1)
	u.RetryDelay = intOr(u.Settings, "retrydelay", -1)
	for _, key := range []string{"driver", "port"} {
		if _, ok := u.Get(key); ok {
			continue
		}
		hint := map[string]string{"driver": "<name>, such as usbhid-ups", "port": "<device>, auto for USB"}[key]
		msg := fmt.Sprintf("[%s] has no %s: expected %s = %s", u.Name, key, key, hint)
		for _, s := range u.Settings {
			if strings.EqualFold(s.Key, key) {
				msg += fmt.Sprintf(" (keys are case-sensitive: line %d has %s)", s.Line, s.Key)
				break
			}
		}
		p.errorf(u.Line, "%s", msg)
	}
}

// LoadUPSConf reads ups.conf from disk (see Path).
func LoadUPSConf(path string) (*UPSConf, []error) { return load(path, ParseUPSConf) }

// Format writes the file back out: globals, then each section with its
// settings, in order.
func (c *UPSConf) Format() string {
	var b strings.Builder
	writeSettings(&b, c.Globals, "")
	for i, u := range c.UPS {
		if i > 0 || len(c.Globals) > 0 {
			b.WriteByte('\n')
		}
		writeLine(&b, "", "["+u.Name+"]")
		writeSettings(&b, u.Settings, "\t")
	}
	return b.String()
}

func writeSettings(b *strings.Builder, ss []Setting, indent string) {
	for _, s := range ss {
		if s.Flag {
			writeLine(b, indent, s.Key)
		} else {
			writeAssign(b, indent, s.Key, s.Value)
		}
	}
}
