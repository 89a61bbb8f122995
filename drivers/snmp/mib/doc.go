// Package mib holds the MIB-to-NUT mapping tables of NUT 2.8.0's
// snmp-ups, as data: one Mapping per entry of NUT's mib2nut list, in its
// probing order (All), each a list of rows that say which OID gives
// which NUT variable or instant command, and how.
//
// The tables (the z_*.go files) are generated from NUT's drivers/*-mib.c
// at tag v2.8.0 by mibgen, this package's generator:
// NUT_GIT_DIR=<NUT's git repository> go generate ./drivers/snmp/mib
package mib

//go:generate go run ./mibgen -git ${NUT_GIT_DIR} -tag v2.8.0 -out .
