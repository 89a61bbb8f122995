// Package genericups is NUT's genericups driver: contact-closure UPSes
// that say what they know through a serial port's modem-control lines.
// The driver powers the cable (DTR, RTS), reads the status from CTS, DCD,
// RNG and DSR as the UPS type's wiring says, and shuts the UPS down by
// setting the shutdown lines (or sending a BREAK) and holding them.
//
// Facts are NUT 2.8.0's (drivers/genericups.c and .h, genericups(8)).
package genericups
