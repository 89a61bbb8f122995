// Package usages holds NUT 2.8.0's usage name tables: the standard one of
// the Power Device (0x84) and Battery System (0x85) pages (Standard), and
// each usbhid-ups subdriver's own (APC, Belkin, Delta, Ever, MGE, OpenUPS,
// Powercom, Powervar, TrippLite), row for row as NUT has them: paths are
// compared as strings, so a name must be spelt as NUT spells it, and the
// order decides which of two names of a usage is printed.
//
// A subdriver searches its own table, then Standard:
//
//	names := hid.NewNames(usages.APC, usages.Standard)
//
// Arduino, CyberPower, iDowell, Legrand, Liebert (Phoenixtec) and Salicru
// have no table of their own.
package usages
