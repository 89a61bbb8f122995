package config

import (
	"io"
	"strconv"
	"strings"

	"gonut/words"
)

// UPSConf is ups.conf: global settings, then one section per UPS.
type UPSConf struct {
	Globals []Setting
	UPS     []*UPS
}

// UPS is one [section] of ups.conf. Every key is kept, in order, in
// Settings; the fields are the ones every driver and upsdrvctl use.
type UPS struct {
	Name          string
	Line          int // the [name] line
	EndLine       int // the section's last line
	Driver        string
	Port          string
	Desc          string
	SDOrder       int // 0 when not set; negative: not shut down by upsdrvctl
	MaxStartDelay int // 0: the global (or NUT's default)
	Settings      []Setting
}

// Get returns a key's value.
func (u *UPS) Get(key string) (string, bool) { return get(u.Settings, key) }

// Flag reports whether a flag is set.
func (u *UPS) Flag(key string) bool { return flag(u.Settings, key) }

func get(ss []Setting, key string) (string, bool) {
	v, ok := "", false
	for _, s := range ss {
		if s.Key == key && !s.Flag {
			v, ok = s.Value, true // the last one wins, as in NUT
		}
	}
	return v, ok
}

func flag(ss []Setting, key string) bool {
	for _, s := range ss {
		if s.Key == key && s.Flag {
			return true
		}
	}
	return false
}

// NUT's defaults for ups.conf's globals.
const (
	DefaultMaxStartDelay = 75
	DefaultMaxRetry      = 1
	DefaultRetryDelay    = 5
	DefaultPollInterval  = 2
)

// Global returns a global setting's value.
func (c *UPSConf) Global(key string) (string, bool) { return get(c.Globals, key) }

// GlobalFlag reports whether a global flag (such as nowait) is set.
func (c *UPSConf) GlobalFlag(key string) bool { return flag(c.Globals, key) }

func (c *UPSConf) globalInt(key string, def int) int {
	if v, ok := c.Global(key); ok {
		if n, err := strconv.Atoi(v); err == nil {
			return n
		}
	}
	return def
}

// MaxStartDelay is how long upsdrvctl waits for a driver to start.
func (c *UPSConf) MaxStartDelay() int { return c.globalInt("maxstartdelay", DefaultMaxStartDelay) }

// MaxRetry is how many times upsdrvctl tries to start a driver.
func (c *UPSConf) MaxRetry() int { return c.globalInt("maxretry", DefaultMaxRetry) }

// RetryDelay is how long upsdrvctl waits between tries.
func (c *UPSConf) RetryDelay() int { return c.globalInt("retrydelay", DefaultRetryDelay) }

// PollInterval is the drivers' default time between updates.
func (c *UPSConf) PollInterval() int { return c.globalInt("pollinterval", DefaultPollInterval) }

// Find returns the section of a UPS.
func (c *UPSConf) Find(name string) *UPS {
	for _, u := range c.UPS {
		if u.Name == name {
			return u
		}
	}
	return nil
}

// numeric keys, checked where they are read.
var upsIntKeys = map[string]bool{"sdorder": true, "maxstartdelay": true, "maxretry": true, "retrydelay": true, "pollinterval": true, "debug_min": true}

// ParseUPSConf reads ups.conf. A header is a first word in brackets;
// "key = value" and bare flags make settings; lines before the first
// header are globals.
func ParseUPSConf(file string, r io.Reader) (*UPSConf, []error) {
	ls, errs := lines(file, r)
	p := &problems{file: file, errs: errs}
	c := &UPSConf{}
	var cur *UPS
	seen := map[string]int{}
	badHeader := 0 // line of a malformed [section] whose settings are skipped
	for _, l := range ls {
		w := l.Words
		if h := w[0]; len(h) > 0 && h[0] == '[' && !strings.HasSuffix(h, "]") && strings.HasSuffix(w[len(w)-1], "]") {
			p.errorf(l.Num, "section name %q has spaces: NUT ignores this header; the settings after it are skipped until the next section", strings.Join(w, " "))
			badHeader, cur = l.Num, nil
			continue
		}
		if h := w[0]; len(h) >= 2 && h[0] == '[' && h[len(h)-1] == ']' {
			name := h[1 : len(h)-1]
			if len(w) > 1 {
				p.warnf(l.Num, "words after [%s] ignored", name)
			}
			if first, dup := seen[name]; dup {
				p.errorf(l.Num, "section [%s] again (first at line %d): names must be unique", name, first)
			}
			seen[name] = l.Num
			badHeader = 0
			cur = &UPS{Name: name, Line: l.Num, EndLine: l.Num}
			c.UPS = append(c.UPS, cur)
			continue
		}
		var s Setting
		switch {
		case len(w) == 1:
			s = Setting{Key: w[0], Flag: true, Line: l.Num}
		case len(w) >= 3 && w[1] == "=":
			s = Setting{Key: w[0], Value: w[2], Line: l.Num}
			if len(w) > 3 {
				p.warnf(l.Num, "words after %s = %q ignored (quote a value with spaces)", w[0], w[2])
			}
		default:
			p.errorf(l.Num, "expected 'key = value', a flag or a [section], got %q", strings.Join(w, " "))
			continue
		}
		if upsIntKeys[s.Key] && !s.Flag {
			if _, err := strconv.Atoi(s.Value); err != nil {
				p.errorf(l.Num, "%s = %q: expected a whole number", s.Key, s.Value)
				continue
			}
		}
		if badHeader > 0 {
			p.errorf(l.Num, "%s skipped: it belongs to the malformed section at line %d", s.Key, badHeader)
			continue
		}
		if cur == nil {
			c.Globals = append(c.Globals, s)
			continue
		}
		cur.Settings = append(cur.Settings, s)
		cur.EndLine = l.Num
	}
	for _, u := range c.UPS {
		u.Driver, _ = u.Get("driver")
		u.Port, _ = u.Get("port")
		u.Desc, _ = u.Get("desc")
		if v, ok := u.Get("sdorder"); ok {
			u.SDOrder, _ = strconv.Atoi(v)
		}
		if v, ok := u.Get("maxstartdelay"); ok {
			u.MaxStartDelay, _ = strconv.Atoi(v)
		}
		if u.Driver == "" {
			p.errorf(u.Line, "[%s] has no driver: add 'driver = <name>'", u.Name)
		}
		if u.Port == "" {
			p.errorf(u.Line, "[%s] has no port: add 'port = <device>' (auto for USB)", u.Name)
		}
	}
	return c, p.errs
}

// LoadUPSConf reads ups.conf from disk.
func LoadUPSConf(path string) (*UPSConf, []error) { return load(path, ParseUPSConf) }

// Format writes the file back out.
func (c *UPSConf) Format() string {
	var b strings.Builder
	writeSettings(&b, c.Globals, "")
	for _, u := range c.UPS {
		b.WriteString("\n[" + words.Escape(u.Name) + "]\n")
		writeSettings(&b, u.Settings, "\t")
	}
	return b.String()
}

func writeSettings(b *strings.Builder, ss []Setting, indent string) {
	for _, s := range ss {
		b.WriteString(indent + words.Word(s.Key))
		if !s.Flag {
			b.WriteString(" = " + words.Word(s.Value))
		}
		b.WriteByte('\n')
	}
}
