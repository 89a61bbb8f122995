package config

import (
	"io"
	"strconv"
	"strings"

	"gonut/upsname"
)

// Listen is one LISTEN address of upsd.
type Listen struct {
	Host string // an address, a name, or * for every address
	Port int
}

// UpsdConf is upsd.conf.
type UpsdConf struct {
	Listen               []Listen // none, and no BadListen: upsd listens on 127.0.0.1 and ::1
	BadListen            []int    // lines of LISTEN directives in error: listeners that cannot be
	MaxAge               int      // seconds before a silent driver's data is stale
	MaxConn              int      // 0: as many as the system allows
	TrackingDelay        int      // seconds a TRACKING result is kept
	AllowNoDevice        bool     // start even when ups.conf has no UPS
	AllowNotAllListeners bool     // start even when some LISTEN fails
	StatePath            string   // "": the default (ups.conf's statepath wins over it)
	DataPath             string
	CertFile             string
	CertPath             string
	CertIdent            CertIdent
	CertRequest          int  // CertRequestNo, CertRequestRequest or CertRequestRequire
	DisableWeakSSL       bool // TLS 1.2 or better only
	DebugMin             int  // -1: not set
	// IOUringLoop (GONUT_IO_URING_LOOP, gonut's own): serve plain
	// connections from an io_uring event loop rather than a goroutine
	// each.
	IOUringLoop bool
}

// CertIdent names a certificate and the password of its key.
type CertIdent struct{ Name, Password string }

// CERTREQUEST levels.
const (
	CertRequestNo      = 0 // clients need not show a certificate
	CertRequestRequest = 1 // clients must show one
	CertRequestRequire = 2 // clients must show a valid one
)

var certRequestNames = []string{"NO", "REQUEST", "REQUIRE"}

// NUT's defaults for upsd.conf.
const (
	DefaultMaxAge        = 15
	DefaultTrackingDelay = 3600
	DefaultPort          = upsname.DefaultPort
)

func defaultUpsdConf() *UpsdConf {
	return &UpsdConf{MaxAge: DefaultMaxAge, TrackingDelay: DefaultTrackingDelay, DebugMin: -1}
}

// upsdDirectives are upsd.conf's directives, for the unknown-directive
// hint.
var upsdDirectives = []string{"LISTEN", "MAXAGE", "MAXCONN", "TRACKINGDELAY", "ALLOW_NO_DEVICE",
	"ALLOW_NOT_ALL_LISTENERS", "STATEPATH", "DATAPATH", "CERTFILE", "CERTPATH", "CERTIDENT",
	"CERTREQUEST", "DISABLE_WEAK_SSL", "DEBUG_MIN", "GONUT_IO_URING_LOOP"}

// ParseUpsdConf reads upsd.conf as upsd does (server/conf.c). Directives
// are case-sensitive, except DEBUG_MIN. An unknown directive is a warning,
// as upsd logs it and goes on; so are the old ACL, ACCEPT and REJECT lines.
// A value upsd cannot use is an error and the default stays; numbers
// followed by other text ("15s") are read as upsd reads them, with a
// warning.
func ParseUpsdConf(file string, r io.Reader) (*UpsdConf, []error) {
	ds, p := directives(file, r)
	c := defaultUpsdConf()
	listenLine := map[Listen]int{}
	for _, d := range ds {
		name := d.name
		if strings.EqualFold(name, "DEBUG_MIN") {
			name = "DEBUG_MIN"
		}
		switch name {
		case "LISTEN":
			if !p.need(d, 1, 2, "LISTEN <address> [<port>]") {
				c.BadListen = append(c.BadListen, d.line)
				continue
			}
			l := Listen{Host: d.args[0], Port: DefaultPort}
			if len(d.args) > 1 {
				n, ok := p.number(d.line, "LISTEN port", d.args[1], 1, 65535, strict)
				if !ok {
					c.BadListen = append(c.BadListen, d.line)
					continue
				}
				l.Port = n
			}
			if first, dup := listenLine[l]; dup {
				p.warnf(d.line, "LISTEN %s %d again (first at line %d): ignored, upsd could not listen twice", l.Host, l.Port, first)
				continue
			}
			listenLine[l] = d.line
			c.Listen = append(c.Listen, l)
		case "MAXAGE", "MAXCONN", "TRACKINGDELAY":
			if !p.need(d, 1, 1, name+" <seconds>") {
				continue
			}
			// upsd wants a digit first, then reads it with atoi.
			if n, ok := p.number(d.line, name, d.args[0], 0, maxInt, lenient); ok {
				*map[string]*int{"MAXAGE": &c.MaxAge, "MAXCONN": &c.MaxConn, "TRACKINGDELAY": &c.TrackingDelay}[name] = n
			}
		case "ALLOW_NO_DEVICE", "ALLOW_NOT_ALL_LISTENERS", "DISABLE_WEAK_SSL", "GONUT_IO_URING_LOOP":
			if !p.need(d, 1, 1, name+" true|false") {
				continue
			}
			v, ok := boolean(d.args[0])
			if !ok && name != "DISABLE_WEAK_SSL" && name != "GONUT_IO_URING_LOOP" {
				// upsd also takes any number, non-zero meaning true.
				var n int
				if n, ok = strictNumber(d.args[0]); ok && n >= 0 {
					v = n != 0
				} else {
					ok = false
				}
			}
			if !ok {
				p.errorf(d.line, "%s %q: expected true or false (also on/off, yes/no, 1/0)", name, d.args[0])
				continue
			}
			*map[string]*bool{"ALLOW_NO_DEVICE": &c.AllowNoDevice, "ALLOW_NOT_ALL_LISTENERS": &c.AllowNotAllListeners,
				"DISABLE_WEAK_SSL": &c.DisableWeakSSL, "GONUT_IO_URING_LOOP": &c.IOUringLoop}[name] = v
		case "STATEPATH", "DATAPATH", "CERTFILE", "CERTPATH":
			if p.need(d, 1, 1, name+" <path>") {
				*map[string]*string{"STATEPATH": &c.StatePath, "DATAPATH": &c.DataPath,
					"CERTFILE": &c.CertFile, "CERTPATH": &c.CertPath}[name] = d.args[0]
			}
		case "CERTIDENT":
			if p.need(d, 2, 2, `CERTIDENT "<certificate name>" "<password>"`) {
				c.CertIdent = CertIdent{d.args[0], d.args[1]}
			}
		case "CERTREQUEST":
			if !p.need(d, 1, 1, "CERTREQUEST NO|REQUEST|REQUIRE (or 0|1|2)") {
				continue
			}
			if n, ok := certRequest(d.args[0]); ok {
				c.CertRequest = n
			} else {
				p.errorf(d.line, "CERTREQUEST %q: expected NO, REQUEST or REQUIRE (or 0, 1 or 2)", d.args[0])
			}
		case "DEBUG_MIN":
			if p.need(d, 1, 1, "DEBUG_MIN <level>") {
				if n, ok := p.number(d.line, name, d.args[0], 0, maxInt, strict); ok {
					c.DebugMin = n
				}
			}
		case "ACL", "ACCEPT", "REJECT":
			p.warnf(d.line, "%s in upsd.conf is no longer supported: upsd ignores it (use LISTEN, and a firewall)", name)
		default:
			p.warnf(d.line, "unknown directive %s: upsd ignores it%s", d.name, caseHint(d.name, upsdDirectives))
		}
	}
	return c, p.errs
}

// certRequest reads CERTREQUEST's value: NO, REQUEST or REQUIRE (upper
// case, as upsd compares them), or 0, 1 or 2.
func certRequest(s string) (int, bool) {
	for i, n := range certRequestNames {
		if s == n || s == strconv.Itoa(i) {
			return i, true
		}
	}
	return 0, false
}

// caseHint names the directive a wrongly-cased one was meant to be.
func caseHint(name string, known []string) string {
	for _, k := range known {
		if strings.EqualFold(k, name) {
			return " (directives are case-sensitive: did you mean " + k + "?)"
		}
	}
	return ""
}

// LoadUpsdConf reads upsd.conf from disk (see Path).
func LoadUpsdConf(path string) (*UpsdConf, []error) { return load(path, ParseUpsdConf) }

// Format writes the file back out, with the settings that differ from
// upsd's defaults.
func (c *UpsdConf) Format() string {
	var b strings.Builder
	def := defaultUpsdConf()
	for _, l := range c.Listen {
		writeLine(&b, "", "LISTEN", l.Host, strconv.Itoa(l.Port))
	}
	for _, kv := range []struct {
		k      string
		v, def int
	}{{"MAXAGE", c.MaxAge, def.MaxAge}, {"MAXCONN", c.MaxConn, def.MaxConn},
		{"TRACKINGDELAY", c.TrackingDelay, def.TrackingDelay}, {"DEBUG_MIN", c.DebugMin, def.DebugMin}} {
		if kv.v != kv.def {
			writeLine(&b, "", kv.k, strconv.Itoa(kv.v))
		}
	}
	for _, kv := range []struct {
		k string
		v bool
	}{{"ALLOW_NO_DEVICE", c.AllowNoDevice}, {"ALLOW_NOT_ALL_LISTENERS", c.AllowNotAllListeners},
		{"DISABLE_WEAK_SSL", c.DisableWeakSSL}, {"GONUT_IO_URING_LOOP", c.IOUringLoop}} {
		if kv.v {
			writeLine(&b, "", kv.k, "true")
		}
	}
	for _, kv := range [][2]string{{"STATEPATH", c.StatePath}, {"DATAPATH", c.DataPath},
		{"CERTFILE", c.CertFile}, {"CERTPATH", c.CertPath}} {
		if kv[1] != "" {
			writeLine(&b, "", kv[0], kv[1])
		}
	}
	if c.CertIdent != (CertIdent{}) {
		writeLine(&b, "", "CERTIDENT", c.CertIdent.Name, c.CertIdent.Password)
	}
	if c.CertRequest > 0 && c.CertRequest < len(certRequestNames) {
		writeLine(&b, "", "CERTREQUEST", certRequestNames[c.CertRequest])
	}
	return b.String()
}
