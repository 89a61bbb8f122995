// Package procstat reads what the benchmarks measure of a running process
// from /proc (resident memory, CPU time, context switches), and pins its
// threads to CPUs.
package procstat

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// Cores is how many CPUs the machine has.
func Cores() int {
	b, _ := os.ReadFile("/proc/cpuinfo")
	return strings.Count(string(b), "processor\t:")
}

// RSS is a process's resident set in KiB; 0 once it is gone.
func RSS(pid int) int {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmRSS:" {
			n, _ := strconv.Atoi(f[1])
			return n
		}
	}
	return 0
}

// CPUTime is the time the process's threads have run, from the
// scheduler's own count (schedstat, in nanoseconds: tick-sampled utime
// and stime mislead when a server runs in short bursts).
func CPUTime(pid int) time.Duration {
	var total time.Duration
	for _, line := range taskFiles(pid, "schedstat") {
		if f := strings.Fields(line); len(f) > 0 {
			n, _ := strconv.ParseInt(f[0], 10, 64)
			total += time.Duration(n)
		}
	}
	return total
}

// Switches is how many times the process's threads went to sleep or were
// put off the CPU: its wake-ups, near enough.
func Switches(pid int) int {
	return switches(pid, "voluntary_ctxt_switches:", "nonvoluntary_ctxt_switches:")
}

// Wakeups is how many times the process's threads went to sleep of their
// own accord (voluntary switches): its wake-ups, whatever else the
// machine is doing, where Switches also counts the times another task took
// the CPU away.
func Wakeups(pid int) int { return switches(pid, "voluntary_ctxt_switches:") }

func switches(pid int, fields ...string) int {
	total := 0
	for _, status := range taskFiles(pid, "status") {
		for _, line := range strings.Split(status, "\n") {
			for _, f := range fields {
				if v, ok := strings.CutPrefix(line, f); ok {
					n, _ := strconv.Atoi(strings.TrimSpace(v))
					total += n
				}
			}
		}
	}
	return total
}

// Pin moves every thread of a process (0: this one) to the given CPUs;
// the threads they start later inherit it.
func Pin(pid int, cpus ...int) error {
	var set unix.CPUSet
	for _, c := range cpus {
		set.Set(c)
	}
	return eachThread(pid, func(tid int) error { return unix.SchedSetaffinity(tid, &set) })
}

// Nice sets the nice value of every thread of a process (0: this one),
// which Linux keeps per thread, and its time slice (0: the default; see
// sched_setattr's sched_runtime); the threads they start later inherit
// both.
func Nice(pid, nice int, slice time.Duration) error {
	attr := unix.SchedAttr{Policy: unix.SCHED_NORMAL, Nice: int32(nice), Runtime: uint64(slice)}
	return eachThread(pid, func(tid int) error { return unix.SchedSetAttr(tid, &attr, 0) })
}

// AutogroupNice sets the nice value of the scheduling group of a process's
// session (0: this one's), where Linux has autogroups on; elsewhere it
// does nothing.
func AutogroupNice(pid, nice int) error {
	name := "/proc/self/autogroup"
	if pid != 0 {
		name = "/proc/" + strconv.Itoa(pid) + "/autogroup"
	}
	err := os.WriteFile(name, []byte(strconv.Itoa(nice)), 0)
	if os.IsNotExist(err) {
		return nil
	}
	return err
}

func eachThread(pid int, f func(tid int) error) error {
	if pid == 0 {
		pid = os.Getpid()
	}
	tasks, err := os.ReadDir("/proc/" + strconv.Itoa(pid) + "/task")
	if err != nil {
		return err
	}
	for _, t := range tasks {
		tid, _ := strconv.Atoi(t.Name())
		if err := f(tid); err != nil && err != unix.ESRCH {
			return err
		}
	}
	return nil
}

// taskFiles reads one /proc file of each of the process's threads.
func taskFiles(pid int, name string) []string {
	dir := "/proc/" + strconv.Itoa(pid) + "/task"
	tasks, _ := os.ReadDir(dir)
	var out []string
	for _, t := range tasks {
		if b, err := os.ReadFile(filepath.Join(dir, t.Name(), name)); err == nil {
			out = append(out, string(b))
		}
	}
	return out
}

// PSS is a process's proportional set size in KiB (its resident pages,
// each shared page divided by the number of processes that map it), from
// /proc/PID/smaps_rollup; 0 once it is gone.
func PSS(pid int) int {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/smaps_rollup")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "Pss:" {
			n, _ := strconv.Atoi(f[1])
			return n
		}
	}
	return 0
}

// Threads is how many threads a process has; 0 once it is gone.
func Threads(pid int) int {
	tasks, err := os.ReadDir("/proc/" + strconv.Itoa(pid) + "/task")
	if err != nil {
		return 0
	}
	return len(tasks)
}
