package main

import (
	"bufio"
	"flag"
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

type result struct {
	name   string
	rssKB  int
	mean   time.Duration
	p99    time.Duration
	lines  int
	dumped int
}

func main() {
	ours := flag.String("ours", "bin/dummy-ups", "our dummy-ups")
	theirs := flag.String("theirs", "/lib/nut/dummy-ups", "Debian's dummy-ups")
	dev := flag.String("dev", "", "device file both drivers serve (default: one generated with -vars variables)")
	nvars := flag.Int("vars", 200, "variables in the generated device file")
	n := flag.Int("n", 2000, "DUMPALL round trips per driver")
	out := flag.String("out", "", "also write the report to this file")
	drivers := flag.Int("drivers", 40, "drivers of each kind started side by side for the memory measure (0: none)")
	floor := flag.String("floor", "", "the Go floor program (default: bench/gofloor, built now)")
	settle := flag.Duration("settle", 3*time.Second, "how long the side-by-side drivers settle before their memory is read")
	flag.Parse()
	if *dev == "" {
		f, err := os.CreateTemp("", "driverbench-*.dev")
		if err != nil {
			fmt.Fprintln(os.Stderr, "driverbench:", err)
			os.Exit(1)
		}
		fmt.Fprintf(f, "ups.status: OL CHRG\nups.mfr: Bench Power\n")
		for i := 0; i < *nvars; i++ {
			fmt.Fprintf(f, "bench.group%d.value%d: \"%d.%d volts and more\"\n", i/10, i, i, i%10)
		}
		f.Close()
		*dev = f.Name()
	}
	if *nvars > 0 && strings.Contains(*dev, "driverbench-") {
		defer os.Remove(*dev)
	}
	var results []result
	for _, d := range []struct{ name, bin string }{{"Debian dummy-ups", *theirs}, {"gonut dummy-ups", *ours}} {
		r, err := measure(d.name, d.bin, *dev, *n)
		if err != nil {
			fmt.Fprintf(os.Stderr, "driverbench: %s: %v\n", d.name, err)
			return
		}
		results = append(results, r)
	}
	report := format(results, *dev, *n)
	if *drivers > 0 {
		kinds := []kind{{"Debian dummy-ups", *theirs, true}, {"gonut dummy-ups", *ours, true}}
		if *floor == "" {
			*floor = filepath.Join(os.TempDir(), "driverbench-gofloor")
			if b, err := exec.Command("go", "build", "-o", *floor, "./bench/gofloor").CombinedOutput(); err != nil {
				fmt.Fprintf(os.Stderr, "driverbench: building the Go floor: %v\n%s", err, b)
				os.Exit(1)
			}
			defer os.Remove(*floor)
		}
		kinds = append(kinds, kind{"Go floor (hello-world, sleeping)", *floor, false})
		rs, err := fleet(kinds, *dev, *drivers, *settle)
		if err != nil {
			fmt.Fprintln(os.Stderr, "driverbench:", err)
			os.Exit(1)
		}
		report += formatFleet(rs, *drivers, *settle)
	}
	fmt.Print(report)
	if *out != "" {
		if err := os.WriteFile(*out, []byte(report), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "driverbench:", err)
			os.Exit(1)
		}
	}
}

func format(rs []result, dev string, n int) string {
	var b strings.Builder
	deb, us := rs[0], rs[1]
	fmt.Fprintf(&b, "# dummy-ups: gonut against Debian's NUT 2.8.0\n\n")
	fmt.Fprintf(&b, "Measured %s on %s: device file %s (%d lines per dump), %d DUMPALL round trips each, one after the other on one connection.\n\n",
		time.Now().UTC().Format("2006-01-02"), hostDesc(), filepath.Base(dev), deb.lines, n)
	fmt.Fprintf(&b, "| measure | Debian | gonut | gonut / Debian |\n|---|---|---|---|\n")
	fmt.Fprintf(&b, "| RSS after start | %d KiB | %d KiB | %.2f |\n", deb.rssKB, us.rssKB, float64(us.rssKB)/float64(deb.rssKB))
	fmt.Fprintf(&b, "| DUMPALL mean | %v | %v | %.2f |\n", deb.mean, us.mean, float64(us.mean)/float64(deb.mean))
	fmt.Fprintf(&b, "| DUMPALL p99 | %v | %v | %.2f |\n", deb.p99, us.p99, float64(us.p99)/float64(deb.p99))
	fmt.Fprintf(&b, "| lines per dump | %d | %d | |\n", deb.lines, us.lines)
	return b.String()
}

func hostDesc() string {
	return fmt.Sprintf("%d cores", procstat.Cores())
}

// benchDir is a new temporary directory holding a copy of the device file
// dev as bench.dev and a ups.conf with a dummy-ups section of each name
// on it. synchronous = yes: Debian's driver otherwise drops a connection
// whose socket buffer fills during a dump ("auto" mode).
func benchDir(prefix, dev string, sections ...string) (string, error) {
	dir, err := os.MkdirTemp("", prefix)
	if err != nil {
		return "", err
	}
	data, err := os.ReadFile(dev)
	if err == nil {
		err = os.WriteFile(filepath.Join(dir, "bench.dev"), data, 0o640)
	}
	if err == nil {
		var conf strings.Builder
		for _, s := range sections {
			fmt.Fprintf(&conf, "[%s]\n\tdriver = dummy-ups\n\tport = bench.dev\n\tsynchronous = yes\n", s)
		}
		err = os.WriteFile(filepath.Join(dir, "ups.conf"), []byte(conf.String()), 0o640)
	}
	if err != nil {
		os.RemoveAll(dir)
		return "", err
	}
	return dir, nil
}

// measure starts one driver in a directory of its own and measures it.
func measure(name, bin, dev string, n int) (result, error) {
	r := result{name: name}
	dir, err := benchDir("driverbench", dev, "bench")
	if err != nil {
		return r, err
	}
	defer os.RemoveAll(dir)
	cmd := exec.Command(bin, "-a", "bench", "-u", "root", "-F")
	cmd.Env = append(os.Environ(), "NUT_CONFPATH="+dir, "NUT_STATEPATH="+dir, "NUT_ALTPIDPATH="+dir)
	logf, _ := os.Create(filepath.Join(os.TempDir(), "driverbench-"+filepath.Base(bin)+".log"))
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		return r, err
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()

	sock := filepath.Join(dir, "dummy-ups-bench")
	var c net.Conn
	for deadline := time.Now().Add(15 * time.Second); ; {
		if c, err = net.Dial("unix", sock); err == nil {
			break
		}
		if time.Now().After(deadline) {
			return r, fmt.Errorf("socket %s never answered: %v", sock, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	defer c.Close()
	br := bufio.NewReaderSize(c, 64<<10)
	c.Write([]byte("NOBROADCAST\n"))
	// Wait for the first update, so both drivers hold the whole file.
	time.Sleep(3 * time.Second)

	times := make([]time.Duration, 0, n)
	for i := 0; i < n; i++ {
		start := time.Now()
		if _, err := c.Write([]byte("DUMPALL\n")); err != nil {
			return r, err
		}
		lines := 0
		for {
			l, err := br.ReadString('\n')
			if err != nil {
				return r, fmt.Errorf("reading dump: %v", err)
			}
			lines++
			if l == "DUMPDONE\n" {
				break
			}
		}
		times = append(times, time.Since(start))
		r.lines = lines
	}
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	var sum time.Duration
	for _, t := range times {
		sum += t
	}
	r.mean = sum / time.Duration(len(times))
	r.p99 = times[len(times)*99/100]
	r.rssKB = procstat.RSS(cmd.Process.Pid)
	return r, nil
}
