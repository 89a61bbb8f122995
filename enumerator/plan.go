package enumerator

import (
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"os"
	"strings"

	"gonut/config"
	"gonut/nutenv"
)

// Service is the template of the driver instances.
const Service = "nut-driver"

// Instance is one driver instance ups.conf asks for.
type Instance struct {
	StatePath string // where its socket is (ups.conf's statepath, or NUT's)
	Section   string // the ups.conf section
	Name      string // the instance name: the section's, or MD5_<hash> when the service manager rejects it
	Driver    string
	Port      string
	Media     string   // usb, serial, network, network-localhost, or ""
	Needs     []string // instance names of local devices this one relays (dummy-ups repeater)
	Checksum  string   // of the section's settings: a change means reload
	unit      string   // as the service manager names it; "" for systemd's
	Runtime   bool     // a runtime section, for a hot-plugged device (config.UPS.Runtime)
}

// Unit is the instance's systemd unit name, or its name in the service
// manager it was planned for (an SMF FMRI).
func (i Instance) Unit() string {
	if i.unit != "" {
		return i.unit
	}
	return UnitName(i.Name, ".service")
}

// Naming is how a service manager names driver instances.
type Naming struct {
	// Valid reports whether it takes a section name as an instance name
	// as it is; other sections get MD5Name.
	Valid func(section string) bool
	// Unit is an instance's full name (unit or FMRI).
	Unit func(instance string) string
}

// SystemdNaming names instances nut-driver@<name>.service.
func SystemdNaming() Naming {
	return Naming{Valid: ValidInstanceName, Unit: func(n string) string { return UnitName(n, ".service") }}
}

// UnitName is the unit of an instance: its service (suffix ".service")
// or its socket (".socket").
func UnitName(instance, suffix string) string { return Service + "@" + instance + suffix }

// ValidInstanceName reports whether systemd accepts a name as a template
// instance as it is: letters, digits and ":-_." (systemd also allows "\",
// which NUT never writes).
func ValidInstanceName(s string) bool {
	if s == "" || len(s) > 200 {
		return false
	}
	for _, c := range s {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case c == ':' || c == '-' || c == '_' || c == '.':
		default:
			return false
		}
	}
	return true
}

// MD5Name is NUT's instance name for a section systemd rejects: "MD5_"
// and the MD5 of the name followed by a newline (as `echo name | md5sum`).
func MD5Name(section string) string {
	sum := md5.Sum([]byte(section + "\n"))
	return "MD5_" + hex.EncodeToString(sum[:])
}

// InstanceName is the instance a section gets from systemd.
func InstanceName(section string) string { return SystemdNaming().instance(section) }

func (n Naming) instance(section string) string {
	if n.Valid(section) {
		return section
	}
	return MD5Name(section)
}

// Checksum is the MD5 of a section's settings, one "key=value" (or bare
// flag) per line in file order: what changes when the section changes.
func Checksum(u *config.UPS) string {
	var b strings.Builder
	fmt.Fprintf(&b, "[%s]\n", u.Name)
	for _, s := range u.Settings {
		if s.Flag {
			fmt.Fprintf(&b, "%s\n", s.Key)
		} else {
			fmt.Fprintf(&b, "%s=%q\n", s.Key, s.Value)
		}
	}
	sum := md5.Sum([]byte(b.String()))
	return hex.EncodeToString(sum[:])
}

// Media says what a driver needs before it can start, as NUT's
// enumerator classifies drivers, and which local devices a repeater
// relays (dummy-ups with port = ups@localhost).
func Media(u *config.UPS, hostname string) (media string, relays []string) {
	drv, port := u.Driver, u.Port
	local := func(p string) bool {
		return strings.Contains(p, "localhost") || strings.Contains(p, "127.0.0.1") || strings.Contains(p, "::1")
	}
	switch {
	case strings.Contains(drv, "netxml") || strings.Contains(drv, "snmp") || strings.Contains(drv, "ipmi") ||
		strings.Contains(drv, "powerman") || strings.Contains(drv, "-mib") || strings.Contains(drv, "avahi"):
		return "network", nil
	case strings.Contains(drv, "apcupsd-ups"):
		if local(port) {
			return "network-localhost", nil
		}
		return "network", nil
	case drv == "ragtech":
		return "serial", nil
	case strings.Contains(drv, "usb"):
		return "usb", nil
	case drv == "nutdrv_qx":
		switch {
		case port == "auto" || strings.HasPrefix(port, "/dev/") && (strings.Contains(port, "usb") || strings.Contains(port, "hid")):
			return "usb", nil
		case strings.HasPrefix(port, "/dev/"):
			for _, k := range []string{"subdriver", "vendorid", "productid", "vendor", "product", "serial", "bus", "busport", "langid_fix"} {
				if v, ok := u.Get(k); ok && v != "" {
					return "usb", nil
				}
			}
			return "serial", nil
		}
		return "", nil
	case strings.Contains(drv, "dummy"):
		at := strings.LastIndexByte(port, '@')
		if at < 0 {
			return "", nil
		}
		upsName, host := port[:at], port[at+1:]
		if h, _, ok := strings.Cut(host, ":"); ok && !strings.HasPrefix(host, "[") {
			host = h
		}
		switch {
		case host == "" || host == "localhost" || host == "127.0.0.1" || host == "::1" || host == "[::1]":
			return "network-localhost", []string{upsName}
		case hostname != "" && strings.HasPrefix(host, hostname):
			return "network", []string{upsName}
		}
		return "network", nil
	case strings.HasPrefix(port, "/dev/"):
		return "serial", nil
	}
	return "", nil
}

// Plan is every systemd instance ups.conf asks for, in file order.
func Plan(conf *config.UPSConf) []Instance { return PlanFor(conf, SystemdNaming()) }

// PlanFor is every instance ups.conf asks for, named as a service
// manager names them, in file order.
func PlanFor(conf *config.UPSConf, naming Naming) []Instance {
	host, _ := os.Hostname()
	names := map[string]string{}
	for _, u := range conf.UPS {
		names[u.Name] = naming.instance(u.Name)
	}
	var out []Instance
	for _, u := range conf.UPS {
		media, relays := Media(u, host)
		in := Instance{Section: u.Name, Name: names[u.Name], Driver: u.Driver, Port: u.Port, Media: media, Checksum: Checksum(u), StatePath: conf.StatePath(), Runtime: u.Runtime}
		if naming.Unit != nil {
			in.unit = naming.Unit(in.Name)
		}
		for _, r := range relays {
			if n, ok := names[r]; ok && r != u.Name {
				in.Needs = append(in.Needs, n)
			}
		}
		out = append(out, in)
	}
	return out
}

// MediaDeps is what a driver of each media needs first (NUT's choices),
// in systemd (units it wants and starts after) and in SMF (FMRIs of its
// optional_all dependency): one table for both service managers.
func MediaDeps(media string) (systemd, smf []string) {
	switch strings.SplitN(media, ",", 2)[0] {
	case "usb":
		return []string{"systemd-udevd.service"},
			[]string{"svc:/system/hotplug:default", "svc:/system/dbus:default", "svc:/system/hal:default", "svc:/milestone/devices:default"}
	case "serial":
		return []string{"systemd-udevd.service"}, nil
	case "network":
		return []string{"network-online.target"}, []string{"svc:/network/physical", "svc:/milestone/name-services"}
	case "network-localhost":
		return []string{"network.target"}, []string{"svc:/network/loopback:default"}
	}
	return nil, nil
}

// Dependencies are the units an instance wants and starts after, by media
// (NUT's choices), and the instances of the local devices it relays.
func Dependencies(in Instance) []string {
	deps, _ := MediaDeps(in.Media)
	for _, n := range in.Needs {
		deps = append(deps, UnitName(n, ".service"))
	}
	return deps
}

// DropIn is the drop-in that tells an instance which section it runs and
// gives it its dependencies and device.
func DropIn(in Instance) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Generated by nut-driver-enumerator for ups.conf section [%s]: edits are overwritten.\n", in.Section)
	if in.Runtime {
		b.WriteString(runtimeMark + "\n")
	}
	fmt.Fprintf(&b, "[Unit]\nDescription=Network UPS Tools - device driver for NUT device '%s'\n", in.Section)
	if deps := Dependencies(in); len(deps) > 0 {
		fmt.Fprintf(&b, "Wants=%s\nAfter=%s\n", strings.Join(deps, " "), strings.Join(deps, " "))
	}
	fmt.Fprintf(&b, "\n[Service]\nEnvironment=%s\nEnvironment=%s\n", quoteEnv("NUTDEV="+in.Section), quoteEnv("SECTION_CHECKSUM="+in.Checksum))
	switch strings.SplitN(in.Media, ",", 2)[0] {
	case "usb":
		b.WriteString("DeviceAllow=char-usb_device rw\nDeviceAllow=char-hidraw rw\n")
	case "serial":
		if strings.HasPrefix(in.Port, "/dev/") {
			fmt.Fprintf(&b, "DeviceAllow=%s rw\n", in.Port)
		}
	}
	return b.String()
}

// SocketDropIn points an instance's socket unit at the path upsd
// connects to: <statepath>/<driver>-<section>.
func SocketDropIn(in Instance, statePath string) string {
	return fmt.Sprintf("# Generated by nut-driver-enumerator for ups.conf section [%s]: edits are overwritten.\n"+
		"[Socket]\nListenStream=\nListenStream=%s\n", in.Section, nutenv.DriverSocketIn(statePath, in.Driver, in.Section))
}

// runtimeMark is the line of a runtime instance's drop-in that says so.
const runtimeMark = "# A runtime section, for a hot-plugged USB device: it goes when the device does."

// quoteEnv quotes an Environment= assignment for systemd.
func quoteEnv(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "%", "%%", "$", "$$").Replace(s) + `"`
}
