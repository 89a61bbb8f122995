// Package scanner is nut-scanner: it looks for power devices on
// networks (SNMP agents of the kinds snmp-ups knows, and NUT servers)
// and prints them as ups.conf sections or parsable lines, as NUT
// 2.8.0's nut-scanner does.
package scanner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"gonut/drivers/snmp"
	"gonut/drivers/snmp/mib"
	"gonut/nutclient"
)

// Device is a device found: its bus, driver and port, and the other
// settings of its ups.conf section, in order.
type Device struct {
	Bus    string // SNMP, NUT (NUT's names for its buses)
	Driver string
	Port   string
	Opts   []Opt
	addr   netip.Addr // where it was found, to sort by
}

// Opt is one setting of a device.
type Opt struct{ Key, Value string }

// UPSConf prints devices as ups.conf sections, numbered from *n on
// (NUT numbers them across buses).
func UPSConf(w io.Writer, devs []Device, n *int) {
	for _, d := range devs {
		fmt.Fprintf(w, "[nutdev%d]\n\tdriver = \"%s\"\n\tport = \"%s\"\n", *n, d.Driver, d.Port)
		for _, o := range d.Opts {
			fmt.Fprintf(w, "\t%s = \"%s\"\n", o.Key, o.Value)
		}
		*n++
	}
}

// Parsable prints devices one a line: BUS:driver="...",port="...",key="...".
func Parsable(w io.Writer, devs []Device) {
	for _, d := range devs {
		fmt.Fprintf(w, "%s:driver=\"%s\",port=\"%s\"", d.Bus, d.Driver, d.Port)
		for _, o := range d.Opts {
			fmt.Fprintf(w, ",%s=\"%s\"", o.Key, o.Value)
		}
		fmt.Fprintln(w)
	}
}

// Range is the addresses from start to end, both included (IPv4 or
// IPv6, not mixed), at most max of them.
func Range(start, end string, max int) ([]netip.Addr, error) {
	a, err := netip.ParseAddr(start)
	if err != nil {
		return nil, fmt.Errorf("start IP %q: not an IP address", start)
	}
	b, err := netip.ParseAddr(end)
	if err != nil {
		return nil, fmt.Errorf("end IP %q: not an IP address", end)
	}
	if a.Is4() != b.Is4() {
		return nil, fmt.Errorf("%s and %s: one is IPv4, the other IPv6", start, end)
	}
	if b.Less(a) {
		a, b = b, a // NUT scans a reversed range too
	}
	var out []netip.Addr
	for x := a; ; x = x.Next() {
		if len(out) == max {
			return nil, fmt.Errorf("%s to %s: more than %d addresses", start, end, max)
		}
		out = append(out, x)
		if x == b || !x.IsValid() {
			return out, nil
		}
	}
}

// CIDR is the first and last address of a block (NUT's -m): all of its
// addresses, network and broadcast included.
func CIDR(s string) (string, string, error) {
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return "", "", fmt.Errorf("%q: expected an address and a mask length, such as 192.168.0.0/24", s)
	}
	if p.Bits() < 1 {
		return "", "", fmt.Errorf("Bad netmask: %d", p.Bits()) // NUT's words
	}
	first := p.Masked().Addr()
	b := first.AsSlice() // the last: the host bits all set

	for i := p.Bits(); i < len(b)*8; i++ {
		b[i/8] |= 0x80 >> (i % 8)
	}
	end, _ := netip.AddrFromSlice(b)
	return first.String(), end.String(), nil
}

// each runs f for every address, at most threads at once.
func each(addrs []netip.Addr, threads int, f func(netip.Addr) []Device) []Device {
	if threads < 1 {
		threads = 1
	}
	var mu sync.Mutex
	var out []Device
	sem := make(chan struct{}, threads)
	var wg sync.WaitGroup
	for _, a := range addrs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			found := f(a)
			for i := range found {
				found[i].addr = a
			}
			mu.Lock()
			out = append(out, found...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	// NUT lists them as its threads end; by address here, each address's
	// devices in the order found.
	sort.SliceStable(out, func(i, j int) bool { return out[i].addr.Less(out[j].addr) })
	return out
}

// SNMP is how to talk to agents: SNMPv1 with a community, or SNMPv3.
type SNMP struct {
	Community                  string // "" and no SecLevel: "public"
	SecLevel, SecName          string
	AuthProtocol, AuthPassword string
	PrivProtocol, PrivPassword string
	Timeout                    time.Duration
	Port                       uint16 // 161
}

// session is the snmp-ups session of one agent.
func (s SNMP) session(a netip.Addr) (snmp.Session, error) {
	port := s.Port
	if port == 0 {
		port = 161
	}
	sess := snmp.Session{Host: a.String(), Port: port, Timeout: s.Timeout, Retries: 0}
	if s.Community != "" || s.SecLevel == "" {
		sess.Community = s.Community
		if sess.Community == "" {
			sess.Community = "public"
		}
		sess.Version = snmp.Version1
		return sess, nil
	}
	return sess, snmp.V3Session(&sess, s.SecLevel, s.SecName, s.AuthProtocol, s.AuthPassword, s.PrivProtocol, s.PrivPassword)
}

// ScanSNMP looks for agents of the kinds snmp-ups knows (NUT's
// nut-scanner table), threads at once: an agent whose sysObjectID
// names a table whose model OID it answers is that table's; an agent
// without is tried with every table's model OID.
func ScanSNMP(ctx context.Context, addrs []netip.Addr, s SNMP, threads int) ([]Device, error) {
	if _, err := s.session(netip.MustParseAddr("127.0.0.1")); err != nil {
		return nil, err
	}
	return each(addrs, threads, func(a netip.Addr) []Device { return s.probe(ctx, a) }), nil
}

func (s SNMP) probe(ctx context.Context, a netip.Addr) []Device {
	sess, _ := s.session(a)
	c, err := snmp.Dial(sess)
	if err != nil {
		return nil
	}
	defer c.Close()
	v, err := c.Get(ctx, ".1.3.6.1.2.1.1.2.0")
	var timeout *snmp.TimeoutError
	if errors.As(err, &timeout) || err != nil && !errors.Is(err, snmp.ErrNoSuchName) && !errors.Is(err, snmp.ErrAgent) {
		return nil // no agent there
	}
	var out []Device
	found := false
	if sys, ok := v.Value.(string); ok && err == nil {
		for _, m := range mib.ScanTable {
			if m.SysOID == "" || dotted(m.SysOID) != dotted(sys) {
				continue
			}
			if m.AutoCheckOID == "" {
				out = append(out, s.device(a, m, nil))
				found = true
				continue
			}
			if desc, ok := model(ctx, c, m.AutoCheckOID); ok {
				out = append(out, s.device(a, m, &desc))
				found = true
			}
		}
	}
	if !found {
		for _, m := range mib.ScanTable {
			if m.AutoCheckOID == "" {
				continue
			}
			if desc, ok := model(ctx, c, m.AutoCheckOID); ok {
				out = append(out, s.device(a, m, &desc))
			}
		}
	}
	return out
}

func dotted(oid string) string { return "." + strings.TrimPrefix(oid, ".") }

// model reads a table's model OID: its text, when the agent has it.
func model(ctx context.Context, c *snmp.Client, oid string) (string, bool) {
	v, err := c.Get(ctx, oid)
	if err != nil {
		return "", false
	}
	switch x := v.Value.(type) {
	case []byte:
		return string(x), true
	case string:
		return x, true
	case nil:
		return "", false
	}
	return fmt.Sprint(v.Value), true
}

func (s SNMP) device(a netip.Addr, m *mib.Mapping, desc *string) Device {
	d := Device{Bus: "SNMP", Driver: "snmp-ups", Port: a.String()}
	if desc != nil {
		d.Opts = append(d.Opts, Opt{"desc", *desc})
	}
	d.Opts = append(d.Opts, Opt{"mibs", m.Name})
	if s.Community != "" || s.SecLevel == "" {
		c := s.Community
		if c == "" {
			c = "public"
		}
		return withOpts(d, Opt{"community", c})
	}
	d.Opts = append(d.Opts, Opt{"snmp_version", "v3"})
	for _, o := range []Opt{{"secLevel", s.SecLevel}, {"secName", s.SecName}, {"authPassword", s.AuthPassword},
		{"privPassword", s.PrivPassword}, {"authProtocol", s.AuthProtocol}, {"privProtocol", s.PrivProtocol}} {
		if o.Value != "" {
			d.Opts = append(d.Opts, o)
		}
	}
	return d
}

func withOpts(d Device, o ...Opt) Device {
	d.Opts = append(d.Opts, o...)
	return d
}

// ScanNUT looks for NUT servers (upsd) on port, threads at once, and
// lists each UPS of each as a nutclient device (NUT's "old connect
// method").
func ScanNUT(ctx context.Context, addrs []netip.Addr, port int, timeout time.Duration, threads int) []Device {
	return each(addrs, threads, func(a netip.Addr) []Device {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		c, err := nutclient.Dial(ctx, netip.AddrPortFrom(a, uint16(port)).String(), nutclient.Options{Timeout: timeout})
		if err != nil {
			return nil
		}
		defer c.Close()
		rows, err := c.List(ctx, "UPS")
		if err != nil {
			return nil
		}
		var out []Device
		for _, r := range rows {
			if len(r) < 2 { // UPS <name> <description>
				return nil
			}
			out = append(out, Device{Bus: "NUT", Driver: "nutclient", Port: r[0] + "@" + a.String()})
		}
		return out
	})
}

// portNumber reads -p.
func portNumber(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 65535 {
		return 0, fmt.Errorf("port %q: expected a number from 1 to 65535", s)
	}
	return n, nil
}
