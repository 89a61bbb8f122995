// Package core is what every gonut driver shares: the command line, the
// ups.conf section, the state tree and its socket, the update loop and the
// events a device delivers by itself, reload, the PID file, and the hooks
// into the service manager (sd_notify, socket activation). A driver only
// implements Driver: its protocol.
package core
