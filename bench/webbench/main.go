// Command webbench measures what nut-web costs watching 100 UPSes: 100
// dummy-ups drivers, Debian's upsd and ours serving all of them, and one
// nut-web following each upsd (ours through WATCH and its polls, Debian's
// by polls alone), both at nut-web's default poll (every 2 s), with a
// Prometheus scrape of /metrics every 15 s and one browser's event stream
// open. Each nut-web's resident memory and CPU time are read from /proc
// over the run, and the run is repeated with the UPSes changing status
// every few seconds.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"gonut/bench/internal/procstat"
	"gonut/internal/freeport"
)

const nUPS = 100

func main() {
	bin := flag.String("bin", "bin", "directory of gonut's programs (nut-web, upsd, dummy-ups)")
	debian := flag.String("debian", "/lib/nut/upsd", "Debian's upsd")
	dur := flag.Duration("d", time.Minute, "duration of each run")
	out := flag.String("out", "", "also write the report here")
	flag.Parse()
	report, err := run(*bin, *debian, *dur)
	if err != nil {
		fmt.Fprintln(os.Stderr, "webbench:", err)
		os.Exit(1)
	}
	fmt.Print(report)
	if *out != "" {
		if err := os.WriteFile(*out, []byte(report), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "webbench:", err)
			os.Exit(1)
		}
	}
}

func start(env []string, name string, args ...string) (*exec.Cmd, error) {
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), env...)
	return cmd, cmd.Start()
}

func run(bin, debianUpsd string, dur time.Duration) (string, error) {
	dir, err := os.MkdirTemp("", "webbench")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(dir)
	var cmds procstat.Group
	defer func() { cmds.Kill() }()
	var conf strings.Builder
	for i := 0; i < nUPS; i++ {
		fmt.Fprintf(&conf, "[ups%d]\n\tdriver = dummy-ups\n\tport = ups%d.dev\n\tmode = dummy-once\n\tpollinterval = 1\n", i, i)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("ups%d.dev", i)), []byte(dev("OL CHRG", 100)), 0o640); err != nil {
			return "", err
		}
	}
	env := []string{"NUT_CONFPATH=" + dir, "NUT_STATEPATH=" + dir, "NUT_ALTPIDPATH=" + dir}
	os.WriteFile(filepath.Join(dir, "ups.conf"), []byte(conf.String()), 0o640)
	for i := 0; i < nUPS; i++ {
		c, err := start(env, filepath.Join(bin, "dummy-ups"), "-a", fmt.Sprintf("ups%d", i), "-u", "root", "-F")
		if err != nil {
			return "", err
		}
		cmds = append(cmds, c)
	}
	time.Sleep(3 * time.Second)
	type server struct{ name, upsd, addr string }
	servers := []server{{"gonut's upsd (WATCH)", filepath.Join(bin, "upsd"), ""}, {"Debian's upsd (polled)", debianUpsd, ""}}
	for i := range servers {
		sdir := filepath.Join(dir, fmt.Sprint("upsd", i))
		os.Mkdir(sdir, 0o750)
		port := freeport.Must()
		servers[i].addr = fmt.Sprintf("127.0.0.1:%d", port)
		os.WriteFile(filepath.Join(sdir, "upsd.conf"), []byte(fmt.Sprintf("LISTEN 127.0.0.1 %d\nMAXCONN 1024\n", port)), 0o640)
		os.WriteFile(filepath.Join(sdir, "upsd.users"), nil, 0o640)
		os.WriteFile(filepath.Join(sdir, "ups.conf"), []byte(conf.String()), 0o640)
		c, err := start([]string{"NUT_CONFPATH=" + sdir, "NUT_STATEPATH=" + dir, "NUT_ALTPIDPATH=" + sdir}, servers[i].upsd, "-u", "root", "-F")
		if err != nil {
			return "", err
		}
		cmds = append(cmds, c)
	}
	time.Sleep(3 * time.Second)
	type web struct {
		server
		url string
		cmd *exec.Cmd
	}
	var webs []web
	for _, s := range servers {
		url := fmt.Sprintf("127.0.0.1:%d", freeport.Must())
		c, err := start(nil, filepath.Join(bin, "nut-web"), "-l", url, s.addr)
		if err != nil {
			return "", err
		}
		cmds = append(cmds, c)
		webs = append(webs, web{s, "http://" + url, c})
	}
	for _, w := range webs {
		deadline := time.Now().Add(30 * time.Second)
		for {
			r, err := http.Get(w.url + "/json")
			n := 0
			if err == nil {
				b, _ := io.ReadAll(r.Body)
				r.Body.Close()
				n = strings.Count(string(b), "\"ups")
			}
			if n == nUPS {
				break
			}
			if time.Now().After(deadline) {
				return "", fmt.Errorf("%s: nut-web lists %d UPSes of %d", w.name, n, nUPS)
			}
			time.Sleep(200 * time.Millisecond)
		}
		// One browser's event stream, read and dropped.
		go func(url string) {
			r, err := http.Get(url + "/events")
			if err == nil {
				io.Copy(io.Discard, bufio.NewReader(r.Body))
			}
		}(w.url)
	}

	var b strings.Builder
	fmt.Fprintf(&b, "# nut-web watching %d UPSes\n\n", nUPS)
	fmt.Fprintf(&b, "`go run ./bench/webbench` on %d cores, %v per run. %d of our dummy-ups, each a UPS of 15 variables,\n", procstat.Cores(), dur, nUPS)
	b.WriteString("served by our upsd and by Debian's; one nut-web follows each upsd at its defaults (every variable of every UPS\n")
	b.WriteString("asked every 2 s; with our upsd, a status change also at once through WATCH), with a Prometheus scrape of\n")
	b.WriteString("/metrics every 15 s and one browser's event stream open. RSS at the end of the run; CPU over the run.\n\n")
	b.WriteString("| run | nut-web following | RSS | CPU | CPU per UPS |\n| --- | --- | --- | --- | --- |\n")
	for _, changing := range []bool{false, true} {
		name := "steady (all OL)"
		if changing {
			name = "every UPS changes status every 4 s"
		}
		cpu0 := map[int]time.Duration{}
		for _, w := range webs {
			cpu0[w.cmd.Process.Pid] = procstat.CPUTime(w.cmd.Process.Pid)
		}
		start := time.Now()
		scrape := time.NewTicker(15 * time.Second)
		flip := time.NewTicker(4 * time.Second)
		step := 0
		for time.Since(start) < dur {
			select {
			case <-scrape.C:
				for _, w := range webs {
					if r, err := http.Get(w.url + "/metrics"); err == nil {
						io.Copy(io.Discard, r.Body)
						r.Body.Close()
					}
				}
			case <-flip.C:
				if changing {
					step++
					st, charge := "OL CHRG", 100
					if step%2 == 1 {
						st, charge = "OB DISCHRG", 80
					}
					for i := 0; i < nUPS; i++ {
						p := filepath.Join(dir, fmt.Sprintf("ups%d.dev", i))
						os.WriteFile(p+".new", []byte(dev(st, charge)), 0o640)
						os.Rename(p+".new", p)
					}
				}
			case <-time.After(time.Until(start.Add(dur))):
			}
		}
		scrape.Stop()
		flip.Stop()
		el := time.Since(start)
		for _, w := range webs {
			pid := w.cmd.Process.Pid
			cpu := procstat.CPUTime(pid) - cpu0[pid]
			pct := 100 * float64(cpu) / float64(el)
			fmt.Fprintf(&b, "| %s | %s | %.1f MiB | %.2f %% of a core | %.1f µs/s |\n", name, w.name, float64(procstat.RSS(pid))/1024, pct,
				float64(cpu.Microseconds())/el.Seconds()/nUPS)
		}
	}
	return b.String(), nil
}

func dev(status string, charge int) string {
	return fmt.Sprintf(`device.mfr: gonut
device.model: Simulated UPS 1500
device.type: ups
ups.status: %s
battery.charge: %d
battery.runtime: %d
battery.voltage: 27.3
input.voltage: 230.0
output.voltage: 229.5
ups.load: 35
ups.realpower.nominal: 900
ups.beeper.status: enabled
input.frequency: 50.0
battery.charge.low: 10
`, status, charge, charge*24)
}
