// Package enumerator keeps one driver service instance per ups.conf
// section (NUT's nut-driver-enumerator.sh): it works out what instances
// ups.conf asks for, with their names, checksums and dependencies, and
// brings the service manager (a Backend: systemd, or SMF on illumos and
// Solaris) in step.
package enumerator
