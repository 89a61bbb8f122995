package main

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"gonut/bench/internal/procstat"
)

// launchArg starts a server (this program, with it, settings and the
// server's command line after "--") the way it is measured, then execs it:
//
//   - nice=N: its nice value, and that of a scheduling group of its own
//     (see ownAutogroup);
//   - slice=D: the time slice the scheduler gives it (sched_setattr's
//     sched_runtime, Linux 6.12 or later): a short one lets it preempt
//     others as soon as it wakes, without a real-time policy, under which
//     its own threads would take turns 100 ms at a time;
//   - no-io_uring: a seccomp filter makes io_uring_setup(2) fail with
//     ENOSYS, as on a kernel without it. Our upsd then serves every client
//     from a goroutine, as it does where io_uring is missing, without
//     touching the machine's kernel.io_uring_disabled, which other
//     programs share.
//
// All of it is inherited by the threads the server starts.
const launchArg = "-launch-server"

func launchMain(args []string) {
	dash := slices.Index(args, "--")
	if dash < 0 || dash == len(args)-1 {
		fatalf("usage: abusebench %s [nice=N] [slice=DURATION] [no-io_uring] -- PROGRAM [ARG...]", launchArg)
	}
	attr := unix.SchedAttr{Policy: unix.SCHED_NORMAL}
	noIOUring := false
	for _, a := range args[:dash] {
		k, v, _ := strings.Cut(a, "=")
		switch k {
		case "nice":
			n, err := strconv.Atoi(v)
			if err != nil {
				fatalf("launch: %q", a)
			}
			attr.Nice = int32(n)
		case "slice":
			d, err := time.ParseDuration(v)
			if err != nil {
				fatalf("launch: %q", a)
			}
			attr.Runtime = uint64(d)
		case "no-io_uring":
			noIOUring = true
		default:
			fatalf("launch: %q", a)
		}
	}
	prog := args[dash+1:]
	path, err := exec.LookPath(prog[0])
	if err != nil {
		fatalf("%v", err)
	}
	runtime.LockOSThread() // the thread that execs carries the attributes
	if err := ownAutogroup(int(attr.Nice)); err != nil {
		fatalf("%v", err)
	}
	if err := unix.SchedSetAttr(0, &attr, 0); err != nil {
		fatalf("sched_setattr: %v", err)
	}
	if noIOUring {
		forbidIOUring()
	}
	fatalf("exec %s: %v", path, syscall.Exec(path, prog, os.Environ()))
}

// ownAutogroup puts this process in a session of its own and gives the
// session's scheduling group (Linux's autogroup, one per session) a nice
// value. Where autogroups are on, a nice value counts only among the
// processes of one session: against the other sessions of a shared
// machine, each session gets an equal share, whatever its processes'
// nice values.
func ownAutogroup(nice int) error {
	if _, err := syscall.Setsid(); err != nil {
		return fmt.Errorf("setsid: %v", err)
	}
	return procstat.AutogroupNice(0, nice)
}

// sysIOUringSetup is io_uring_setup's number on every architecture that
// has it.
const sysIOUringSetup = 425

// forbidIOUring installs the seccomp filter, on every thread.
func forbidIOUring() {
	var arch uint32 // seccomp's name for it
	switch runtime.GOARCH {
	case "amd64":
		arch = unix.AUDIT_ARCH_X86_64
	case "arm64":
		arch = unix.AUDIT_ARCH_AARCH64
	default:
		fatalf("no seccomp filter for %s", runtime.GOARCH)
	}
	const (
		ld  = unix.BPF_LD | unix.BPF_W | unix.BPF_ABS
		jeq = unix.BPF_JMP | unix.BPF_JEQ | unix.BPF_K
		ret = unix.BPF_RET | unix.BPF_K
	)
	filter := []unix.SockFilter{
		{Code: ld, K: 4}, // seccomp_data.arch
		{Code: jeq, Jt: 1, K: arch},
		{Code: ret, K: unix.SECCOMP_RET_ALLOW},
		{Code: ld, K: 0}, // seccomp_data.nr
		{Code: jeq, Jf: 1, K: sysIOUringSetup},
		{Code: ret, K: unix.SECCOMP_RET_ERRNO | uint32(unix.ENOSYS)},
		{Code: ret, K: unix.SECCOMP_RET_ALLOW},
	}
	prog := unix.SockFprog{Len: uint16(len(filter)), Filter: &filter[0]}
	if err := unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); err != nil {
		fatalf("no_new_privs: %v", err)
	}
	// Every thread, whichever execs.
	if _, _, e := unix.Syscall(unix.SYS_SECCOMP, unix.SECCOMP_SET_MODE_FILTER, unix.SECCOMP_FILTER_FLAG_TSYNC, uintptr(unsafe.Pointer(&prog))); e != 0 {
		fatalf("seccomp: %v", e)
	}
}

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "abusebench: "+format+"\n", args...)
	os.Exit(1)
}
