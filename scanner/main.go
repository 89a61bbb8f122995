package scanner

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"gonut/drivers/usb"
	"gonut/internal/cli"
	"gonut/internal/getopt"
	"gonut/internal/version"
	"gonut/nutenv"
)

// optstring is NUT 2.8.0's nut-scanner's.
const optstring = "?ht:T:s:e:E:c:l:u:W:X:w:x:p:b:B:d:L:CUSMOAm:NPqIVaD"

// longOpts are its long options, by the short one each stands for.
var longOpts = map[string]byte{
	"timeout": 't', "thread": 'T', "start_ip": 's', "end_ip": 'e', "eaton_serial": 'E', "mask_cidr": 'm',
	"community": 'c', "secLevel": 'l', "secName": 'u', "authPassword": 'W', "privPassword": 'X',
	"authProtocol": 'w', "privProtocol": 'x', "username": 'b', "password": 'B', "authType": 'd',
	"cipher_suite_id": 'L', "port": 'p', "complete_scan": 'C', "usb_scan": 'U', "snmp_scan": 'S',
	"xml_scan": 'M', "oldnut_scan": 'O', "avahi_scan": 'A', "ipmi_scan": 'I', "disp_nut_conf": 'N',
	"disp_parsable": 'P', "quiet": 'q', "help": 'h', "version": 'V', "available": 'a', "nut_debug_level": 'D',
}

// shortArgs turns --name and --name=value into getopt's short options.
func shortArgs(args []string) ([]string, error) {
	var out []string
	for i, a := range args {
		if a == "--" {
			return append(out, args[i:]...), nil
		}
		name, ok := strings.CutPrefix(a, "--")
		if !ok {
			out = append(out, a)
			continue
		}
		name, value, hasValue := strings.Cut(name, "=")
		c, ok := longOpts[name]
		if !ok {
			return nil, fmt.Errorf("unrecognized option '--%s'", name)
		}
		out = append(out, "-"+string(c))
		if hasValue {
			out = append(out, value)
		}
	}
	return out, nil
}

const usage = `nut-scanner : utility for detection of available power devices.

OPTIONS:
  -C, --complete_scan: Scan all available devices except serial ports (default).
  -U, --usb_scan: Scan USB devices.
  -S, --snmp_scan: Scan SNMP devices using built-in mapping definitions.
  -M, --xml_scan: Scan XML/HTTP devices.
  -O, --oldnut_scan: Scan NUT devices (old method).
  -A, --avahi_scan: Scan NUT devices (avahi method).
* Options for IPMI devices scan not enabled: not in gonut yet.
  -E, --eaton_serial <serial ports list>: Scan serial Eaton devices (XCP, SHUT and Q1).
  -T, --thread <max number of threads>: Limit the amount of scanning threads running simultaneously (default: 512).

Network specific options:
  -t, --timeout <timeout in seconds>: network operation timeout (default 5).
  -s, --start_ip <IP address>: First IP address to scan.
  -e, --end_ip <IP address>: Last IP address to scan.
  -m, --mask_cidr <IP address/mask>: Give a range of IP using CIDR notation.

SNMP v1 specific options:
  -c, --community <community name>: Set SNMP v1 community name (default = public)

SNMP v3 specific options:
  -l, --secLevel <security level>: Set the securityLevel used for SNMPv3 messages (allowed values: noAuthNoPriv, authNoPriv, authPriv)
  -u, --secName <security name>: Set the securityName used for authenticated SNMPv3 messages (mandatory if you set secLevel. No default)
  -w, --authProtocol <authentication protocol>: Set the authentication protocol (MD5, SHA, SHA256, SHA384, SHA512) used for authenticated SNMPv3 messages (default=MD5 if available)
  -W, --authPassword <authentication pass phrase>: Set the authentication pass phrase used for authenticated SNMPv3 messages (mandatory if you set secLevel to authNoPriv or authPriv)
  -x, --privProtocol <privacy protocol>: Set the privacy protocol (DES, AES, AES192, AES256) used for encrypted SNMPv3 messages (default=DES if available)
  -X, --privPassword <privacy pass phrase>: Set the privacy pass phrase used for encrypted SNMPv3 messages (mandatory if you set secLevel to authPriv)

NUT specific options:
  -p, --port <port number>: Port number of remote NUT upsd

display specific options:
  -N, --disp_nut_conf: Display result in the ups.conf format
  -P, --disp_parsable: Display result in a parsable format

Miscellaneous options:
  -V, --version: Display NUT version
  -a, --available: Display available bus that can be scanned
  -q, --quiet: Display only scan result. No information on currently scanned bus is displayed.
  -D, --nut_debug_level: Raise the debugging level.  Use this multiple times to see more details.
`

// maxAddresses bounds a scan (a /16 of IPv4).
const maxAddresses = 1 << 16

// Main is nut-scanner's main; newBus opens the system's USB bus.
func Main(newBus func() (usb.Bus, error)) cli.Main {
	return func(args []string, env nutenv.Env, std cli.Stdio) int { return run(newBus, args, std) }
}

func run(newBus func() (usb.Bus, error), args []string, std cli.Stdio) int {
	argv, err := shortArgs(cli.Args(args))
	var opts []getopt.Opt
	if err == nil {
		opts, _, err = getopt.Parse(argv, optstring)
	}
	if err != nil {
		fmt.Fprintf(std.Err, "nut-scanner: %v\n", err)
		fmt.Fprint(std.Out, usage)
		fmt.Fprint(std.Err, "\n\nWARNING: Some error has occurred while processing 'nut-scanner' command-line\n"+
			"arguments, see more details above the usage help text.\n\n")
		return 1
	}
	var (
		timeout          = 5 * time.Second
		threads          = 512
		start, end, cidr string
		port             = 3493
		s                SNMP
		snmpScan, nut    bool
		xmlScan, avahi   bool
		usbScan, all     bool
		serial           *string
		parsable, quiet  bool
		unsupported      []string
	)
	for _, o := range opts {
		switch o.Name {
		case 't':
			n, _ := strconv.Atoi(o.Value)
			if n <= 0 {
				fmt.Fprintf(std.Err, "Illegal timeout value, using default %ds\n", 5)
				n = 5
			}
			timeout = time.Duration(n) * time.Second
		case 'T':
			n, err := strconv.Atoi(o.Value)
			if err != nil || n <= 0 {
				fmt.Fprintf(std.Err, "WARNING: Requested max scanning thread count %s (%d) is out of range, using default %d\n", o.Value, n, threads)
				continue
			}
			threads = n
		case 's':
			start = o.Value
			if end == "" {
				end = start
			}
		case 'e':
			end = o.Value
			if start == "" {
				start = end
			}
		case 'm':
			cidr = o.Value
		case 'c':
			s.Community = o.Value
		case 'l':
			s.SecLevel = o.Value
		case 'u':
			s.SecName = o.Value
		case 'W':
			s.AuthPassword = o.Value
		case 'X':
			s.PrivPassword = o.Value
		case 'w':
			s.AuthProtocol = o.Value
		case 'x':
			s.PrivProtocol = o.Value
		case 'p':
			n, err := portNumber(o.Value)
			if err != nil {
				fmt.Fprintf(std.Err, "nut-scanner: %v\n", err)
				return 1
			}
			port = n
		case 'S':
			snmpScan = true
		case 'O':
			nut = true
		case 'C':
			all = true
		case 'U':
			usbScan = true
		case 'N':
			parsable = false
		case 'P':
			parsable = true
		case 'q':
			quiet = true
		case 'V':
			fmt.Fprintf(std.Out, "Network UPS Tools - %s\n", version.Gonut)
			return 0
		case 'a':
			fmt.Fprint(std.Out, "OLDNUT\nUSB\nSNMP\nXML\nAVAHI\nEATON_SERIAL\n")
			return 0
		case 'D':
		case 'E':
			serial = &o.Value
		case 'M':
			xmlScan = true
		case 'A':
			avahi = true
		case 'I', 'b', 'B', 'd', 'L':
			unsupported = append(unsupported, "-"+string(o.Name))
		default: // -h, -?
			fmt.Fprint(std.Out, usage)
			return 0
		}
	}
	if len(unsupported) > 0 {
		fmt.Fprintf(std.Err, "nut-scanner: %s: these buses are not scanned by gonut yet (see -a)\n", strings.Join(unsupported, " "))
		fmt.Fprint(std.Out, usage)
		return 1
	}
	if !snmpScan && !nut && !usbScan && !xmlScan && !avahi && serial == nil || all {
		snmpScan, nut, usbScan, xmlScan, avahi = true, true, true, true, true // -C, the default (without -E: asked for alone)
	}
	if cidr != "" {
		if start, end, err = CIDR(cidr); err != nil {
			fmt.Fprintf(std.Err, "nut-scanner: -m %v\n", err)
			return 1
		}
	}
	s.Timeout = timeout
	say := func(msg string) {
		if !quiet {
			fmt.Fprintln(std.Err, msg)
		}
	}
	ctx := context.Background()
	var found [][]Device
	var serialFound chan []Device
	if serial != nil {
		// The longest scan (seconds a port), run alongside the others.
		say("Scanning serial bus for Eaton devices.")
		serialFound = make(chan []Device, 1)
		ports, err := SerialPorts(*serial)
		if err != nil {
			fmt.Fprintln(std.Err, err)
		}
		go func() { serialFound <- ScanSerial(ctx, ports, threads) }()
	}
	if usbScan {
		say("Scanning USB bus.")
		devs, err := scanUSB(ctx, newBus, func(err error) { fmt.Fprintln(std.Err, err) })
		if err != nil {
			// NUT's ends here, whatever else was asked: a machine
			// without USB devices is then never scanned with -C.
			fmt.Fprintf(std.Err, "No USB device found: %v\n", err)
			if !all && !snmpScan && !nut && !xmlScan && !avahi && serial == nil {
				return 1
			}
		}
		found = append(found, devs)
	}
	var addrs []netip.Addr
	if start != "" && (snmpScan || nut || xmlScan) {
		if addrs, err = Range(start, end, maxAddresses); err != nil {
			fmt.Fprintf(std.Err, "nut-scanner: %v\n", err)
			return 1
		}
	}
	if snmpScan {
		if start == "" {
			say("No start IP, skipping SNMP")
		} else {
			say("Scanning SNMP bus.")
			devs, err := ScanSNMP(ctx, addrs, s, threads)
			if err != nil {
				fmt.Fprintln(std.Err, err)
				return 1
			}
			found = append(found, devs)
		}
	}
	if xmlScan {
		// Without a start address, a broadcast on the segment.
		say("Scanning XML/HTTP bus.")
		var mu sync.Mutex
		found = append(found, ScanXML(ctx, addrs, XMLScan{Timeout: timeout}, threads, func(msg string) {
			mu.Lock()
			fmt.Fprintln(std.Err, msg)
			mu.Unlock()
		}))
	}
	if nut {
		if start == "" {
			say("No start IP, skipping NUT bus (old connect method)")
		} else {
			say("Scanning NUT bus (old connect method).")
			found = append(found, ScanNUT(ctx, addrs, port, timeout, threads))
		}
	}
	if avahi {
		say("Scanning NUT bus (avahi method).")
		found = append(found, ScanAvahi(ctx, timeout, func(msg string) { fmt.Fprintln(std.Err, msg) }))
	}
	if serialFound != nil {
		found = append(found, <-serialFound)
	}
	n := 1
	for _, devs := range found {
		if parsable {
			Parsable(std.Out, devs)
		} else {
			UPSConf(std.Out, devs, &n)
		}
	}
	return 0
}

// scanUSB scans the system's bus with the USB drivers' tables.
func scanUSB(ctx context.Context, newBus func() (usb.Bus, error), open func(error)) ([]Device, error) {
	bus, err := newBus()
	if err != nil {
		return nil, err
	}
	cands, err := bus.Devices()
	if err == nil && len(cands) == 0 {
		err = errors.New("none on the bus")
	}
	if err != nil {
		return nil, err
	}
	return ScanUSB(ctx, bus, Claim, open)
}
