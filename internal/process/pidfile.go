package process

import (
	"log/slog"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// WritePIDFile writes this process's PID to path.
func WritePIDFile(path string) error {
	return os.WriteFile(path, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644)
}

// ReadPIDFile returns the PID in a PID file.
func ReadPIDFile(path string) (int, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid < 1 {
		return 0, &os.PathError{Op: "read", Path: path, Err: syscall.EINVAL}
	}
	return pid, nil
}

// Running returns the PID of another live instance of program that
// pidFile names, if there is one.
func Running(pidFile, program string) (int, bool) {
	pid, err := ReadPIDFile(pidFile)
	if err != nil || pid == os.Getpid() || !IsProgram(pid, program) {
		return 0, false
	}
	return pid, true
}

// RemovePIDFile removes pidFile if it still names this process: a PID
// file another instance wrote is left to it.
func RemovePIDFile(path string) {
	if pid, err := ReadPIDFile(path); err == nil && pid == os.Getpid() {
		os.Remove(path)
	}
}

// StopOlder ends an instance already running with this PID file, as
// NUT's drivers do when a new instance starts: SIGTERM, then SIGKILL if
// it does not go within a few seconds.
func StopOlder(pidFile, program string, log *slog.Logger) {
	pid, ok := Running(pidFile, program)
	if !ok {
		return
	}
	log.Warn("another instance is running; stopping it", "pid", pid)
	syscall.Kill(pid, syscall.SIGTERM)
	for i := 0; i < 50; i++ {
		if syscall.Kill(pid, 0) != nil {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	syscall.Kill(pid, syscall.SIGKILL)
}

// IsProgram reports whether process pid is alive and runs the named
// program, so that a stale PID file never gets another process killed.
func IsProgram(pid int, program string) bool {
	comm, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/comm")
	if err != nil {
		return false
	}
	const commLen = 15 // the kernel keeps 15 characters of the name
	if len(program) > commLen {
		program = program[:commLen]
	}
	return strings.TrimSpace(string(comm)) == program
}
