// Command hotplugbench times USB hot-plug in the Debian guest under a
// real systemd and udev (test/vm): a simulated APC Back-UPS plugged in
// over USB/IP until its driver is READY and upsd lists it, and pulled out
// until the driver has stopped and upsd no longer lists it, n times each
// (test/vm/gonut/guest-hotplug.sh with BENCH=n). NUT has no hot-plug to
// compare with. Needs root (the VM harness).
//
//	go run ./bench/hotplugbench -out bench/results/hotplug.md
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"time"

	"gonut/test/vm/gonut"
)

func main() {
	n := flag.Int("n", 10, "plugs and unplugs")
	out := flag.String("out", "", "also write the report here")
	timeline := flag.Bool("timeline", false, "print what the kernel, the enumerator, the driver and upsd logged at each plug and unplug")
	flag.Parse()
	if err := run(*n, *out, *timeline); err != nil {
		fmt.Fprintln(os.Stderr, "hotplugbench:", err)
		os.Exit(1)
	}
}

// loadavg is the host's load average over the last minute.
func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) > 0 {
		return f[0]
	}
	return "unknown"
}

func run(n int, out string, timeline bool) error {
	work, err := os.MkdirTemp("", "hotplugbench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	top, err := os.Getwd()
	if err != nil {
		return err
	}
	if err := gonut.HotplugWork(top, work); err != nil {
		return err
	}
	guest := fmt.Sprintf("BENCH=%d bash guest-hotplug.sh", n)
	if timeline {
		guest = "TIMELINE=1 " + guest
	}
	loadBefore := loadavg()
	cmd := exec.Command("bash", "test/vm/run.sh", work, guest)
	cmd.Env = append(os.Environ(), "NUTVM_TIMEOUT=1200")
	cmd.Stderr = os.Stderr
	b, err := cmd.Output()
	if err != nil || !strings.Contains(string(b), " passed, 0 failed") {
		return fmt.Errorf("guest: %v\n%s", err, b)
	}
	if timeline {
		os.Stderr.Write(b)
	}
	times := map[string][]float64{}
	sc := bufio.NewScanner(strings.NewReader(string(b)))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 3 && f[0] == "TIME" {
			v, err := strconv.ParseFloat(f[2], 64)
			if err != nil {
				return fmt.Errorf("guest said %q", sc.Text())
			}
			times[f[1]] = append(times[f[1]], v)
		}
	}
	accel := "KVM"
	if !gonut.HardwareKVM() {
		accel = "software emulation (TCG, no KVM): several times slower than on hardware"
	}
	var r strings.Builder
	fmt.Fprintf(&r, "# USB hot-plug: plug to READY, unplug to stopped\n\n")
	fmt.Fprintf(&r, "Measured %s in one Debian 12 guest under systemd and udev (test/vm, %s): the USB simulator's APC Back-UPS XS 1400U "+
		"attached and detached over USB/IP (`usbip attach`, vhci-hcd) %d times; gonut's usbhid-ups, nut-driver-enumerator (NUT_HOTPLUG=all: a runtime section) "+
		"and upsd as installed. Plug: from `usbip attach` until `nut-driver@` is active (READY) and `upsc -l` lists the UPS. "+
		"Unplug: from the simulator dropping the connection until the instance is inactive and `upsc -l` no longer lists it. "+
		"Polled every 50 ms, which the figures include. NUT has no hot-plug to compare with. "+
		"The host's load average (1 min) was %s before the guest and %s after: emulated timings grow with it.\n\n", time.Now().UTC().Format("2006-01-02"), accel, n, loadBefore, loadavg())
	fmt.Fprintf(&r, "| | median | min | max |\n|---|---|---|---|\n")
	for _, k := range []string{"plug", "unplug"} {
		v := times[k]
		if len(v) != n {
			return fmt.Errorf("%d %s times, want %d", len(v), k, n)
		}
		slices.Sort(v)
		med := v[n/2]
		if n%2 == 0 {
			med = (v[n/2-1] + v[n/2]) / 2
		}
		fmt.Fprintf(&r, "| %s | %.2f s | %.2f s | %.2f s |\n", k, med, v[0], v[n-1])
	}
	fmt.Print(r.String())
	if out != "" {
		return os.WriteFile(out, []byte(r.String()), 0o644)
	}
	return nil
}
