package daemon

import (
	"fmt"
	"io"
	"log/slog"
	"sort"
	"strconv"
	"strings"
	"syscall"

	"gonut/internal/process"
)

// Mode is where a daemon runs, as -F, -FF and -B say.
type Mode int

const (
	// Unsaid: neither -F nor -B; the program decides (NUT's daemons stay
	// in the foreground when debugging).
	Unsaid Mode = iota
	// Background is -B: in the background even when debugging.
	Background
	// Foreground is -F: in the foreground, without a PID file for the
	// drivers.
	Foreground
	// ForegroundPIDFile is -FF: in the foreground, and the PID file kept.
	ForegroundPIDFile
)

// Flags are the options NUT's daemons share; each program takes those
// its getopt string names.
type Flags struct {
	Debug   int    // -D, repeated
	Quiet   int    // -q, repeated
	Mode    Mode   // -F, -FF or -B: the last one given, as in NUT
	User    string // -u: whom to become when started as root
	Chroot  string // -r
	Command string // -c: what to tell the running instance
	PID     int    // -P: the running instance, instead of its PID file
}

// Take reads option name (with its value) if it is one of the shared
// ones; it reports whether it was, and what is wrong with its value.
func (f *Flags) Take(name byte, value string) (bool, error) {
	switch name {
	case 'D':
		f.Debug++
	case 'q':
		f.Quiet++
	case 'F':
		if f.Mode >= Foreground {
			f.Mode = ForegroundPIDFile // -FF, or -F twice
		} else {
			f.Mode = Foreground
		}
	case 'B':
		f.Mode = Background
	case 'u':
		f.User = value
	case 'r':
		f.Chroot = value
	case 'c':
		f.Command = value
	case 'P':
		n, err := strconv.Atoi(value)
		if err != nil || n < 0 {
			return true, fmt.Errorf("option -P expects a process ID, not %q", value)
		}
		f.PID = n
	default:
		return false, nil
	}
	return true, nil
}

// InForeground reports whether the daemon stays in the foreground: with
// -F or -FF, not with -B, and else byDefault (NUT's daemons: with -D).
func (f Flags) InForeground(byDefault bool) bool {
	switch f.Mode {
	case Foreground, ForegroundPIDFile:
		return true
	case Background:
		return false
	}
	return byDefault
}

// Level is the daemon's log level: debug messages with -D, only warnings
// and errors with -q, else def.
func (f Flags) Level(def slog.Level) slog.Level {
	switch {
	case f.Debug > 0:
		return slog.LevelDebug
	case f.Quiet > 0:
		return slog.LevelWarn
	}
	return def
}

// ModeArgs is -F, -FF or -B as given, for the daemons a program starts
// (upsdrvctl its drivers).
func (f Flags) ModeArgs() []string {
	switch f.Mode {
	case Foreground:
		return []string{"-F"}
	case ForegroundPIDFile:
		return []string{"-FF"}
	case Background:
		return []string{"-B"}
	}
	return nil
}

// SignalRunning is a daemon's -c: it sends the signal that signals gives
// for f.Command to the running instance (-P, else the PID in pidFile).
// It returns the exit code.
func (f Flags) SignalRunning(prog, pidFile string, signals map[string]syscall.Signal, stderr io.Writer) int {
	sig, ok := signals[f.Command]
	if !ok {
		names := make([]string, 0, len(signals))
		for n := range signals {
			names = append(names, n)
		}
		sort.Strings(names)
		fmt.Fprintf(stderr, "%s: -c %q: expected %s\n", prog, f.Command, strings.Join(names, ", "))
		return 1
	}
	pid := f.PID
	if pid == 0 {
		var err error
		if pid, err = process.ReadPIDFile(pidFile); err != nil {
			fmt.Fprintf(stderr, "%s: no running %s found: %v\n", prog, prog, err)
			return 1
		}
	}
	if err := syscall.Kill(pid, sig); err != nil {
		fmt.Fprintf(stderr, "%s: cannot signal PID %d: %v\n", prog, pid, err)
		return 1
	}
	return 0
}
