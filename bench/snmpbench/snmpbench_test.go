// Package snmpbench measures snmp-ups against Debian's on the same
// agent: a large three-phase ePDU (snmpsim). Run with
//
//	go test -run '^$' -bench . -benchtime 1x ./bench/snmpbench -args -out bench/results/snmp-ups.md
package snmpbench

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"gonut/bench/internal/procstat"
	"gonut/internal/nuttest"
	"gonut/internal/snmpsim"
)

var (
	out     = flag.String("out", "", "also write the report to this file")
	scanOut = flag.String("scanout", "", "also write the scan report to this file")
	window  = flag.Duration("window", 20*time.Second, "how long each driver polls")
)

const debianDriver = "/lib/nut/snmp-ups"

type result struct {
	name      string
	firstWalk time.Duration // start to the last outlet visible through upsd
	requests  int           // in the window
	cpu       time.Duration // in the window
	rssKB     int
	initReqs  int
}

// BenchmarkPollCycle: each driver alone on the agent: how long its first
// full walk takes, then over a window of polling (pollinterval 1,
// pollfreq 1) how many requests it sends and the CPU it spends on them.
func BenchmarkPollCycle(b *testing.B) {
	if _, err := os.Stat(debianDriver); err != nil {
		b.Skip("Debian's snmp-ups is not installed")
	}
	rec, err := os.ReadFile("../../drivers/snmp/testdata/eaton_epdu.gen.snmprec")
	if err != nil {
		b.Fatal(err)
	}
	agent := snmpsim.Start(b, map[string]string{"pdu.snmprec": string(rec)})
	ours := nuttest.Build(b, "gonut/cmd/snmp-ups")
	var results []result
	for _, d := range []struct{ name, bin string }{{"Debian snmp-ups", debianDriver}, {"gonut snmp-ups", ours}} {
		conf := fmt.Sprintf("[pdu]\n\tdriver = snmp-ups\n\tport = %s\n\tcommunity = pdu\n\tpollinterval = 1\n\tpollfreq = 1\n", agent.Addr())
		s := nuttest.NewStack(b, conf, nil)
		s.StartUpsd()
		before := agent.Requests()
		start := time.Now()
		cmd := s.Start(d.bin, "-a", "pdu", "-u", "root", "-F")
		nuttest.Eventually(b, d.name+" serves the last outlet", func() (bool, string) {
			r := nuttest.Exec("", "upsc", s.Addr("pdu"), "outlet.24.status")
			return r.Code == 0 && strings.TrimSpace(r.Out) != "", r.Out + r.Err
		})
		r := result{name: d.name, firstWalk: time.Since(start), initReqs: agent.Requests() - before}
		n0, c0 := agent.Requests(), procstat.CPUTime(cmd.Process.Pid)
		time.Sleep(*window)
		r.requests, r.cpu = agent.Requests()-n0, procstat.CPUTime(cmd.Process.Pid)-c0
		r.rssKB = procstat.RSS(cmd.Process.Pid)
		cmd.Process.Kill()
		results = append(results, r)
	}
	var rep strings.Builder
	fmt.Fprintf(&rep, "# snmp-ups: a three-phase ePDU of 24 outlets in 6 groups\n\n")
	fmt.Fprintf(&rep, "`go test -run '^$' -bench . -benchtime 1x ./bench/snmpbench`, %s. One agent (snmpsim,\n", time.Now().UTC().Format("2006-01-02"))
	fmt.Fprintf(&rep, "`drivers/snmp/testdata/eaton_epdu.gen.snmprec`) on loopback; each driver alone on it, with\n")
	fmt.Fprintf(&rep, "pollinterval 1 and pollfreq 1, so that it walks as often as it can for %s.\n", *window)
	fmt.Fprintf(&rep, "The agent (Python) answers each request in about a millisecond: it sets the pace of a walk.\n")
	fmt.Fprintf(&rep, "NUT's driver walks twice before it serves (its init walk, then an update walk), ours once;\n")
	fmt.Fprintf(&rep, "NUT's walks again only once more than pollfreq seconds have passed (2 s here), ours once\n")
	fmt.Fprintf(&rep, "pollfreq has, so the requests per second say how often each walks, not how fast.\n\n")
	fmt.Fprintf(&rep, "| driver | start to the last outlet through upsd | requests until then | requests/s polling | driver CPU per 1000 requests | RSS |\n|---|---|---|---|---|---|\n")
	for _, r := range results {
		per := time.Duration(0)
		if r.requests > 0 {
			per = r.cpu * 1000 / time.Duration(r.requests)
		}
		fmt.Fprintf(&rep, "| %s | %.2f s | %d | %.0f | %.1f ms | %.1f MB |\n", r.name, r.firstWalk.Seconds(), r.initReqs,
			float64(r.requests)/window.Seconds(), float64(per)/float64(time.Millisecond), float64(r.rssKB)/1024)
	}
	b.Log("\n" + rep.String())
	if *out != "" {
		if err := os.WriteFile(*out, []byte(rep.String()), 0o644); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkScan24: Debian's nut-scanner and ours scan a /24 of loopback
// addresses (127.88.0.0/24) for SNMP agents, four of which answer, with
// a timeout of 1 s: wall time, CPU time and devices found.
func BenchmarkScan24(b *testing.B) {
	const debianScanner = "/usr/bin/nut-scanner"
	if _, err := os.Stat(debianScanner); err != nil || os.Getuid() != 0 {
		b.Skip("needs Debian's nut-scanner, and root for agents on port 161")
	}
	rec, err := os.ReadFile("../../drivers/snmp/testdata/ietf.snmprec")
	if err != nil {
		b.Fatal(err)
	}
	snmpsim.StartAt(b, []string{"127.88.0.1:161", "127.88.0.50:161", "127.88.0.100:161", "127.88.0.254:161"},
		map[string]string{"public.snmprec": string(rec)})
	ours := nuttest.Build(b, "gonut/cmd/nut-scanner")
	var rep strings.Builder
	fmt.Fprintf(&rep, "# nut-scanner: a /24 of loopback addresses\n\n")
	fmt.Fprintf(&rep, "`go test -run '^$' -bench Scan24 -benchtime 1x ./bench/snmpbench`, %s. `nut-scanner -S -m 127.88.0.0/24 -t 1 -q`:\n", time.Now().UTC().Format("2006-01-02"))
	fmt.Fprintf(&rep, "256 addresses, four with an SNMP agent (snmpsim, RFC 1628); for the others the kernel\n")
	fmt.Fprintf(&rep, "answers port unreachable, which ours takes for no agent at once (its socket is connected)\n")
	fmt.Fprintf(&rep, "where Debian's waits out its 1 s timeout. Both at their default of 512 scans at once.\n\n")
	fmt.Fprintf(&rep, "| scanner | wall time | CPU time | devices found |\n|---|---|---|---|\n")
	for _, sc := range []struct{ name, bin string }{{"Debian nut-scanner", debianScanner}, {"gonut nut-scanner", ours}} {
		cmd := exec.Command(sc.bin, "-S", "-m", "127.88.0.0/24", "-t", "1", "-q")
		var stdout strings.Builder
		cmd.Stdout = &stdout
		start := time.Now()
		if err := cmd.Run(); err != nil {
			b.Fatalf("%s: %v", sc.name, err)
		}
		wall := time.Since(start)
		cpu := cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
		fmt.Fprintf(&rep, "| %s | %.2f s | %.0f ms | %d |\n", sc.name, wall.Seconds(), float64(cpu)/float64(time.Millisecond),
			strings.Count(stdout.String(), "[nutdev"))
	}
	b.Log("\n" + rep.String())
	if *scanOut != "" {
		if err := os.WriteFile(*scanOut, []byte(rep.String()), 0o644); err != nil {
			b.Fatal(err)
		}
	}
}
