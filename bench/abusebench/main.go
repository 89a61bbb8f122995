// Command abusebench measures how gonut's upsd and Debian's stand abuse,
// side by side in one run: while abusive clients do their worst (clients
// that never read their answers, STARTTLS without a certificate followed
// by a flood, garbage, a burst of 2000 clients, slowloris, huge lines,
// connection churn, password guessing), light pollers ask for
// ups.status ten times a second each, as upsmon would. It reports the
// pollers' latency, the server's CPU and its resident memory during the
// abuse and after the abusers leave, next to the goals upsd is held to.
//
//	go run ./bench/abusebench -upsd bin/upsd -driver bin/dummy-ups -out bench/results/abuse.md
//
// Each server is started afresh for each scenario, all following the same
// dummy-ups. -variant adds servers: our upsd under another setting, with
// an environment variable (-variant 'NAME=KEY=VALUE'), an upsd.conf line
// (-variant 'NAME=conf:LINE') or io_uring forbidden (-variant
// 'NAME=no-io_uring', see launchArg). The default variant is upsd's
// opt-in io_uring loop (GONUT_IO_URING_LOOP yes), beside its default path.
//
// The pollers (poller.go), the abusers (abusers.go) and each server
// (launch.go) run in processes of their own: see the report's "How it is
// measured" (report.go) for why.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"gonut/bench/internal/procstat"
	"gonut/bench/internal/upsdstack"
)

// server is one upsd to measure.
type server struct {
	name      string
	bin       string
	env       []string // added to its environment
	conf      string   // added to upsd.conf
	noIOUring bool     // started with io_uring forbidden
}

// Nice values when pinned: the server under test (its own core), the
// abusers (the others), and servers waiting out their after-phase there;
// and the server's time slice (see launchArg).
const (
	serverNice  = -20
	serverSlice = 100 * time.Microsecond
	abuserNice  = -5
	afterNice   = 10
)

// plan is what one run measures, and how.
type plan struct {
	warmup   time.Duration   // pollers alone, before each scenario
	abuse    time.Duration   // how long each scenario's abuse lasts
	burstCap time.Duration   // how long a burst may take
	after    []time.Duration // when RSS is read again after the abusers leave
	pollers  int
	every    time.Duration
	rssCap   int // KiB: the abuse stops early past it
	pin      bool
	cores    int
}

func main() {
	if len(os.Args) > 1 {
		switch os.Args[1] {
		case pollerArg:
			pollerMain(os.Args[2:])
			return
		case launchArg:
			launchMain(os.Args[2:])
			return
		case abuseArg:
			abuseMain(os.Args[2:])
			return
		}
	}
	upsd := flag.String("upsd", "bin/upsd", "our upsd")
	debian := flag.String("debian", "/lib/nut/upsd", "Debian's upsd")
	driver := flag.String("driver", "bin/dummy-ups", "the driver every server follows")
	out := flag.String("out", "", "also write the report here")
	quick := flag.Bool("quick", false, "a short run: -d 3s -after 1s,10s unless they are given")
	abuse := flag.Duration("d", 6*time.Second, "how long each scenario's abuse lasts")
	afterFlag := flag.String("after", "1s,10s,30s", "when to read RSS again after the abusers leave, comma-separated")
	only := flag.String("only", "", "run only these scenarios, comma-separated")
	pinFlag := flag.Bool("pin", true, "run the server under test on the last core, the abusers on the others")
	var variants variantFlag
	flag.Var(&variants, "variant", "another server to measure: `NAME=SPEC[;SPEC...]`, SPEC being KEY=VALUE (environment), conf:LINE (added to upsd.conf) or no-io_uring; repeatable; none: just Debian's and ours (default: 'gonut, io_uring loop=conf:GONUT_IO_URING_LOOP yes', the opt-in path beside the default)")
	flag.Parse()
	if *quick {
		given := map[string]bool{}
		flag.Visit(func(f *flag.Flag) { given[f.Name] = true })
		if !given["d"] {
			*abuse = 3 * time.Second
		}
		if !given["after"] {
			*afterFlag = "1s,10s"
		}
	}
	after, err := parseDurations(*afterFlag)
	if err != nil {
		fmt.Fprintln(os.Stderr, "abusebench: -after:", err)
		os.Exit(2)
	}
	p := plan{warmup: time.Second, abuse: *abuse, burstCap: 30 * time.Second, after: after,
		pollers: 8, every: 100 * time.Millisecond, rssCap: 2 << 20, cores: procstat.Cores()}
	p.pin = *pinFlag && p.cores > 1
	servers := []server{{name: "Debian", bin: *debian}, {name: "gonut", bin: *upsd}}
	if !variants.set {
		variants.add("gonut, io_uring loop=conf:GONUT_IO_URING_LOOP yes")
	}
	for _, v := range variants.specs {
		s, err := parseVariant(v, *upsd)
		if err != nil {
			fmt.Fprintln(os.Stderr, "abusebench: -variant:", err)
			os.Exit(2)
		}
		servers = append(servers, s)
	}
	var run []scenario
	for _, sc := range scenarios() {
		if *only == "" || slices.Contains(strings.Split(*only, ","), sc.name) {
			run = append(run, sc)
		}
	}
	if len(run) == 0 {
		fmt.Fprintln(os.Stderr, "abusebench: -only matches no scenario")
		os.Exit(2)
	}
	report, err := measureAll(servers, run, *driver, p)
	if err != nil {
		fmt.Fprintln(os.Stderr, "abusebench:", err)
		os.Exit(1)
	}
	fmt.Print(report)
	if *out != "" {
		if err := os.WriteFile(*out, []byte(report), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "abusebench:", err)
			os.Exit(1)
		}
	}
}

// variantFlag collects -variant flags.
type variantFlag struct {
	specs []string
	set   bool
}

func (v *variantFlag) String() string { return strings.Join(v.specs, " ") }
func (v *variantFlag) Set(s string) error {
	v.set = true
	if s != "none" {
		v.add(s)
	}
	return nil
}
func (v *variantFlag) add(s string) { v.specs = append(v.specs, s) }

// parseVariant reads NAME=SPEC[;SPEC...] (see the -variant flag).
func parseVariant(s, upsd string) (server, error) {
	name, specs, ok := strings.Cut(s, "=")
	if !ok || name == "" || specs == "" {
		return server{}, fmt.Errorf("%q: want NAME=SPEC[;SPEC...]", s)
	}
	srv := server{name: name, bin: upsd}
	for _, spec := range strings.Split(specs, ";") {
		switch line, isConf := strings.CutPrefix(spec, "conf:"); {
		case isConf:
			srv.conf += line + "\n"
		case spec == "no-io_uring":
			srv.noIOUring = true
		case strings.Contains(spec, "="):
			srv.env = append(srv.env, spec)
		default:
			return server{}, fmt.Errorf("%q: %q is neither KEY=VALUE, conf:LINE nor no-io_uring", s, spec)
		}
	}
	return srv, nil
}

func parseDurations(s string) ([]time.Duration, error) {
	var ds []time.Duration
	for _, f := range strings.Split(s, ",") {
		d, err := time.ParseDuration(strings.TrimSpace(f))
		if err != nil || d <= 0 || (len(ds) > 0 && d <= ds[len(ds)-1]) {
			return nil, fmt.Errorf("%q: want increasing durations such as 1s,10s,30s", s)
		}
		ds = append(ds, d)
	}
	return ds, nil
}

// measureAll runs every scenario on every server and returns the report.
// The servers take turns, one abused at a time; while the next one is
// abused, the last one waits out its after-phase on the abusers' cores.
func measureAll(servers []server, scs []scenario, driver string, p plan) (string, error) {
	if p.pin {
		// This process and the abusers it starts keep off the servers'
		// core.
		if err := procstat.Pin(0, abuserCores(p)...); err != nil {
			return "", fmt.Errorf("pinning the abusers: %v", err)
		}
	}
	st, err := upsdstack.Start(driver)
	if err != nil {
		return "", err
	}
	defer st.Close()
	// Interrupted: no server is left behind (the pollers go when their
	// stdin closes).
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-sig
		st.Close()
		os.Exit(1)
	}()
	start, load := time.Now(), loadavg()
	results := make([][]*result, len(scs))
	var wg sync.WaitGroup
	for i, sc := range scs {
		for _, srv := range servers {
			fmt.Fprintf(os.Stderr, "abusebench: %s, %s\n", sc.name, srv.name)
			r, err := measure(st, srv, sc, p, &wg)
			if err != nil {
				wg.Wait()
				return "", fmt.Errorf("%s, %s: %v", sc.name, srv.name, err)
			}
			results[i] = append(results[i], r)
		}
	}
	wg.Wait()
	fmt.Fprintf(os.Stderr, "abusebench: done in %v\n", time.Since(start).Round(time.Second))
	return format(servers, scs, results, p, runInfo{time.Since(start), load, loadavg()}), nil
}

// loadavg is the machine's load average over 1, 5 and 15 minutes.
func loadavg() string {
	b, _ := os.ReadFile("/proc/loadavg")
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// abuserCores are all the cores but the servers' last one.
func abuserCores(p plan) []int {
	var cs []int
	for c := range p.cores - 1 {
		cs = append(cs, c)
	}
	return cs
}

// measure starts a fresh server, runs the pollers alone for the warmup,
// then with the scenario's abusers; once they leave it returns, and the
// server's RSS after is read on in the background (wg).
func measure(st *upsdstack.Stack, s server, sc scenario, p plan, wg *sync.WaitGroup) (*result, error) {
	logf, err := os.CreateTemp(st.Dir, "log-")
	if err != nil {
		return nil, err
	}
	u := upsdstack.Upsd{Name: s.name, Bin: s.bin, Conf: "MAXCONN 4096\n" + s.conf, Users: users, Env: s.env, Log: logf}
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	u.Prefix = []string{exe, launchArg}
	if p.pin {
		u.Prefix = append([]string{"taskset", "-c", strconv.Itoa(p.cores - 1)}, u.Prefix...)
		u.Prefix = append(u.Prefix, "nice="+strconv.Itoa(serverNice), "slice="+serverSlice.String())
	}
	if s.noIOUring {
		u.Prefix = append(u.Prefix, "no-io_uring")
	}
	u.Prefix = append(u.Prefix, "--")
	srv, err := st.StartUpsd(u)
	if err != nil {
		logf.Close()
		return nil, err
	}
	stopped := false
	defer func() {
		if !stopped {
			srv.Stop()
			logf.Close()
		}
	}()
	if s.noIOUring {
		if log, _ := os.ReadFile(logf.Name()); !strings.Contains(string(log), "from a goroutine") {
			fmt.Fprintf(os.Stderr, "abusebench: %s does not say it serves each client from a goroutine; its log:\n%s\n", s.name, log)
		}
	}
	pid := srv.Pid()
	pollerCores := []int{p.cores - 1}
	if !p.pin {
		pollerCores = append(abuserCores(p), p.cores-1)
	}
	pol, err := startPollers(srv.Addr, p.pollers, p.every, pollerCores)
	if err != nil {
		return nil, err
	}
	time.Sleep(p.warmup)

	r := &result{server: s.name, realtime: pol.realtime, rssBefore: procstat.RSS(pid)}
	t0 := time.Now()
	limit := p.abuse
	if sc.burst {
		limit = p.burstCap
	}
	ab, err := startAbusers(sc, srv.Addr, t0.Add(limit))
	if err != nil {
		return nil, err
	}
	cpu0 := procstat.CPUTime(pid)
	left := make(chan time.Time, 1)
	series := sampleRSS(pid, t0, p, left, ab.stop, func() { srv.Cmd.Process.Kill() })
	note := ab.wait()
	leftAt := time.Now()
	left <- leftAt
	if note != "" {
		r.notes = append(r.notes, "abusers: "+note)
	}
	r.took = leftAt.Sub(t0)
	// The pollers' window: the abuse, or for a burst at least as long
	// as another scenario's abuse, since what a burst leaves behind may
	// last longer than the burst. Polls due in it are all counted: the
	// child waits for their answers, and sends none due later.
	end := t0.Add(max(r.took, p.abuse))
	if sc.burst {
		time.Sleep(time.Until(end))
	}
	r.window = end.Sub(t0)
	r.cpu = float64(procstat.CPUTime(pid)-cpu0) / float64(r.window)
	r.stats(pol.stop(end), t0, end.Add(p.every))
	fmt.Fprintf(os.Stderr, "abusebench:   pollers p50 %v p99 %v, %d of %d failed; RSS %d KiB before, %d now; CPU %.0f%%\n",
		r.p50, r.p99, r.failed, r.polls, r.rssBefore, procstat.RSS(pid), r.cpu*100)

	// After: the server waits on the abusers' cores, below them, so that
	// what it still does slows neither the next server measured nor its
	// abusers.
	if p.pin {
		procstat.Pin(pid, abuserCores(p)...)
		procstat.Nice(pid, afterNice, 0)
		procstat.AutogroupNice(pid, afterNice)
	}
	stopped = true
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer logf.Close()
		defer srv.Stop()
		got := <-series
		r.rss, r.left = got.rss, leftAt.Sub(t0)
		if got.note != "" {
			r.notes = append(r.notes, got.note)
		}
		if got.note == "" && procstat.RSS(pid) == 0 {
			r.notes = append(r.notes, "the server died")
		}
	}()
	return r, nil
}

// rssSeries is a server's RSS, read every 100 ms.
type rssSeries struct {
	rss  []rssAt
	note string // why the abuse stopped early or the server was killed
}

// sampleRSS reads a server's RSS every 100 ms from t0 until the last of
// plan.after past the time that comes on left (when the abusers left).
// Past plan.rssCap it calls stop while the abuse lasts, kill after.
func sampleRSS(pid int, t0 time.Time, p plan, left <-chan time.Time, stop, kill func()) <-chan rssSeries {
	series := make(chan rssSeries, 1)
	go func() {
		var out rssSeries
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		var leftAt, end time.Time
		for {
			now := time.Now()
			kb := procstat.RSS(pid)
			out.rss = append(out.rss, rssAt{now.Sub(t0), kb})
			switch {
			case kb <= p.rssCap || out.note != "":
			case end.IsZero():
				out.note = fmt.Sprintf("abuse stopped after %.1f s: RSS past %d MiB", now.Sub(t0).Seconds(), p.rssCap>>10)
				stop()
			default:
				// Still growing after the abusers left: the machine
				// is shared.
				out.note = fmt.Sprintf("killed %.1f s after the abusers left: RSS past %d MiB", now.Sub(leftAt).Seconds(), p.rssCap>>10)
				kill()
			}
			select {
			case leftAt = <-left:
				end = leftAt.Add(p.after[len(p.after)-1])
			default:
			}
			if !end.IsZero() && !now.Before(end) {
				series <- out
				return
			}
			<-tick.C
		}
	}()
	return series
}
