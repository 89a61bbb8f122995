package scanner

import (
	"context"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/godbus/dbus/v5"
)

// The Avahi scan (-A) is NUT 2.8.0's scan_avahi.c, through avahi-daemon's
// D-Bus interface (on the system bus, DBUS_SYSTEM_BUS_ADDRESS) rather than
// libavahi-client: it browses the _upsd._tcp services until avahi says
// it has them all for now, resolves each, and lists the UPSes a service's
// TXT record names (device_list="ups1;ups2") as nutclient sections, or,
// for a service without one, what the upsd at its address serves (as
// -O would), or the server alone.

const (
	avahiName     = "org.freedesktop.Avahi"
	avahiServer   = avahiName + ".Server"
	avahiBrowser  = avahiName + ".ServiceBrowser"
	avahiService  = "_upsd._tcp"
	avahiWaitMost = time.Minute // NUT waits for avahi as long as it takes; we do not
)

// avahiErrors are the words of avahi_strerror for the D-Bus errors the
// daemon answers with (avahi-common/error.c).
var avahiErrors = map[string]string{
	avahiName + ".TimeoutError": "Timeout reached", avahiName + ".NotFoundError": "Not found",
	avahiName + ".FailureError": "Operation failed", avahiName + ".BadStateError": "Bad state",
	avahiName + ".InvalidServiceTypeError": "Invalid service type", avahiName + ".NoDaemonError": "Daemon not running",
}

func avahiError(err error) string {
	if e, ok := err.(dbus.Error); ok {
		if s, ok := avahiErrors[e.Name]; ok {
			return s
		}
		return strings.TrimPrefix(e.Name, avahiName+".")
	}
	return err.Error()
}

// AvahiTXT is a resolved service's TXT record as avahi_string_list_to_string
// writes it (each string quoted, separated by spaces), which NUT parses.
func AvahiTXT(txt [][]byte) string {
	var b strings.Builder
	for i, s := range txt {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteByte('"')
		b.Write(s)
		b.WriteByte('"')
	}
	return b.String()
}

// AvahiDevices is the UPS names the device_list of a TXT record (as
// AvahiTXT writes it) lists, as NUT's strtok-based reading finds them:
// its phrases are what lies between quotes, a phrase is word=value (more
// '=' end the value), the value's names are separated by ';', and empty
// pieces are skipped.
func AvahiDevices(text string) []string {
	var out []string
	for _, phrase := range fields(text, '"') {
		kv := fields(phrase, '=')
		if len(kv) < 2 || kv[0] != "device_list" {
			continue
		}
		out = append(out, fields(kv[1], ';')...)
	}
	return out
}

// fields splits as strtok does: no empty pieces.
func fields(s string, sep byte) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == rune(sep) })
}

// ScanAvahi asks avahi-daemon for NUT servers; complain gets NUT's
// messages (stderr). The servers without a device list are scanned as
// -O does, within timeout.
func ScanAvahi(ctx context.Context, timeout time.Duration, complain func(string)) []Device {
	conn, err := dbus.ConnectSystemBus()
	if err != nil {
		complain("Failed to create client: Daemon not running")
		return nil
	}
	defer conn.Close()
	server := conn.Object(avahiName, "/")
	var state int32
	if err := server.CallWithContext(ctx, avahiServer+".GetState", 0).Store(&state); err != nil {
		complain("Failed to create client: Daemon not running")
		return nil
	}
	// Listen before the browser exists: it may tell of services at once.
	if err := conn.AddMatchSignal(dbus.WithMatchInterface(avahiBrowser)); err != nil {
		complain(fmt.Sprintf("Failed to create service browser: %s", avahiError(err)))
		return nil
	}
	signals := make(chan *dbus.Signal, 1024)
	conn.Signal(signals)
	var browser dbus.ObjectPath
	err = server.CallWithContext(ctx, avahiServer+".ServiceBrowserNew", 0, int32(-1), int32(-1), avahiService, "", uint32(0)).Store(&browser)
	if err != nil {
		complain(fmt.Sprintf("Failed to create service browser: %s", avahiError(err)))
		return nil
	}
	defer conn.Object(avahiName, browser).Call(avahiBrowser+".Free", 0)
	wait := time.NewTimer(avahiWaitMost)
	defer wait.Stop()
	var out []Device
	for {
		var sig *dbus.Signal
		select {
		case sig = <-signals:
		case <-wait.C:
			return out
		case <-ctx.Done():
			return out
		}
		if sig == nil || sig.Path != browser {
			continue
		}
		switch strings.TrimPrefix(sig.Name, avahiBrowser+".") {
		case "ItemNew":
			var (
				iface, proto       int32
				name, typ, domain  string
				flags              uint32
				host, address      string
				rIface, rProto, ap int32
				rName, rTyp, rDom  string
				port               uint16
				txt                [][]byte
				rFlags             uint32
			)
			if dbus.Store(sig.Body, &iface, &proto, &name, &typ, &domain, &flags) != nil {
				continue
			}
			err := server.CallWithContext(ctx, avahiServer+".ResolveService", 0, iface, proto, name, typ, domain, int32(-1), uint32(0)).
				Store(&rIface, &rProto, &rName, &rTyp, &rDom, &host, &ap, &address, &port, &txt, &rFlags)
			if err != nil {
				complain(fmt.Sprintf("(Resolver) Failed to resolve service '%s' of type '%s' in domain '%s': %s", name, typ, domain, avahiError(err)))
				continue
			}
			out = append(out, avahiServerDevices(ctx, host, address, port, ap, AvahiTXT(txt), timeout)...)
		case "ItemRemove":
			var (
				iface, proto      int32
				name, typ, domain string
			)
			if dbus.Store(sig.Body[:min(len(sig.Body), 5)], &iface, &proto, &name, &typ, &domain) == nil {
				complain(fmt.Sprintf("(Browser) REMOVE: service '%s' of type '%s' in domain '%s'", name, typ, domain))
			}
		case "Failure":
			var msg string
			if len(sig.Body) > 0 {
				msg, _ = sig.Body[0].(string)
			}
			complain("(Browser) " + msg)
			return out
		case "AllForNow":
			return out
		}
	}
}

// avahiServerDevices is what one resolved service stands for.
func avahiServerDevices(ctx context.Context, host, address string, port uint16, proto int32, txt string, timeout time.Duration) []Device {
	var desc []Opt
	switch proto {
	case 0:
		desc = []Opt{{"desc", "IPv4"}}
	case 1:
		desc = []Opt{{"desc", "IPv6"}}
	}
	at := host
	if port != 3493 {
		at = fmt.Sprintf("%s:%d", host, port)
	}
	var out []Device
	for _, ups := range AvahiDevices(txt) {
		out = append(out, Device{Bus: "NUT", Driver: "nutclient", Port: ups + "@" + at, Opts: desc})
	}
	if len(out) > 0 {
		return out
	}
	if a, err := netip.ParseAddr(address); err == nil {
		if devs := ScanNUT(ctx, []netip.Addr{a}, int(port), timeout, 1); len(devs) > 0 {
			return devs
		}
	}
	return []Device{{Bus: "NUT", Driver: "nutclient", Port: at, Opts: desc}}
}
