package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"gonut/bench/internal/procstat"
	"gonut/nutclient"
	"gonut/test/usbsim/control"
)

const (
	simCtl = "/run/usbsim.sock"
	upsd   = "127.0.0.1:3493"
)

// The APC's reports on mains and on battery: PresentStatus (06, 16, 7a)
// and ACPresent (13) as features, and PresentStatus (16) on the
// interrupt pipe.
var (
	onMains   = []string{"06 06 00 00 08", "13 13 01", "16 16 0c 00 00 00", "7a 7a 0c 00 00 00"}
	onBattery = []string{"06 06 00 01 08", "13 13 00", "16 16 0a 00 00 00", "7a 7a 0a 00 00 00"}
)

// runGuest sets up the simulator, upsd and each driver in turn, and
// prints RESULT DRIVER PATH MS... and IDLE DRIVER RSS_KIB CPU_MS_PER_MIN
// SWITCHES_PER_MIN lines.
func runGuest(n int, idle time.Duration) error {
	ctx := context.Background()
	dir := "/run/usbhidbench"
	for _, d := range []string{"etc", "state"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o770); err != nil {
			return err
		}
	}
	files := map[string]string{
		"ups.conf":   "[apc]\n\tdriver = usbhid-ups\n\tport = auto\n\tvendorid = 051d\n\tproductid = 0002\n\tpollinterval = 2\n",
		"upsd.conf":  "LISTEN 127.0.0.1 3493\n",
		"upsd.users": "[admin]\n\tpassword = secret\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, "etc", name), []byte(text), 0o640); err != nil {
			return err
		}
	}
	env := append(os.Environ(), "NUT_CONFPATH="+dir+"/etc", "NUT_STATEPATH="+dir+"/state", "NUT_ALTPIDPATH="+dir+"/state")
	if out, err := exec.Command("modprobe", "vhci-hcd").CombinedOutput(); err != nil {
		return fmt.Errorf("modprobe vhci-hcd: %v: %s", err, out)
	}
	sim, err := start(env, "/run/usbsim.log", "bin/usbsim", "-dev", "apc.usbdev", "-listen", "127.0.0.1:3240", "-control", simCtl)
	if err != nil {
		return err
	}
	defer stop(sim)
	if err := until(20*time.Second, func() error {
		out, err := exec.Command("usbip", "list", "-r", "127.0.0.1").CombinedOutput()
		if err == nil && !strings.Contains(string(out), "051d:0002") {
			err = errors.New("not listed")
		}
		return err
	}); err != nil {
		return fmt.Errorf("usbip list: %v", err)
	}
	if out, err := exec.Command("usbip", "attach", "-r", "127.0.0.1", "-b", "1-1").CombinedOutput(); err != nil {
		return fmt.Errorf("usbip attach: %v: %s", err, out)
	}
	server, err := start(env, "/run/upsd.log", "bin/upsd", "-u", "root", "-F")
	if err != nil {
		return err
	}
	defer stop(server)
	sc, err := control.Dial(ctx, simCtl)
	if err != nil {
		return err
	}
	defer sc.Close()
	rng := rand.New(rand.NewPCG(1, 2))
	for _, d := range []struct{ name, bin string }{{"debian", "nut/usbhid-ups"}, {"gonut", "bin/usbhid-ups"}} {
		if err := measure(ctx, env, sc, d.name, d.bin, n, idle, rng); err != nil {
			return fmt.Errorf("%s: %v", d.name, err)
		}
	}
	// Ours again, idle, without its interrupt reader: what that costs.
	drv, err := start(env, "/run/gonut-pollonly.log", "bin/usbhid-ups", "-a", "apc", "-u", "root", "-F", "-x", "pollonly")
	if err != nil {
		return err
	}
	defer stop(drv)
	if err := until(time.Minute, func() error {
		if s, err := getStatus(ctx); err != nil || s != "OL" {
			return fmt.Errorf("ups.status %q, %v", s, err)
		}
		return nil
	}); err != nil {
		return fmt.Errorf("gonut, pollonly: %v", err)
	}
	idleCost("gonut-pollonly", drv.Process.Pid, idle)
	return nil
}

// getStatus asks upsd for ups.status once, on a connection of its own.
func getStatus(ctx context.Context) (string, error) {
	c, err := nutclient.Dial(ctx, upsd, nutclient.Options{})
	if err != nil {
		return "", err
	}
	defer c.Close()
	return c.GetVar(ctx, "apc", "ups.status")
}

// idleCost prints the IDLE line of a driver left alone for idle, after
// 5 s to settle.
func idleCost(name string, pid int, idle time.Duration) {
	time.Sleep(5 * time.Second)
	cpu0, sw0 := procstat.CPUTime(pid), procstat.Switches(pid)
	time.Sleep(idle)
	perMin := float64(time.Minute) / float64(idle)
	fmt.Printf("IDLE %s %d %.1f %.0f\n", name, procstat.RSS(pid),
		float64(procstat.CPUTime(pid)-cpu0)/float64(time.Millisecond)*perMin, float64(procstat.Switches(pid)-sw0)*perMin)
}

// measure runs one driver: n power failures of each kind, then idle.
func measure(ctx context.Context, env []string, sim *control.Client, name, bin string, n int, idle time.Duration, rng *rand.Rand) error {
	drv, err := start(env, "/run/"+name+".log", bin, "-a", "apc", "-u", "root", "-F")
	if err != nil {
		return err
	}
	defer stop(drv)
	var c *nutclient.Client
	if err := until(20*time.Second, func() (err error) { c, err = nutclient.Dial(ctx, upsd, nutclient.Options{}); return err }); err != nil {
		return err
	}
	defer c.Close()
	status := func() string { s, _ := c.GetVar(ctx, "apc", "ups.status"); return s }
	// waitFor polls upsd every 2 ms until ups.status starts with want,
	// and says how long that took from t0.
	waitFor := func(want string, t0 time.Time, limit time.Duration) (time.Duration, error) {
		for {
			if s := status(); strings.HasPrefix(s, want) {
				return time.Since(t0), nil
			}
			if time.Since(t0) > limit {
				return 0, fmt.Errorf("ups.status %q after %s, waiting for %s", status(), limit, want)
			}
			time.Sleep(2 * time.Millisecond)
		}
	}
	if _, err := waitFor("OL", time.Now(), time.Minute); err != nil {
		return err
	}
	for _, path := range []string{"interrupt", "feature"} {
		var ms []string
		for range n {
			// A random moment of the driver's poll cycle.
			time.Sleep(500*time.Millisecond + time.Duration(rng.Int64N(int64(2*time.Second))))
			t0 := time.Now()
			if err := change(sim, onBattery, path == "interrupt"); err != nil {
				return err
			}
			d, err := waitFor("OB", t0, 10*time.Second)
			if err != nil {
				return fmt.Errorf("%s: %v", path, err)
			}
			ms = append(ms, fmt.Sprintf("%.2f", float64(d)/float64(time.Millisecond)))
			time.Sleep(500 * time.Millisecond)
			if err := change(sim, onMains, true); err != nil {
				return err
			}
			if _, err := waitFor("OL", time.Now(), 10*time.Second); err != nil {
				return fmt.Errorf("back on mains: %v", err)
			}
		}
		fmt.Printf("RESULT %s %s %s\n", name, path, strings.Join(ms, " "))
	}
	idleCost(name, drv.Process.Pid, idle)
	return nil
}

// change sets the UPS's feature reports, and sends the PresentStatus
// input report when interrupt is set, all in one write to the simulator,
// as a UPS changes them together; it returns once the driver took the
// input report.
func change(sim *control.Client, reports []string, interrupt bool) error {
	var cmds []string
	for _, r := range reports {
		cmds = append(cmds, "set feature "+r)
	}
	if interrupt {
		cmds = append(cmds, "input "+reports[2])
	}
	_, err := sim.Do(cmds...)
	return err
}

func start(env []string, log string, bin string, args ...string) (*exec.Cmd, error) {
	f, err := os.Create(log)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, args...)
	cmd.Env, cmd.Stdout, cmd.Stderr = env, f, f
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	return cmd, nil
}

func stop(cmd *exec.Cmd) {
	cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		cmd.Process.Kill()
		<-done
	}
}

func until(limit time.Duration, f func() error) error {
	deadline := time.Now().Add(limit)
	for {
		err := f()
		if err == nil || time.Now().After(deadline) {
			return err
		}
		time.Sleep(100 * time.Millisecond)
	}
}
