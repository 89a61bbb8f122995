package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"gonut/internal/freeport"
	"gonut/nutclient"
)

// The power failure, in dummy-ups' sequence format: each TIMER holds the
// state before it for that many seconds.
const sequence = `ups.mfr: gonut
ups.model: Simulated UPS 1500
ups.status: OL
battery.charge: 100
battery.runtime: 2400
input.voltage: 230.0
ups.load: 35
TIMER 5
ups.status: OB DISCHRG
input.voltage: 0.0
battery.charge: 82
battery.runtime: 900
TIMER 5
battery.charge: 51
battery.runtime: 420
TIMER 5
ups.status: OB DISCHRG LB
battery.charge: 19
battery.runtime: 95
TIMER 120
`

func main() {
	bin := flag.String("bin", "bin", "directory holding gonut's programs")
	flag.Parse()
	if err := run(*bin); err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}

type story struct {
	start time.Time
	mu    sync.Mutex
	out   io.Writer
}

func (s *story) say(who, format string, a ...any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fmt.Fprintf(s.out, "%6.1fs  %-8s %s\n", time.Since(s.start).Seconds(), who, fmt.Sprintf(format, a...))
}

func run(bin string) error {
	bin, _ = filepath.Abs(bin)
	for _, p := range []string{"dummy-ups", "upsd", "upsmon"} {
		if _, err := os.Stat(filepath.Join(bin, p)); err != nil {
			return fmt.Errorf("%s: build first (make)", filepath.Join(bin, p))
		}
	}
	dir, err := os.MkdirTemp("", "gonut-demo")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	me := "root"
	if u, err := user.Current(); err == nil {
		me = u.Username
	}
	port, err := freeport.Get()
	if err != nil {
		return err
	}
	flagFile := filepath.Join(dir, "killpower")
	files := map[string]string{
		"ups.conf":   "[demo]\n\tdriver = dummy-ups\n\tport = demo.seq\n\tmode = dummy-once\n\tdesc = \"Simulated UPS\"\n",
		"demo.seq":   sequence,
		"upsd.conf":  fmt.Sprintf("LISTEN 127.0.0.1 %d\n", port),
		"upsd.users": "[monuser]\n\tpassword = demo\n\tupsmon primary\n",
		"upsmon.conf": fmt.Sprintf("MONITOR demo@127.0.0.1:%d 1 monuser demo primary\n", port) +
			"MINSUPPLIES 1\nFINALDELAY 2\n" +
			"SHUTDOWNCMD \"echo 'SHUTDOWNCMD runs: a real host would now power off (shutdown -h +0)'\"\n" +
			"POWERDOWNFLAG " + flagFile + "\nRUN_AS_USER " + me + "\n" +
			notifyFlags(),
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o640); err != nil {
			return err
		}
	}
	env := append(os.Environ(), "NUT_CONFPATH="+dir, "NUT_STATEPATH="+dir, "NUT_ALTPIDPATH="+dir)
	s := &story{start: time.Now(), out: os.Stdout}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	fmt.Println("gonut demo: a UPS loses line power, its battery runs low, and upsmon shuts the host down.")
	fmt.Printf("Configuration in %s (ups.conf, upsd.conf, upsd.users, upsmon.conf).\n\n", dir)
	// Each program runs until stopAll; done is closed when it has exited.
	type proc struct {
		cmd  *exec.Cmd
		done chan struct{}
	}
	var procs []*proc
	var outputs sync.WaitGroup
	stopAll := func() {
		for _, p := range procs {
			p.cmd.Process.Signal(os.Interrupt)
		}
		for _, p := range procs {
			<-p.done
		}
		outputs.Wait()
		procs = nil
	}
	defer stopAll()
	start := func(who string, args ...string) (*proc, error) {
		cmd := exec.Command(filepath.Join(bin, args[0]), args[1:]...)
		cmd.Env = env
		r, w, err := os.Pipe()
		if err != nil {
			return nil, err
		}
		cmd.Stdout, cmd.Stderr = w, w
		err = cmd.Start()
		w.Close()
		if err != nil {
			r.Close()
			return nil, err
		}
		p := &proc{cmd, make(chan struct{})}
		procs = append(procs, p)
		go func() { cmd.Wait(); close(p.done) }()
		outputs.Add(1)
		go func() {
			defer outputs.Done()
			defer r.Close()
			sc := bufio.NewScanner(r)
			for sc.Scan() {
				if l := strings.TrimSpace(sc.Text()); l != "" {
					s.say(who, "%s", l)
				}
			}
		}()
		return p, nil
	}

	s.say("demo", "starting dummy-ups, simulating the UPS from demo.seq")
	if _, err := start("driver", "dummy-ups", "-a", "demo", "-u", me, "-F"); err != nil {
		return err
	}
	if err := waitFor(ctx, func() bool { _, err := os.Stat(filepath.Join(dir, "dummy-ups-demo")); return err == nil }); err != nil {
		return fmt.Errorf("the driver did not start")
	}
	s.say("demo", "starting upsd on 127.0.0.1:%d", port)
	if _, err := start("upsd", "upsd", "-u", me, "-F"); err != nil {
		return err
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	var c *nutclient.Client
	if err := waitFor(ctx, func() bool {
		c, err = nutclient.Dial(ctx, addr, nutclient.Options{})
		if err != nil {
			return false
		}
		if _, err := c.GetVar(ctx, "demo", "ups.status"); err != nil {
			c.Close()
			return false
		}
		return true
	}); err != nil {
		return fmt.Errorf("upsd did not serve the UPS")
	}
	defer c.Close()
	s.say("demo", "starting upsmon (primary: it may set FSD and shut this host down);")
	s.say("demo", "it polls every 5 s, and hears of changes at once through upsd's WATCH feed")
	mon, err := start("upsmon", "upsmon", "-F")
	if err != nil {
		return err
	}
	// The demo watches the UPS as upsmon does: a WATCH feed tells of each
	// change, and a GET VAR reads it.
	var changes <-chan struct{}
	if w, err := nutclient.DialWatch(ctx, addr, "demo"); err == nil {
		defer w.Close()
		changes = w.C
	}
	last := ""
	show := func() {
		st, err := c.GetVar(ctx, "demo", "ups.status")
		if err != nil || st == last {
			return
		}
		charge, _ := c.GetVar(ctx, "demo", "battery.charge")
		runtime, _ := c.GetVar(ctx, "demo", "battery.runtime")
		s.say("ups", "status %-16s battery %3s%%, %ss left  %s", st, charge, runtime, meaning(st))
		last = st
	}
	show()
	for {
		select {
		case <-ctx.Done():
			return fmt.Errorf("the story did not end within a minute")
		case <-mon.done:
			show()
			s.say("demo", "upsmon has finished its shutdown.")
			if b, err := os.ReadFile(flagFile); err == nil {
				s.say("demo", "POWERDOWNFLAG %s holds %q: late in a real shutdown, the", flagFile, string(b))
				s.say("demo", "system-shutdown hook sees it (upsmon -K) and tells the UPS to cut power")
				s.say("demo", "(upsdrvctl shutdown), so the host boots again when line power returns.")
			}
			s.say("demo", "stopping upsd and the driver")
			c.Close()
			stopAll()
			fmt.Println("\nThe end: no machine was harmed. See README.md for what runs where.")
			return nil
		case <-changes:
			show()
		}
	}
}

// meaning says in words what a status means for the host.
func meaning(status string) string {
	w := " " + status + " "
	switch {
	case strings.Contains(w, " FSD "):
		return "(forced shutdown: every host on this UPS goes down now)"
	case strings.Contains(w, " LB "):
		return "(battery low: time to shut down)"
	case strings.Contains(w, " OB "):
		return "(power failure: running on battery)"
	case strings.Contains(w, " OL "):
		return "(on line power)"
	}
	return ""
}

func notifyFlags() string {
	var b strings.Builder
	for _, e := range []string{"ONLINE", "ONBATT", "LOWBATT", "FSD", "COMMOK", "COMMBAD", "SHUTDOWN", "SHUTDOWN_HOSTSYNC", "REPLBATT", "NOCOMM"} {
		fmt.Fprintf(&b, "NOTIFYFLAG %s SYSLOG\n", e)
	}
	return b.String()
}

func waitFor(ctx context.Context, ok func() bool) error {
	for !ok() {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	return nil
}
