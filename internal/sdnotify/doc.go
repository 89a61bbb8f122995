// Package sdnotify tells systemd how a daemon is doing (sd_notify(3)):
// READY=1, STATUS=, RELOADING=1, STOPPING=1 and WATCHDOG=1.
package sdnotify
