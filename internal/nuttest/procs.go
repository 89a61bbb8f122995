package nuttest

import (
	"fmt"
	"os"
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

// KillIf kills process pid if it still runs the named program, so that a
// PID reused since is left alone.
func KillIf(pid int, program string) {
	if comm, err := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid)); err == nil && strings.TrimSpace(string(comm)) == program {
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
	ours := map[string]bool{}
	ents, _ := os.ReadDir("/proc/self/fd")
	for _, e := range ents {
		if l, err := os.Readlink("/proc/self/fd/" + e.Name()); err == nil {
			ours[l] = true
		}
	}
	var out []string
	for _, line := range strings.Split(ls, "\n") {
		f := strings.Fields(line)
		if len(f) < 3 || f[len(f)-2] != "->" {
			continue
		}
		fd, target := f[len(f)-3], f[len(f)-1]
		if n, err := strconv.Atoi(fd); err != nil || n <= 2 || ours[target] {
			continue
		}
		if strings.HasPrefix(target, "pipe:") || strings.HasPrefix(target, "socket:") {
			out = append(out, "fd "+fd+": "+target)
		}
	}
	return out
}
