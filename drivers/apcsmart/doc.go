// Package apcsmart is NUT's apcsmart driver: APC's Smart protocol (one
// character out, one line back, 2400 baud) over a serial line. It enters
// smart mode (Y), finds what the UPS has (the firmware table, then the
// command set `a` and the capability string ^Z), reads its variables,
// acts at once on the alert characters the UPS sends by itself, runs its
// instant commands, writes its variables (cycling enumerated values with
// `-`) and shuts it down as sdtype or advorder say.
//
// Facts are NUT 2.8.0's (drivers/apcsmart.c, apcsmart.h, apcsmart_tabs.c
// and apcsmart(8)) and the Smart protocol notes NUT once published
// (kept in apcupsd's manual, smartprotocol.rst).
package apcsmart
