// Package snmp is snmp-ups, NUT's driver for UPSes, PDUs and ATSes with
// an SNMP agent (a network card): SNMP v1, v2c and v3 through gosnmp,
// NUT 2.8.0's options, and the MIB-to-NUT tables of package mib read by
// one engine (Engine) as NUT's snmp_ups_walk reads them.
package snmp
