package snmp

import (
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/gosnmp/gosnmp"

	"gonut/config"
	"gonut/drivers/core"
)

// options are snmp-ups's own ups.conf keys, in NUT 2.8.0's order and
// words (its upsdrv_makevartable), with the protocols gosnmp has.
func options() config.UPSKeys {
	keys := config.UPSKeys{
		config.DriverOption("mibs", "NOTE: You can run the driver binary with '-x mibs=--list' for an up to date listing)\n"+
			"Set MIB compliance (default=ietf, allowed: mge,apcc,netvision,pw,cpqpower,...)"),
		config.DriverOption("community", "Set community name (default=public)"),
		config.DriverOption("snmp_version", "Set SNMP version (default=v1, allowed: v2c,v3)"),
		config.DriverOption("pollfreq", "Set polling frequency in seconds, to reduce network flow (default=30)"),
		config.DriverOption("semistaticfreq", "Set semistatic value update frequency in update cycles, to reduce network flow (default=10)"),
		config.DriverOption("snmp_retries", "Specifies the number of Net-SNMP retries to be used in the requests (default=5)"),
		config.DriverOption("snmp_timeout", "Specifies the Net-SNMP timeout in seconds between retries (default=1)"),
		config.DriverFlag("notransferoids", "Disable transfer OIDs (use on APCC Symmetras)"),
		config.DriverFlag("symmetrathreephase", "Enable APCC three phase Symmetra quirks (use on APCC three phase Symmetras)"),
		config.DriverOption("secLevel", "Set the securityLevel used for SNMPv3 messages (default=noAuthNoPriv, allowed: authNoPriv,authPriv)"),
		config.DriverOption("secName", "Set the securityName used for authenticated SNMPv3 messages (no default)"),
		config.DriverOption("authPassword", "Set the authentication pass phrase used for authenticated SNMPv3 messages (no default)"),
		config.DriverOption("privPassword", "Set the privacy pass phrase used for encrypted SNMPv3 messages (no default)"),
		config.DriverOption("authProtocol", "Set the authentication protocol (MD5, SHA, SHA256, SHA384, SHA512) used for authenticated SNMPv3 messages (default=MD5 if available)"),
		config.DriverOption("privProtocol", "Set the privacy protocol (DES, AES, AES192, AES256) used for encrypted SNMPv3 messages (default=DES if available)"),
		config.DriverOption("ondelay", "Set start delay time after shutdown"),
		config.DriverOption("offdelay", "Set delay time before shutdown "),
	}
	// NUT does not show its VAR_SENSITIVE options as driver.parameter.*:
	// the community and the SNMPv3 secrets.
	for i, k := range keys {
		switch k.Name {
		case "community", "secName", "authPassword", "privPassword":
			keys[i].Shown = false
		}
	}
	return keys
}

// Version1 is SNMPv1, the driver's default.
const Version1 = gosnmp.Version1

// settings are the options as the driver uses them.
type settings struct {
	session            Session
	mibs               string
	pollFreq           time.Duration
	semiStaticFreq     int
	noTransferOIDs     bool
	symmetraThreePhase bool
	onDelay, offDelay  string // "" when not given
}

// readSettings reads the options (NUT's upsdrv_initups and
// nut_snmp_init). Where NUT reads a number with atoi, a value that is no
// number is an error here.
func readSettings(dev *core.Device) (settings, error) {
	s := settings{mibs: "auto", pollFreq: 30 * time.Second, semiStaticFreq: 10}
	port, _ := dev.Value("port")
	host, p, err := splitPort(port)
	if err != nil {
		return s, err
	}
	s.session.Host, s.session.Port = host, p
	s.session.Retries, s.session.Timeout = 5, time.Second
	if v, ok := dev.Value("mibs"); ok {
		s.mibs = v
	}
	num := func(key string, min int) (int, bool, error) {
		v, ok := dev.Value(key)
		if !ok {
			return 0, false, nil
		}
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n < min {
			return 0, false, fmt.Errorf("%s = %q: expected a whole number, at least %d", key, v, min)
		}
		return n, true, nil
	}
	if n, ok, err := num("pollfreq", 1); err != nil {
		return s, err
	} else if ok {
		s.pollFreq = time.Duration(n) * time.Second
	}
	// NUT takes a bad semistaticfreq as the default.
	if v, ok := dev.Value("semistaticfreq"); ok {
		if n, err := strconv.Atoi(v); err == nil && n >= 1 {
			s.semiStaticFreq = n
		}
	}
	if n, ok, err := num("snmp_retries", 0); err != nil {
		return s, err
	} else if ok {
		s.session.Retries = n
	}
	if n, ok, err := num("snmp_timeout", 1); err != nil {
		return s, err
	} else if ok {
		s.session.Timeout = time.Duration(n) * time.Second
	}
	for _, k := range []struct {
		key string
		to  *string
	}{{"ondelay", &s.onDelay}, {"offdelay", &s.offDelay}} {
		if n, ok, err := num(k.key, 0); err != nil {
			return s, err
		} else if ok {
			*k.to = strconv.Itoa(n)
		}
	}
	s.noTransferOIDs = dev.Flag("notransferoids")
	s.symmetraThreePhase = dev.Flag("symmetrathreephase")
	return s, readVersion(dev, &s.session)
}

func readVersion(dev *core.Device, s *Session) error {
	version, given := dev.Value("snmp_version")
	if !given {
		version = "v1"
	}
	switch version {
	case "v1", "v2c":
		s.Version = map[string]gosnmp.SnmpVersion{"v1": gosnmp.Version1, "v2c": gosnmp.Version2c}[version]
		s.Community = "public"
		if c, ok := dev.Value("community"); ok {
			s.Community = c
		}
		return nil
	case "v3":
	default:
		return fmt.Errorf("Bad SNMP version: %s", version) // NUT's words
	}
	level, _ := dev.Value("secLevel")
	name, hasName := dev.Value("secName")
	if !hasName {
		return fmt.Errorf("securityName is required for SNMPv3")
	}
	auth, _ := dev.Value("authPassword")
	priv, _ := dev.Value("privPassword")
	ap, _ := dev.Value("authProtocol")
	pp, _ := dev.Value("privProtocol")
	return V3Session(s, level, name, ap, auth, pp, priv)
}

// V3Session makes s an SNMPv3 session, with NUT's option values and
// errors ("" for those not given): the security level (noAuthNoPriv by
// default), name, and the protocols (MD5 and DES by default) and pass
// phrases the level needs.
func V3Session(s *Session, level, name, authProtocol, authPassword, privProtocol, privPassword string) error {
	s.Version = gosnmp.Version3
	switch level {
	case "", "noAuthNoPriv":
		s.SecLevel = gosnmp.NoAuthNoPriv
	case "authNoPriv":
		s.SecLevel = gosnmp.AuthNoPriv
	case "authPriv":
		s.SecLevel = gosnmp.AuthPriv
	default:
		return fmt.Errorf("Bad SNMPv3 securityLevel: %s", level)
	}
	if name == "" {
		return fmt.Errorf("securityName is required for SNMPv3")
	}
	s.SecName = name
	switch s.SecLevel {
	case gosnmp.AuthNoPriv:
		if authPassword == "" {
			return fmt.Errorf("authPassword is required for SNMPv3 in %s mode", level)
		}
	case gosnmp.AuthPriv:
		if authPassword == "" || privPassword == "" {
			return fmt.Errorf("authPassword and privPassword are required for SNMPv3 in %s mode", level)
		}
	}
	s.AuthPassword, s.PrivPassword = authPassword, privPassword
	if authProtocol == "" {
		authProtocol = "MD5"
	}
	var ok bool
	if s.AuthProtocol, ok = authProtocols[authProtocol]; !ok {
		return fmt.Errorf("Bad SNMPv3 authProtocol: %s", authProtocol)
	}
	if privProtocol == "" {
		privProtocol = "DES"
	}
	if s.PrivProtocol, ok = privProtocols[privProtocol]; !ok {
		return fmt.Errorf("Bad SNMPv3 privProtocol: %s", privProtocol)
	}
	return nil
}

// authProtocols and privProtocols are NUT's names. NUT's AES192 and
// AES256 are Blumenthal's key extension (Net-SNMP's), gosnmp's AES192
// and AES256 (its AES192C and AES256C are Cisco's).
var (
	authProtocols = map[string]gosnmp.SnmpV3AuthProtocol{"MD5": gosnmp.MD5, "SHA": gosnmp.SHA,
		"SHA256": gosnmp.SHA256, "SHA384": gosnmp.SHA384, "SHA512": gosnmp.SHA512}
	privProtocols = map[string]gosnmp.SnmpV3PrivProtocol{"DES": gosnmp.DES, "AES": gosnmp.AES,
		"AES192": gosnmp.AES192, "AES256": gosnmp.AES256}
)

// splitPort reads the port option as Net-SNMP reads a peer name:
// [udp:]host[:port], an IPv6 address in brackets.
func splitPort(port string) (string, uint16, error) {
	p := strings.TrimPrefix(strings.TrimPrefix(port, "udp:"), "udp6:")
	if p == "" {
		return "", 0, fmt.Errorf("port: no agent given: port = <host>[:<port>]")
	}
	host, num := p, "161"
	if h, n, err := net.SplitHostPort(p); err == nil {
		host, num = h, n
	} else if strings.HasPrefix(p, "[") && strings.HasSuffix(p, "]") {
		host = p[1 : len(p)-1]
	} else if strings.Count(p, ":") > 1 {
		host = p // a bare IPv6 address
	}
	n, err := strconv.ParseUint(num, 10, 16)
	if err != nil || n == 0 {
		return "", 0, fmt.Errorf("port = %q: the UDP port %q is not a number from 1 to 65535", port, num)
	}
	return host, uint16(n), nil
}
