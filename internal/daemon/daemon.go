package daemon

import (
	"io"
	"log/slog"

	"gonut/internal/journal"
	"gonut/internal/plainlog"
	"gonut/internal/process"
	"gonut/internal/sdnotify"
)

// Daemon is one daemon's life, from New to Close.
type Daemon struct {
	// Name is the program's, as its messages and PID checks name it.
	Name string
	// Log is where its messages go: standard error; in the background
	// copy, syslog, and standard error too until it is ready (the starter
	// shows that to whoever started it).
	Log        io.Writer
	foreground bool
	notify     sdnotify.Func
	pidFile    string
}

// New begins a daemon's life: in the foreground, or (foreground false)
// in the background, where this process is either the starter (Starter)
// or the background copy it started.
func New(name string, foreground bool, stderr io.Writer) *Daemon {
	return &Daemon{Name: name, Log: logWriter(stderr), foreground: foreground, notify: sdnotify.New()}
}

// Starter reports whether this process only starts the daemon: it must
// do nothing more than return Detach's exit code.
func (d *Daemon) Starter() bool { return !d.foreground && !IsCopy() }

// Detach starts the background copy of this program and waits until it
// is ready (exit code 0) or has failed (1), relaying its standard error
// until then.
func (d *Daemon) Detach() int { return background(d.Name) }

// Logger is a logger writing plain lines, as NUT's daemons do, to Log;
// in the foreground under systemd, to the journal natively, each message
// with its attributes and fields (key, value pairs such as "ups", NAME)
// as fields a query can select on (UPS=NAME).
func (d *Daemon) Logger(level slog.Leveler, fields ...string) *slog.Logger {
	if d.foreground {
		return journal.Logger(d.Name, d.Log, level, fields...)
	}
	return plainlog.New(d.Log, level)
}

// Journal is where a daemon in the foreground under systemd sends
// messages that carry fields of their own (upsmon's notifications); nil
// elsewhere.
func (d *Daemon) Journal(fields ...string) *journal.Sender {
	if d.foreground {
		return journal.Native(d.Name, d.Log, fields...)
	}
	return nil
}

// WritePIDFile writes this process's PID to path; Close removes it.
func (d *Daemon) WritePIDFile(path string) error {
	if err := process.WritePIDFile(path); err != nil {
		return err
	}
	d.pidFile = path
	return nil
}

// Close ends the daemon's life: its PID file goes, unless another
// instance has written its own there since.
func (d *Daemon) Close() {
	if d.pidFile != "" {
		process.RemovePIDFile(d.pidFile)
	}
}

// Ready tells the service manager that the daemon serves (READY=1), with
// a status line unless status is "", and the starter that it may return.
// After a reload it says READY=1 again.
func (d *Daemon) Ready(status string) {
	state := "READY=1"
	if status != "" {
		state += "\nSTATUS=" + status
	}
	d.notify(state)
	ready()
}

// Up tells the starter alone that the daemon is up: for a daemon whose
// readiness another process tells the service manager (upsmon's
// privileged parent, once its monitor runs).
func (d *Daemon) Up() { ready() }

// Status tells the service manager how the daemon is doing.
func (d *Daemon) Status(status string) { d.notify("STATUS=" + status) }

// Reloading tells the service manager that a reload has begun; Ready
// says when it is over.
func (d *Daemon) Reloading() { d.notify(sdnotify.Reloading()) }

// Stopping tells the service manager that the daemon is stopping.
func (d *Daemon) Stopping() { d.notify("STOPPING=1") }

// Notify sends the service manager other states, several at once
// (WATCHDOG=1 with a status), as sd_notify(3) takes them.
func (d *Daemon) Notify(state string) { d.notify(state) }
