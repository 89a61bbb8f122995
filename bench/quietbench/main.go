// Command quietbench measures what a quiet upsd costs the host, the load
// most upsd servers carry all their lives: nobody asking, one monitor
// asking every 5 s, and a hundred such monitors. Debian's upsd, ours as it
// runs by default, copies of ours with a setting of Go's runtime each
// (GOMAXPROCS=1: one scheduler thread; GOGC=off: none of the collections
// Go forces every two minutes), and the least a Go server can be
// (bench/gofloor: a goroutine per connection answering every line, and a
// ticker every 5 s) run side by side and are measured at the same time,
// so that whatever else the machine does falls on all of them alike.
// Each server's CPU time and wake-ups (voluntary context switches) are
// read from /proc over each run.
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
	"sync"
	"time"

	"gonut/bench/internal/procstat"
	"gonut/bench/internal/upsdstack"
)

// every is how often each client asks: upsmon's POLLFREQ is 5 s.
const every = 5 * time.Second

func main() {
	upsd := flag.String("upsd", "bin/upsd", "our upsd")
	debian := flag.String("debian", "/lib/nut/upsd", "Debian's upsd")
	driver := flag.String("driver", "bin/dummy-ups", "the driver they follow")
	dur := flag.Duration("d", time.Minute, "duration of each run")
	rounds := flag.Int("rounds", 2, "how many times each run is repeated")
	out := flag.String("out", "", "also write the report here")
	floor := flag.String("floor", "", "the Go floor server (default: bench/gofloor, built now); none: leave it out")
	variants := flag.String("variants", "GOMAXPROCS=1,GOGC=off", "comma-separated settings of Go's runtime, each a further copy of our upsd run with it, to show what the runtime costs")
	flag.Parse()
	if *floor == "" {
		*floor = filepath.Join(os.TempDir(), "quietbench-gofloor")
		if b, err := exec.Command("go", "build", "-o", *floor, "./bench/gofloor").CombinedOutput(); err != nil {
			fmt.Fprintf(os.Stderr, "quietbench: building the Go floor: %v\n%s", err, b)
			os.Exit(1)
		}
		defer os.Remove(*floor)
	}
	report, err := run(*upsd, *debian, *driver, *floor, *dur, *rounds, strings.Split(*variants, ","))
	if err != nil {
		fmt.Fprintln(os.Stderr, "quietbench:", err)
		os.Remove(*floor)
		os.Exit(1)
	}
	fmt.Print(report)
	if *out != "" {
		if err := os.WriteFile(*out, []byte(report), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "quietbench:", err)
			os.Exit(1)
		}
	}
}

// load is one run: how many clients, each asking every 5 s.
type load struct {
	name    string
	clients int
}

var loads = []load{{"idle", 0}, {"1 client every 5 s", 1}, {"100 clients, each every 5 s", 100}}

// cost is what a server spent over a run.
type cost struct {
	cpu      time.Duration
	switches int
	requests int
	took     time.Duration
}

func run(upsd, debian, driver, floor string, dur time.Duration, rounds int, variants []string) (string, error) {
	st, err := upsdstack.Start(driver)
	if err != nil {
		return "", err
	}
	defer st.Close()
	specs := []upsdstack.Upsd{
		{Name: "Debian", Bin: debian},
		{Name: "gonut", Bin: upsd},
	}
	for _, v := range variants {
		if v = strings.TrimSpace(v); v != "" {
			specs = append(specs, upsdstack.Upsd{Name: "gonut, " + v, Bin: upsd, Env: []string{v}})
		}
	}
	if floor != "none" {
		specs = append(specs, upsdstack.Upsd{Name: "Go floor", Bin: floor})
	}
	var servers []*upsdstack.Server
	for _, u := range specs {
		s, err := st.StartUpsd(u)
		if err != nil {
			return "", err
		}
		defer s.Stop()
		servers = append(servers, s)
	}
	// results[load][server] over the rounds
	results := make([][][]cost, len(loads))
	for r := 0; r < rounds; r++ {
		for li, l := range loads {
			fmt.Fprintf(os.Stderr, "quietbench: round %d, %s, %v\n", r+1, l.name, dur)
			costs, err := measure(servers, l.clients, dur)
			if err != nil {
				return "", err
			}
			if results[li] == nil {
				results[li] = make([][]cost, len(servers))
			}
			for si := range servers {
				results[li][si] = append(results[li][si], costs[si])
			}
		}
	}
	return format(specs, results, dur, rounds), nil
}

// measure runs clients against every server at once for dur, each client
// asking every 5 s (the clients of a server spread evenly over the 5 s),
// and returns what each server spent. Clients connect and ask once
// before the run: what a connection costs is not part of it.
func measure(servers []*upsdstack.Server, clients int, dur time.Duration) ([]cost, error) {
	type conn struct {
		c net.Conn
		r *bufio.Reader
	}
	conns := make([][]conn, len(servers))
	defer func() {
		for _, cs := range conns {
			for _, c := range cs {
				c.c.Close()
			}
		}
	}()
	for si, s := range servers {
		for i := 0; i < clients; i++ {
			c, err := net.Dial("tcp", s.Addr)
			if err != nil {
				return nil, err
			}
			cc := conn{c, bufio.NewReader(c)}
			conns[si] = append(conns[si], cc)
			if _, err := upsdstack.Ask(c, cc.r, "GET VAR "+upsdstack.UPS+" battery.charge"); err != nil {
				return nil, fmt.Errorf("%s: %v", s.Name, err)
			}
		}
	}
	time.Sleep(time.Second) // the first requests' aftermath
	before := make([]cost, len(servers))
	for si, s := range servers {
		before[si] = cost{cpu: procstat.CPUTime(s.Pid()), switches: procstat.Wakeups(s.Pid())}
	}
	start := time.Now()
	requests := make([]int, len(servers))
	var mu sync.Mutex
	var wg sync.WaitGroup
	var firstErr error
	for si := range servers {
		for i, cc := range conns[si] {
			offset := every * time.Duration(i) / time.Duration(clients)
			wg.Add(1)
			go func() {
				defer wg.Done()
				for next := start.Add(offset); next.Before(start.Add(dur)); next = next.Add(every) {
					time.Sleep(time.Until(next))
					cc.c.SetDeadline(time.Now().Add(5 * time.Second))
					a, err := upsdstack.Ask(cc.c, cc.r, "GET VAR "+upsdstack.UPS+" battery.charge")
					mu.Lock()
					if err == nil && !strings.HasPrefix(a, "VAR ") {
						err = fmt.Errorf("answer %q", a)
					}
					if err != nil && firstErr == nil {
						firstErr = fmt.Errorf("%s: %v", servers[si].Name, err)
					}
					requests[si]++
					mu.Unlock()
				}
			}()
		}
	}
	time.Sleep(time.Until(start.Add(dur)))
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	took := time.Since(start)
	costs := make([]cost, len(servers))
	for si, s := range servers {
		costs[si] = cost{
			cpu:      procstat.CPUTime(s.Pid()) - before[si].cpu,
			switches: procstat.Wakeups(s.Pid()) - before[si].switches,
			requests: requests[si],
			took:     took,
		}
	}
	return costs, nil
}

// per is a run's CPU and switches per request, or per second when idle.
func (c cost) per(idle bool) (cpu time.Duration, switches float64) {
	n := float64(c.requests)
	if idle {
		n = c.took.Seconds()
	}
	n = max(n, 1)
	return time.Duration(float64(c.cpu) / n), float64(c.switches) / n
}

func format(specs []upsdstack.Upsd, results [][][]cost, dur time.Duration, rounds int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# A quiet upsd: gonut against Debian's NUT 2.8.0\n\n")
	fmt.Fprintf(&b, "Measured %s by `bench/quietbench`: the servers follow the same dummy-ups (MAXAGE 15, so each pings it every 5 s) and run side by side, measured at the same time, %d runs of %v per load. Clients keep their connection and ask GET VAR every 5 s, as upsmon does; the figures are the server's CPU time and voluntary context switches (its wake-ups: a task that takes the CPU away from it is not counted, so that the rest of the machine does not count) per request, or per second idle, over the run; the ping to the driver is part of them. The Go floor (`bench/gofloor`) is the least a Go server can be: a goroutine per connection on Go's net package answering every line with the same line, and a ticker every 5 s for the ping; what it costs beyond Debian's upsd is Go's runtime's. Each cell is the range over the runs; the ratio is of the medians.\n\n", time.Now().Format("2006-01-02"), rounds, dur)
	fmt.Fprintf(&b, "| load | measure |")
	for _, s := range specs {
		fmt.Fprintf(&b, " %s |", s.Name)
	}
	for _, s := range specs[1:] {
		fmt.Fprintf(&b, " %s / Debian |", strings.TrimPrefix(s.Name, "gonut, "))
	}
	b.WriteString("\n|---|---|")
	for range specs[1:] {
		b.WriteString("---|---|")
	}
	b.WriteString("---|\n")
	for li, l := range loads {
		idle := l.clients == 0
		unit := "per request"
		if idle {
			unit = "per second"
		}
		cpuRow := fmt.Sprintf("| %s | CPU %s |", l.name, unit)
		swRow := fmt.Sprintf("| %s | wake-ups (voluntary context switches) %s |", l.name, unit)
		var cpuMed, swMed []float64
		for si := range specs {
			var cpus, sws []float64
			for _, c := range results[li][si] {
				cpu, sw := c.per(idle)
				cpus = append(cpus, float64(cpu)/float64(time.Microsecond))
				sws = append(sws, sw)
			}
			cpuRow += " " + span(cpus, "%.0f µs") + " |"
			swRow += " " + span(sws, "%.2f") + " |"
			cpuMed = append(cpuMed, median(cpus))
			swMed = append(swMed, median(sws))
		}
		for i := 1; i < len(specs); i++ {
			cpuRow += fmt.Sprintf(" %.2f |", cpuMed[i]/max(cpuMed[0], 1e-9))
			swRow += fmt.Sprintf(" %.2f |", swMed[i]/max(swMed[0], 1e-9))
		}
		b.WriteString(cpuRow + "\n" + swRow + "\n")
	}
	return b.String()
}

func span(v []float64, f string) string {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	if len(s) == 0 {
		return "-"
	}
	lo, hi := fmt.Sprintf(f, s[0]), fmt.Sprintf(f, s[len(s)-1])
	if lo == hi {
		return lo
	}
	return strings.TrimSuffix(lo, " µs") + "-" + hi
}

func median(v []float64) float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	if len(s) == 0 {
		return 0
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
