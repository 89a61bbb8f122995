// Package daemon is the one life of gonut's daemons (upsd, upsmon,
// upslog, the drivers), as NUT's common.c is for NUT's: the options they
// share (-D, -q, -F, -FF, -B, -u, -r, -c, -P; upsdrvctl passes some on to
// its drivers), staying in the foreground or going to the background
// once up (the shell gets its prompt back only then), the PID file, where
// messages go, and what the service manager is told: READY, STATUS,
// RELOADING and STOPPING.
//
// A daemon's main reads its options into Flags, then:
//
//	d := daemon.New("upsd", flags.InForeground(flags.Debug > 0), std.Err)
//	if d.Starter() {
//		return d.Detach() // the background copy's exit code
//	}
//	defer d.Close()
//	d.WritePIDFile(path)
//	... // up
//	d.Ready("serving 2 UPS")
package daemon
