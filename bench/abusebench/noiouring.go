package main

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// noIOUringArg starts a program (this one, with it and the program's
// command line) with io_uring forbidden: a seccomp filter makes
// io_uring_setup(2) fail with ENOSYS, as on a kernel without it, and the
// program is then exec'd with the filter in place. Our upsd then serves
// every client from a goroutine, as it does where io_uring is missing,
// without touching the machine's kernel.io_uring_disabled, which other
// programs share.
const noIOUringArg = "-exec-without-io_uring"

// sysIOUringSetup is io_uring_setup's number on every architecture that
// has it.
const sysIOUringSetup = 425

// auditArch is the seccomp architecture of the machines this runs on.
var auditArch = map[string]uint32{"amd64": unix.AUDIT_ARCH_X86_64, "arm64": unix.AUDIT_ARCH_AARCH64}

func noIOUringMain(args []string) {
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, "usage: abusebench "+noIOUringArg+" PROGRAM [ARG...]")
		os.Exit(2)
	}
	arch, ok := auditArch[runtime.GOARCH]
	if !ok {
		fatalf("no seccomp filter for %s", runtime.GOARCH)
	}
	path, err := exec.LookPath(args[0])
	if err != nil {
		fatalf("%v", err)
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
	// Every thread, so that whichever one execs carries the filter.
	if _, _, e := unix.Syscall(unix.SYS_SECCOMP, unix.SECCOMP_SET_MODE_FILTER, unix.SECCOMP_FILTER_FLAG_TSYNC, uintptr(unsafe.Pointer(&prog))); e != 0 {
		fatalf("seccomp: %v", e)
	}
	fatalf("exec %s: %v", path, syscall.Exec(path, args, os.Environ()))
}

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "abusebench: "+format+"\n", args...)
	os.Exit(1)
}
