// Command apcsmartbench measures how soon upsc would show a power failure
// that an APC Smart-UPS announces with its '!' alert, through Debian's
// upsd, for Debian's apcsmart (in its default canonical tty mode and with
// ttymode = raw) and ours; and each driver's memory. Each driver has a
// simulated Smart-UPS 1500 of its own (drivers/apcsmart/apcsim) on a PTY,
// polled every 2 s (NUT's default). A client asks upsd for ups.status
// every millisecond from the moment the alert is written.
//
//	go run ./bench/apcsmartbench -ours bin/apcsmart -out bench/results/apcsmart.md
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"math/rand"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"gonut/bench/internal/procstat"
	"gonut/drivers/apcsmart/apcsim"
	"gonut/drivers/serial/serialtest"
	"gonut/internal/freeport"
)

type setup struct {
	name, bin, extra string
}

type result struct {
	name         string
	lat          []time.Duration
	back         []time.Duration // from the UPS answering again to OL in upsd
	rssKB, pssKB int
	threads      int
}

func main() {
	ours := flag.String("ours", "bin/apcsmart", "our apcsmart")
	theirs := flag.String("theirs", "/lib/nut/apcsmart", "Debian's apcsmart")
	upsd := flag.String("upsd", "/lib/nut/upsd", "the upsd both drivers serve through")
	n := flag.Int("n", 20, "power failures per driver")
	out := flag.String("out", "", "also write the report to this file")
	flag.Parse()
	var rs []result
	for _, s := range []setup{
		{"Debian apcsmart (default tty mode)", *theirs, ""},
		{"Debian apcsmart (ttymode = raw)", *theirs, "\tttymode = raw\n"},
		{"gonut apcsmart", *ours, ""},
	} {
		r, err := measure(s, *upsd, *n)
		if err != nil {
			fmt.Fprintf(os.Stderr, "apcsmartbench: %s: %v\n", s.name, err)
			os.Exit(1)
		}
		rs = append(rs, r)
	}
	report := format(rs, *n)
	fmt.Print(report)
	if *out != "" {
		if err := os.WriteFile(*out, []byte(report), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "apcsmartbench:", err)
			os.Exit(1)
		}
	}
}

func start(dir string, log io.Writer, bin string, args ...string) (*exec.Cmd, error) {
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "NUT_CONFPATH="+dir, "NUT_STATEPATH="+dir, "NUT_ALTPIDPATH="+dir)
	cmd.Stdout, cmd.Stderr = log, log
	return cmd, cmd.Start()
}

func measure(s setup, upsd string, n int) (result, error) {
	r := result{name: s.name}
	pty, err := serialtest.OpenPTY()
	if err != nil {
		return r, err
	}
	defer pty.Close()
	ups := apcsim.New(pty.Master)
	dir, err := os.MkdirTemp("", "apcsmartbench")
	if err != nil {
		return r, err
	}
	defer os.RemoveAll(dir)
	port := freeport.Must()
	files := map[string]string{
		"ups.conf":   "[apc]\n\tdriver = apcsmart\n\tport = " + pty.Path + "\n" + s.extra,
		"upsd.conf":  fmt.Sprintf("LISTEN 127.0.0.1 %d\n", port),
		"upsd.users": "",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o640); err != nil {
			return r, err
		}
	}
	log, _ := os.Create(filepath.Join(dir, "log"))
	defer log.Close()
	drv, err := start(dir, log, s.bin, "-a", "apc", "-u", "root", "-F")
	if err != nil {
		return r, err
	}
	defer func() { drv.Process.Kill(); drv.Wait() }()
	sock := filepath.Join(dir, "apcsmart-apc")
	for i := 0; ; i++ {
		if _, err := os.Stat(sock); err == nil {
			break
		}
		if i > 2000 {
			return r, fmt.Errorf("the driver never made its socket")
		}
		time.Sleep(10 * time.Millisecond)
	}
	srv, err := start(dir, log, upsd, "-u", "root", "-F")
	if err != nil {
		return r, err
	}
	defer func() { srv.Process.Kill(); srv.Wait() }()
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	var c net.Conn
	for i := 0; i < 200; i++ {
		if c, err = net.Dial("tcp", addr); err == nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		return r, err
	}
	defer c.Close()
	rd := bufio.NewReader(c)
	status := func() string {
		fmt.Fprintf(c, "GET VAR apc ups.status\n")
		l, _ := rd.ReadString('\n')
		return l
	}
	wait := func(want string, limit time.Duration) (time.Duration, error) {
		t0 := time.Now()
		for time.Since(t0) < limit {
			if a := status(); strings.Contains(a, `"`+want+`"`) || strings.HasPrefix(want, "ERR") && strings.HasPrefix(a, want) {
				return time.Since(t0), nil
			}
			time.Sleep(time.Millisecond)
		}
		return 0, fmt.Errorf("ups.status never became %s (%s)", want, status())
	}
	if _, err := wait("OL", 30*time.Second); err != nil {
		return r, err
	}
	rnd := rand.New(rand.NewSource(1))
	for i := 0; i < n; i++ {
		// Land anywhere in the 2 s poll cycle.
		time.Sleep(time.Duration(rnd.Int63n(int64(2 * time.Second))))
		t0 := time.Now()
		if err := ups.PowerFail(); err != nil {
			return r, err
		}
		if _, err := wait("OB", 10*time.Second); err != nil {
			return r, err
		}
		r.lat = append(r.lat, time.Since(t0))
		if err := ups.PowerBack(); err != nil {
			return r, err
		}
		if _, err := wait("OL", 10*time.Second); err != nil {
			return r, err
		}
	}
	for i := 0; i < 3; i++ {
		ups.Silent(true)
		if _, err := wait("ERR DATA-STALE", 60*time.Second); err != nil {
			return r, err
		}
		ups.Silent(false)
		d, err := wait("OL", 120*time.Second)
		if err != nil {
			return r, err
		}
		r.back = append(r.back, d)
	}
	time.Sleep(time.Second)
	pid := drv.Process.Pid
	r.rssKB, r.pssKB, r.threads = procstat.RSS(pid), procstat.PSS(pid), procstat.Threads(pid)
	return r, nil
}

func pct(d []time.Duration, p float64) time.Duration {
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[int(p*float64(len(s)-1)+0.5)]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }

func format(rs []result, n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# apcsmart: mains lost to OB in upsd, and memory\n\n")
	fmt.Fprintf(&b, "`go run ./bench/apcsmartbench` (%s). A simulated Smart-UPS 1500 on a PTY sends '!' at a random moment of the driver's 2 s poll cycle, %d times; a client asks Debian's upsd for ups.status every millisecond until it shows OB. Memory after the run (kB).\n\n", time.Now().Format("2006-01-02"), n)
	fmt.Fprintf(&b, "| driver | median | p90 | max | back after silence | RSS | PSS | threads |\n| --- | --- | --- | --- | --- | --- | --- | --- |\n")
	for _, r := range rs {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %d | %d | %d |\n", r.name, ms(pct(r.lat, .5)), ms(pct(r.lat, .9)), ms(pct(r.lat, 1)),
			ms(pct(r.back, .5)), r.rssKB, r.pssKB, r.threads)
	}
	fmt.Fprintf(&b, "\n\"Back after silence\": the UPS stops answering until upsd reports DATA-STALE, then answers again; the median of 3 times from then until upsd shows OL.\n")
	return b.String()
}
