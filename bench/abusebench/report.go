package main

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// The goals upsd's handling of abuse is checked against.
const (
	goalP99      = 10 * time.Millisecond // a poller's p99, whatever the abusers do
	goalGrowth   = 1 << 10               // KiB/s of RSS growth in the abuse's second half: none to speak of
	goalRSSAfter = 10 << 10              // KiB above the RSS before, once the abusers have left
)

type rssAt struct {
	at time.Duration // since the abuse began
	kb int
}

type secStat struct {
	p50, p99 time.Duration
	n        int
}

// result is what one scenario did to one server.
type result struct {
	server    string
	realtime  bool          // the pollers ran under SCHED_FIFO
	rssBefore int           // KiB, when the abuse began
	rss       []rssAt       // from then until the last reading after
	left      time.Duration // when the abusers left, since the abuse began
	took      time.Duration // how long the abuse lasted
	window    time.Duration // how long the pollers were measured from the abuse's start
	cpu       float64       // of one core, over the window
	polls     int
	failed    int
	p50, p99  time.Duration
	worstSec  time.Duration // the worst second's p99
	seconds   []secStat
	notes     []string
}

// stats takes the pollers' samples during the abuse apart, by second and
// over all. A poll that got no answer
// counts as pollTimeout at least.
func (r *result) stats(samples []sample, from, to time.Time) {
	var all []time.Duration
	var bySec [][]time.Duration
	for _, s := range samples {
		lat := s.lat
		if !s.ok {
			lat = max(lat, pollTimeout)
		}
		if s.at.Before(from) || !s.at.Before(to) {
			continue
		}
		all = append(all, lat)
		r.polls++
		if !s.ok {
			r.failed++
		}
		sec := int(s.at.Sub(from) / time.Second)
		for len(bySec) <= sec {
			bySec = append(bySec, nil)
		}
		bySec[sec] = append(bySec[sec], lat)
	}
	r.p50, r.p99 = pct(all, 0.5), pct(all, 0.99)
	for _, ds := range bySec {
		st := secStat{pct(ds, 0.5), pct(ds, 0.99), len(ds)}
		r.seconds = append(r.seconds, st)
		r.worstSec = max(r.worstSec, st.p99)
	}
}

// pct is the q-quantile of ds (which it sorts): the smallest value that
// at least q of them do not exceed.
func pct(ds []time.Duration, q float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	i := int(math.Ceil(q*float64(len(ds)))) - 1
	return ds[max(i, 0)]
}

// during is the RSS readings while the abuse lasted; afterwards, those
// after the abusers left.
func (r *result) during() []rssAt {
	i, _ := slices.BinarySearchFunc(r.rss, r.left, func(s rssAt, t time.Duration) int { return cmp.Compare(s.at, t) })
	return r.rss[:i]
}

func (r *result) afterwards() []rssAt { return r.rss[len(r.during()):] }

func peak(rss []rssAt) int {
	kb := 0
	for _, s := range rss {
		kb = max(kb, s.kb)
	}
	return kb
}

// rssAfter is the first reading at least d after the abusers left; -1
// when the server was gone.
func (r *result) rssAfter(d time.Duration) int {
	for _, s := range r.afterwards() {
		if s.at >= r.left+d && s.kb > 0 {
			return s.kb
		}
	}
	return -1
}

// growth is how fast RSS grew over the abuse's second half, in KiB/s.
func (r *result) growth() float64 {
	rss := r.during()
	if len(rss) < 4 {
		return 0
	}
	last := rss[len(rss)-1]
	mid := rss[0]
	for _, s := range rss {
		if s.at <= last.at/2 {
			mid = s
		}
	}
	if last.at <= mid.at {
		return 0
	}
	return float64(last.kb-mid.kb) / (last.at - mid.at).Seconds()
}

// runInfo is what the report says of the run as a whole.
type runInfo struct {
	took                  time.Duration
	loadStart, loadFinish string // /proc/loadavg's first three figures
}

// format writes the report.
func format(servers []server, scs []scenario, results [][]*result, p plan, info runInfo) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# upsd under abuse: gonut against Debian's NUT 2.8.0\n\n")
	fmt.Fprintf(&b, "Measured %s on a %d-core machine, in %v (`make bench`, or `go run ./bench/abusebench`; `-quick` for a short run). "+
		"The machine's load average was %s at the start and %s at the end: it is shared, and what else runs on it shows in the figures, most in the p99s.\n\n",
		time.Now().UTC().Format("2006-01-02"), p.cores, info.took.Round(time.Second), info.loadStart, info.loadFinish)
	fmt.Fprintf(&b, "Servers: Debian's upsd (NUT 2.8.0) and ours")
	for _, s := range servers[2:] {
		fmt.Fprintf(&b, "; %q: ours", s.name)
		if s.noIOUring {
			fmt.Fprintf(&b, " with io_uring forbidden (a seccomp filter fails io_uring_setup with ENOSYS, so it serves every client from a goroutine, as where io_uring is missing)")
		}
		if len(s.env) > 0 {
			fmt.Fprintf(&b, " with %s in its environment", strings.Join(s.env, " "))
		}
		if s.conf != "" {
			fmt.Fprintf(&b, " with upsd.conf lines %q", strings.TrimSpace(s.conf))
		}
	}
	fmt.Fprintf(&b, ". Each is started afresh for each scenario (MAXCONN 4096, no certificate), on loopback, following the same dummy-ups (the UPS has 52 variables: a `LIST VAR` answer is about 1.5 KB).\n\n")
	realtime := true
	for _, rs := range results {
		for _, r := range rs {
			realtime = realtime && r.realtime
		}
	}
	fmt.Fprintf(&b, "How it is measured: %d light pollers, each on its own connection, ask `%s` every %v, as upsmon does. ",
		p.pollers, strings.TrimSpace(pollRequest), p.every)
	fmt.Fprintf(&b, "They run in a process of their own, one thread with epoll")
	if realtime {
		fmt.Fprintf(&b, " under SCHED_FIFO, so that neither the abusers nor anything else can keep them off a CPU: the latency they see is the server's. ")
	} else {
		fmt.Fprintf(&b, ", **at normal priority (SCHED_FIFO was refused), so their latency includes waiting for a CPU**. ")
	}
	if p.pin {
		fmt.Fprintf(&b, "The server under test and the pollers have the last core (taskset); the abusers, goroutines of a process of their own, have the other, "+
			"as clients on other machines would, so that what they cost does not come out of the server's CPU. "+
			"The machine is shared: so that what else runs on it takes little from the server, the server runs in a session, hence a scheduling group, of its own "+
			"at nice %d (a nice value counts only within its group), with a time slice of %v, which lets it preempt others as soon as it wakes "+
			"(a real-time policy would make its own threads take turns 100 ms at a time). The abusers' process has a group of its own at nice %d. ",
			serverNice, serverSlice, abuserNice)
	}
	fmt.Fprintf(&b, "Requests go out on a fixed schedule: one held up by a late answer counts from when it was due, so a stalled server shows on every poll it held up. "+
		"A poll with no answer within %v, or whose connection the server closed, is counted failed and as %v in the percentiles.\n\n", pollTimeout, pollTimeout)
	fmt.Fprintf(&b, "Each scenario: %v of pollers alone, then %v of abuse, after which the abusers close all their connections (\"leave\"); "+
		"a burst lasts until its clients are done, and its pollers are measured for %v from its start all the same. "+
		"p50/p99 are over the pollers' requests due in that time (about %d per server); the worst second is the highest p99 of any one second of it. "+
		"Server CPU is its threads' run time (schedstat) over the same time, in cores. RSS is read every 100 ms, during the abuse and for %v after the abusers leave "+
		"(meanwhile the server waits on the abusers' core at nice %d, and the next server is measured). The servers take turns, one abused at a time.\n\n",
		p.warmup, p.abuse, p.abuse, int(p.abuse/p.every)*p.pollers, p.after[len(p.after)-1], afterNice)
	fmt.Fprintf(&b, "Goals for our upsd (✓ met, ✗ not, marked on every server): a poller's p99 under %v whatever the abusers do; RSS bounded, "+
		"that is no growth to speak of (under %d MiB/s) in the abuse's second half; and abuse, a burst included, costs memory only while it lasts: "+
		"%v after the abusers leave, RSS is within %d MiB of what it was before.\n\n",
		goalP99, goalGrowth>>10, p.after[len(p.after)-1], goalRSSAfter>>10)

	t := newTable(servers)
	b.WriteString("## Summary\n\n")
	b.WriteString(t.header("scenario", "measure"))
	lastD := p.after[len(p.after)-1]
	lastAfter := fmt.Sprintf("RSS %v after", lastD)
	for i, sc := range scs {
		rs := results[i]
		b.WriteString(t.row(sc.name+" | poller p99", "< 10 ms", msVals(len(rs), func(j int) time.Duration { return rs[j].p99 }), fmtMs, p99OK))
		b.WriteString(t.row(sc.name+" | RSS peak", "", kbVals(rs, func(r *result) int { return peak(r.rss) }), fmtMiB, nil))
		b.WriteString(t.row(sc.name+" | "+lastAfter, "≈ before", kbVals(rs, func(r *result) int { return r.rssAfter(lastD) }), fmtMiB, afterOK(rs)))
	}
	b.WriteString("\n## Scenarios\n\n")
	for i, sc := range scs {
		rs := results[i]
		fmt.Fprintf(&b, "### %s\n\n%s.\n\n", sc.name, sc.what)
		b.WriteString(t.header("measure"))
		b.WriteString(t.row("polls (failed)", "", nil, nil, nil))
		b.WriteString(t.cells(func(r *result) string { return fmt.Sprintf("%d (%d)", r.polls, r.failed) }, rs))
		b.WriteString(t.row("poller p50", "", msVals(len(rs), func(j int) time.Duration { return rs[j].p50 }), fmtMs, nil))
		b.WriteString(t.row("poller p99", "< 10 ms", msVals(len(rs), func(j int) time.Duration { return rs[j].p99 }), fmtMs, p99OK))
		b.WriteString(t.row("poller p99, worst second", "", msVals(len(rs), func(j int) time.Duration { return rs[j].worstSec }), fmtMs, nil))
		b.WriteString(t.row("abuse lasted", "", msVals(len(rs), func(j int) time.Duration { return rs[j].took }), fmtMs, nil))
		b.WriteString(t.row("server CPU", "", vals(len(rs), func(j int) float64 { return rs[j].cpu }), func(v float64) string { return fmt.Sprintf("%.2f cores", v) }, nil))
		b.WriteString(t.row("RSS before", "", kbVals(rs, func(r *result) int { return r.rssBefore }), fmtMiB, nil))
		b.WriteString(t.row("RSS peak during the abuse", "", kbVals(rs, func(r *result) int { return peak(r.during()) }), fmtMiB, nil))
		b.WriteString(t.row("RSS peak after it", "", kbVals(rs, func(r *result) int { return peak(r.afterwards()) }), fmtMiB, nil))
		if !sc.burst {
			// In steps of 0.1 MiB/s: a ratio to next to nothing means
			// nothing. (+0 turns -0 into 0.)
			b.WriteString(t.row("RSS growth, abuse's 2nd half", fmt.Sprintf("< %d MiB/s", goalGrowth>>10), vals(len(rs), func(j int) float64 { return math.Round(rs[j].growth()/102.4)*102.4 + 0 }),
				func(v float64) string { return fmt.Sprintf("%.1f MiB/s", v/1024) }, func(_ int, v float64) bool { return v < goalGrowth }))
		}
		for k, d := range p.after {
			goal, ok := "", (func(int, float64) bool)(nil)
			if k == len(p.after)-1 {
				goal, ok = "≈ before", afterOK(rs)
			}
			b.WriteString(t.row(fmt.Sprintf("RSS %v after", d), goal, kbVals(rs, func(r *result) int { return r.rssAfter(d) }), fmtMiB, ok))
		}
		b.WriteString("\n")
		for _, r := range rs {
			for _, n := range r.notes {
				fmt.Fprintf(&b, "- %s: %s\n", r.server, n)
			}
		}
		b.WriteString("\n")
	}
	b.WriteString("## Second by second\n\nThe pollers' p50 / p99 in each second of the abuse, in ms.\n\n")
	for i, sc := range scs {
		rs := results[i]
		n := 0
		for _, r := range rs {
			n = max(n, len(r.seconds))
		}
		fmt.Fprintf(&b, "%s:\n\n| server |", sc.name)
		for s := range n {
			fmt.Fprintf(&b, " %d |", s+1)
		}
		b.WriteString("\n|---|" + strings.Repeat("---|", n) + "\n")
		for _, r := range rs {
			fmt.Fprintf(&b, "| %s |", r.server)
			for s := range n {
				if s < len(r.seconds) {
					st := r.seconds[s]
					fmt.Fprintf(&b, " %s / %s |", msNumber(st.p50), msNumber(st.p99))
				} else {
					b.WriteString(" |")
				}
			}
			b.WriteString("\n")
		}
		b.WriteString("\n")
	}
	return b.String()
}

// table writes rows with a column per server and, for each of ours, its
// ratio to Debian's (the first server).
type table struct{ servers []server }

func newTable(servers []server) table { return table{servers} }

func (t table) header(lead ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "| %s | goal | %s |", strings.Join(lead, " | "), t.servers[0].name)
	for _, s := range t.servers[1:] {
		fmt.Fprintf(&b, " %s | %s / %s |", s.name, s.name, t.servers[0].name)
	}
	b.WriteString("\n|" + strings.Repeat("---|", len(lead)+2) + strings.Repeat("---|---|", len(t.servers)-1) + "\n")
	return b.String()
}

// row is one line: its leading cells (joined with " | "), its goal, and
// its values, formatted, each marked ✓ or ✗ when ok is given (ok takes the
// server's index and value). With vs nil, cells follows.
func (t table) row(lead, goal string, vs []float64, f func(float64) string, ok func(int, float64) bool) string {
	if vs == nil {
		return fmt.Sprintf("| %s | %s |", lead, goal)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "| %s | %s |", lead, goal)
	for i, v := range vs {
		cell := f(v)
		if ok != nil {
			cell += mark(ok(i, v))
		}
		fmt.Fprintf(&b, " %s |", cell)
		if i > 0 {
			fmt.Fprintf(&b, " %s |", ratio(v, vs[0]))
		}
	}
	b.WriteString("\n")
	return b.String()
}

// cells ends a row begun by row with vs nil: a text cell per server.
func (t table) cells(f func(*result) string, rs []*result) string {
	var b strings.Builder
	for i, r := range rs {
		fmt.Fprintf(&b, " %s |", f(r))
		if i > 0 {
			b.WriteString(" |")
		}
	}
	b.WriteString("\n")
	return b.String()
}

func mark(ok bool) string {
	if ok {
		return " ✓"
	}
	return " ✗"
}

// ratio is v/debian to two or three significant digits; nothing when
// either is not above 0 (a process gone reads -1).
func ratio(v, debian float64) string {
	if debian <= 0 || v < 0 { // nothing to compare with, or gone
		return ""
	}
	r := v / debian
	switch {
	case r == 0:
		return "0"
	case math.Abs(r) < 0.01:
		return fmt.Sprintf("%.3f", r)
	case math.Abs(r) >= 100:
		return fmt.Sprintf("%.0f", r)
	}
	return fmt.Sprintf("%.2f", r)
}

func vals(n int, f func(int) float64) []float64 {
	vs := make([]float64, n)
	for i := range vs {
		vs[i] = f(i)
	}
	return vs
}

func msVals(n int, f func(int) time.Duration) []float64 {
	return vals(n, func(i int) float64 { return float64(f(i)) / float64(time.Millisecond) })
}

func kbVals(rs []*result, f func(*result) int) []float64 {
	return vals(len(rs), func(i int) float64 { return float64(f(rs[i])) })
}

func p99OK(_ int, v float64) bool { return v < float64(goalP99/time.Millisecond) }

// afterOK: within goalRSSAfter of the RSS before the abuse.
func afterOK(rs []*result) func(int, float64) bool {
	return func(i int, kb float64) bool { return kb > 0 && kb <= float64(rs[i].rssBefore+goalRSSAfter) }
}

func fmtMs(v float64) string { return ms(time.Duration(v * float64(time.Millisecond))) }

func ms(d time.Duration) string { return msNumber(d) + " ms" }

// msNumber is d in milliseconds, to two or three significant digits.
func msNumber(d time.Duration) string {
	v := float64(d) / float64(time.Millisecond)
	switch {
	case v < 10:
		return fmt.Sprintf("%.2f", v)
	case v < 100:
		return fmt.Sprintf("%.1f", v)
	}
	return fmt.Sprintf("%.0f", v)
}

// fmtMiB is a reading of RSS; below 0, the process was gone.
func fmtMiB(kb float64) string {
	if kb < 0 {
		return "gone"
	}
	return fmt.Sprintf("%.1f MiB", kb/1024)
}
