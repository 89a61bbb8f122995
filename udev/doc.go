// Package udev makes the udev rules of gonut's USB drivers
// (62-nut-usbups.rules) from the drivers' USB ID tables: for each device a
// driver claims, read and write access for the nut group (as NUT's rules
// give), the systemd tag, and NUT_DRIVER, the driver that claims it, which
// nut-driver-enumerator reads when the device comes and goes.
//
// Claim says which driver claims a device, from the same tables, for the
// hot-plug enumerator and nut-scanner.
//
// A driver joins by adding its table to Tables (and dropping its rows from
// Pending, which keeps the permissions NUT's rules give to the devices of
// drivers gonut does not have yet).
package udev
