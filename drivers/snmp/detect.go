package snmp

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/gosnmp/gosnmp"

	"gonut/drivers/snmp/mib"
)

// sysObjectID is the OID of the agent's sysObjectID.0.
const sysObjectID = ".1.3.6.1.2.1.1.2.0"

// modelOID is the OID that tells whether a device has a mapping's MIB:
// its device.model row's, else its ups.model row's (a daisy-chain
// template read for device 0), as NUT's match_model_OID.
func modelOID(m *mib.Mapping) string {
	r := m.Find("device.model")
	if r == nil {
		r = m.Find("ups.model")
	}
	if r == nil || r.OID == "" {
		return ""
	}
	if strings.Contains(r.OID, "%") {
		return fill(r.OID, 0)
	}
	return r.OID
}

// probe reads a mapping's model OID as a string: the device has the MIB
// when it answers.
func probe(ctx context.Context, c *Client, m *mib.Mapping) (string, bool, error) {
	oid := modelOID(m)
	if oid == "" {
		return "", false, nil
	}
	e := &Engine{client: c, types: map[string]gosnmp.Asn1BER{}}
	s, err := e.getText(ctx, oid, nil)
	if err != nil {
		if fatal(err) {
			return "", false, err
		}
		return "", false, nil
	}
	return s, true, nil
}

// Detect finds the mapping of the agent's device (NUT's load_mib2nut):
// with mibs=auto, the mapping whose sysObjectID the agent gives and
// whose model OID it answers, tried three times; failing that (or with
// a MIB named), the first mapping in NUT's order (of that name) whose
// model OID the agent answers.
func Detect(ctx context.Context, c *Client, mibs string, log Logger) (*mib.Mapping, error) {
	auto := mibs == "auto"
	if auto {
		for try := 0; try < 3; try++ {
			m, sysOID, err := matchSysOID(ctx, c)
			if err != nil {
				return nil, err
			}
			if m != nil {
				return m, nil
			}
			if sysOID != "" {
				log.Warn(fmt.Sprintf("No matching MIB found for sysOID '%s'! Going back to the classic MIB detection method.", sysOID))
				break
			}
		}
	}
	seen := false
	for _, m := range mib.All {
		if !auto && m.Name != mibs {
			continue
		}
		seen = true
		_, ok, err := probe(ctx, c, m)
		if err != nil {
			return nil, err
		}
		if ok {
			return m, nil
		}
	}
	switch {
	case auto:
		return nil, fmt.Errorf("No supported device detected at %s", c.Peer())
	case seen:
		return nil, fmt.Errorf("Requested 'mibs' value '%s' did not match this device (host %s)", mibs, c.Peer())
	}
	return nil, fmt.Errorf("Unknown 'mibs' value: %s (see -x mibs=--list)", mibs)
}

// matchSysOID is the mapping whose sysObjectID is the agent's and whose
// model OID answers, with the agent's sysObjectID ("" when it has none).
func matchSysOID(ctx context.Context, c *Client) (*mib.Mapping, string, error) {
	v, err := c.Get(ctx, sysObjectID)
	if err != nil {
		if fatal(err) {
			return nil, "", err
		}
		return nil, "", nil
	}
	val := valueOf(v)
	if val.Kind != KindOID {
		return nil, "", nil
	}
	sys := normalOID(val.Text)
	for _, m := range mib.All {
		if m.SysOID == "" || normalOID(m.SysOID) != sys {
			continue
		}
		if _, ok, err := probe(ctx, c, m); err != nil {
			return nil, "", err
		} else if ok {
			return m, sys, nil
		}
	}
	return nil, sys, nil
}

// ListMappings prints what -x mibs=--list prints.
func ListMappings(w io.Writer) {
	fmt.Fprintf(w, "The 'mibs' argument is '%s', so just listing the mappings this driver knows,\n"+
		"and for 'mibs=auto' these mappings will be tried in the following order until\n"+
		"the first one matches your device\n\n", "--list")
	fmt.Fprintf(w, "%7s\t%-23s\t%-7s\t%-31s\t%-s\n", "NUMBER", "MAPPING NAME", "VERSION", "ENTRY POINT OID", "AUTO CHECK OID")
	or := func(s string) string {
		if s == "" {
			return "<NULL>"
		}
		return s
	}
	for i, m := range mib.All {
		fmt.Fprintf(w, " %4d \t%-23s\t%7s\t%-31s\t%-s\n", i+1, or(m.Name), or(m.Version), or(m.SysOID), or(m.AutoCheckOID))
	}
	fmt.Fprintf(w, "\nOverall this driver has loaded %d MIB-to-NUT mapping tables\n", len(mib.All))
}
