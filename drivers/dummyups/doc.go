// Package dummyups is NUT's dummy-ups driver: a simulated UPS that plays a
// device file (.dev: once; .seq: in a loop, with TIMER steps), or a
// repeater that serves what another upsd shows for a UPS (port =
// ups@host[:port]).
package dummyups
