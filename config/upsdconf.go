package config

import (
	"io"
	"strconv"
	"strings"
)

// Listen is one LISTEN address of upsd.
type Listen struct {
	Host string
	Port int
}

// UpsdConf is upsd.conf.
type UpsdConf struct {
	Listen               []Listen // none: upsd listens on localhost
	MaxAge               int      // seconds before a silent driver's data is stale
	MaxConn              int      // 0: as many as the system allows
	TrackingDelay        int      // seconds a TRACKING result is kept
	AllowNoDevice        bool
	AllowNotAllListeners bool
	StatePath            string
	DataPath             string
	CertFile             string
	CertPath             string
	CertIdent            CertIdent
	CertRequest          int // 0 no client certificate, 1 request, 2 require
	DisableWeakSSL       bool
	DebugMin             int // -1: not set
}

// CertIdent names a certificate and its password (NSS builds of NUT).
type CertIdent struct{ Name, Password string }

// NUT's defaults for upsd.conf.
const (
	DefaultMaxAge        = 15
	DefaultTrackingDelay = 3600
	DefaultPort          = 3493
)

// ParseUpsdConf reads upsd.conf. Unknown directives are warnings, as upsd
// logs them and goes on; the old ACL, ACCEPT and REJECT lines too.
func ParseUpsdConf(file string, r io.Reader) (*UpsdConf, []error) {
	ds, p := directives(file, r)
	c := &UpsdConf{MaxAge: DefaultMaxAge, TrackingDelay: DefaultTrackingDelay, DebugMin: -1}
	for _, d := range ds {
		switch d.name {
		case "LISTEN":
			if !p.arity(d, 1, 2, "LISTEN <address> [<port>]") {
				continue
			}
			l := Listen{Host: d.args[0], Port: DefaultPort}
			if len(d.args) == 2 {
				n, err := strconv.Atoi(d.args[1])
				if err != nil || n < 1 || n > 65535 {
					p.errorf(d.line, "LISTEN port %q: expected a number from 1 to 65535", d.args[1])
					continue
				}
				l.Port = n
			}
			c.Listen = append(c.Listen, l)
		case "MAXAGE":
			if n, ok := p.number(d, 1, 1<<30); ok {
				c.MaxAge = n
			}
		case "MAXCONN":
			if n, ok := p.number(d, 1, 1<<30); ok {
				c.MaxConn = n
			}
		case "TRACKINGDELAY":
			if n, ok := p.number(d, 0, 1<<30); ok {
				c.TrackingDelay = n
			}
		case "ALLOW_NO_DEVICE":
			if v, ok := p.boolean(d); ok {
				c.AllowNoDevice = v
			}
		case "ALLOW_NOT_ALL_LISTENERS":
			if v, ok := p.boolean(d); ok {
				c.AllowNotAllListeners = v
			}
		case "DISABLE_WEAK_SSL":
			if v, ok := p.boolean(d); ok {
				c.DisableWeakSSL = v
			}
		case "STATEPATH", "DATAPATH", "CERTFILE", "CERTPATH":
			if !p.arity(d, 1, 1, d.name+" <path>") {
				continue
			}
			*map[string]*string{"STATEPATH": &c.StatePath, "DATAPATH": &c.DataPath, "CERTFILE": &c.CertFile, "CERTPATH": &c.CertPath}[d.name] = d.args[0]
		case "CERTIDENT":
			if p.arity(d, 2, 2, "CERTIDENT <certificate name> <password>") {
				c.CertIdent = CertIdent{d.args[0], d.args[1]}
			}
		case "CERTREQUEST":
			if !p.arity(d, 1, 1, "CERTREQUEST NO|REQUEST|REQUIRE") {
				continue
			}
			switch strings.ToUpper(d.args[0]) {
			case "NO", "0":
				c.CertRequest = 0
			case "REQUEST", "1":
				c.CertRequest = 1
			case "REQUIRE", "2":
				c.CertRequest = 2
			default:
				p.errorf(d.line, "CERTREQUEST %q: expected NO, REQUEST or REQUIRE", d.args[0])
			}
		case "DEBUG_MIN":
			if n, ok := p.number(d, 0, 1<<30); ok {
				c.DebugMin = n
			}
		case "ACL", "ACCEPT", "REJECT":
			p.warnf(d.line, "%s in upsd.conf is no longer supported: use LISTEN", d.name)
		default:
			p.warnf(d.line, "unknown directive %s (upsd ignores it)", d.name)
		}
	}
	return c, p.errs
}

// LoadUpsdConf reads upsd.conf from disk.
func LoadUpsdConf(path string) (*UpsdConf, []error) { return load(path, ParseUpsdConf) }

// Format writes the file back out.
func (c *UpsdConf) Format() string {
	var b strings.Builder
	for _, l := range c.Listen {
		line(&b, "LISTEN", l.Host, strconv.Itoa(l.Port))
	}
	line(&b, "MAXAGE", strconv.Itoa(c.MaxAge))
	if c.MaxConn > 0 {
		line(&b, "MAXCONN", strconv.Itoa(c.MaxConn))
	}
	line(&b, "TRACKINGDELAY", strconv.Itoa(c.TrackingDelay))
	for _, kv := range []struct {
		k string
		v bool
	}{{"ALLOW_NO_DEVICE", c.AllowNoDevice}, {"ALLOW_NOT_ALL_LISTENERS", c.AllowNotAllListeners}, {"DISABLE_WEAK_SSL", c.DisableWeakSSL}} {
		if kv.v {
			line(&b, kv.k, "true")
		}
	}
	for _, kv := range [][2]string{{"STATEPATH", c.StatePath}, {"DATAPATH", c.DataPath}, {"CERTFILE", c.CertFile}, {"CERTPATH", c.CertPath}} {
		if kv[1] != "" {
			line(&b, kv[0], kv[1])
		}
	}
	if c.CertIdent != (CertIdent{}) {
		line(&b, "CERTIDENT", c.CertIdent.Name, c.CertIdent.Password)
	}
	if c.CertRequest > 0 {
		line(&b, "CERTREQUEST", []string{"NO", "REQUEST", "REQUIRE"}[c.CertRequest])
	}
	if c.DebugMin >= 0 {
		line(&b, "DEBUG_MIN", strconv.Itoa(c.DebugMin))
	}
	return b.String()
}
