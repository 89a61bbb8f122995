package main

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"gonut/bench/internal/procstat"
)

// kind is one program of which the fleet starts many copies.
type kind struct {
	name string
	bin  string
	// driver: each copy serves a UPS section and is waited for on its
	// socket; otherwise it is started with no arguments and given the
	// settling time only.
	driver bool
}

// fleetResult is what one kind measured, per copy.
type fleetResult struct {
	kind
	rss, pss, threads []int // KiB, KiB, count; one per copy
}

// fleet starts n copies of each kind side by side (the drivers on sections
// bench0..bench<n-1> of one ups.conf, all on the same device file), waits
// until every driver answers DUMPALL on its socket, lets them settle, and
// reads each one's memory.
func fleet(kinds []kind, dev string, n int, settle time.Duration) ([]fleetResult, error) {
	sections := make([]string, n)
	for i := range sections {
		sections[i] = fmt.Sprintf("bench%d", i)
	}
	dir, err := benchDir("driverfleet", dev, sections...)
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	var cmds procstat.Group
	defer func() { cmds.Kill() }()
	pids := make([][]int, len(kinds))
	for k, kd := range kinds {
		// Each kind in a state directory of its own: the sockets are
		// named by driver and section alike.
		state := filepath.Join(dir, fmt.Sprintf("state%d", k))
		if err := os.Mkdir(state, 0o700); err != nil {
			return nil, err
		}
		for i := 0; i < n; i++ {
			var cmd *exec.Cmd
			if kd.driver {
				cmd = exec.Command(kd.bin, "-a", fmt.Sprintf("bench%d", i), "-u", "root", "-F")
				cmd.Env = append(os.Environ(), "NUT_CONFPATH="+dir, "NUT_STATEPATH="+state, "NUT_ALTPIDPATH="+state)
			} else {
				cmd = exec.Command(kd.bin)
			}
			if err := cmd.Start(); err != nil {
				return nil, fmt.Errorf("%s: %v", kd.name, err)
			}
			cmds = append(cmds, cmd)
			pids[k] = append(pids[k], cmd.Process.Pid)
			if kd.driver {
				if err := dumpOnce(filepath.Join(state, fmt.Sprintf("dummy-ups-bench%d", i))); err != nil {
					return nil, fmt.Errorf("%s bench%d: %v", kd.name, i, err)
				}
			}
		}
	}
	time.Sleep(settle)
	var out []fleetResult
	for k, kd := range kinds {
		r := fleetResult{kind: kd}
		for _, pid := range pids[k] {
			r.rss = append(r.rss, procstat.RSS(pid))
			r.pss = append(r.pss, procstat.PSS(pid))
			r.threads = append(r.threads, procstat.Threads(pid))
		}
		out = append(out, r)
	}
	return out, nil
}

// dumpOnce waits for a driver's socket and reads one whole DUMPALL from it,
// so the driver has read its device file and serves.
func dumpOnce(sock string) error {
	var c net.Conn
	var err error
	for deadline := time.Now().Add(15 * time.Second); ; {
		if c, err = net.Dial("unix", sock); err == nil {
			break
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("socket %s never answered: %v", sock, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(15 * time.Second))
	br := bufio.NewReader(c)
	if _, err := c.Write([]byte("DUMPALL\n")); err != nil {
		return err
	}
	for {
		l, err := br.ReadString('\n')
		if err != nil {
			return fmt.Errorf("reading dump: %v", err)
		}
		if l == "DUMPDONE\n" {
			return nil
		}
	}
}

// median of a copy of xs.
func median(xs []int) int {
	s := append([]int(nil), xs...)
	sort.Ints(s)
	return s[len(s)/2]
}

func mean(xs []int) float64 {
	sum := 0
	for _, x := range xs {
		sum += x
	}
	return float64(sum) / float64(len(xs))
}

func formatFleet(rs []fleetResult, n int, settle time.Duration) string {
	var b strings.Builder
	fmt.Fprintf(&b, "\n## Memory of %d drivers side by side\n\n", n)
	fmt.Fprintf(&b, "%d copies of each program below run at once, the drivers on %d sections of one ups.conf, all on the same device file; each driver answered one DUMPALL, then all settled %v. PSS (from /proc/PID/smaps_rollup) shares each page among the processes that map it, so the binary's text counts once across its copies; RSS counts it in each. Per copy, median (mean):\n\n", n, n, settle)
	fmt.Fprintf(&b, "| program | RSS KiB | PSS KiB | threads |\n|---|---|---|---|\n")
	for _, r := range rs {
		fmt.Fprintf(&b, "| %s | %d (%.0f) | %d (%.0f) | %d |\n", r.name, median(r.rss), mean(r.rss), median(r.pss), mean(r.pss), median(r.threads))
	}
	deb, us := rs[0], rs[1]
	fmt.Fprintf(&b, "\nRatios, gonut / Debian (means): RSS %.2f, PSS %.2f.", mean(us.rss)/mean(deb.rss), mean(us.pss)/mean(deb.pss))
	if len(rs) > 2 {
		fl := rs[2]
		fmt.Fprintf(&b, " The Go floor (a hello-world that sleeps) / Debian's driver: RSS %.2f, PSS %.2f.", mean(fl.rss)/mean(deb.rss), mean(fl.pss)/mean(deb.pss))
	}
	b.WriteString("\n")
	return b.String()
}
