package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"gonut/internal/freeport"
	"gonut/nutclient"
)

func main() {
	bin := flag.String("bin", "bin", "directory with gonut's programs")
	rounds := flag.Int("n", 6, "power failures (and returns) to time")
	out := flag.String("out", "", "also write the report here")
	flag.Parse()
	if err := run(*bin, *rounds, *out); err != nil {
		fmt.Fprintln(os.Stderr, "upsmonbench:", err)
		os.Exit(1)
	}
}

type side struct {
	name, upsd, upsmon string
	port               int
	events             string
}

func run(bin string, rounds int, out string) error {
	if os.Geteuid() != 0 {
		return fmt.Errorf("needs root (Debian's upsmon needs a private /run/nut)")
	}
	bin, _ = filepath.Abs(bin)
	dir, err := os.MkdirTemp("", "upsmonbench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	write := func(name, body string) { os.WriteFile(filepath.Join(dir, name), []byte(body), 0o640) }
	write("ups.conf", "[a]\n\tdriver = dummy-ups\n\tport = a.dev\n")
	write("a.dev", "ups.status: OL\nbattery.charge: 100\n")
	users := "[admin]\n\tpassword = secret\n\tactions = SET\n[mon]\n\tpassword = pass\n\tupsmon primary\n"
	var procs []*exec.Cmd
	defer func() {
		for _, p := range procs {
			p.Process.Kill()
			p.Wait()
		}
	}()
	start := func(env []string, name string, args ...string) error {
		cmd := exec.Command(name, args...)
		cmd.Env = env
		if err := cmd.Start(); err != nil {
			return err
		}
		procs = append(procs, cmd)
		return nil
	}
	base := append(os.Environ(), "NUT_STATEPATH="+dir)
	if err := start(append(base, "NUT_CONFPATH="+dir, "NUT_ALTPIDPATH="+dir), filepath.Join(bin, "dummy-ups"), "-a", "a", "-u", "root", "-F"); err != nil {
		return err
	}
	for i := 0; i < 100; i++ {
		if _, err := os.Stat(filepath.Join(dir, "dummy-ups-a")); err == nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	sides := []*side{
		{name: "Debian", upsd: "/lib/nut/upsd", upsmon: "/lib/nut/upsmon"},
		{name: "gonut", upsd: filepath.Join(bin, "upsd"), upsmon: filepath.Join(bin, "upsmon")},
	}
	for _, s := range sides {
		sdir := filepath.Join(dir, s.name)
		os.Mkdir(sdir, 0o750)
		s.port = freeport.Must()
		s.events = filepath.Join(sdir, "events")
		os.WriteFile(filepath.Join(sdir, "ups.conf"), []byte("[a]\n\tdriver = dummy-ups\n\tport = a.dev\n"), 0o640)
		os.WriteFile(filepath.Join(sdir, "upsd.conf"), []byte(fmt.Sprintf("LISTEN 127.0.0.1 %d\n", s.port)), 0o640)
		os.WriteFile(filepath.Join(sdir, "upsd.users"), []byte(users), 0o640)
		os.WriteFile(filepath.Join(sdir, "notify.sh"), []byte("#!/bin/sh\necho \"$NOTIFYTYPE $(date +%s.%N)\" >> "+s.events+"\n"), 0o755)
		// upsmon.conf at upsmon's defaults (POLLFREQ 5, POLLFREQALERT 5).
		os.WriteFile(filepath.Join(sdir, "upsmon.conf"), []byte(fmt.Sprintf(
			"MONITOR a@127.0.0.1:%d 1 mon pass primary\nSHUTDOWNCMD \"/bin/true\"\nNOTIFYCMD %s/notify.sh\n"+
				"NOTIFYFLAG ONBATT EXEC\nNOTIFYFLAG ONLINE EXEC\nRUN_AS_USER root\n", s.port, sdir)), 0o640)
		env := append(base, "NUT_CONFPATH="+sdir, "NUT_ALTPIDPATH="+sdir)
		if err := start(env, s.upsd, "-u", "root", "-F"); err != nil {
			return err
		}
		monitor := []string{s.upsmon, "-F", "-p"}
		if s.name == "Debian" {
			monitor = []string{"unshare", "-m", "sh", "-c", "mkdir -p /run/nut && mount -t tmpfs tmpfs /run/nut && exec " + s.upsmon + " -F -p"}
		}
		if err := start(env, monitor[0], monitor[1:]...); err != nil {
			return err
		}
	}
	ctx := context.Background()
	c, err := connect(ctx, fmt.Sprintf("127.0.0.1:%d", sides[1].port))
	if err != nil {
		return err
	}
	defer c.Close()
	time.Sleep(6 * time.Second) // both upsmon polled at least once
	delays := map[string]map[string][]time.Duration{}
	for _, s := range sides {
		delays[s.name] = map[string][]time.Duration{}
	}
	for r := 0; r < rounds; r++ {
		for _, step := range []struct{ status, event string }{{"OB", "ONBATT"}, {"OL", "ONLINE"}} {
			// Change at a random point of the poll cycle.
			time.Sleep(time.Duration(1000+r*737%4000) * time.Millisecond)
			t0 := time.Now()
			if _, err := c.SetVar(ctx, "a", "ups.status", step.status); err != nil {
				return err
			}
			for _, s := range sides {
				at, err := waitEvent(s.events, step.event, r, 15*time.Second)
				if err != nil {
					return fmt.Errorf("%s upsmon: %v", s.name, err)
				}
				delays[s.name][step.event] = append(delays[s.name][step.event], at.Sub(t0))
			}
			fmt.Fprintf(os.Stderr, "upsmonbench: round %d %s: Debian %v, gonut %v\n", r+1, step.event,
				last(delays["Debian"][step.event]).Round(time.Millisecond), last(delays["gonut"][step.event]).Round(time.Millisecond))
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# upsmon: gonut against Debian's NUT 2.8.0\n\n")
	fmt.Fprintf(&b, "Measured %s on one machine: the same driver behind gonut's upsd and Debian's; each upsmon watches its own upsd "+
		"at upsmon's default settings (POLLFREQ 5, POLLFREQALERT 5). The driver's status is changed at random points of the poll cycle, "+
		"%d times each way; the delay is from the change to upsmon's NOTIFYCMD (both pay the same shell start).\n\n", time.Now().UTC().Format("2006-01-02"), rounds)
	fmt.Fprintf(&b, "| event | Debian median | Debian worst | gonut median | gonut worst | median ratio (Debian / gonut) |\n|---|---|---|---|---|---|\n")
	for _, ev := range []string{"ONBATT", "ONLINE"} {
		dm, dw := stats(delays["Debian"][ev])
		gm, gw := stats(delays["gonut"][ev])
		fmt.Fprintf(&b, "| %s | %v | %v | %v | %v | %.0fx faster |\n", ev, dm.Round(time.Millisecond), dw.Round(time.Millisecond),
			gm.Round(time.Millisecond), gw.Round(time.Millisecond), float64(dm)/float64(max(gm, time.Millisecond)))
	}
	fmt.Print(b.String())
	if out != "" {
		return os.WriteFile(out, []byte(b.String()), 0o644)
	}
	return nil
}

func last(d []time.Duration) time.Duration { return d[len(d)-1] }

func stats(d []time.Duration) (median, worst time.Duration) {
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2], s[len(s)-1]
}

func connect(ctx context.Context, addr string) (*nutclient.Client, error) {
	var c *nutclient.Client
	var err error
	for i := 0; i < 100; i++ {
		if c, err = nutclient.Dial(ctx, addr, nutclient.Options{}); err == nil {
			if err = c.Login(ctx, "admin", "secret"); err == nil {
				return c, nil
			}
			c.Close()
		}
		time.Sleep(100 * time.Millisecond)
	}
	return nil, err
}

// waitEvent waits for the n-th (from 0) line of an event in an events
// file and returns the time it carries.
func waitEvent(file, event string, n int, limit time.Duration) (time.Time, error) {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		b, _ := os.ReadFile(file)
		k := 0
		for _, l := range strings.Split(string(b), "\n") {
			f := strings.Fields(l)
			if len(f) != 2 || f[0] != event {
				continue
			}
			if k == n {
				sec, err := strconv.ParseFloat(f[1], 64)
				if err != nil {
					return time.Time{}, err
				}
				return time.Unix(0, int64(sec*1e9)), nil
			}
			k++
		}
		time.Sleep(5 * time.Millisecond)
	}
	return time.Time{}, fmt.Errorf("no %s number %d within %v", event, n+1, limit)
}
