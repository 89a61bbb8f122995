// Package journal sends a daemon's messages to systemd's journal through
// its native protocol, with fields a query can select on (UPS=, EVENT=,
// NUT_VAR=...), when the daemon's standard error is the journal's stream
// (it runs under systemd). The text of each message is the plain line the
// daemon writes elsewhere, so `journalctl -u` reads as before; the fields
// come on top: `journalctl -u nut-driver@myups UPS=myups`.
package journal
