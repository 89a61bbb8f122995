package nuttest

import (
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"syscall"
)

// stat is a process's /proc/PID/stat after its name: state, ppid, ...
func stat(pid int) []string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return nil
	}
	s := string(b)
	if i := strings.LastIndexByte(s, ')'); i >= 0 {
		s = s[i+1:]
	}
	return strings.Fields(s)
}

// Alive reports whether process pid exists and is not a zombie.
func Alive(pid int) bool {
	f := stat(pid)
	return len(f) > 0 && f[0] != "Z" && f[0] != "X"
}

// Children are the processes whose parent is pid.
func Children(pid int) []int {
	ents, _ := os.ReadDir("/proc")
	var out []int
	for _, e := range ents {
		c, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if f := stat(c); len(f) > 1 && f[1] == strconv.Itoa(pid) {
			out = append(out, c)
		}
	}
	return out
}

// Runs reports whether process pid runs the named program.
func Runs(pid int, program string) bool {
	comm, err := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
	return err == nil && strings.TrimSpace(string(comm)) == program
}

// KillIf kills process pid if it still runs the named program, so that a
// PID reused since is left alone.
func KillIf(pid int, program string) {
	if Runs(pid, program) {
		syscall.Kill(pid, syscall.SIGKILL)
	}
}

// InheritedScript is a shell command that lists the descriptors of the
// shell running it (ls -l /proc/$$/fd); InheritedPipes reads its output.
const InheritedScript = "ls -l /proc/$$/fd"

// InheritedPipes reads what InheritedScript wrote: the pipes and sockets
// the shell had above standard input, output and error, which it
// inherited from whoever started it (a shell opens none of its own),
// except those the test itself inherited and passes on to all it runs.
func InheritedPipes(ls string) []string {
	ours := testHolds()
	fds := map[int]string{}
	for _, line := range strings.Split(ls, "\n") {
		f := strings.Fields(line)
		if len(f) < 3 || f[len(f)-2] != "->" {
			continue
		}
		if n, err := strconv.Atoi(f[len(f)-3]); err == nil {
			fds[n] = f[len(f)-1]
		}
	}
	// The shell keeps copies of its standard descriptors above 9 while it
	// redirects them: those are not inherited.
	for n := 0; n <= 2; n++ {
		ours[fds[n]] = true
	}
	var out []string
	for n, target := range fds {
		if n > 2 && !ours[target] && (strings.HasPrefix(target, "pipe:") || strings.HasPrefix(target, "socket:")) {
			out = append(out, fmt.Sprintf("fd %d: %s", n, target))
		}
	}
	sort.Strings(out)
	return out
}

// testHolds is the set of what this process's descriptors name: what the
// test itself inherited passes on to everything it runs.
func testHolds() map[string]bool {
	ours := map[string]bool{}
	ents, _ := os.ReadDir("/proc/self/fd")
	for _, e := range ents {
		if l, err := os.Readlink("/proc/self/fd/" + e.Name()); err == nil {
			ours[l] = true
		}
	}
	return ours
}

// Descriptors describes process pid's descriptors above standard error,
// "fd N: target" with " (close-on-exec)" for those a program it starts
// does not get; open lists those it does get, except what the test itself
// inherited and passes on to all it runs.
func Descriptors(pid int) (all, open []string) {
	ours := testHolds()
	ents, _ := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
	var fds []int
	for _, e := range ents {
		if n, err := strconv.Atoi(e.Name()); err == nil && n > 2 {
			fds = append(fds, n)
		}
	}
	sort.Ints(fds)
	for _, n := range fds {
		target, _ := os.Readlink(fmt.Sprintf("/proc/%d/fd/%d", pid, n))
		info, _ := os.ReadFile(fmt.Sprintf("/proc/%d/fdinfo/%d", pid, n))
		var flags int64
		for _, l := range strings.Split(string(info), "\n") {
			if v, ok := strings.CutPrefix(l, "flags:"); ok {
				flags, _ = strconv.ParseInt(strings.TrimSpace(v), 8, 64)
			}
		}
		d := fmt.Sprintf("fd %d: %s", n, target)
		if flags&syscall.O_CLOEXEC != 0 {
			all = append(all, d+" (close-on-exec)")
			continue
		}
		all = append(all, d)
		if !ours[target] {
			open = append(open, d)
		}
	}
	return all, open
}

// ProcessesOf are the live processes running the program at path.
func ProcessesOf(path string) []int {
	ents, _ := os.ReadDir("/proc")
	var out []int
	for _, e := range ents {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if exe, err := os.Readlink(fmt.Sprintf("/proc/%d/exe", p)); err == nil && exe == path && Alive(p) {
			out = append(out, p)
		}
	}
	return out
}
